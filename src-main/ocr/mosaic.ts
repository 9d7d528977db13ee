/**
 * Recognizing many short lines at once: line crops (dark backgrounds inverted, upscaled) stacked into
 * one mosaic per job, engine words mapped back to crop-relative pixels, then assembled into words and
 * phrases in reading order (ScreenText elements).
 */
import type { TextElement } from '../../src-shared/screen';
import type { EngineWord } from './engine';
import type { GrayImage } from './image';
import type { LineEntry, LineWord } from './line-plan';
import { clearStraightRuns, cropGray, normalizeText, upscaleGray } from './raster';

/** A line crop ready for recognition: dark backgrounds inverted, upscaled. */
export function prepareCrop(gray: GrayImage, line: LineEntry): GrayImage {
  const crop = normalizeText(cropGray(gray, line.crop.x, line.crop.y, line.crop.w, line.crop.h));
  // Frames and underlines out (not for sparse regions, whose tall structures may be big text).
  if (!line.sparse)
    clearStraightRuns(crop, Math.max(24, Math.round(line.textHeight * 2.5)), Math.round(line.textHeight * 1.2) + 1);
  return upscaleGray(crop, line.factor);
}

/** Line crops stacked on white, and which slot (line) each band of rows belongs to. */
export interface Mosaic {
  image: GrayImage;
  /** Where each line sits in the mosaic (top-left of its upscaled crop). */
  slots: Array<{ x: number; y: number; h: number }>;
  slotAt(y: number): number;
}

/** Stacks line crops vertically on white with gaps, so one recognize call reads them all. */
export function buildMosaic(gray: GrayImage, lines: LineEntry[]): Mosaic {
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
  const image: GrayImage = {
    width: width + 2 * margin,
    height: y + margin,
    data: new Uint8Array((width + 2 * margin) * (y + margin)).fill(255),
  };
  crops.forEach((crop, i) => {
    const slot = slots[i]!;
    for (let row = 0; row < crop.height; row++) {
      image.data.set(
        crop.data.subarray(row * crop.width, (row + 1) * crop.width),
        (slot.y + row) * image.width + slot.x,
      );
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
export function scaleWord(word: EngineWord, factor: number, slotX: number, slotY: number): LineWord {
  return {
    // A text caret right before or after a word reads as "|" glued to it: drop it.
    text:
      word.text.length > 1 ? word.text.replace(/^[|]+(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}.,:;!?)])[|]+$/gu, '') : word.text,
    conf: Math.round(word.conf),
    x: (word.x - slotX) / factor,
    y: (word.y - slotY) / factor,
    w: word.w / factor,
    h: word.h / factor,
  };
}

/**
 * Letters whose capital and small forms have the same shape (c, o, s, v, w, x, z) often come back
 * doubled in both cases. A lone one ("Cc" for a spreadsheet's column C, "Zz" or "xX" for a calculator
 * key) is one letter, a capital when it stands as tall as capitals do (at least 0.8 of the window's
 * text height, ascender to descender), else small. At the start of a word ("Ccimi" for "Cimi") the
 * small double goes; not for "o", which English words begin with ("Oops").
 */
export function undoubleCaseAlike(words: LineWord[], pageTextHeight: number | undefined): LineWord[] {
  if (words.length === 1 && pageTextHeight !== undefined) {
    const word = words[0]!;
    const m = /^([cosvwxz])([cosvwxz])$/i.exec(word.text);
    if (m && m[1]!.toLowerCase() === m[2]!.toLowerCase() && m[1] !== m[2]) {
      const letter = word.h >= 0.8 * pageTextHeight ? m[1]!.toUpperCase() : m[1]!.toLowerCase();
      return [{ ...word, text: letter }];
    }
  }
  return words.map((word) => {
    const m = /^([CSVWXZ])([csvwxz])(\p{Ll}+)$/u.exec(word.text);
    return m && m[1]!.toLowerCase() === m[2] ? { ...word, text: m[1]! + m[3]! } : word;
  });
}

/** Drops recognition noise from icons and frames: symbol-only words unless confident, and anything very unsure. */
export function keepWord(word: EngineWord): boolean {
  if (word.conf < 20) return false;
  if (!/[\p{L}\p{N}]/u.test(word.text)) return word.conf >= 70 && word.text.length <= 3;
  return true;
}

/** Words and phrases ("line" elements) in reading order, boxes in original image pixels. */
export function buildElements(lines: LineEntry[], scale: number): TextElement[] {
  const placed: Array<{
    words: Array<LineWord & { ax: number; ay: number }>;
    textHeight: number;
    y: number;
    x: number;
    h: number;
  }> = [];
  for (const line of lines) {
    if (!line.words || line.words.length === 0) continue;
    placed.push({
      words: line.words
        .map((w) => ({ ...w, ax: line.crop.x + w.x, ay: line.crop.y + w.y }))
        .sort((a, b) => a.ax - b.ax),
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
  const box = (x: number, y: number, w: number, h: number) => ({
    x: Math.round(x * scale),
    y: Math.round(y * scale),
    w: Math.round(w * scale),
    h: Math.round(h * scale),
  });
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
        elements.push({
          id: `w${wordIndex++}`,
          kind: 'word',
          lineId,
          text: w.text,
          conf: w.conf,
          box: box(w.ax, w.ay, w.w, w.h),
        });
      }
    }
  }
  return elements;
}
