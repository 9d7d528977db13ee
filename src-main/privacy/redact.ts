/**
 * Redaction before anything leaves the machine: text (questions, OCR text) and screenshots.
 * Every outbound path (AI requests, help requests to the team server) calls these.
 */
import type { ScreenText, TextElement, Box } from '../../src-shared/screen';
import type { RgbaImage } from '../base/image';
import { unionBox } from '../screen/model';
import { compileCustomPattern, findSecrets, type CustomPattern, type SecretKind, type SecretSpan } from './detectors';

/** A label that announces a secret value to its right: "Password:", "API key:", "JWT:", "IBAN:"... */
const SECRET_LABEL =
  /(?:^|\s)(?:pass(?:word|wd)?|pwd|pin|secret|token|api[ _-]?key|access[ _-]?key|private[ _-]?key|key|jwt|bearer|authorization|iban|card(?: number)?|cvv|cvc|account(?: number)?)\s*[:=]$/i;

export type { RgbaImage };

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
  /** Where each finding was in the ORIGINAL text (UTF-16 code units, `end` exclusive), in order. */
  spans: SecretSpan[];
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
  const spans = findSecrets(text, regexes);
  const { text: redacted, findings } = applySpans(text, spans);
  return { text: redacted, findings, spans, warnings };
}

/** Where each word of a line sits in the line's text, when the words can be found in order. */
function wordSpans(
  line: TextElement,
  words: readonly TextElement[],
): { word: TextElement; start: number; end: number }[] | null {
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

/** A run of elements on one visual row, close enough to be read as one text. */
interface RowSegment {
  text: string;
  parts: { element: TextElement; start: number; end: number }[];
}

/**
 * Groups elements into visual rows and splits rows at wide gaps: OCR may cut "4111 1111 1111 1111"
 * into four lines, and only their joined text shows the card number.
 */
function rowSegments(units: readonly TextElement[]): RowSegment[] {
  const rows: TextElement[][] = [];
  const sorted = [...units].sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2));
  for (const unit of sorted) {
    const centre = unit.box.y + unit.box.h / 2;
    const row = rows.find((r) => {
      const top = Math.min(...r.map((e) => e.box.y));
      const bottom = Math.max(...r.map((e) => e.box.y + e.box.h));
      return centre >= top && centre <= bottom;
    });
    if (row) row.push(unit);
    else rows.push([unit]);
  }
  const segments: RowSegment[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.box.x - b.box.x);
    let current: RowSegment | null = null;
    let previous: TextElement | null = null;
    for (const el of row) {
      const gap = previous ? el.box.x - (previous.box.x + previous.box.w) : 0;
      const height = Math.max(el.box.h, previous?.box.h ?? 0, 1);
      if (!current || gap > height * 2.5) {
        current = { text: '', parts: [] };
        segments.push(current);
      } else {
        current.text += ' ';
      }
      current.parts.push({ element: el, start: current.text.length, end: current.text.length + el.text.length });
      current.text += el.text;
      previous = el;
    }
  }
  return segments;
}

/** The spans that fall inside [start, end), shifted to start at 0. */
function clip(spans: readonly SecretSpan[], start: number, end: number): SecretSpan[] {
  return spans
    .filter((s) => s.start < end && start < s.end)
    .map((s) => ({ kind: s.kind, start: Math.max(s.start, start) - start, end: Math.min(s.end, end) - start }));
}

/**
 * Redacts a screen read by OCR: lines are joined into visual rows (secrets often span words and
 * OCR lines), each finding's placeholder replaces the text of the lines and words it touches,
 * and the boxes of those words (or whole lines, when their words are unknown) are filled in the
 * image.
 */
export function redactScreen(
  screen: ScreenText,
  image: RgbaImage | null = null,
  options: RedactionOptions = {},
): RedactedScreen {
  const { regexes, warnings } = compileAll(options);
  const find = (text: string) => findSecrets(text, regexes, { ocrTolerant: options.ocrTolerant ?? true });
  const lineIds = new Set(screen.elements.filter((e) => e.kind === 'line').map((e) => e.id));
  const wordsByLine = new Map<string, TextElement[]>();
  for (const el of screen.elements) {
    if (el.kind === 'word' && el.lineId && lineIds.has(el.lineId)) {
      const list = wordsByLine.get(el.lineId) ?? [];
      list.push(el);
      wordsByLine.set(el.lineId, list);
    }
  }
  // What is read as text: every line, plus words that belong to no line.
  const units = screen.elements.filter((e) => e.kind === 'line' || !e.lineId || !lineIds.has(e.lineId));
  const newText = new Map<string, string>();
  const findings: ScreenFinding[] = [];
  const covered = new Set<string>();
  const cover = (el: TextElement, kind: SecretKind) => {
    if (covered.has(el.id)) return;
    covered.add(el.id);
    findings.push({ kind, elementId: el.id, box: el.box });
  };

  for (const segment of rowSegments(units)) {
    const spans = find(segment.text);
    if (!spans.length) continue;
    for (const { element, start, end } of segment.parts) {
      const inside = clip(spans, start, end);
      if (!inside.length) continue;
      newText.set(element.id, applySpans(element.text, inside).text);
      const words = element.kind === 'line' ? (wordsByLine.get(element.id) ?? []) : [];
      const placed = words.length ? wordSpans(element, words) : null;
      if (!placed) {
        cover(element, inside[0]!.kind);
        for (const w of words) newText.set(w.id, placeholderFor(inside[0]!.kind));
        continue;
      }
      for (const { word, start: wStart, end: wEnd } of placed) {
        const hit = inside.find((s) => wStart < s.end && s.start < wEnd);
        if (!hit) continue;
        cover(word, hit.kind);
        newText.set(word.id, placeholderFor(hit.kind));
      }
    }
  }
  // Words on their own: a secret the row pass missed (e.g. words the line text does not hold).
  for (const el of screen.elements) {
    if (el.kind !== 'word' || covered.has(el.id)) continue;
    const spans = find(el.text);
    if (!spans.length) continue;
    newText.set(el.id, applySpans(el.text, spans).text);
    cover(el, spans[0]!.kind);
    if (el.lineId && lineIds.has(el.lineId)) {
      const line = screen.elements.find((l) => l.id === el.lineId)!;
      newText.set(line.id, (newText.get(line.id) ?? line.text).split(el.text).join(placeholderFor(spans[0]!.kind)));
    }
  }

  // A labelled secret whose value OCR could not read at all ("JWT:" then unreadable text) is still
  // covered: the rest of the label's row, as far as 60% of the image width.
  const width = screen.image.width;
  for (const label of units) {
    if (!SECRET_LABEL.test(label.text.trim())) continue;
    const left = label.box.x + label.box.w + 1;
    const region: Box = {
      x: left,
      y: label.box.y - 3,
      w: Math.max(0, Math.min(width - left, width * 0.6)),
      h: label.box.h + 6,
    };
    const centreY = label.box.y + label.box.h / 2;
    const onRow = (el: TextElement) =>
      Math.abs(el.box.y + el.box.h / 2 - centreY) <= label.box.h &&
      el.box.x >= left - 1 &&
      el.box.x < region.x + region.w;
    if (findings.some((f) => onRow({ ...label, box: f.box }))) continue; // the value was read and redacted
    if (region.w <= 0) continue;
    findings.push({ kind: 'token', elementId: label.id, box: region });
    for (const el of screen.elements) {
      if (el.id !== label.id && onRow(el) && !covered.has(el.id)) {
        covered.add(el.id);
        newText.set(el.id, placeholderFor('token'));
      }
    }
  }

  const redactedScreen: ScreenText = {
    ...screen,
    elements: screen.elements.map((el) => (newText.has(el.id) ? { ...el, text: newText.get(el.id)! } : el)),
  };
  const redactedImage = image ? fillBoxes(image, mergeRowBoxes(findings.map((f) => f.box))) : null;
  return { screen: redactedScreen, image: redactedImage, findings, warnings };
}

/**
 * Joins boxes that sit next to each other on one row into one, so a filled card number shows as
 * one bar rather than four blocks that give away its grouping and length per group.
 */
export function mergeRowBoxes(boxes: readonly Box[]): Box[] {
  const sorted = [...boxes].sort((a, b) => a.y - b.y || a.x - b.x);
  const merged: Box[] = [];
  for (const box of sorted) {
    const previous = merged.find((m) => {
      const sameRow = Math.abs(m.y + m.h / 2 - (box.y + box.h / 2)) <= Math.max(m.h, box.h) / 2;
      const gap = box.x - (m.x + m.w);
      return sameRow && gap <= Math.max(m.h, box.h) * 1.5 && box.x + box.w >= m.x;
    });
    if (!previous) {
      merged.push({ ...box });
      continue;
    }
    Object.assign(previous, unionBox([previous, box]));
  }
  return merged;
}
