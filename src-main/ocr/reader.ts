/**
 * The screen reader: pixels in, located words and lines out (ScreenText).
 *
 * Pipeline: decode → grayscale → text-line detection → per-line crops (dark backgrounds
 * inverted, small text upscaled) packed into mosaics, one job per warm worker, most useful lines
 * (top of window, short labels) first → words mapped back to image pixels → phrases.
 * With a `windowKey`, a read reuses everything whose pixels did not change: unchanged tiles keep
 * their lines, and a line whose pixels were seen before (e.g. scrolled) reuses its words.
 * Parts: line-plan.ts (which lines, which jobs), tiles.ts (what changed), mosaic.ts (crops in, words
 * and phrases out), engine.ts (the tesseract.js worker pool), lines.ts (text-line detection).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ScreenText } from '../../src-shared/screen';
import { RecognizerPool, type EngineStats } from './engine';
import { decodeImageWithNotes, toGray, toGrayRows, type GrayImage, type ImageInput, type RgbaImage } from './image';
import { planFallbackPage, planJobs, planLines, type LineEntry, type LineWord } from './line-plan';
import { buildElements, buildMosaic, keepWord, prepareCrop, scaleWord, undoubleCaseAlike } from './mosaic';
import { encodePgm } from './raster';
import { changedBands, equalHashes, hashTiles, intersects } from './tiles';

/** Per-read options. */
export interface ReadOptions {
  /** Enables incremental reuse between reads of the same window. */
  windowKey?: string;
  /** Called with what is known so far, before the full result (most useful lines first). */
  onPartial?(partial: ScreenText): void;
  signal?: AbortSignal;
}

/** Reads text off screenshots, keeping its OCR workers warm between reads. */
export interface ScreenReader {
  read(image: ImageInput, options?: ReadOptions): Promise<ScreenText>;
  close(): Promise<void>;
}

/** Options for a reader. */
export interface ScreenReaderOptions {
  language?: string;
  /** Worker count; defaults to 2 (or 1 on a single-core machine). */
  workers?: number;
  cacheDir?: string;
  /** A worker job slower than this (ms, plus an allowance per megapixel) is treated as hung. */
  jobTimeoutMs?: number;
  /** Replace each worker after this many jobs. */
  recycleAfterJobs?: number;
}

interface WindowState {
  width: number;
  height: number;
  tileHashes: Uint32Array;
  textHeight: number | undefined;
  lines: LineEntry[];
  /** Line cache: pixels hash → words (relative to the crop). */
  cache: Map<string, LineWord[]>;
  result: ScreenText;
}

const MAX_WINDOWS = 8;
const MAX_CACHED_LINES = 4000;

/** The pipeline reader. Exposed as a class so tests and the benchmark can inspect its pool and counters. */
export class PipelineScreenReader implements ScreenReader {
  readonly pool: RecognizerPool;
  private readonly windows = new Map<string, WindowState>();

  constructor(options: ScreenReaderOptions = {}) {
    this.pool = new RecognizerPool({
      ...options,
      workers: options.workers ?? Math.max(1, Math.min(2, availableParallelism())),
    });
  }

  /**
   * Starts the workers and runs one small read of rendered UI text through them, so the first real
   * read (the first hotkey) finds the engine loaded and its code already compiled.
   */
  async warm(): Promise<void> {
    await this.pool.warm();
    const sample = await renderWarmUpSample().catch(() => null);
    if (sample) await this.read(sample).catch(() => undefined);
  }

  /**
   * Starts the workers in the background and returns at once, so they load while the caller reads,
   * captures or decodes the image; the first `read` then waits only for what is still loading.
   * A failure to start is not thrown here: that read reports it.
   */
  start(): void {
    this.pool.warm().catch(() => undefined);
  }

  /** Engine counters (jobs, retries, replaced workers). */
  get engineStats(): EngineStats {
    return this.pool.stats;
  }

  /** Forgets what was read for a window (or for all windows). */
  forget(windowKey?: string): void {
    if (windowKey === undefined) this.windows.clear();
    else this.windows.delete(windowKey);
  }

  async read(input: ImageInput, options: ReadOptions = {}): Promise<ScreenText> {
    const started = performance.now();
    // Captured pixels are copied before the first await: a capture buffer the caller reuses (or an
    // animation drawn into it) cannot change what this read sees half-way through.
    const decoded = await decodeImageWithNotes(snapshot(input));
    const image = decoded.image;
    const decodedAt = performance.now();
    throwIfAborted(options.signal);

    const key = options.windowKey;
    let state = key !== undefined ? this.windows.get(key) : undefined;
    if (state && (state.width !== image.width || state.height !== image.height)) state = undefined;
    const tileHashes = key !== undefined ? hashTiles(image) : null;

    // Unchanged capture: everything is reused.
    if (state && tileHashes && equalHashes(state.tileHashes, tileHashes)) {
      touch(this.windows, key!, state);
      const totalMs = performance.now() - started;
      const lines = state.lines.length;
      return {
        ...state.result,
        timings: {
          totalMs: round(totalMs),
          decodeMs: round(decodedAt - started),
          detectMs: 0,
          recognizeMs: 0,
          linesDetected: lines,
          linesRecognized: 0,
          linesReused: lines,
          jobs: 0,
        },
        notes: [...decoded.notes],
      };
    }

    const bands =
      state && tileHashes
        ? changedBands(state, tileHashes, image.width, image.height)
        : [{ x: 0, y: 0, w: image.width, h: image.height }];
    // Only the changed bands are looked at again, so only their rows are converted to gray.
    // A margin around each band covers the padding of crops of lines at the band's edge.
    const gray = state
      ? toGrayRows(
          image,
          bands.map((b) => ({ y: b.y - 24, h: b.h + 48 })),
        )
      : toGray(image);
    const kept = state ? state.lines.filter((line) => !bands.some((band) => intersects(line.crop, band))) : [];
    const planned: LineEntry[] = [];
    const counters: { icons: number; textHeight: number | undefined } = { icons: 0, textHeight: state?.textHeight };
    for (const band of bands) planned.push(...planLines(gray, band, state?.textHeight, counters));
    // Nothing line-shaped: read the whole page sparsely, unless it is one flat colour (blank, all black).
    if (!state && planned.length === 0 && !isFlat(gray)) planned.push(...planFallbackPage(gray));
    const detectedAt = performance.now();
    throwIfAborted(options.signal);

    const cache = state?.cache ?? new Map<string, LineWord[]>();
    let reused = kept.length;
    const toRead: LineEntry[] = [];
    for (const line of planned) {
      const hit = key !== undefined ? cache.get(line.key) : undefined;
      if (hit) {
        line.words = hit;
        reused++;
      } else toRead.push(line);
    }

    const finishedLines: LineEntry[] = [...kept, ...planned.filter((l) => l.words !== null)];
    const makeDoc = (lines: LineEntry[], extraTimings: Record<string, number>): ScreenText => ({
      image: { width: decoded.originalWidth, height: decoded.originalHeight },
      elements: buildElements(lines, decoded.scale),
      timings: { totalMs: round(performance.now() - started), ...extraTimings },
      notes: [...decoded.notes],
    });

    let firstPartialMs: number | undefined;
    const jobs = planJobs(toRead, this.pool.size);
    await Promise.all(
      jobs.map(async (job) => {
        const results = await this.recognizeJob(gray, job, options.signal);
        for (let i = 0; i < job.length; i++) job[i]!.words = undoubleCaseAlike(results[i]!, counters.textHeight);
        finishedLines.push(...job);
        if (options.onPartial && finishedLines.length < kept.length + planned.length) {
          firstPartialMs ??= round(performance.now() - started);
          options.onPartial(makeDoc(finishedLines.slice(), { partial: 1 }));
        }
      }),
    );
    const recognizedAt = performance.now();

    const allLines = [...kept, ...planned];
    const timings: Record<string, number> = {
      decodeMs: round(decodedAt - started),
      detectMs: round(detectedAt - decodedAt),
      recognizeMs: round(recognizedAt - detectedAt),
      linesDetected: allLines.length,
      linesRecognized: toRead.length,
      linesReused: reused,
      iconsSkipped: counters.icons,
      jobs: jobs.length,
    };
    if (firstPartialMs !== undefined) timings.firstPartialMs = firstPartialMs;
    const doc = makeDoc(allLines, timings);

    if (key !== undefined && tileHashes) {
      for (const line of toRead) if (line.words) cache.set(line.key, line.words);
      while (cache.size > MAX_CACHED_LINES) cache.delete(cache.keys().next().value!);
      touch(this.windows, key, {
        width: image.width,
        height: image.height,
        tileHashes,
        textHeight: counters.textHeight,
        lines: allLines,
        cache,
        result: doc,
      });
      while (this.windows.size > MAX_WINDOWS) this.windows.delete(this.windows.keys().next().value!);
    }
    return doc;
  }

  async close(): Promise<void> {
    this.windows.clear();
    await this.pool.close();
  }

  /** Recognizes a group of lines: dense lines as one mosaic, sparse regions one by one. */
  private async recognizeJob(gray: GrayImage, lines: LineEntry[], signal?: AbortSignal): Promise<LineWord[][]> {
    if (lines.every((l) => l.sparse)) {
      return Promise.all(
        lines.map(async (line) => {
          const crop = prepareCrop(gray, line);
          const words = await this.pool.recognize(
            { image: encodePgm(crop), psm: '11', pixels: crop.width * crop.height },
            signal,
          );
          return words.filter(keepWord).map((w) => scaleWord(w, line.factor, 0, 0));
        }),
      );
    }
    const mosaic = buildMosaic(gray, lines);
    dumpForDebugging(mosaic.image);
    // One line (a typical edit) needs no page layout analysis: read it as a single text line.
    const psm = lines.length === 1 ? '7' : '6';
    const words = await this.pool.recognize(
      { image: encodePgm(mosaic.image), psm, pixels: mosaic.image.width * mosaic.image.height },
      signal,
    );
    const perLine: LineWord[][] = lines.map(() => []);
    for (const word of words) {
      if (!keepWord(word)) continue;
      const slot = mosaic.slotAt(word.y + word.h / 2);
      if (slot < 0) continue;
      const s = mosaic.slots[slot]!;
      perLine[slot]!.push(scaleWord(word, lines[slot]!.factor, s.x, s.y));
    }
    return perLine;
  }
}

/** A small image of typical UI text (menus, buttons, a sentence), rendered with the system fonts. */
async function renderWarmUpSample(): Promise<RgbaImage> {
  const rows = [
    'File  Edit  View  Insert  Format  Tools  Help',
    'Cancel   Apply   OK   Settings...',
    'The quick brown fox jumps over the lazy dog 0123456789',
    'Open Recent   Save As...   Print Preview',
  ];
  const text = rows
    .map((row, i) => `<text x="8" y="${22 + i * 24}" font-family="sans-serif" font-size="13" fill="#222">${row}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="110"><rect width="480" height="110" fill="#f6f5f4"/>${text}</svg>`;
  const { default: sharp } = await import('sharp');
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

let dumpCounter = 0;

/** With SIDEKICK_OCR_DUMP=<dir>, writes every mosaic as a PGM file there (to see what the engine sees). */
function dumpForDebugging(image: GrayImage): void {
  const dir = process.env.SIDEKICK_OCR_DUMP;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `mosaic-${process.pid}-${dumpCounter++}.pgm`), encodePgm(image));
}

function snapshot(input: ImageInput): ImageInput {
  if (input === null || typeof input !== 'object' || Buffer.isBuffer(input) || !(input.data instanceof Uint8Array))
    return input;
  return { width: input.width, height: input.height, data: new Uint8Array(input.data) };
}

/** Whether a plane has (almost) no contrast anywhere: nothing to read. */
function isFlat(gray: GrayImage): boolean {
  let min = 255;
  let max = 0;
  for (const v of gray.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min < 24;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('OCR was cancelled.');
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function touch<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
}

/** Creates a reader backed by a warm pool of tesseract.js workers (2 by default). */
export function createScreenReader(options: ScreenReaderOptions = {}): PipelineScreenReader {
  return new PipelineScreenReader(options);
}
