/**
 * Insights (helpers and admins): where the team gets stuck, from `GET /api/v1/insights?days=N` — requests and
 * resolved per app, how long they waited, the walkthrough steps people got stuck at, topics of the questions
 * and the questions nothing answered, each chart with its table. A topic or an unanswered question can become a
 * walkthrough in the team library ("Write a walkthrough for this").
 */
import { useEffect, useMemo, useState } from 'react';
import type { Insights, Me } from '../../src-shared/team';
import { InsightsChart } from './InsightsChart';
import { insightsApi } from './insights-api';
import { WalkthroughDraftForm, type WalkthroughSeed } from './WalkthroughDraftForm';
import './InsightsPage.css';

/** The day ranges the picker offers. */
export const DAY_RANGES = [7, 30, 90, 365] as const;
/** Stuck steps drawn at most (the busiest first). */
const STEPS_SHOWN = 12;
const COLORS = { requests: '#4767c9', resolved: '#2f9e5b', claim: '#d08a1f', resolve: '#7d4fc4', abandoned: '#c4513c' };

/** The Insights page. */
export function InsightsPage({ me, token }: { me: Me; token: string }) {
  const api = useMemo(() => insightsApi(token), [token]);
  const [days, setDays] = useState<number>(30);
  const [insights, setInsights] = useState<Insights | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<WalkthroughSeed | null>(null);

  useEffect(() => {
    let current = true;
    setError(null);
    api.insights(days).then(
      (answer) => current && setInsights(answer),
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [api, days]);

  const loaded = insights && insights.days === days ? insights : null;
  const nothing = loaded && !loaded.apps.length && !loaded.stuckSteps.length && !loaded.unanswered.length;
  return (
    <section className="insights" data-testid="insights-page" aria-labelledby="insights-heading">
      <div className="insights-head">
        <h1 id="insights-heading">Insights</h1>
        <label>
          Last{' '}
          <select value={days} onChange={(event) => setDays(Number(event.target.value))} data-testid="insights-days">
            {DAY_RANGES.map((range) => (
              <option key={range} value={range}>
                {range} days
              </option>
            ))}
          </select>
        </label>
        {loaded && (
          <span className="meta">
            since {new Date(loaded.since).toLocaleDateString()} · {loaded.apps.reduce((n, a) => n + a.requests, 0)}{' '}
            requests
          </span>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          Could not load the insights: {error}
        </p>
      )}
      {!loaded && !error && <p className="empty">Loading…</p>}
      {nothing && (
        <p className="empty insights-empty" data-testid="insights-empty">
          No requests in the last {days} days yet. When people ask for help, get stuck in a walkthrough or ask something
          no walkthrough answers, it shows here (usage events come from desktops whose owners chose{' '}
          <em>Share anonymous usage with my team</em> in Settings → Team).
        </p>
      )}
      {loaded && !nothing && (
        <>
          <AppCharts insights={loaded} days={days} />
          <StuckSteps insights={loaded} />
          <Topics insights={loaded} onWrite={setDraft} />
          <Unanswered insights={loaded} onWrite={setDraft} />
        </>
      )}
      {draft && <WalkthroughDraftForm api={api} me={me} seed={draft} onClose={() => setDraft(null)} />}
    </section>
  );
}

function AppCharts({ insights, days }: { insights: Insights; days: number }) {
  if (!insights.apps.length)
    return (
      <p className="empty" data-testid="insights-no-requests">
        No requests in the last {days} days yet.
      </p>
    );
  const labels = insights.apps.map((app) => app.app);
  return (
    <div className="insights-row">
      <InsightsChart
        testId="chart-requests"
        tableBelow
        title="Requests and resolved per app"
        labels={labels}
        series={[
          { name: 'Requests', color: COLORS.requests, values: insights.apps.map((app) => app.requests) },
          { name: 'Resolved', color: COLORS.resolved, values: insights.apps.map((app) => app.resolved) },
        ]}
      />
      <InsightsChart
        testId="chart-minutes"
        tableBelow
        title="Median minutes to claim and to resolve"
        unit="min"
        labels={labels}
        series={[
          { name: 'To claim', color: COLORS.claim, values: insights.apps.map((app) => app.medianMinutesToClaim) },
          { name: 'To resolve', color: COLORS.resolve, values: insights.apps.map((app) => app.medianMinutesToResolve) },
        ]}
      />
    </div>
  );
}

function StuckSteps({ insights }: { insights: Insights }) {
  const steps = [...insights.stuckSteps]
    .sort((a, b) => b.requests + b.abandoned - (a.requests + a.abandoned) || b.requests - a.requests)
    .slice(0, STEPS_SHOWN);
  if (!steps.length) return null;
  const more = insights.stuckSteps.length > STEPS_SHOWN;
  return (
    <InsightsChart
      testId="chart-stuck-steps"
      title={`Walkthrough steps where people got stuck${more ? ` (top ${STEPS_SHOWN})` : ''}`}
      horizontal
      stacked
      labels={steps.map((step) => `${step.walkthroughId} · step ${step.stepIndex + 1}`)}
      series={[
        { name: 'Asked for help', color: COLORS.requests, values: steps.map((step) => step.requests) },
        { name: 'Gave up', color: COLORS.abandoned, values: steps.map((step) => step.abandoned) },
      ]}
    />
  );
}

function Topics({ insights, onWrite }: { insights: Insights; onWrite: (seed: WalkthroughSeed) => void }) {
  const apps = insights.apps.filter((app) => app.topics.length);
  if (!apps.length) return null;
  return (
    <section className="insights-section" data-testid="insights-topics">
      <h2>Topics</h2>
      <p className="meta">Similar questions grouped by their most shared word, per app.</p>
      <div className="topic-grid">
        {apps.map((app) => (
          <div key={app.app} className="topic-app">
            <h3>{app.app}</h3>
            <ul>
              {app.topics.map((topic) => (
                <li key={topic.label} data-testid="topic">
                  <div className="topic-line">
                    <strong>{topic.label}</strong>
                    <span className="count">
                      {topic.requests} {topic.requests === 1 ? 'request' : 'requests'}
                    </span>
                    <button
                      type="button"
                      className="link"
                      data-testid="topic-write"
                      onClick={() =>
                        onWrite({ title: topic.examples[0] ?? topic.label, app: app.app, questions: topic.examples })
                      }
                    >
                      Write a walkthrough for this
                    </button>
                  </div>
                  <ul className="examples">
                    {topic.examples.map((example) => (
                      <li key={example}>“{example}”</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}

function Unanswered({ insights, onWrite }: { insights: Insights; onWrite: (seed: WalkthroughSeed) => void }) {
  return (
    <section className="insights-section" data-testid="insights-unanswered">
      <h2>Questions nothing answered</h2>
      {insights.unanswered.length === 0 ? (
        <p className="empty">
          None in the last {insights.days} days (only desktops that share anonymous usage with the team send these).
        </p>
      ) : (
        <table className="insights-table wide">
          <thead>
            <tr>
              <th scope="col">Question</th>
              <th scope="col">App</th>
              <th scope="col">Times</th>
              <th scope="col">Last asked</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {insights.unanswered.map((item) => (
              <tr key={`${item.app}\u0000${item.question}`} data-testid="unanswered">
                <td className="question-cell">{item.question}</td>
                <td>{item.app || '(unknown app)'}</td>
                <td>{item.count}</td>
                <td>{new Date(item.lastAt).toLocaleString()}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    data-testid="unanswered-write"
                    onClick={() => onWrite({ title: item.question, app: item.app, questions: [item.question] })}
                  >
                    Write a walkthrough for this
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
