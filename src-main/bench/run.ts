/**
 * The OCR benchmark behind `sidekick bench`: Sidekick's reader against naive tesseract.js
 * (default page segmentation) and the native `tesseract` CLI, on real screenshots with
 * ground-truth element boxes. Prints times, ratios against each anchor, and label recall.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import Tesseract from 'tesseract.js';
import type { ScreenText, TextElement } from '../../src-shared/screen';
import { parseTsv, resolveCacheDir, type EngineWord } from '../ocr/engine';
import { decodeImage, type RgbaImage } from '../ocr/image';
import { createScreenReader } from '../ocr/reader';
import { drawTextOnImage } from './edit-image';
import { defaultFixturesDir, labelRecall, loadTruthScreens, type RecallResult, type TruthScreen } from './recall';

/** Benchmark options. */
export interface BenchOptions {
  fixturesDir?: string;
  /** CI smoke mode: one screenshot, few repetitions, no naive tesseract.js run. */
  quick?: boolean;
  /** Only screenshots whose name contains one of these. */
  only?: string[];
  progress?(message: string): void;
}

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

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function median(values: number[]): number {
  return percentile(values, 50);
}

function r1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Words from a TSV result as a ScreenText (one line element per tesseract line), for recall of the anchors. */
function wordsToDoc(words: EngineWord[], width: number, height: number, scale: number): ScreenText {
  const elements: TextElement[] = [];
  const lineIds = new Map<string, string>();
  words.forEach((w, i) => {
    if (!lineIds.has(w.lineKey)) lineIds.set(w.lineKey, `l${lineIds.size}`);
    elements.push({ id: `w${i}`, kind: 'word', lineId: lineIds.get(w.lineKey)!, text: w.text, conf: w.conf, box: { x: w.x / scale, y: w.y / scale, w: w.w / scale, h: w.h / scale } });
  });
  return { image: { width, height }, elements, timings: { totalMs: 0 } };
}

function recallPair(doc: ScreenText, screen: TruthScreen): RecallPair {
  return {
    labels: labelRecall(doc, screen.truth, (role) => role !== 'word'),
    words: labelRecall(doc, screen.truth, (role) => role === 'word'),
  };
}

function nativeTesseractAvailable(): boolean {
  return spawnSync('tesseract', ['--version'], { stdio: 'ignore' }).status === 0;
}

const GNU_TIME = '/usr/bin/time';

/** Runs native tesseract (PSM 11, one thread); wall time, and CPU time when GNU time is installed. */
function runNative(file: string): Promise<{ ms: number; cpuMs: number | null; tsv: string }> {
  const withTime = existsSync(GNU_TIME);
  const [command, args] = withTime
    ? [GNU_TIME, ['-f', 'SIDEKICK_CPU %U %S', 'tesseract', file, 'stdout', '--psm', '11', 'tsv']]
    : ['tesseract', [file, 'stdout', '--psm', '11', 'tsv']];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(command, args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(error);
      const cpu = /SIDEKICK_CPU ([\d.]+) ([\d.]+)/.exec(stderr);
      resolve({ ms: performance.now() - started, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null, tsv: stdout });
    });
  });
}

/** CPU milliseconds this process (main thread and OCR worker threads) has used so far. */
function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** `timings.totalMs` of `sidekick ocr <image> --json` run in a new process (workers start inside the read). */
function coldReadInFreshProcess(imagePath: string): Promise<number> {
  const bin = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, 'ocr', imagePath, '--json'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`cold run of sidekick ocr failed: ${stderr || error.message}`));
      else resolve((JSON.parse(stdout) as ScreenText).timings.totalMs);
    });
  });
}

/** Peak RSS of a process that only reads (the OCR side, without the benchmark's own image edits and copies). */
export interface MemoryProbe {
  baselineMb: number;
  peakMb: number;
}

/**
 * Memory probe (`sidekick bench --memory-probe`): in this process, reads every screenshot twice, warm,
 * plus an unchanged and an edited re-read, sampling RSS every 5 ms.
 */
export async function probeMemory(screens: TruthScreen[]): Promise<MemoryProbe> {
  const images: RgbaImage[] = [];
  for (const screen of screens) images.push(await decodeImage(readFileSync(screen.imagePath)));
  sharp.cache(false);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const reader = createScreenReader();
  try {
    await reader.warm();
    for (let round = 0; round < 2; round++) {
      for (const [i, image] of images.entries()) await reader.read(image, { windowKey: `probe-${i}`, onPartial: () => {} });
    }
    for (const image of images) await reader.read(image, { onPartial: () => {} });
  } finally {
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    await reader.close();
  }
  return { baselineMb: r1(baseline / 1e6), peakMb: r1(peak / 1e6) };
}

function memoryInFreshProcess(fixturesDir: string | undefined, only: string[]): Promise<MemoryProbe> {
  const bin = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url));
  const args = [bin, 'bench', '--memory-probe', '--json', ...(fixturesDir ? ['--fixtures', fixturesDir] : []), '--only', only.join(',')];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`memory probe failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as MemoryProbe);
    });
  });
}

/** Runs the benchmark. */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const progress = options.progress ?? (() => {});
  const notes: string[] = [];
  let screens = loadTruthScreens(options.fixturesDir ?? defaultFixturesDir());
  if (options.only?.length) screens = screens.filter((s) => options.only!.some((o) => s.name.includes(o)));
  else if (options.quick) screens = screens.filter((s) => s.name === 'gnumeric' || s.name === 'mousepad-text');
  if (screens.length === 0) throw new Error('No screenshots matched. Run without --only, or check --fixtures.');
  // The plain 1600x900 Gnumeric window first: cold start and first-read targets are measured on it.
  screens.sort((a, b) => Number(b.name === 'gnumeric') - Number(a.name === 'gnumeric'));
  const reps = options.quick ? 3 : 6;
  // libvips' operation cache would count as OCR memory; the bench's own image edits do not need it.
  sharp.cache(false);
  const images = new Map<string, { png: Buffer; raw: RgbaImage }>();
  for (const screen of screens) {
    const png = readFileSync(screen.imagePath);
    images.set(screen.name, { png, raw: await decodeImage(png) });
  }
  const workDir = mkdtempSync(join(tmpdir(), 'sidekick-bench-'));
  const results: ScreenBench[] = [];
  let memoryPeak = 0;
  const sampler = setInterval(() => {
    memoryPeak = Math.max(memoryPeak, process.memoryUsage().rss);
  }, 10);
  sampler.unref();

  // Cold: a fresh `sidekick ocr` process, whose workers start inside its first read (a first hotkey without pre-warming).
  const first = screens[0]!;
  progress(`cold start on ${first.name} (fresh process)...`);
  const coldFirstReadMs = await coldReadInFreshProcess(first.imagePath);

  const baseline = process.memoryUsage().rss;
  const reader = createScreenReader();
  try {
    await reader.warm();
    const warmFirst = await reader.read(images.get(first.name)!.raw);
    const firstReadAfterWarmMs = warmFirst.timings.totalMs;

    for (const screen of screens) {
      progress(`Sidekick on ${screen.name}...`);
      const { raw } = images.get(screen.name)!;
      const times: number[] = [];
      const cpus: number[] = [];
      const firsts: number[] = [];
      let lastDoc: ScreenText | null = null;
      for (let i = 0; i < reps; i++) {
        const cpuBefore = processCpuMs();
        const doc = await reader.read(raw, { onPartial: () => {} });
        cpus.push(processCpuMs() - cpuBefore);
        times.push(doc.timings.totalMs);
        if (doc.timings.firstPartialMs !== undefined) firsts.push(doc.timings.firstPartialMs);
        lastDoc = doc;
      }
      const key = `bench-${screen.name}`;
      await reader.read(raw, { windowKey: key });
      const unchanged: number[] = [];
      for (let i = 0; i < reps; i++) {
        const copy = { width: raw.width, height: raw.height, data: raw.data.slice() };
        unchanged.push((await reader.read(copy, { windowKey: key })).timings.totalMs);
      }
      const edited: number[] = [];
      let editedLines = 0;
      const editX = Math.round(raw.width * 0.3);
      const editY = Math.round(raw.height * 0.55);
      for (let i = 0; i < reps; i++) {
        const image = await drawTextOnImage(raw, `Total ${1000 + i * 7}`, { left: editX, top: editY }, { width: 200, height: 20 });
        const doc = await reader.read(image, { windowKey: key });
        edited.push(doc.timings.totalMs);
        editedLines = Math.max(editedLines, doc.timings.linesRecognized ?? 0);
      }
      results.push({
        name: screen.name,
        width: raw.width,
        height: raw.height,
        linesDetected: lastDoc!.timings.linesDetected ?? 0,
        naiveMs: null,
        nativeMs: null,
        nativeStartupMs: null,
        nativeCpuMs: null,
        warmP50: r1(median(times)),
        warmCpuMs: r1(median(cpus)),
        warmP95: r1(percentile(times, 95)),
        unchangedMs: r1(median(unchanged)),
        editedMs: r1(median(edited)),
        editedLinesRecognized: editedLines,
        firstResultsMs: firsts.length ? r1(median(firsts)) : null,
        recall: { sidekick: recallPair(lastDoc!, screen), native: null, naive: null },
      });
    }
    clearInterval(sampler);
    await reader.close();

    // Native tesseract: PSM 11 on a 2x upscale, one thread, process start included and shown separately.
    if (nativeTesseractAvailable()) {
      const blank = join(workDir, 'blank.png');
      await sharp({ create: { width: 32, height: 32, channels: 3, background: '#ffffff' } }).png().toFile(blank);
      const startups: number[] = [];
      for (let i = 0; i < 3; i++) startups.push((await runNative(blank)).ms);
      const startup = median(startups);
      for (const result of results) {
        progress(`native tesseract on ${result.name}...`);
        const screen = screens.find((s) => s.name === result.name)!;
        const file = join(workDir, `${result.name}-2x.png`);
        await sharp(images.get(result.name)!.png).resize(result.width * 2, result.height * 2, { kernel: 'cubic' }).png({ compressionLevel: 1 }).toFile(file);
        const runs: number[] = [];
        const cpus: number[] = [];
        let tsv = '';
        for (let i = 0; i < (options.quick ? 1 : 3); i++) {
          const run = await runNative(file);
          runs.push(run.ms);
          if (run.cpuMs !== null) cpus.push(run.cpuMs);
          tsv = run.tsv;
        }
        result.nativeMs = r1(median(runs));
        result.nativeCpuMs = cpus.length ? r1(median(cpus)) : null;
        result.nativeStartupMs = r1(startup);
        result.recall.native = recallPair(wordsToDoc(parseTsv(tsv), result.width, result.height, 2), screen);
      }
    } else notes.push('native tesseract is not installed (apt-get install tesseract-ocr): native anchor skipped');

    // Naive tesseract.js: default model (npm best_int, what tesseract.js downloads by default) and default PSM, warm worker.
    if (!options.quick) {
      const require = createRequire(import.meta.url);
      const langPath = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
      const naive = await Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
        langPath,
        gzip: true,
        cachePath: join(resolveCacheDir(), 'tessdata', 'npm-best-int'),
        errorHandler: () => {},
      });
      try {
        for (const result of results) {
          progress(`naive tesseract.js on ${result.name}...`);
          const screen = screens.find((s) => s.name === result.name)!;
          const started = performance.now();
          const out = await naive.recognize(images.get(result.name)!.png, {}, { text: false, tsv: true });
          result.naiveMs = r1(performance.now() - started);
          result.recall.naive = recallPair(wordsToDoc(parseTsv(out.data.tsv ?? ''), result.width, result.height, 1), screen);
        }
      } finally {
        await naive.terminate();
      }
    } else notes.push('--quick: naive tesseract.js anchor skipped (it takes several seconds per screenshot)');

    progress('memory probe (fresh process)...');
    const memory = await memoryInFreshProcess(options.fixturesDir, screens.map((s) => s.name)).catch((error: unknown) => {
      notes.push(`${error instanceof Error ? error.message : String(error)}; peak memory is this process's`);
      return { baselineMb: r1(baseline / 1e6), peakMb: r1(memoryPeak / 1e6) };
    });
    return summarize(results, {
      quick: options.quick === true,
      coldFirstReadMs,
      firstReadAfterWarmMs,
      peakMemoryMb: memory.peakMb,
      baselineMemoryMb: memory.baselineMb,
      model: reader.pool.model,
      notes,
    });
  } finally {
    clearInterval(sampler);
    await reader.close();
    rmSync(workDir, { recursive: true, force: true });
  }
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

function summarize(
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
