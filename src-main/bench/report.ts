/** The benchmark's report: its shape (`sidekick bench --json`), the summary against targets, and the text tables. */
import type { RecallResult } from './recall';

/** Label recall split into UI labels and document words. */
export interface RecallPair {
  labels: RecallResult;
  words: RecallResult;
}

/** Measurements for one screenshot (milliseconds unless named otherwise). */
export interface ScreenBench {
  name: string;
  width: number;
  height: number;
  linesDetected: number;
  naiveMs: number | null;
  nativeMs: number | null;
  nativeStartupMs: number | null;
  /** CPU time of one native run (all of it: process start, model load, recognition), when measurable. */
  nativeCpuMs: number | null;
  warmP50: number;
  /** CPU time of one warm Sidekick read, all threads (median): less sensitive to a busy machine than wall time. */
  warmCpuMs: number;
  warmP95: number;
  unchangedMs: number;
  editedMs: number;
  editedLinesRecognized: number;
  firstResultsMs: number | null;
  recall: { sidekick: RecallPair; native: RecallPair | null; naive: RecallPair | null };
}

/** The whole report (`sidekick bench --json`). */
export interface BenchReport {
  quick: boolean;
  cores: number;
  model: string;
  input: string;
  coldFirstReadMs: number;
  firstReadAfterWarmMs: number;
  peakMemoryMb: number;
  baselineMemoryMb: number;
  screens: ScreenBench[];
  overall: {
    warmP50: number;
    warmP95: number;
    unchangedMs: number;
    editedMs: number;
    textDenseFirstResultsMs: number | null;
    labelRecall: number;
    wordRecall: number;
    nativeRecall: number | null;
    naiveRecall: number | null;
    speedupVsNaive: number | null;
    speedupVsNative: number | null;
    speedupVsNativeWithoutStartup: number | null;
    /** Native CPU time / Sidekick CPU time per read (median): the load-independent comparison. */
    cpuRatioVsNative: number | null;
  };
  targets: Array<{ what: string; target: string; measured: string; met: boolean }>;
  notes: string[];
}

/** The p-th percentile of some values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The median of some values. */
export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Rounded to one decimal. */
export function r1(n: number): number {
  return Math.round(n * 10) / 10;
}

function sumRecall(results: ScreenBench[], pick: (r: ScreenBench) => RecallResult | null | undefined): number | null {
  let found = 0;
  let total = 0;
  for (const r of results) {
    const rec = pick(r);
    if (!rec) return null;
    found += rec.found;
    total += rec.total;
  }
  return total ? found / total : 1;
}

/** The report's summary: ratios against the anchors, and the targets met and missed. */
export function summarize(
  screens: ScreenBench[],
  meta: { quick: boolean; coldFirstReadMs: number; firstReadAfterWarmMs: number; peakMemoryMb: number; baselineMemoryMb: number; model: string; notes: string[] },
): BenchReport {
  const warmP50 = r1(median(screens.map((s) => s.warmP50)));
  const ratio = (anchor: (s: ScreenBench) => number | null): number | null => {
    const ratios = screens.map((s) => {
      const a = anchor(s);
      return a === null ? null : a / s.warmP50;
    });
    return ratios.some((x) => x === null) ? null : r1(median(ratios as number[]));
  };
  const dense = screens.find((s) => s.name.includes('text')) ?? screens.reduce((a, b) => (a.linesDetected > b.linesDetected ? a : b));
  const labelRecallAll = sumRecall(screens, (s) => {
    const l = s.recall.sidekick.labels;
    const w = s.recall.sidekick.words;
    return { found: l.found + w.found, total: l.total + w.total, recall: 0, missing: [] };
  })!;
  const overall: BenchReport['overall'] = {
    warmP50,
    warmP95: r1(median(screens.map((s) => s.warmP95))),
    unchangedMs: r1(median(screens.map((s) => s.unchangedMs))),
    editedMs: r1(median(screens.map((s) => s.editedMs))),
    textDenseFirstResultsMs: dense.firstResultsMs,
    labelRecall: labelRecallAll,
    wordRecall: sumRecall(screens, (s) => s.recall.sidekick.words) ?? 1,
    nativeRecall: sumRecall(screens, (s) => s.recall.native && { ...s.recall.native.labels, found: s.recall.native.labels.found + s.recall.native.words.found, total: s.recall.native.labels.total + s.recall.native.words.total }),
    naiveRecall: sumRecall(screens, (s) => s.recall.naive && { ...s.recall.naive.labels, found: s.recall.naive.labels.found + s.recall.naive.words.found, total: s.recall.naive.labels.total + s.recall.naive.words.total }),
    speedupVsNaive: ratio((s) => s.naiveMs),
    speedupVsNative: ratio((s) => s.nativeMs),
    speedupVsNativeWithoutStartup: ratio((s) => (s.nativeMs === null || s.nativeStartupMs === null ? null : s.nativeMs - s.nativeStartupMs)),
    cpuRatioVsNative: screens.every((s) => s.nativeCpuMs !== null) ? r1(median(screens.map((s) => s.nativeCpuMs! / s.warmCpuMs))) : null,
  };
  const main = screens.find((s) => s.name === 'gnumeric') ?? screens[0]!;
  const memoryMb = r1(meta.peakMemoryMb - meta.baselineMemoryMb);
  const targets: BenchReport['targets'] = [
    { what: `warm p50 pixels→located labels (${main.name} ${main.width}x${main.height})`, target: '≤ 150 ms', measured: `${main.warmP50} ms`, met: main.warmP50 <= 150 },
    {
      what: 'vs native tesseract, startup subtracted (median over screenshots)',
      target: '≥ 2x (aim 3x)',
      measured: overall.speedupVsNativeWithoutStartup === null ? 'n/a' : `${overall.speedupVsNativeWithoutStartup}x`,
      met: (overall.speedupVsNativeWithoutStartup ?? 0) >= 2,
    },
    { what: 'label recall (all screenshots, labels + words)', target: '≥ 98%', measured: `${r1(labelRecallAll * 100)}%`, met: labelRecallAll >= 0.98 },
    { what: 'first hotkey (reader warmed at startup, first read)', target: '≤ 500 ms', measured: `${meta.firstReadAfterWarmMs} ms (cold incl. worker start: ${meta.coldFirstReadMs} ms)`, met: meta.firstReadAfterWarmMs <= 500 },
    { what: 'unchanged re-read (median over screenshots)', target: '≤ 15 ms', measured: `${overall.unchangedMs} ms`, met: overall.unchangedMs <= 15 },
    { what: 'edited re-read (median over screenshots)', target: '≤ 40 ms', measured: `${overall.editedMs} ms`, met: overall.editedMs <= 40 },
    {
      what: `text-dense first results (${dense.name})`,
      target: '≤ 300 ms',
      measured: dense.firstResultsMs === null ? 'n/a' : `${dense.firstResultsMs} ms`,
      met: dense.firstResultsMs !== null && dense.firstResultsMs <= 300,
    },
    { what: 'OCR-side peak memory (RSS over baseline, process that only reads)', target: '≤ 200 MB', measured: `${memoryMb} MB`, met: memoryMb <= 200 },
  ];
  return {
    quick: meta.quick,
    cores: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 0,
    model: meta.model,
    input: 'Sidekick reads RGBA pixels as captured (no PNG decode); anchors read the PNG file',
    coldFirstReadMs: meta.coldFirstReadMs,
    firstReadAfterWarmMs: meta.firstReadAfterWarmMs,
    peakMemoryMb: meta.peakMemoryMb,
    baselineMemoryMb: meta.baselineMemoryMb,
    screens,
    overall,
    targets,
    notes: meta.notes,
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function ms(value: number | null): string {
  return value === null ? '-' : `${Math.round(value)}`;
}

function fraction(rec: RecallPair | null): string {
  if (!rec) return '-';
  return `${rec.labels.found + rec.words.found}/${rec.labels.total + rec.words.total}`;
}

/** The report as text tables. */
export function formatBench(report: BenchReport): string {
  const out: string[] = [];
  const header = ['screenshot', 'size', 'lines', 'naive tjs', 'native', '(start)', 'SK p50', 'p95', 'x naive', 'x native', 'x nat-start', 'unchanged', 'edited', 'first', 'cpu nat/SK', 'recall SK', 'native', 'naive'];
  const widths = [22, 10, 6, 10, 8, 8, 8, 6, 8, 9, 12, 10, 8, 7, 12, 10, 8, 8];
  out.push(header.map((h, i) => pad(h, widths[i]!)).join(''));
  for (const s of report.screens) {
    const x = (anchor: number | null) => (anchor === null ? '-' : `${(anchor / s.warmP50).toFixed(1)}x`);
    const row = [
      s.name,
      `${s.width}x${s.height}`,
      String(s.linesDetected),
      ms(s.naiveMs),
      ms(s.nativeMs),
      ms(s.nativeStartupMs),
      ms(s.warmP50),
      ms(s.warmP95),
      x(s.naiveMs),
      x(s.nativeMs),
      x(s.nativeMs === null || s.nativeStartupMs === null ? null : s.nativeMs - s.nativeStartupMs),
      ms(s.unchangedMs),
      `${ms(s.editedMs)}/${s.editedLinesRecognized}`,
      ms(s.firstResultsMs),
      `${ms(s.nativeCpuMs)}/${ms(s.warmCpuMs)}`,
      fraction(s.recall.sidekick),
      fraction(s.recall.native),
      fraction(s.recall.naive),
    ];
    out.push(row.map((c, i) => pad(c, widths[i]!)).join(''));
  }
  out.push('');
  out.push('times in ms (wall); edited = ms/lines re-recognized; first = first streamed results; cpu = CPU ms of one native run / one warm Sidekick read (all threads); recall = labels+words found with the box on the element');
  const o = report.overall;
  const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
  out.push(
    `overall: warm p50 ${o.warmP50} ms, p95 ${o.warmP95} ms; unchanged ${o.unchangedMs} ms; edited ${o.editedMs} ms; ` +
      `speed-up vs naive ${o.speedupVsNaive ?? '-'}x, vs native ${o.speedupVsNative ?? '-'}x (${o.speedupVsNativeWithoutStartup ?? '-'}x without startup; CPU ${o.cpuRatioVsNative ?? '-'}x less); ` +
      `recall ${pct(o.labelRecall)} (native ${pct(o.nativeRecall)}, naive ${pct(o.naiveRecall)})`,
  );
  out.push(`cold first read (workers start inside it): ${report.coldFirstReadMs} ms; first read after warm(): ${report.firstReadAfterWarmMs} ms; peak RSS ${report.peakMemoryMb} MB (baseline ${report.baselineMemoryMb} MB); model ${report.model}`);
  out.push('');
  out.push('targets:');
  for (const t of report.targets) out.push(`  ${t.met ? 'met   ' : 'MISSED'} ${pad(t.what, 64)} ${pad(t.target, 14)} ${t.measured}`);
  for (const s of report.screens) {
    const missing = [...s.recall.sidekick.labels.missing, ...s.recall.sidekick.words.missing];
    if (missing.length) out.push(`  ${s.name}: not found: ${missing.slice(0, 12).join(', ')}${missing.length > 12 ? ` (+${missing.length - 12})` : ''}`);
  }
  for (const note of report.notes) out.push(`note: ${note}`);
  return out.join('\n');
}
