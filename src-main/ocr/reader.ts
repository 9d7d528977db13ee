/**
 * The screen reader: pixels in, located words and lines out (ScreenText).
 *
 * Pipeline: decode → grayscale → text-line detection → per-line crops (dark backgrounds
 * inverted, small text upscaled) packed into mosaics, one job per warm worker, most useful lines
 * (top of window, short labels) first → words mapped back to image pixels → phrases.
 * With a `windowKey`, a read reuses everything whose pixels did not change: unchanged tiles keep
 * their lines, and a line whose pixels were seen before (e.g. scrolled) reuses its words.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Box, ScreenText, TextElement } from '../../src-shared/screen';
import { RecognizerPool, type EngineStats, type EngineWord } from './engine';
import { decodeImageWithNotes, toGray, toGrayRows, type GrayImage, type ImageInput, type RgbaImage } from './image';
import { detectTextLines, type TextLineBox } from './lines';
import { cropGray, encodePgm, normalizeText, upscaleGray } from './raster';

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

/** A word relative to the origin of the crop it was read from (original image pixels). */
interface LineWord {
  text: string;
  conf: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A planned or finished line: where its crop is and what it says. */
interface LineEntry {
  /** Crop in image pixels (tight text box plus padding). */
  crop: Box;
  /** Tight text height, used for phrase splitting. */
  textHeight: number;
  /** Hash of the crop's pixels: the line-cache key. */
  key: string;
  words: LineWord[] | null;
  /** 0 = top of window, 1 = short label, 2 = other text, 3 = sparse fallback region. */
  priority: number;
  /** Upscale factor for recognition. */
  factor: number;
  /** Read with sparse-text segmentation (fallback regions). */
  sparse: boolean;
}

interface WindowState {
  width: number;
  height: number;
  tileHashes: Uint32Array;
  textHeight: number;
  lines: LineEntry[];
  /** Line cache: pixels hash → words (relative to the crop). */
  cache: Map<string, LineWord[]>;
  result: ScreenText;
}

const TILE = 32;
const MAX_WINDOWS = 8;
const MAX_CACHED_LINES = 4000;

/** The pipeline reader. Exposed as a class so tests and the benchmark can inspect its pool and counters. */
export class PipelineScreenReader implements ScreenReader {
  readonly pool: RecognizerPool;
  private readonly windows = new Map<string, WindowState>();

  constructor(options: ScreenReaderOptions = {}) {
    this.pool = new RecognizerPool({ ...options, workers: options.workers ?? Math.max(1, Math.min(2, availableParallelism())) });
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
    const decoded = await decodeImageWithNotes(input);
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
        timings: { totalMs: round(totalMs), decodeMs: round(decodedAt - started), detectMs: 0, recognizeMs: 0, linesDetected: lines, linesRecognized: 0, linesReused: lines, jobs: 0 },
        notes: [...decoded.notes],
      };
    }

    const bands = state && tileHashes ? changedBands(state, tileHashes, image.width, image.height) : [{ x: 0, y: 0, w: image.width, h: image.height }];
    // Only the changed bands are looked at again, so only their rows are converted to gray.
    // A margin around each band covers the padding of crops of lines at the band's edge.
    const gray = state ? toGrayRows(image, bands.map((b) => ({ y: b.y - 24, h: b.h + 48 }))) : toGray(image);
    const kept = state ? state.lines.filter((line) => !bands.some((band) => intersects(line.crop, band))) : [];
    const planned: LineEntry[] = [];
    const counters = { icons: 0, textHeight: state?.textHeight ?? 12 };
    for (const band of bands) planned.push(...planLines(gray, band, state?.textHeight, counters));
    if (!state && planned.length === 0) planned.push(...planFallbackPage(gray));
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
        for (let i = 0; i < job.length; i++) job[i]!.words = results[i]!;
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
      touch(this.windows, key, { width: image.width, height: image.height, tileHashes, textHeight: counters.textHeight, lines: allLines, cache, result: doc });
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
          const words = await this.pool.recognize({ image: encodePgm(crop), psm: '11', pixels: crop.width * crop.height }, signal);
          return words.filter(keepWord).map((w) => scaleWord(w, line.factor, 0, 0));
        }),
      );
    }
    const mosaic = buildMosaic(gray, lines);
    dumpForDebugging(mosaic.image);
    // One line (a typical edit) needs no page layout analysis: read it as a single text line.
    const psm = lines.length === 1 ? '7' : '6';
    const words = await this.pool.recognize({ image: encodePgm(mosaic.image), psm, pixels: mosaic.image.width * mosaic.image.height }, signal);
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
  const rows = ['File  Edit  View  Insert  Format  Tools  Help', 'Cancel   Apply   OK   Settings...', 'The quick brown fox jumps over the lazy dog 0123456789', 'Open Recent   Save As...   Print Preview'];
  const text = rows.map((row, i) => `<text x="8" y="${22 + i * 24}" font-family="sans-serif" font-size="13" fill="#222">${row}</text>`).join('');
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

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** One 32-bit hash per 32x32 tile of the RGBA pixels. */
export function hashTiles(image: RgbaImage): Uint32Array {
  const { width, height, data } = image;
  const tilesX = Math.ceil(width / TILE);
  const tilesY = Math.ceil(height / TILE);
  const hashes = new Uint32Array(tilesX * tilesY).fill(0x811c9dc5);
  const words = data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, width * height) : new Uint32Array(data.slice().buffer);
  for (let y = 0; y < height; y++) {
    const tileRow = (y >> 5) * tilesX;
    const row = y * width;
    for (let tx = 0; tx < tilesX; tx++) {
      let h = hashes[tileRow + tx]!;
      const end = Math.min(width, (tx + 1) * TILE);
      for (let x = tx * TILE; x < end; x++) h = Math.imul(h ^ words[row + x]!, 16777619);
      hashes[tileRow + tx] = h;
    }
  }
  return hashes;
}

function equalHashes(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Full-width bands covering changed tiles, grown to include any old line they cut, plus a margin. */
function changedBands(state: WindowState, hashes: Uint32Array, width: number, height: number): Box[] {
  const tilesX = Math.ceil(width / TILE);
  const tilesY = Math.ceil(height / TILE);
  const ranges: Array<[number, number]> = [];
  for (let ty = 0; ty < tilesY; ty++) {
    let changed = false;
    for (let tx = 0; tx < tilesX && !changed; tx++) if (state.tileHashes[ty * tilesX + tx] !== hashes[ty * tilesX + tx]) changed = true;
    if (!changed) continue;
    const y0 = ty * TILE;
    const y1 = Math.min(height, y0 + TILE);
    const last = ranges[ranges.length - 1];
    if (last && last[1] >= y0) last[1] = y1;
    else ranges.push([y0, y1]);
  }
  const margin = 6;
  let grown = ranges.map(([a, b]) => [Math.max(0, a - margin), Math.min(height, b + margin)] as [number, number]);
  // Grow each band until no old line crosses its edge, then merge overlapping bands.
  for (let pass = 0; pass < 4; pass++) {
    let changed = false;
    grown = grown.map(([a, b]) => {
      let top = a;
      let bottom = b;
      for (const line of state.lines) {
        const ly0 = line.crop.y;
        const ly1 = line.crop.y + line.crop.h;
        if (ly1 > top && ly0 < bottom && (ly0 < top || ly1 > bottom)) {
          top = Math.min(top, ly0);
          bottom = Math.max(bottom, ly1);
          changed = true;
        }
      }
      return [top, bottom] as [number, number];
    });
    grown.sort((p, q) => p[0] - q[0]);
    const merged: Array<[number, number]> = [];
    for (const range of grown) {
      const last = merged[merged.length - 1];
      if (last && last[1] >= range[0]) last[1] = Math.max(last[1], range[1]);
      else merged.push([...range]);
    }
    grown = merged;
    if (!changed) break;
  }
  return grown.map(([a, b]) => ({ x: 0, y: a, w: width, h: b - a }));
}

/** Lines (and fallback regions) of one band, with crop boxes, pixel keys, factors and priorities. */
function planLines(gray: GrayImage, band: Box, textHeight: number | undefined, counters: { icons: number; textHeight: number }): LineEntry[] {
  const layout = detectTextLines(gray, band, textHeight === undefined ? {} : { textHeight });
  counters.icons += layout.icons.length;
  counters.textHeight = layout.textHeight;
  const topZone = Math.max(100, gray.height * 0.15);
  const out: LineEntry[] = [];
  for (const line of layout.lines) {
    if (line.y + line.h <= band.y || line.y >= band.y + band.h) continue;
    out.push(planEntry(gray, line, line.y < topZone ? 0 : line.w <= line.h * 14 ? 1 : 2, false));
  }
  for (const region of layout.regions) out.push(planEntry(gray, { ...region, ink: 0 }, 3, true));
  return out;
}

/** When detection finds nothing on a fresh image, read the whole page sparsely (2x) as a safety net. */
function planFallbackPage(gray: GrayImage): LineEntry[] {
  const crop = { x: 0, y: 0, w: gray.width, h: gray.height };
  const factor = gray.width * gray.height <= 4_000_000 ? 2 : 1;
  return [{ crop, textHeight: 12, key: pixelKey(gray, crop), words: null, priority: 3, factor, sparse: true }];
}

function planEntry(gray: GrayImage, line: TextLineBox, priority: number, sparse: boolean): LineEntry {
  const padY = sparse ? 4 : Math.max(2, Math.round(line.h * 0.2));
  const padX = sparse ? 4 : Math.max(3, Math.round(line.h * 0.35));
  const x0 = Math.max(0, line.x - padX);
  const y0 = Math.max(0, line.y - padY);
  const x1 = Math.min(gray.width, line.x + line.w + padX);
  const y1 = Math.min(gray.height, line.y + line.h + padY);
  const crop = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  const factor = sparse ? (line.h < 150 ? 2 : 1) : line.h < 10 ? 3 : line.h < Number(process.env.TH ?? 26) ? 2 : 1;
  return { crop, textHeight: line.h, key: pixelKey(gray, crop), words: null, priority, factor, sparse };
}

/** Hash of a crop's pixels and size: the same text scrolled elsewhere gets the same key. */
function pixelKey(gray: GrayImage, crop: Box): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x12345678;
  const { width, data } = gray;
  for (let y = crop.y; y < crop.y + crop.h; y++) {
    const row = y * width;
    for (let x = crop.x; x < crop.x + crop.w; x++) {
      const v = data[row + x]!;
      h1 = Math.imul(h1 ^ v, 16777619);
      h2 = Math.imul(h2 + v, 2246822519) ^ (h2 >>> 13);
    }
  }
  return `${crop.w}x${crop.h}:${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

/**
 * Splits lines into worker jobs. Small screens: one job per worker. Larger ones: a first round of
 * small jobs holding the most useful lines (top of window, short labels) dealt round-robin, so
 * whichever job finishes first already shows menus and toolbars; then the rest, balanced by area.
 */
function planJobs(lines: LineEntry[], workers: number): LineEntry[][] {
  const sparse = lines.filter((l) => l.sparse);
  const dense = lines.filter((l) => !l.sparse).sort((a, b) => a.priority - b.priority || a.crop.y - b.crop.y || a.crop.x - b.crop.x);
  const cost = (l: LineEntry) => l.crop.w * l.crop.h * l.factor * l.factor + 4000;
  const total = dense.reduce((sum, l) => sum + cost(l), 0);
  const jobs: LineEntry[][] = [];
  let index = 0;
  if (total >= 400_000 && dense.length > workers * 4) {
    const first: LineEntry[][] = Array.from({ length: workers }, () => []);
    let used = 0;
    while (index < dense.length && used < total * 0.12 && dense[index]!.priority <= 1) {
      used += cost(dense[index]!);
      first[index % workers]!.push(dense[index++]!);
    }
    jobs.push(...first.filter((job) => job.length > 0));
  }
  const rest = dense.slice(index);
  const restTotal = rest.reduce((sum, l) => sum + cost(l), 0);
  let cursor = 0;
  for (let j = 0; j < workers && cursor < rest.length; j++) {
    const job: LineEntry[] = [];
    let used = 0;
    const budget = restTotal / workers;
    while (cursor < rest.length && (j === workers - 1 || used < budget || job.length === 0)) {
      used += cost(rest[cursor]!);
      job.push(rest[cursor++]!);
    }
    jobs.push(job);
  }
  for (const region of sparse) jobs.push([region]);
  return jobs.flatMap(splitLargeJob);
}

/** Largest mosaic we build: tall mosaics grow the workers' wasm heaps (which never shrink) for no speed gain. */
const MAX_MOSAIC_HEIGHT = 2000;
const MAX_MOSAIC_PIXELS = 1_000_000;

function splitLargeJob(job: LineEntry[]): LineEntry[][] {
  if (job.length <= 1 || job[0]!.sparse) return [job];
  const parts: LineEntry[][] = [];
  let current: LineEntry[] = [];
  let height = 0;
  let pixels = 0;
  for (const line of job) {
    const h = Math.round(line.crop.h * line.factor);
    const slotHeight = h + Math.max(10, Math.round(h * 0.5));
    const area = slotHeight * Math.round(line.crop.w * line.factor);
    if (current.length > 0 && (height + slotHeight > MAX_MOSAIC_HEIGHT || pixels + area > MAX_MOSAIC_PIXELS)) {
      parts.push(current);
      current = [];
      height = 0;
      pixels = 0;
    }
    current.push(line);
    height += slotHeight;
    pixels += area;
  }
  if (current.length) parts.push(current);
  return parts;
}

/** A line crop ready for recognition: dark backgrounds inverted, upscaled. */
function prepareCrop(gray: GrayImage, line: LineEntry): GrayImage {
  const crop = normalizeText(cropGray(gray, line.crop.x, line.crop.y, line.crop.w, line.crop.h));
  return upscaleGray(crop, line.factor);
}

interface Mosaic {
  image: GrayImage;
  /** Where each line sits in the mosaic (top-left of its upscaled crop). */
  slots: Array<{ x: number; y: number; h: number }>;
  slotAt(y: number): number;
}

/** Stacks line crops vertically on white with gaps, so one recognize call reads them all. */
function buildMosaic(gray: GrayImage, lines: LineEntry[]): Mosaic {
  const crops = lines.map((line) => prepareCrop(gray, line));
  const margin = 10;
  const slots: Array<{ x: number; y: number; h: number }> = [];
  let y = margin;
  let width = 0;
  for (const crop of crops) {
    slots.push({ x: margin, y, h: crop.height });
    y += crop.height + Math.max(10, Math.round(crop.height * 0.5));
    width = Math.max(width, crop.width);
  }
  const image: GrayImage = { width: width + 2 * margin, height: y + margin, data: new Uint8Array((width + 2 * margin) * (y + margin)).fill(255) };
  crops.forEach((crop, i) => {
    const slot = slots[i]!;
    for (let row = 0; row < crop.height; row++) {
      image.data.set(crop.data.subarray(row * crop.width, (row + 1) * crop.width), (slot.y + row) * image.width + slot.x);
    }
  });
  return {
    image,
    slots,
    slotAt(cy: number): number {
      let best = -1;
      let bestDistance = Infinity;
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i]!;
        const distance = cy < s.y ? s.y - cy : cy > s.y + s.h ? cy - (s.y + s.h) : 0;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = i;
        }
        if (s.y > cy) break;
      }
      return bestDistance <= 8 ? best : -1;
    },
  };
}

/** Mosaic/crop coordinates → crop-relative original pixels. */
function scaleWord(word: EngineWord, factor: number, slotX: number, slotY: number): LineWord {
  return {
    // A text caret right before or after a word reads as "|" glued to it: drop it.
    text: word.text.length > 1 ? word.text.replace(/^[|]+(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}.,:;!?)])[|]+$/gu, '') : word.text,
    conf: Math.round(word.conf),
    x: (word.x - slotX) / factor,
    y: (word.y - slotY) / factor,
    w: word.w / factor,
    h: word.h / factor,
  };
}

/** Drops recognition noise from icons and frames: symbol-only words unless confident, and anything very unsure. */
function keepWord(word: EngineWord): boolean {
  if (word.conf < 20) return false;
  if (!/[\p{L}\p{N}]/u.test(word.text)) return word.conf >= 70 && word.text.length <= 3;
  return true;
}

/** Words and phrases ("line" elements) in reading order, boxes in original image pixels. */
function buildElements(lines: LineEntry[], scale: number): TextElement[] {
  const placed: Array<{ words: Array<LineWord & { ax: number; ay: number }>; textHeight: number; y: number; x: number; h: number }> = [];
  for (const line of lines) {
    if (!line.words || line.words.length === 0) continue;
    placed.push({
      words: line.words.map((w) => ({ ...w, ax: line.crop.x + w.x, ay: line.crop.y + w.y })).sort((a, b) => a.ax - b.ax),
      textHeight: line.textHeight,
      y: line.crop.y,
      x: line.crop.x,
      h: line.crop.h,
    });
  }
  // Reading order: rows (lines whose text overlaps vertically) top to bottom, left to right within a row.
  placed.sort((a, b) => {
    const ca = a.y + a.h / 2;
    const cb = b.y + b.h / 2;
    return Math.abs(ca - cb) < Math.min(a.h, b.h) / 2 ? a.x - b.x : ca - cb;
  });
  const elements: TextElement[] = [];
  let lineIndex = 0;
  let wordIndex = 0;
  const box = (x: number, y: number, w: number, h: number) => ({ x: Math.round(x * scale), y: Math.round(y * scale), w: Math.round(w * scale), h: Math.round(h * scale) });
  for (const line of placed) {
    // Split into phrases at wide gaps (separate menu items, toolbar labels, cells).
    const phrases: Array<typeof line.words> = [];
    let current: typeof line.words = [];
    for (const word of line.words) {
      const prev = current[current.length - 1];
      if (prev && word.ax - (prev.ax + prev.w) > Math.max(8, line.textHeight * 0.9)) {
        phrases.push(current);
        current = [];
      }
      current.push(word);
    }
    if (current.length) phrases.push(current);
    for (const words of phrases) {
      const lineId = `l${lineIndex++}`;
      const x0 = Math.min(...words.map((w) => w.ax));
      const y0 = Math.min(...words.map((w) => w.ay));
      const x1 = Math.max(...words.map((w) => w.ax + w.w));
      const y1 = Math.max(...words.map((w) => w.ay + w.h));
      elements.push({
        id: lineId,
        kind: 'line',
        text: words.map((w) => w.text).join(' '),
        conf: Math.round(words.reduce((s, w) => s + w.conf, 0) / words.length),
        box: box(x0, y0, x1 - x0, y1 - y0),
      });
      for (const w of words) {
        elements.push({ id: `w${wordIndex++}`, kind: 'word', lineId, text: w.text, conf: w.conf, box: box(w.ax, w.ay, w.w, w.h) });
      }
    }
  }
  return elements;
}

/** Creates a reader backed by a warm pool of tesseract.js workers (2 by default). */
export function createScreenReader(options: ScreenReaderOptions = {}): PipelineScreenReader {
  return new PipelineScreenReader(options);
}
