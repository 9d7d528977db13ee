/**
 * The screen reader: pixels in, located words and lines out (ScreenText).
 */
import type { ScreenText, TextElement } from '../../src-shared/screen';
import { RecognizerPool, type EngineWord } from './engine';
import { decodeImageWithNotes, toGray, type ImageInput } from './image';
import { borderLevel, encodePgm, invertGray, upscaleGray } from './raster';

/** Per-read options. */
export interface ReadOptions {
  /** Enables incremental reuse between reads of the same window. */
  windowKey?: string;
  /** Called with what is known so far, before the full result. */
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
  workers?: number;
  cacheDir?: string;
}

class SimpleScreenReader implements ScreenReader {
  readonly pool: RecognizerPool;

  constructor(options: ScreenReaderOptions) {
    this.pool = new RecognizerPool({ ...options, workers: options.workers ?? 1 });
  }

  async read(input: ImageInput, options: ReadOptions = {}): Promise<ScreenText> {
    const started = performance.now();
    const decoded = await decodeImageWithNotes(input);
    const decodedAt = performance.now();
    const gray = toGray(decoded.image);
    if (borderLevel(gray) < 110) invertGray(gray);
    const factor = 2;
    const big = upscaleGray(gray, factor);
    const words = await this.pool.recognize({ image: encodePgm(big), psm: '11', pixels: big.width * big.height }, options.signal);
    const elements = toElements(words, decoded.scale / factor);
    const totalMs = performance.now() - started;
    return {
      image: { width: decoded.originalWidth, height: decoded.originalHeight },
      elements,
      timings: { totalMs: round(totalMs), decodeMs: round(decodedAt - started) },
      notes: decoded.notes,
    };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function toElements(words: EngineWord[], scale: number): TextElement[] {
  const lines = new Map<string, EngineWord[]>();
  for (const word of words) {
    const list = lines.get(word.lineKey) ?? [];
    list.push(word);
    lines.set(word.lineKey, list);
  }
  const elements: TextElement[] = [];
  let lineIndex = 0;
  let wordIndex = 0;
  for (const lineWords of lines.values()) {
    const lineId = `l${lineIndex++}`;
    const x0 = Math.min(...lineWords.map((w) => w.x));
    const y0 = Math.min(...lineWords.map((w) => w.y));
    const x1 = Math.max(...lineWords.map((w) => w.x + w.w));
    const y1 = Math.max(...lineWords.map((w) => w.y + w.h));
    elements.push({
      id: lineId,
      kind: 'line',
      text: lineWords.map((w) => w.text).join(' '),
      conf: Math.round(lineWords.reduce((s, w) => s + w.conf, 0) / lineWords.length),
      box: { x: Math.round(x0 * scale), y: Math.round(y0 * scale), w: Math.round((x1 - x0) * scale), h: Math.round((y1 - y0) * scale) },
    });
    for (const w of lineWords) {
      elements.push({
        id: `w${wordIndex++}`,
        kind: 'word',
        lineId,
        text: w.text,
        conf: Math.round(w.conf),
        box: { x: Math.round(w.x * scale), y: Math.round(w.y * scale), w: Math.round(w.w * scale), h: Math.round(w.h * scale) },
      });
    }
  }
  return elements;
}

/** Creates a reader with a warm pool of tesseract.js workers. */
export function createScreenReader(options: ScreenReaderOptions = {}): ScreenReader {
  return new SimpleScreenReader(options);
}
