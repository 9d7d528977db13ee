/**
 * The OCR benchmark behind `sidekick bench`: Sidekick's reader against naive tesseract.js
 * (default page segmentation) and the native `tesseract` CLI, on real screenshots with
 * ground-truth element boxes. Prints times, ratios against each anchor, and label recall.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import Tesseract from 'tesseract.js';
import type { ScreenText } from '../../src-shared/screen';
import { parseTsv, resolveCacheDir } from '../ocr/engine';
import { decodeImage, type RgbaImage } from '../ocr/image';
import { createScreenReader } from '../ocr/reader';
import { drawTextOnImage } from './edit-image';
import { defaultFixturesDir, loadTruthScreens, type TruthScreen } from './recall';
import { defaultUnseenDir, loadUnseenHalf, locateRecall, UNSEEN_HALVES } from './unseen';
import {
  coldGuideInFreshProcess,
  coldReadInFreshProcess,
  memoryInFreshProcess,
  nativeTesseractAvailable,
  processCpuMs,
  recallPair,
  runNative,
  wordsToDoc,
} from './measure';
import { median, percentile } from '../../src-shared/stats';
import { r1, summarize, type BenchReport, type BenchSet, type ScreenBench } from './report';

export { formatBench, type BenchReport, type RecallPair, type ScreenBench } from './report';
export { probeMemory, type MemoryProbe } from './measure';

/** Benchmark options. */
export interface BenchOptions {
  fixturesDir?: string;
  /** CI smoke mode: one screenshot, few repetitions, no naive tesseract.js run. */
  quick?: boolean;
  /** Only screenshots whose name contains one of these. */
  only?: string[];
  /** The unseen-windows set (`<dir>/{dev,blind}`); default e2e/fixtures/unseen. Not read in --quick mode. */
  unseenDir?: string;
  progress?: (message: string) => void;
}

/** Runs the benchmark. */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const progress = options.progress ?? (() => {});
  const notes: string[] = [];
  const setOf = new Map<TruthScreen, BenchSet>();
  const fixturesDir = resolve(options.fixturesDir ?? defaultFixturesDir());
  let screens = loadTruthScreens(fixturesDir);
  // `--fixtures <…>/blind` reads the blind half as the main set: it stays blind (its misses never printed).
  const mainSet: BenchSet = basename(fixturesDir) === 'blind' ? 'blind' : 'own';
  for (const screen of screens) setOf.set(screen, mainSet);
  if (!options.quick) {
    // The unseen windows (applications nobody tuned on): the dev half, and the blind half, scored but never tuned on.
    const unseenDir = options.unseenDir ?? defaultUnseenDir();
    for (const half of UNSEEN_HALVES) {
      const loaded = existsSync(join(unseenDir, half)) ? loadUnseenHalf(half, unseenDir) : [];
      if (loaded.length === 0)
        notes.push(`no unseen-window fixtures in ${join(unseenDir, half)}: that half is not measured`);
      for (const screen of loaded) {
        const tagged = { ...screen, name: `${half}/${screen.name}` };
        setOf.set(tagged, half);
        screens.push(tagged);
      }
    }
  }
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

  // Cold: a fresh `sidekick ocr` process, whose workers start inside its first read (a first hotkey without
  // pre-warming).
  const first = screens[0]!;
  progress(`cold start on ${first.name} (fresh process)...`);
  const coldFirstReadMs = await coldReadInFreshProcess(first.imagePath);
  progress(`sidekick guide cold on ${first.name} (fresh process)...`);
  const coldGuideMs = await coldGuideInFreshProcess(first.imagePath, 'how do I freeze the top row').catch(
    (error: unknown) => {
      notes.push(`sidekick guide cold run failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    },
  );

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
        const image = await drawTextOnImage(
          raw,
          `Total ${1000 + i * 7}`,
          { left: editX, top: editY },
          { width: 200, height: 20 },
        );
        const doc = await reader.read(image, { windowKey: key });
        edited.push(doc.timings.totalMs);
        editedLines = Math.max(editedLines, doc.timings.linesRecognized ?? 0);
      }
      results.push({
        name: screen.name,
        set: setOf.get(screen) ?? 'own',
        locate: locateRecall(lastDoc!, screen),
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
      await sharp({ create: { width: 32, height: 32, channels: 3, background: '#ffffff' } })
        .png()
        .toFile(blank);
      const startups: number[] = [];
      for (let i = 0; i < 3; i++) startups.push((await runNative(blank)).ms);
      const startup = median(startups);
      for (const result of results) {
        progress(`native tesseract on ${result.name}...`);
        const screen = screens.find((s) => s.name === result.name)!;
        const file = join(workDir, `${result.name.replace(/[\\/]/g, '-')}-2x.png`);
        await sharp(images.get(result.name)!.png)
          .resize(result.width * 2, result.height * 2, { kernel: 'cubic' })
          .png({ compressionLevel: 1 })
          .toFile(file);
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

    // Naive tesseract.js: default model (npm best_int, what tesseract.js downloads by default) and default PSM, warm
    // worker.
    if (!options.quick) {
      const require = createRequire(import.meta.url);
      const langPath = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
      const naive = await Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
        langPath,
        gzip: true,
        cachePath: join(resolveCacheDir(), 'tessdata', 'npm-best-int'),
        errorHandler: () => {},
      });
      // Tesseract's own debug prints ("Invalid resolution 25 dpi", "Total count=0"…) would fill the report;
      // sent nowhere, they change nothing in what it reads.
      await naive.setParameters({ debug_file: '/dev/null' });
      try {
        for (const result of results) {
          progress(`naive tesseract.js on ${result.name}...`);
          const screen = screens.find((s) => s.name === result.name)!;
          const started = performance.now();
          const out = await naive.recognize(images.get(result.name)!.png, {}, { text: false, tsv: true });
          result.naiveMs = r1(performance.now() - started);
          result.recall.naive = recallPair(
            wordsToDoc(parseTsv(out.data.tsv ?? ''), result.width, result.height, 1),
            screen,
          );
        }
      } finally {
        await naive.terminate();
      }
    } else notes.push('--quick: naive tesseract.js anchor skipped (it takes several seconds per screenshot)');

    progress('memory probe (fresh process)...');
    const ownNames = screens.filter((s) => setOf.get(s) === 'own').map((s) => s.name);
    const memory = await memoryInFreshProcess(options.fixturesDir, ownNames.length ? ownNames : ['gnumeric']).catch(
      (error: unknown) => {
        notes.push(`${error instanceof Error ? error.message : String(error)}; peak memory is this process's`);
        return { baselineMb: r1(baseline / 1e6), peakMb: r1(memoryPeak / 1e6) };
      },
    );
    return summarize(results, {
      quick: options.quick === true,
      coldFirstReadMs,
      firstReadAfterWarmMs,
      coldGuideMs: coldGuideMs === null ? null : r1(coldGuideMs),
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
