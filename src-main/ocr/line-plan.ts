/**
 * Planning a read: which text lines of a (changed) band to recognize, each with its crop, pixel key
 * (for the line cache), upscale factor and priority, and how to deal them into worker jobs so the
 * most useful lines (top of window, short labels) come back first.
 */
import type { Box } from '../../src-shared/screen';
import type { GrayImage } from './image';
import { detectTextLines, type TextLineBox } from './lines';

/** A word relative to the origin of the crop it was read from (original image pixels). */
export interface LineWord {
  text: string;
  conf: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A planned or finished line: where its crop is and what it says. */
export interface LineEntry {
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

/** Lines (and fallback regions) of one band, with crop boxes, pixel keys, factors and priorities. */
export function planLines(
  gray: GrayImage,
  band: Box,
  textHeight: number | undefined,
  counters: { icons: number; textHeight: number | undefined },
): LineEntry[] {
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
export function planFallbackPage(gray: GrayImage): LineEntry[] {
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
  const factor = sparse ? (line.h < 150 ? 2 : 1) : textFactor(line.h);
  return { crop, textHeight: line.h, key: pixelKey(gray, crop), words: null, priority, factor, sparse };
}

/**
 * Upscale for a text line of height `h` (ascender to descender). Measured on the unseen dev half:
 * steps (3x below 10 px, 2x below 26 px) beat a continuous factor towards 28 or 34 px.
 */
export function textFactor(h: number): number {
  return h < 10 ? 3 : h < 26 ? 2 : 1;
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
export function planJobs(lines: LineEntry[], workers: number): LineEntry[][] {
  const sparse = lines.filter((l) => l.sparse);
  const dense = lines
    .filter((l) => !l.sparse)
    .sort((a, b) => a.priority - b.priority || a.crop.y - b.crop.y || a.crop.x - b.crop.x);
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
