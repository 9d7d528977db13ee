/**
 * The screen model: what OCR read on one window (a `ScreenText`), arranged for looking things
 * up — words in reading order grouped into lines and segments, normalized once, plus the
 * geometry and region helpers the player, AI grounding and `sidekick locate` share.
 *
 * Regions (the walkthrough format's `target.region`), for a box's centre in a W×H window:
 * - `top`: the upper band where menu bar and toolbars live — the top 15% of the height, at least
 *   the top 90 px (so small windows keep their menu bar);
 * - `bottom`: the lowest 12% (at least 60 px): status bar, sheet tabs, dialog buttons;
 * - `left` / `right`: the outer quarter of the width on that side;
 * - `dialog`: the centre, away from every edge — centre inside the middle 70% horizontally
 *   and between the top and bottom bands. (A dialog captured as its own window is all
 *   "dialog"; a dialog over its main window sits in the centre.)
 * A box can be in several regions at once (`top` and `left` for the File menu).
 */
import type { Box, Region, ScreenText, TextElement } from '../../src-shared/screen';
import { normalizeWord, type NormalizedToken } from './normalize';
import { median } from '../../src-shared/stats';

/** One word OCR read, with its normalized form. */
export interface ScreenWord {
  id: string;
  text: string;
  conf: number;
  box: Box;
  token: NormalizedToken | null;
  /** Index of the line holding it in `ScreenModel.lines`. */
  line: number;
  /** Index within its line, left to right. */
  index: number;
  /** Index of the segment (a run of words without a wide gap) within its line. */
  segment: number;
}

/** One line of text: words left to right on one baseline. */
export interface ScreenLine {
  id: string;
  words: ScreenWord[];
  box: Box;
  /** Height used to judge gaps between words: the tallest word box. */
  height: number;
}

/** A ScreenText arranged for lookups; build it with `screenModel(screen)` (cached per ScreenText). */
export interface ScreenModel {
  screen: ScreenText;
  /** Lines top to bottom, then left to right. */
  lines: ScreenLine[];
  /** Every word in reading order. */
  words: ScreenWord[];
  /** Median word height in pixels (a scale for "near"). */
  textHeight: number;
  /** Per-model memo for derived lookups (e.g. locate results); keyed by the caller. */
  memo: Map<string, unknown>;
}

/** A gap wider than this many line heights splits a line into separate segments (separate controls). */
const SEGMENT_GAP = 0.9;

const MODELS = new WeakMap<ScreenText, ScreenModel>();

/** The union of boxes (the smallest box holding them all). */
export function unionBox(boxes: readonly Box[]): Box {
  if (boxes.length === 0) throw new Error('unionBox needs at least one box');
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** The centre point of a box. */
export function boxCenter(box: Box): { x: number; y: number } {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
}

/** Shortest distance between two boxes' edges (0 when they touch or overlap). */
export function boxDistance(a: Box, b: Box): number {
  const dx = Math.max(0, b.x - (a.x + a.w), a.x - (b.x + b.w));
  const dy = Math.max(0, b.y - (a.y + a.h), a.y - (b.y + b.h));
  return Math.hypot(dx, dy);
}

/**
 * Distance between two boxes for "next to": vertical gaps count double, so a label on the same
 * row (`Name: [field]`) is nearer than one the same number of pixels above or below.
 */
export function readingDistance(a: Box, b: Box): number {
  const dx = Math.max(0, b.x - (a.x + a.w), a.x - (b.x + b.w));
  const dy = Math.max(0, b.y - (a.y + a.h), a.y - (b.y + b.h));
  return Math.hypot(dx, 2 * dy);
}

/** Whether two boxes overlap with positive area. */
export function boxesIntersect(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Whether `inner`'s centre lies inside `outer`. */
export function boxContainsCenter(outer: Box, inner: Box): boolean {
  const c = boxCenter(inner);
  return c.x >= outer.x && c.x <= outer.x + outer.w && c.y >= outer.y && c.y <= outer.y + outer.h;
}

/** The area of one region in a window of the given size (see the module comment for the definitions). */
export function regionBounds(region: Region, image: { width: number; height: number }): Box {
  const { width: w, height: h } = image;
  const topBand = Math.min(h, Math.max(0.15 * h, Math.min(90, h / 2)));
  const bottomBand = Math.min(h, Math.max(0.12 * h, Math.min(60, h / 3)));
  switch (region) {
    case 'top':
      return { x: 0, y: 0, w, h: topBand };
    case 'bottom':
      return { x: 0, y: h - bottomBand, w, h: bottomBand };
    case 'left':
      return { x: 0, y: 0, w: w * 0.25, h };
    case 'right':
      return { x: w * 0.75, y: 0, w: w * 0.25, h };
    case 'dialog':
      return { x: w * 0.15, y: topBand, w: w * 0.7, h: Math.max(0, h - topBand - bottomBand) };
  }
}

/** Every region a box's centre falls in. */
export function regionsOf(box: Box, image: { width: number; height: number }): Region[] {
  const all: Region[] = ['top', 'bottom', 'left', 'right', 'dialog'];
  return all.filter((region) => isInRegion(box, region, image));
}

/** Whether a box's centre falls in a region of the window. */
export function isInRegion(box: Box, region: Region, image: { width: number; height: number }): boolean {
  return boxContainsCenter(regionBounds(region, image), box);
}

/** Groups words into rows: those whose vertical centres are within `factor` word heights. */
function groupByGeometry(words: TextElement[], factor = 0.5): TextElement[][] {
  const sorted = [...words].sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2));
  const groups: { cy: number; h: number; items: TextElement[] }[] = [];
  for (const word of sorted) {
    const cy = word.box.y + word.box.h / 2;
    const group = groups.find((g) => Math.abs(g.cy - cy) <= Math.max(g.h, word.box.h) * factor);
    if (group) {
      group.items.push(word);
      group.cy = (group.cy * (group.items.length - 1) + cy) / group.items.length;
      group.h = Math.max(group.h, word.box.h);
    } else {
      groups.push({ cy, h: word.box.h, items: [word] });
    }
  }
  return groups.map((g) => g.items);
}

/** Splits a line element's text into pseudo-words with boxes proportional to character counts. */
function splitLineIntoWords(line: TextElement): TextElement[] {
  const parts = line.text.split(/(\s+)/);
  const total = line.text.length || 1;
  const out: TextElement[] = [];
  let offset = 0;
  parts.forEach((part, k) => {
    if (part && !/^\s+$/.test(part)) {
      out.push({
        id: `${line.id}.${k}`,
        text: part,
        conf: line.conf,
        kind: 'word',
        lineId: line.id,
        box: {
          x: line.box.x + (line.box.w * offset) / total,
          y: line.box.y,
          w: (line.box.w * part.length) / total,
          h: line.box.h,
        },
      });
    }
    offset += part.length;
  });
  return out;
}

/**
 * Splits a run of words (one OCR line) at vertical jumps: OCR engines sometimes join text of
 * different rows into one line; words whose centres differ by more than a line height start a new line.
 */
function splitAtRowChanges(words: TextElement[]): TextElement[][] {
  const top = Math.min(...words.map((w) => w.box.y));
  const bottom = Math.max(...words.map((w) => w.box.y + w.box.h));
  const tallest = Math.max(...words.map((w) => w.box.h));
  if (bottom - top <= 1.6 * tallest) return [words];
  const rows = groupByGeometry(words, 0.9);
  return rows.length <= 1 ? [words] : rows;
}

/**
 * Joins OCR lines that continue each other on the same row (sparse-text OCR can cut one phrase,
 * `Save` | `As...`, into two lines): same vertical centre within half a height, and a horizontal
 * gap no wider than the gap that separates controls.
 */
function mergeAdjacentLines(groups: { id: string; items: TextElement[] }[], textHeight: number): void {
  const extent = (items: TextElement[]) => {
    const box = unionBox(items.map((i) => i.box));
    return { ...box, cy: box.y + box.h / 2, tallest: Math.max(...items.map((i) => i.box.h)) };
  };
  const entries = groups.map((group) => ({ group, e: extent(group.items), alive: true })).sort((a, b) => a.e.x - b.e.x);
  const widestGap = SEGMENT_GAP * Math.max(textHeight * 0.8, ...entries.map((x) => x.e.tallest));
  for (let i = 0; i < entries.length; i++) {
    const a = entries[i]!;
    if (!a.alive) continue;
    for (let j = i + 1; j < entries.length; j++) {
      const b = entries[j]!;
      // Sorted by left edge: once a line starts beyond any allowed gap, so do all after it.
      if (b.e.x - (a.e.x + a.e.w) > widestGap) break;
      if (!b.alive) continue;
      const height = Math.max(a.e.tallest, b.e.tallest, textHeight * 0.8);
      if (Math.abs(a.e.cy - b.e.cy) > 0.5 * Math.max(a.e.tallest, b.e.tallest)) continue;
      const gap = b.e.x - (a.e.x + a.e.w);
      if (gap < -0.5 * height || gap > SEGMENT_GAP * height) continue;
      a.group.items.push(...b.group.items);
      a.e = extent(a.group.items);
      b.alive = false;
    }
  }
  groups.splice(0, groups.length, ...entries.filter((x) => x.alive).map((x) => x.group));
}

function buildModel(screen: ScreenText): ScreenModel {
  const words = screen.elements.filter((e) => e.kind === 'word' && e.text.trim() !== '');
  const lineElements = screen.elements.filter((e) => e.kind === 'line');
  const byLine = new Map<string, TextElement[]>();
  const loose: TextElement[] = [];
  for (const word of words) {
    if (word.lineId !== undefined) {
      const list = byLine.get(word.lineId) ?? [];
      list.push(word);
      byLine.set(word.lineId, list);
    } else {
      loose.push(word);
    }
  }
  // Line elements nobody points to carry text that exists nowhere else: split them into words.
  for (const line of lineElements) {
    if (!byLine.has(line.id) && line.text.trim() !== '') byLine.set(line.id, splitLineIntoWords(line));
  }
  const groups: { id: string; items: TextElement[] }[] = [];
  for (const [id, items] of byLine) {
    splitAtRowChanges(items).forEach((row, k) => groups.push({ id: k === 0 ? id : `${id}#${k}`, items: row }));
  }
  groupByGeometry(loose).forEach((items, k) => groups.push({ id: `geom${k}`, items }));

  const heights = words.map((w) => w.box.h).filter((h) => h > 0);
  const textHeight = median(heights) || 12;
  mergeAdjacentLines(groups, textHeight);
  const lines: ScreenLine[] = groups
    .map((g) => {
      const items = [...g.items].sort((a, b) => a.box.x - b.box.x);
      return {
        id: g.id,
        items,
        box: unionBox(items.map((i) => i.box)),
        height: Math.max(...items.map((i) => i.box.h)),
      };
    })
    .sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2) || a.box.x - b.box.x)
    .map((g, lineIndex) => {
      const lineWords: ScreenWord[] = [];
      let segment = 0;
      g.items.forEach((item, index) => {
        const previous = g.items[index - 1];
        if (
          previous &&
          item.box.x - (previous.box.x + previous.box.w) > SEGMENT_GAP * Math.max(g.height, textHeight * 0.8)
        )
          segment++;
        lineWords.push({
          id: item.id,
          text: item.text,
          conf: item.conf,
          box: item.box,
          token: normalizeWord(item.text),
          line: lineIndex,
          index,
          segment,
        });
      });
      return { id: g.id, words: lineWords, box: g.box, height: g.height };
    });
  return { screen, lines, words: lines.flatMap((l) => l.words), textHeight, memo: new Map() };
}

/** The screen model for a ScreenText, built once and cached for as long as the ScreenText lives. */
export function screenModel(screen: ScreenText): ScreenModel {
  let model = MODELS.get(screen);
  if (!model) {
    model = buildModel(screen);
    MODELS.set(screen, model);
  }
  return model;
}

/** The lines of text on screen, each as its text and box, top to bottom. */
export function screenLines(screen: ScreenText): { text: string; box: Box }[] {
  return screenModel(screen).lines.map((l) => ({ text: l.words.map((w) => w.text).join(' '), box: l.box }));
}

/** The words whose centres lie inside an area (e.g. a dialog's box), in reading order. */
export function wordsInside(screen: ScreenText, area: Box): ScreenWord[] {
  return screenModel(screen).words.filter((w) => boxContainsCenter(area, w.box));
}

/** The words whose centres lie in a region of the window, in reading order. */
export function wordsInRegion(screen: ScreenText, region: Region): ScreenWord[] {
  return wordsInside(screen, regionBounds(region, screen.image));
}
