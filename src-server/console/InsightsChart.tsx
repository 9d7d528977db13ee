/**
 * A bar chart (Chart.js through react-chartjs-2, bundled by vite: no CDN) with its data as a table beside it,
 * so the numbers are readable without the picture. Labels are drawn on a canvas as text, never as HTML.
 */
import { BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';

// Only what bar charts need, so the bundle keeps Chart.js's tree-shaken size.
Chart.register(BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** One series of a chart: its name, colour and one value per label (null: nothing to show). */
export interface ChartSeries {
  name: string;
  color: string;
  values: Array<number | null>;
}

/** Longest label drawn under a bar (the table beside it has the whole text). */
const MAX_LABEL_CHARS = { horizontal: 40, vertical: 22 };

function shortLabel(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** A titled bar chart with the same numbers in a table. `horizontal` for long labels (walkthrough steps). */
export function InsightsChart({
  title,
  labels,
  series,
  unit,
  horizontal = false,
  stacked = false,
  tableBelow = false,
  testId,
}: {
  title: string;
  labels: string[];
  series: ChartSeries[];
  unit?: string;
  horizontal?: boolean;
  stacked?: boolean;
  /** The table under the chart rather than beside it (for charts in a half-width column). */
  tableBelow?: boolean;
  testId: string;
}) {
  const barsHigh = horizontal ? Math.max(160, 40 + labels.length * (stacked ? 26 : 18 * series.length + 8)) : 260;
  const summary = `${title}: ${labels.length} ${labels.length === 1 ? 'entry' : 'entries'}, see the table beside it`;
  return (
    <figure className="insights-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div className={tableBelow ? 'chart-and-table below' : 'chart-and-table'}>
        <div className="chart-box" style={{ height: barsHigh }}>
          <Bar
            aria-label={summary}
            role="img"
            data={{
              labels: labels.map((label) =>
                shortLabel(label, horizontal ? MAX_LABEL_CHARS.horizontal : MAX_LABEL_CHARS.vertical),
              ),
              datasets: series.map((s) => ({
                label: s.name,
                data: s.values,
                backgroundColor: s.color,
                borderRadius: 3,
                maxBarThickness: 28,
              })),
            }}
            options={{
              indexAxis: horizontal ? 'y' : 'x',
              maintainAspectRatio: false,
              animation: false,
              responsive: true,
              scales: {
                x: { stacked, beginAtZero: true, ticks: { precision: 0 } },
                y: { stacked, beginAtZero: true, ticks: { precision: 0 } },
              },
              plugins: {
                legend: { position: 'bottom', labels: { boxWidth: 12 } },
                tooltip: {
                  callbacks: {
                    title: (items) => labels[items[0]?.dataIndex ?? 0] ?? '',
                    label: (item) => {
                      const value = typeof item.raw === 'number' ? `${item.raw}${unit ? ` ${unit}` : ''}` : '–';
                      return `${item.dataset.label ?? ''}: ${value}`;
                    },
                  },
                },
              },
            }}
          />
        </div>
        <table className="insights-table">
          <thead>
            <tr>
              <th scope="col">{horizontal ? 'Step' : 'App'}</th>
              {series.map((s) => (
                <th scope="col" key={s.name}>
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, index) => (
              <tr key={`${label}-${index}`}>
                <th scope="row">{label}</th>
                {series.map((s) => (
                  <td key={s.name}>{s.values[index] ?? '–'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
