/**
 * Text-line detection on a grayscale screenshot, so that only text is sent to recognition.
 *
 * Edges (strong local contrast, either polarity, so dark themes work the same) → long straight
 * runs removed (borders, grid lines, separators) → short horizontal gaps closed (letters into
 * words) → connected components over row runs → components merged into lines by size and
 * distance. Components too tall for text are returned as `regions` for a sparse-text fallback.
 */
import type { Box } from '../../src-shared/screen';
import { unionBox } from '../screen/model';
import type { GrayImage } from './image';

/** A detected line of text (box in the input's pixels, tight around the ink). */
export interface TextLineBox extends Box {
  /** Edge pixels inside: a rough ink measure. */
  ink: number;
}

/** Detector output. */
export interface DetectedLayout {
  lines: TextLineBox[];
  /** Areas with structure too large for one line (big text, text touching frames): read with PSM 11. */
  regions: Box[];
  /** Squarish blobs much taller than the text around them: toolbar icons, not recognized. */
  icons: Box[];
  /**
   * Typical text height (of clearly text-shaped lines), for later reads of parts of the image; undefined
   * when the image shows too little text to tell.
   */
  textHeight: number | undefined;
}

/** Tuning of the detector. */
export interface LineDetectorOptions {
  /** Minimum gray-level step counted as an edge. */
  edgeThreshold?: number;
  /** Tallest line we treat as text; taller structures go to `regions`. */
  maxLineHeight?: number;
  /** Horizontal edge runs longer than this are frames/grid lines, not glyph strokes. */
  maxHorizontalRun?: number;
  /** Vertical edge runs longer than this are frames/grid lines, not glyph strokes. */
  maxVerticalRun?: number;
  /** Horizontal gaps closed before labeling (letter and word spacing). */
  closeGap?: number;
  /** Typical text height, when known from a previous read of the whole image. */
  textHeight?: number;
}

const DEFAULTS = { edgeThreshold: 40, maxLineHeight: 72, maxHorizontalRun: 32, maxVerticalRun: 48, closeGap: 5 };

/** Finds text lines in a grayscale image (or in the `area` of it). */
export function detectTextLines(image: GrayImage, area?: Box, options: LineDetectorOptions = {}): DetectedLayout {
  const opt = { ...DEFAULTS, ...options };
  const ax = Math.max(0, Math.floor(area?.x ?? 0));
  const ay = Math.max(0, Math.floor(area?.y ?? 0));
  const aw = Math.min(image.width - ax, Math.ceil(area?.w ?? image.width));
  const ah = Math.min(image.height - ay, Math.ceil(area?.h ?? image.height));
  if (aw < 3 || ah < 3) return { lines: [], regions: [], icons: [], textHeight: options.textHeight };
  const found = partsIn(image, ax, ay, aw, ah, opt.edgeThreshold, opt);
  const firstLook = dropSeparators(mergeIntoLines(found.lines));
  const measured = options.textHeight ?? typicalTextHeight(firstLook);
  const lines = measured ? joinSlices(found.lines, measured) : found.lines;
  const regions = found.regions;
  const sharp = lines === found.lines ? firstLook : dropSeparators(mergeIntoLines(lines));
  const firstMerge = measured ? withFaintText(image, sharp, measured, opt) : sharp;
  // Icons and pill-button ends are told from text by their height, so only when the text height is
  // known: a 2x keypad's digits ("7 8 9") are otherwise taller than an assumed 12 px.
  // (A whole line is not dropped for being tall and squarish: a list's column header read together
  // with its cell border, like "|Nick", is that shape too.)
  const { merged, icons } = measured ? splitIconParts(firstMerge, lines, measured) : { merged: firstMerge, icons: [] };
  const ends = measured ? buttonEnds(merged, measured) : new Set<TextLineBox>();
  return {
    lines: merged.filter((l) => !ends.has(l)),
    regions: mergeBoxes(regions),
    icons: [...icons, ...ends],
    textHeight: measured,
  };
}

/**
 * Joins the upper and lower slices of one line of text. A frame's title sits on the frame's top
 * line, which runs through the middle of the title's letters ("Inset", "Ridge" on a GTK frame), and
 * tightly spaced letters (Tk's default font) make one long edge run along the word: either is cleared
 * as a straight line, cutting the word into slices lower than text, stacked with a row or two between
 * them and covering the same columns.
 */
function joinSlices(parts: TextLineBox[], textHeight: number): TextLineBox[] {
  const low = parts.filter((l) => l.h < 0.7 * textHeight).sort((a, b) => a.x - b.x);
  const parent = low.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  let pairs = 0;
  for (let i = 0; i < low.length; i++) {
    const a = low[i]!;
    for (let j = i + 1; j < low.length && low[j]!.x < a.x + a.w; j++) {
      const b = low[j]!;
      const gapY = Math.max(a.y - (b.y + b.h), b.y - (a.y + a.h));
      const overlapX = Math.min(a.x + a.w, b.x + b.w) - b.x;
      // A flat slice (a mnemonic underline under one letter) joins only when it spans the word.
      const flat = a.h <= 2 || b.h <= 2;
      const need = 0.7 * (flat ? Math.max(a.w, b.w) : Math.min(a.w, b.w));
      if (gapY < 0 || gapY > 2 || overlapX < need) continue;
      parent[root(j)] = root(i);
      pairs++;
    }
  }
  if (!pairs) return parts;
  const groups = new Map<number, TextLineBox[]>();
  low.forEach((part, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), part]));
  const replaced = new Set<TextLineBox>();
  const joined: TextLineBox[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const whole = group.reduce(union);
    // Together the slices must make a line of text: no taller, and no lower, than text is.
    if (whole.h < 0.7 * textHeight || whole.h > 1.3 * textHeight) continue;
    for (const part of group) replaced.add(part);
    joined.push(whole);
  }
  return joined.length ? [...parts.filter((p) => !replaced.has(p)), ...joined] : parts;
}

/** Line parts (closed-up words and blobs) and too-tall regions in an area, boxes in image pixels. */
function partsIn(
  image: GrayImage,
  ax: number,
  ay: number,
  aw: number,
  ah: number,
  threshold: number,
  opt: typeof DEFAULTS,
): { lines: TextLineBox[]; regions: Box[] } {
  const mask = edgeMask(image, ax, ay, aw, ah, threshold);
  removeStraightRuns(mask, aw, ah, opt.maxHorizontalRun, opt.maxVerticalRun);
  const lines: TextLineBox[] = [];
  const regions: Box[] = [];
  for (const c of labelComponents(mask, aw, ah, opt.closeGap)) {
    const w = c.x1 - c.x0 + 1;
    const h = c.y1 - c.y0 + 1;
    if (h > opt.maxLineHeight) {
      if (w >= 16 && h <= 600) regions.push({ x: c.x0 + ax, y: c.y0 + ay, w, h });
      continue;
    }
    if (h < 3 && w < 3) continue;
    lines.push({ x: c.x0 + ax, y: c.y0 + ay, w, h, ink: c.count });
  }
  return { lines, regions };
}

/** Edge threshold of the second look at faint text (the first look uses 40). */
const FAINT_THRESHOLD = 20;

/**
 * A second look at faint text (greyed-out labels of disabled controls: about 50 gray levels on their
 * background, strokes antialiased to less). At the normal edge threshold such a label falls apart into
 * small fragments lower than the text ("Start with this size:" came back as "otal", "wi", "this").
 * Rows of two or more such fragments are looked at again with a lower threshold; a text-high, wide
 * line found there that covers the fragments, and no sharp line, replaces them. Only these small areas
 * are looked at twice, so gradients and icon shading elsewhere never become text.
 */
function withFaintText(
  image: GrayImage,
  lines: TextLineBox[],
  textHeight: number,
  opt: typeof DEFAULTS,
): TextLineBox[] {
  // Fragments: bits lower than text, or a line with so few edge pixels for its box that it is faint
  // (sharp text has an edge pixel in over 30% of its box; a greyed-out word whose slices were joined
  // has under 20%).
  const isFragment = (l: TextLineBox) =>
    (l.h < 0.8 * textHeight && l.w < 3 * textHeight) || (l.h <= 1.3 * textHeight && l.ink < 0.25 * l.w * l.h);
  const fragments = lines.filter(isFragment).sort((a, b) => a.x - b.x);
  const used = new Set<TextLineBox>();
  const replaced = new Set<TextLineBox>();
  const found: TextLineBox[] = [];
  for (const seed of fragments) {
    if (used.has(seed)) continue;
    const row = [seed];
    used.add(seed);
    let right = seed.x + seed.w;
    const centre = seed.y + seed.h / 2;
    for (const f of fragments) {
      if (used.has(f) || f.x < right || f.x - right > 1.5 * textHeight) continue;
      if (Math.abs(f.y + f.h / 2 - centre) > textHeight / 2) continue;
      row.push(f);
      used.add(f);
      right = f.x + f.w;
    }
    if (row.length < 2) continue;
    const box = unionBox(row);
    const x = Math.max(0, Math.round(box.x - textHeight));
    const y = Math.max(0, Math.round(box.y + box.h / 2 - textHeight));
    // Faint text may go on past its last fragment: look further right, up to the next sharp line of the row.
    const next = lines
      .filter((l) => !isFragment(l) && l.x >= box.x + box.w && l.y < y + 2 * textHeight && y < l.y + l.h)
      .reduce((min, l) => Math.min(min, l.x - 2), box.x + box.w + 10 * textHeight);
    const w = Math.min(image.width, Math.round(next)) - x;
    const h = Math.min(image.height, y + Math.round(2 * textHeight)) - y;
    if (w < 3 || h < 3) continue;
    const candidates = mergeIntoLines(partsIn(image, x, y, w, h, FAINT_THRESHOLD, opt).lines);
    const onSharp = (c: Box) =>
      lines.some((l) => !isFragment(l) && l.x < c.x + c.w && c.x < l.x + l.w && l.y < c.y + c.h && c.y < l.y + l.h);
    const accepted = candidates.filter(
      (c) =>
        c.h >= 0.6 * textHeight &&
        c.h <= 1.4 * textHeight &&
        c.w >= 2 * c.h &&
        row.filter((f) => f.x >= c.x - 1 && f.x + f.w <= c.x + c.w + 1).length >= 2 &&
        !onSharp(c),
    );
    if (!accepted.length) continue;
    // Letters without ascenders at the end ("ze:") are lower than a line: kept when on the same row.
    const beside = candidates.filter(
      (c) =>
        !accepted.includes(c) &&
        !onSharp(c) &&
        accepted.some((a) => c.y >= a.y - 2 && c.y + c.h <= a.y + a.h + 2 && c.x - (a.x + a.w) <= textHeight),
    );
    for (const c of [...accepted, ...beside]) {
      found.push(c);
      for (const l of row) if (l.x >= c.x - 1 && l.x + l.w <= c.x + c.w + 1) replaced.add(l);
    }
  }
  if (!found.length) return lines;
  return dropSeparators(mergeIntoLines([...lines.filter((l) => !replaced.has(l)), ...found]));
}

/**
 * Takes toolbar icons out of lines before recognition. In a line taller than the text, a part (a
 * closed-up word or blob) at least 1.5 times the text height and about as wide as tall is an icon,
 * unless the line also holds such a tall part that is wide (then it is big text, a heading word beside
 * a short one). Icon parts, and the parts within their columns, are dropped; what is left (a label
 * glued to its icon, like "Keypad" between an arrow and a lock) is merged into lines again. Read as
 * text, icons cost a quarter of a toolbar window's recognition and came back as "ib i?" or "OhOoOrfin".
 */
function splitIconParts(
  lines: TextLineBox[],
  parts: TextLineBox[],
  textHeight: number,
): { merged: TextLineBox[]; icons: TextLineBox[] } {
  const tall = 1.5 * textHeight;
  const candidates = lines.filter((l) => l.h >= tall);
  if (!candidates.length) return { merged: lines, icons: [] };
  const dropped = new Set<TextLineBox>();
  const icons: TextLineBox[] = [];
  const rebuilt: TextLineBox[] = [];
  for (const line of candidates) {
    const inside = parts.filter(
      (p) => p.x >= line.x && p.y >= line.y && p.x + p.w <= line.x + line.w && p.y + p.h <= line.y + line.h,
    );
    const big = inside.filter((p) => p.h >= tall);
    const square = big.filter((p) => p.w <= 1.6 * p.h);
    if (!square.length || square.length < big.length) continue;
    const inColumn = (p: TextLineBox) => square.some((i) => p.x < i.x + i.w && i.x < p.x + p.w);
    const rest = inside.filter((p) => !inColumn(p));
    dropped.add(line);
    icons.push(...square);
    if (rest.length) rebuilt.push(...mergeIntoLines(rest));
  }
  if (!dropped.size) return { merged: lines, icons: [] };
  const merged = [...lines.filter((l) => !dropped.has(l)), ...dropSeparators(rebuilt)];
  return { merged: merged.sort((a, b) => a.y - b.y || a.x - b.x), icons };
}

/**
 * The rounded ends of pill-shaped buttons (Xt/Athena, some web UIs): narrow arcs taller than the text,
 * in pairs of equal height on one row with a text line between them. Read alone they come back as
 * "C" and ">|"; they are dropped.
 */
function buttonEnds(lines: TextLineBox[], textHeight: number): Set<TextLineBox> {
  const arcs = lines.filter((l) => l.w <= 0.75 * l.h && l.h >= 1.3 * textHeight && l.h <= 3 * textHeight);
  const out = new Set<TextLineBox>();
  for (const left of arcs) {
    for (const right of arcs) {
      if (right.x <= left.x + left.w || Math.abs(right.y - left.y) > 2 || Math.abs(right.h - left.h) > 2) continue;
      const inside = lines.some(
        (t) =>
          t !== left &&
          t !== right &&
          t.x >= left.x + left.w &&
          t.x + t.w <= right.x &&
          t.y >= left.y - 1 &&
          t.y + t.h <= left.y + left.h + 1,
      );
      if (inside) {
        out.add(left);
        out.add(right);
      }
    }
  }
  return out;
}

/**
 * The height most text-shaped lines (at least 2.5 times as wide as tall) share, weighted by width
 * times squared ink density (text is denser than frames and icon groups); undefined when unsure.
 */
function typicalTextHeight(lines: TextLineBox[]): number | undefined {
  const widthByHeight = new Float64Array(DEFAULTS.maxLineHeight + 2);
  let count = 0;
  for (const l of lines) {
    if (l.w < 2.5 * l.h || l.h < 6 || l.h > DEFAULTS.maxLineHeight) continue;
    const density = l.ink / (l.w * l.h);
    widthByHeight[l.h] = widthByHeight[l.h]! + l.w * density * density;
    count++;
  }
  if (count < 3) return undefined;
  let best = 12;
  let bestWeight = 0;
  for (let h = 6; h <= DEFAULTS.maxLineHeight; h++) {
    const weight = widthByHeight[h - 1]! + widthByHeight[h]! + widthByHeight[h + 1]!;
    if (weight > bestWeight) {
      bestWeight = weight;
      best = h;
    }
  }
  return best;
}

/** 1 where the pixel differs from its right or lower neighbour by at least `threshold`. */
function edgeMask(image: GrayImage, ax: number, ay: number, aw: number, ah: number, threshold: number): Uint8Array {
  const { width, data } = image;
  const mask = new Uint8Array(aw * ah);
  const lastRowInImage = image.height - 1;
  for (let y = 0; y < ah; y++) {
    const row = (ay + y) * width + ax;
    const below = ay + y < lastRowInImage ? row + width : row;
    const out = y * aw;
    const lastX = ax + aw < width ? aw : aw - 1;
    for (let x = 0; x < aw; x++) {
      const v = data[row + x]!;
      const right = x < lastX ? data[row + x + 1]! : v;
      const down = data[below + x]!;
      const dx = v > right ? v - right : right - v;
      const dy = v > down ? v - down : down - v;
      if (dx >= threshold || dy >= threshold) {
        mask[out + x] = 1;
        // Mark both sides of a step so thin strokes stay connected.
        if (dx >= threshold && x + 1 < aw) mask[out + x + 1] = 1;
      }
    }
  }
  return mask;
}

/**
 * Clears horizontal runs longer than `maxHorizontal` and vertical runs longer than `maxVertical` (frames, grid lines).
 */
function removeStraightRuns(mask: Uint8Array, w: number, h: number, maxHorizontal: number, maxVertical: number): void {
  const original = mask.slice();
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let start = -1;
    for (let x = 0; x <= w; x++) {
      const on = x < w && original[row + x] === 1;
      if (on) {
        if (start < 0) start = x;
      } else if (start >= 0) {
        if (x - start > maxHorizontal) mask.fill(0, row + start, row + x);
        start = -1;
      }
    }
  }
  // Vertical runs, scanned row by row (cache friendly) with one open-run start per column.
  const columnStart = new Int32Array(w).fill(-1);
  for (let y = 0; y <= h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const on = y < h && original[row + x] === 1;
      const start = columnStart[x]!;
      if (on) {
        if (start < 0) columnStart[x] = y;
      } else if (start >= 0) {
        if (y - start > maxVertical) for (let yy = start; yy < y; yy++) mask[yy * w + x] = 0;
        columnStart[x] = -1;
      }
    }
  }
}

interface Component {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  count: number;
}

/** Connected components of row runs (gaps up to `gap` closed), 8-connected between rows. */
function labelComponents(mask: Uint8Array, w: number, h: number, gap: number): Component[] {
  const parent: number[] = [];
  const runX0: number[] = [];
  const runX1: number[] = [];
  const runY: number[] = [];
  const runCount: number[] = [];
  const find = (i: number): number => {
    while (parent[i]! !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  let prevStart = 0;
  let prevEnd = 0;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const rowStart = runX0.length;
    let x = 0;
    while (x < w) {
      if (mask[row + x] !== 1) {
        x++;
        continue;
      }
      const start = x;
      let end = x;
      let count = 0;
      let lastOn = x;
      while (x < w && x - lastOn <= gap + 1) {
        if (mask[row + x] === 1) {
          lastOn = x;
          end = x;
          count++;
        }
        x++;
      }
      const id = runX0.length;
      parent.push(id);
      runX0.push(start);
      runX1.push(end);
      runY.push(y);
      runCount.push(count);
      x = end + 1;
    }
    // Union with overlapping runs of the previous row (8-connectivity: allow a 1 px diagonal).
    let p = prevStart;
    for (let r = rowStart; r < runX0.length; r++) {
      while (p < prevEnd && runX1[p]! + 1 < runX0[r]!) p++;
      for (let q = p; q < prevEnd && runX0[q]! <= runX1[r]! + 1; q++) {
        const a = find(r);
        const b = find(q);
        if (a !== b) parent[a] = b;
      }
    }
    prevStart = rowStart;
    prevEnd = runX0.length;
  }
  const byRoot = new Map<number, Component>();
  for (let i = 0; i < runX0.length; i++) {
    const root = find(i);
    const c = byRoot.get(root);
    if (c) {
      if (runX0[i]! < c.x0) c.x0 = runX0[i]!;
      if (runX1[i]! > c.x1) c.x1 = runX1[i]!;
      if (runY[i]! < c.y0) c.y0 = runY[i]!;
      if (runY[i]! > c.y1) c.y1 = runY[i]!;
      c.count += runCount[i]!;
    } else {
      byRoot.set(root, { x0: runX0[i]!, x1: runX1[i]!, y0: runY[i]!, y1: runY[i]!, count: runCount[i]! });
    }
  }
  return [...byRoot.values()];
}

/** Merges word/glyph components into lines: same row, similar size, small gaps; i-dots and accents join their word. */
function mergeIntoLines(parts: TextLineBox[]): TextLineBox[] {
  let boxes = parts.slice().sort((a, b) => a.x - b.x);
  for (let pass = 0; pass < 4; pass++) {
    const merged: TextLineBox[] = [];
    const used = new Uint8Array(boxes.length);
    let changed = false;
    for (let i = 0; i < boxes.length; i++) {
      if (used[i]) continue;
      let cur = { ...boxes[i]! };
      for (let j = i + 1; j < boxes.length; j++) {
        if (used[j]) continue;
        const other = boxes[j]!;
        if (other.x > cur.x + cur.w + Math.max(cur.h, other.h) * 1.2 + 2) break;
        // Neither rule of shouldMerge joins boxes more than 0.3 × maxLineHeight apart vertically.
        if (other.y > cur.y + cur.h + MAX_MERGE_GAP_Y || cur.y > other.y + other.h + MAX_MERGE_GAP_Y) continue;
        if (shouldMerge(cur, other)) {
          cur = union(cur, other);
          used[j] = 1;
          changed = true;
        }
      }
      merged.push(cur);
    }
    boxes = merged.sort((a, b) => a.x - b.x);
    if (!changed) break;
  }
  return boxes.filter((b) => b.h >= 5 && b.w >= 3 && b.h <= 96).sort((a, b) => a.y - b.y || a.x - b.x);
}

/** Drops thin vertical bars taller than the typical text (separators, cell borders): a lone "I" or "l" is shorter. */
function dropSeparators(lines: TextLineBox[]): TextLineBox[] {
  const heights = lines
    .filter((l) => l.w > 4)
    .map((l) => l.h)
    .sort((a, b) => a - b);
  const median = heights.length ? heights[heights.length >> 1]! : 12;
  // Thin bars taller than text, and thin marks with too little ink for a glyph (grid-line crossings;
  // a lone "I" or "1" has edges down both sides, about 3 edge pixels per row; a thin italic "i" with
  // its dot, as on a calculator key, has about 2.9).
  return lines.filter((l) => !(l.w <= 3 && l.h > 1.2 * median) && !(l.w <= 6 && l.ink < 2.5 * l.h));
}

const MAX_MERGE_GAP_Y = Math.ceil(0.3 * DEFAULTS.maxLineHeight);

function shouldMerge(a: TextLineBox, b: TextLineBox): boolean {
  const merged = { h: Math.max(a.y + a.h, b.y + b.h) - Math.min(a.y, b.y) };
  if (merged.h > DEFAULTS.maxLineHeight) return false;
  const overlapY = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  const gapX = Math.max(a.x, b.x) - Math.min(a.x + a.w, b.x + b.w);
  const minH = Math.min(a.h, b.h);
  const maxH = Math.max(a.h, b.h);
  // Same text row: strong vertical overlap, similar height, a gap no wider than about one character.
  if (
    overlapY >= 0.6 * minH &&
    merged.h <= 1.3 * maxH &&
    gapX <= Math.max(4, 0.8 * minH) &&
    (minH >= 0.4 * maxH || gapX <= 2)
  )
    return true;
  // A small mark (i-dot, accent, comma) just above or below a glyph group it overlaps horizontally.
  const small = a.h < b.h ? a : b;
  const big = a.h < b.h ? b : a;
  if (small.h <= 0.45 * big.h && small.w <= Math.max(4, 0.4 * big.h) && gapX < 0) {
    const gapY = Math.max(small.y - (big.y + big.h), big.y - (small.y + small.h));
    // An 11 px italic "i" draws its dot 3 px above a 7 px stem.
    return gapY <= Math.max(3, 0.3 * big.h) && merged.h <= 1.5 * big.h;
  }
  return false;
}

function union(a: TextLineBox, b: TextLineBox): TextLineBox {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y, ink: a.ink + b.ink };
}

/** Merges overlapping boxes. */
function mergeBoxes(boxes: Box[]): Box[] {
  const out: Box[] = [];
  for (const box of boxes.sort((a, b) => a.y - b.y)) {
    const hit = out.find((o) => o.x < box.x + box.w && box.x < o.x + o.w && o.y < box.y + box.h && box.y < o.y + o.h);
    if (hit) Object.assign(hit, unionBox([hit, box]));
    else out.push({ ...box });
  }
  return out;
}
