/**
 * Redaction before anything leaves the machine: text (questions, OCR text) and screenshots.
 * Every outbound path (AI requests, help requests to the team server) calls these.
 */
import type { ScreenText, TextElement, Box } from '../../src-shared/screen';
import { compileCustomPattern, findSecrets, type CustomPattern, type SecretKind, type SecretSpan } from './detectors';

/** An RGBA image in memory (4 bytes per pixel, rows top to bottom), as decoded for OCR. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** What redaction needs besides the text: user-defined patterns from Settings. */
export interface RedactionOptions {
  customPatterns?: readonly CustomPattern[];
  /**
   * Screens only (default true): OCR misreads break checksums, so card- and IBAN-shaped numbers
   * are redacted even when the Luhn / mod-97 check fails.
   */
  ocrTolerant?: boolean;
}

/** One redacted span in a text. Never holds the secret itself. */
export interface TextFinding {
  kind: SecretKind;
  start: number;
  end: number;
  /** The placeholder that replaced the span, e.g. "[email]". */
  replacement: string;
}

/** Redacted text and what was taken out of it. */
export interface RedactedText {
  text: string;
  findings: TextFinding[];
  /** Custom patterns that could not be used, with the reason. */
  warnings: string[];
}

/** One redacted piece of a screen: the element it was in and the pixels covered. */
export interface ScreenFinding {
  kind: SecretKind;
  elementId: string;
  box: Box;
}

/** A screen made safe to send: element texts redacted, boxes painted over in the image. */
export interface RedactedScreen {
  screen: ScreenText;
  image: RgbaImage | null;
  findings: ScreenFinding[];
  warnings: string[];
}

/** The placeholder shown in place of a secret of this kind. */
export function placeholderFor(kind: SecretKind): string {
  return `[${kind}]`;
}

function compileAll(options: RedactionOptions): { regexes: RegExp[]; warnings: string[] } {
  const regexes: RegExp[] = [];
  const warnings: string[] = [];
  for (const custom of options.customPatterns ?? []) {
    const compiled = compileCustomPattern(custom);
    if (compiled instanceof RegExp) regexes.push(compiled);
    else warnings.push(compiled.error);
  }
  return { regexes, warnings };
}

function applySpans(text: string, spans: readonly SecretSpan[]): { text: string; findings: TextFinding[] } {
  let out = '';
  let cursor = 0;
  const findings: TextFinding[] = [];
  for (const span of spans) {
    const replacement = placeholderFor(span.kind);
    out += text.slice(cursor, span.start);
    findings.push({ kind: span.kind, start: out.length, end: out.length + replacement.length, replacement });
    out += replacement;
    cursor = span.end;
  }
  return { text: out + text.slice(cursor), findings };
}

/** Replaces emails, phones, cards, IBANs, keys, tokens, JWTs, IPs and custom patterns with placeholders. */
export function redactText(text: string, options: RedactionOptions = {}): RedactedText {
  const { regexes, warnings } = compileAll(options);
  const { text: redacted, findings } = applySpans(text, findSecrets(text, regexes));
  return { text: redacted, findings, warnings };
}

/** Where each word of a line sits in the line's text, when the words can be found in order. */
function wordSpans(line: TextElement, words: readonly TextElement[]): { word: TextElement; start: number; end: number }[] | null {
  const spans: { word: TextElement; start: number; end: number }[] = [];
  let cursor = 0;
  for (const word of words) {
    const at = line.text.indexOf(word.text, cursor);
    if (at < 0) return null;
    spans.push({ word, start: at, end: at + word.text.length });
    cursor = at + word.text.length;
  }
  return spans;
}

function inflate(box: Box, pad: number, width: number, height: number): Box {
  const x = Math.max(0, Math.floor(box.x - pad));
  const y = Math.max(0, Math.floor(box.y - pad));
  const right = Math.min(width, Math.ceil(box.x + box.w + pad));
  const bottom = Math.min(height, Math.ceil(box.y + box.h + pad));
  return { x, y, w: Math.max(0, right - x), h: Math.max(0, bottom - y) };
}

/** Paints boxes with an opaque fill on a copy of the image (a fill, unlike a blur, cannot be undone). */
export function fillBoxes(image: RgbaImage, boxes: readonly Box[], pad = 3): RgbaImage {
  const data = new Uint8Array(image.data);
  for (const raw of boxes) {
    const box = inflate(raw, pad, image.width, image.height);
    for (let y = box.y; y < box.y + box.h; y++) {
      for (let x = box.x; x < box.x + box.w; x++) {
        const i = (y * image.width + x) * 4;
        data[i] = 64;
        data[i + 1] = 64;
        data[i + 2] = 64;
        data[i + 3] = 255;
      }
    }
  }
  return { width: image.width, height: image.height, data };
}

/**
 * Redacts a screen read by OCR: each line's text is checked as a whole (secrets often span
 * words), the words inside a finding get the placeholder too, and the boxes of every affected
 * word (or the whole line, when its words are unknown) are filled in the image.
 */
export function redactScreen(screen: ScreenText, image: RgbaImage | null = null, options: RedactionOptions = {}): RedactedScreen {
  const { regexes, warnings } = compileAll(options);
  const find = (text: string) => findSecrets(text, regexes, { ocrTolerant: options.ocrTolerant ?? true });
  const wordsByLine = new Map<string, TextElement[]>();
  for (const el of screen.elements) {
    if (el.kind === 'word' && el.lineId) {
      const list = wordsByLine.get(el.lineId) ?? [];
      list.push(el);
      wordsByLine.set(el.lineId, list);
    }
  }
  const newText = new Map<string, string>();
  const findings: ScreenFinding[] = [];
  const covered = new Set<string>();
  const cover = (el: TextElement, kind: SecretKind) => {
    if (covered.has(el.id)) return;
    covered.add(el.id);
    findings.push({ kind, elementId: el.id, box: el.box });
  };

  for (const el of screen.elements) {
    if (el.kind !== 'line') continue;
    const spans = find(el.text);
    if (!spans.length) continue;
    newText.set(el.id, applySpans(el.text, spans).text);
    const words = wordsByLine.get(el.id) ?? [];
    const placed = words.length ? wordSpans(el, words) : null;
    if (!placed) {
      cover(el, spans[0]!.kind);
      for (const w of words) newText.set(w.id, placeholderFor(spans[0]!.kind));
      continue;
    }
    for (const { word, start, end } of placed) {
      const hit = spans.find((s) => start < s.end && s.start < end);
      if (!hit) continue;
      cover(word, hit.kind);
      newText.set(word.id, placeholderFor(hit.kind));
    }
  }
  // Words on their own (no line, or a secret the line-level pass missed).
  for (const el of screen.elements) {
    if (el.kind !== 'word' || covered.has(el.id)) continue;
    const spans = find(el.text);
    if (!spans.length) continue;
    newText.set(el.id, applySpans(el.text, spans).text);
    cover(el, spans[0]!.kind);
    if (el.lineId && !newText.has(el.lineId)) {
      const line = screen.elements.find((l) => l.id === el.lineId);
      if (line) newText.set(line.id, line.text.split(el.text).join(placeholderFor(spans[0]!.kind)));
    }
  }

  const redactedScreen: ScreenText = {
    ...screen,
    elements: screen.elements.map((el) => (newText.has(el.id) ? { ...el, text: newText.get(el.id)! } : el)),
  };
  const redactedImage = image ? fillBoxes(image, findings.map((f) => f.box)) : null;
  return { screen: redactedScreen, image: redactedImage, findings, warnings };
}

/** Encodes an RGBA image as PNG bytes (for sending, or for the "what will be sent" preview). */
export async function encodePng(image: RgbaImage): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  })
    .png()
    .toBuffer();
}
