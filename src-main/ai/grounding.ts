/**
 * Set-of-marks grounding: turns what OCR read into the element list the model sees
 * (`{"elements": [{"id","text","box"}]}`), with ids that are stable within one request, and
 * resolves the ids the model answers with back to on-screen boxes.
 */
import type { ScreenText, TextElement } from '../../src-shared/screen';
import type { ModelStep, AiStep, GroundingElement } from '../../src-shared/ai';

/** Limits that keep the element list within a small model's context. */
export interface GroundingLimits {
  maxElements: number;
  /** Total characters of element text. */
  maxChars: number;
  /** Longer texts are cut (prose is rarely a click target). */
  maxTextLength: number;
}

/** Defaults sized for an 8k-token context with room for the answer. */
export const DEFAULT_GROUNDING_LIMITS: GroundingLimits = { maxElements: 300, maxChars: 9000, maxTextLength: 80 };

/** The elements sent, and what each id stands for on screen. */
export interface Grounding {
  elements: GroundingElement[];
  byId: Map<string, TextElement>;
  /** How many OCR elements were left out to fit the limits. */
  omitted: number;
}

function readingOrder(a: TextElement, b: TextElement): number {
  const rowA = Math.round((a.box.y + a.box.h / 2) / 12);
  const rowB = Math.round((b.box.y + b.box.h / 2) / 12);
  return rowA - rowB || a.box.x - b.box.x;
}

/** A line whose words are likely separate controls (menu bar, toolbar, tabs), not prose. */
function looksLikeControls(line: TextElement, words: readonly TextElement[]): boolean {
  if (words.length < 2 || words.length > 12) return false;
  const avgGap =
    words.slice(1).reduce((sum, w, i) => sum + (w.box.x - (words[i]!.box.x + words[i]!.box.w)), 0) / (words.length - 1);
  const avgHeight = words.reduce((s, w) => s + w.box.h, 0) / words.length;
  return avgGap > avgHeight * 0.9 || line.text.length <= 40;
}

/**
 * Chooses the elements to send: every line (or word, where OCR gave no lines), plus the words of
 * lines that look like rows of controls, so "View" in "File Edit View" can be pointed at.
 * Priority when over the limits: lines first (top to bottom), then control words, dropping the
 * least confident first. Ids are e1, e2, ... in reading order.
 */
export function buildGrounding(screen: ScreenText, limits: GroundingLimits = DEFAULT_GROUNDING_LIMITS): Grounding {
  const usable = screen.elements.filter((e) => e.text.trim().length > 0 && /[\p{L}\p{N}]/u.test(e.text));
  const lines = usable.filter((e) => e.kind === 'line');
  const wordsByLine = new Map<string, TextElement[]>();
  for (const w of usable) {
    if (w.kind === 'word' && w.lineId) wordsByLine.set(w.lineId, [...(wordsByLine.get(w.lineId) ?? []), w]);
  }
  const primary: TextElement[] = lines.length ? lines : usable;
  const secondary: TextElement[] = [];
  if (lines.length) {
    for (const line of lines) {
      const words = (wordsByLine.get(line.id) ?? []).sort((a, b) => a.box.x - b.box.x);
      if (looksLikeControls(line, words))
        secondary.push(...words.filter((w) => w.text.trim().length > 1 || /[\p{L}\p{N}]/u.test(w.text)));
    }
    // Words OCR left outside any line still count.
    secondary.push(...usable.filter((e) => e.kind === 'word' && (!e.lineId || !lines.some((l) => l.id === e.lineId))));
  }
  const byConfidence = (a: TextElement, b: TextElement) => b.conf - a.conf;
  const ranked = [...[...primary].sort(byConfidence), ...[...secondary].sort(byConfidence)];
  const chosen: TextElement[] = [];
  let chars = 0;
  for (const el of ranked) {
    if (chosen.length >= limits.maxElements) break;
    const length = Math.min(el.text.length, limits.maxTextLength);
    if (chars + length > limits.maxChars) continue;
    chars += length;
    chosen.push(el);
  }
  chosen.sort(readingOrder);
  const byId = new Map<string, TextElement>();
  const elements = chosen.map((el, i): GroundingElement => {
    const id = `e${i + 1}`;
    byId.set(id, el);
    const text = el.text.length > limits.maxTextLength ? el.text.slice(0, limits.maxTextLength - 1) + '…' : el.text;
    return { id, text, box: [Math.round(el.box.x), Math.round(el.box.y), Math.round(el.box.w), Math.round(el.box.h)] };
  });
  // Only candidates dropped by the limits count as left out (prose words are never candidates).
  return { elements, byId, omitted: ranked.length - chosen.length };
}

/** Turns a model step into a player step: known id → its text and box; unknown or null → unlocated. */
export function locateStep(
  step: ModelStep,
  index: number,
  grounding: Grounding,
): { step: AiStep; unknownId: string | null } {
  const element = step.elementId ? grounding.byId.get(step.elementId) : undefined;
  const unknownId = step.elementId && !element ? step.elementId : null;
  return {
    step: {
      index,
      instruction: step.instruction,
      elementId: element ? step.elementId : null,
      target: element ? { text: element.text, box: element.box } : null,
    },
    unknownId,
  };
}
