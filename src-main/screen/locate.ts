/**
 * `locateLabel`: the on-screen box for a label, as a person would find it.
 *
 * Matching works on normalized words (see normalize.ts): case, `&`/`_` mnemonics, trailing
 * `…`/`...`/`:` and OCR confusions (l/I/1, O/0, rn/m) do not matter; each word may differ by a
 * few edits scaled by its length, and words of up to 4 letters must match exactly, so
 * `Linear A` never matches `Linear B` and `Edit` never matches `Exit`. A multi-word label is
 * matched across adjacent words of one line, also when OCR split or joined words differently
 * (`Free` `ze Panes`, `SaveAs`), or wrapped onto two stacked lines; a differing number is never
 * a slip (`Sheet1` vs `Sheet2`). The score (0..1) is 1 for the exact label alone on its line
 * segment and drops for edits, OCR-folded letters, different trailing decoration (`Table` vs
 * `Table...`, `Left` vs `Left:`), and extra words beside it in the same control; below
 * LOCATE_THRESHOLD nothing is reported.
 *
 * When a label appears more than once, candidates are ranked by score plus hint bonuses: +0.15
 * inside `region`, up to +0.2 for the one nearest the `near` label (less for farther ones). A
 * hint thus outweighs a spelling difference such as `Table` vs `Table...` but not a far worse
 * match. Remaining ties go by reading order (top-left first, so the menu bar before a menu).
 */
import type { Box, LocateMatch, Region, ScreenText } from '../../src-shared/screen';
import {
  boxesIntersect,
  readingDistance,
  isInRegion,
  screenModel,
  unionBox,
  type ScreenModel,
  type ScreenWord,
} from './model';
import { editDistance } from '../../src-shared/edit-distance';
import {
  alignedEditsPerWord,
  editBudget,
  normalizeLabel,
  normalizeWord,
  stripMnemonics,
  type NormalizedToken,
} from './normalize';

/** Hints from a walkthrough step's target that tell two equal labels apart. */
export interface LocateHints {
  /** Another label the target is next to. */
  near?: string;
  /** Where on screen the target is (see model.ts for the region definitions). */
  region?: Region;
}

/** One place a label was found, with how well it matched. */
export interface LabelCandidate {
  /** The words OCR read there, joined by spaces. */
  text: string;
  box: Box;
  /** Match quality 0..1 (1 = exactly the label, alone). */
  score: number;
  /** Score plus hint bonuses: the candidates are ordered by this. */
  rank: number;
  words: ScreenWord[];
}

/** Matches scoring below this are not reported. */
export const LOCATE_THRESHOLD = 0.75;

const PENALTY = {
  /** Per edit, scaled by the label's length: `0.6 * edits / length`. */
  editScale: 0.6,
  /** A match only after folding OCR confusions (l/1, O/0, rn/m). */
  folded: 0.02,
  /** Words split or joined differently from the label. */
  spacing: 0.02,
  /** Different trailing decoration: `Table` vs `Table...`, `Left` vs `Left:`. */
  decoration: 0.04,
  /** A colon inside the match: it probably spans two labels. */
  innerColon: 0.05,
  /** The matched words cross a wide gap (two controls). */
  gap: 0.05,
  /** Other words in the same control/segment: first one, then each further one. */
  extraFirst: 0.06,
  extraEach: 0.01,
  extraMax: 0.12,
  /** Only part of one OCR word (`FileEdit` → `Edit`). */
  subword: 0.1,
  /** A label wrapped onto two lines (`Conditional` / `Formatting` under a ribbon icon). */
  wrapped: 0.05,
};

const BONUS = { region: 0.15, near: 0.2 };

interface Query {
  label: string;
  tokens: NormalizedToken[];
  folded: string[];
  budgets: number[];
  totalBudget: number;
  compactLength: number;
  plainCompact: string;
  trailing: NormalizedToken['trailing'];
}

/** Labels longer than this (characters) are not UI labels: they are never found, and never cost a slow match. */
export const MAX_LABEL_LENGTH = 200;

function prepareQuery(label: string): Query | null {
  if (label.length > MAX_LABEL_LENGTH) return null;
  const tokens = normalizeLabel(label);
  if (tokens.length === 0) return null;
  const folded = tokens.map((t) => t.folded);
  const budgets = folded.map((f) => editBudget(f.length));
  return {
    label,
    tokens,
    folded,
    budgets,
    totalBudget: budgets.reduce((a, b) => a + b, 0),
    compactLength: folded.join('').length,
    plainCompact: tokens.map((t) => t.plain).join(''),
    trailing: tokens[tokens.length - 1]!.trailing,
  };
}

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/**
 * Whether an inexact match changes a number: `Sheet1` vs `Sheet2` are different things, not an OCR
 * slip. (A digit OCR read as a letter, `Sheetl`, has no digits left to disagree.)
 */
function numbersDiffer(queryPlain: string, candidatePlain: string): boolean {
  const a = digitsOf(queryPlain);
  const b = digitsOf(candidatePlain);
  return a !== '' && b !== '' && a !== b;
}

/** Edits needed word-for-word, or null when some word is beyond its budget. */
function tokenModeEdits(query: Query, words: ScreenWord[]): number | null {
  if (words.length !== query.tokens.length) return null;
  let total = 0;
  for (let t = 0; t < words.length; t++) {
    const token = words[t]!.token!;
    const candidate = token.folded;
    // The shorter spelling sets the budget: `Unfreeze` is not an OCR slip of `Freeze`.
    const budget = Math.min(query.budgets[t]!, editBudget(candidate.length));
    const d = editDistance(query.folded[t]!, candidate, budget);
    if (d > budget) return null;
    if (d > 0 && numbersDiffer(query.tokens[t]!.plain, token.plain)) return null;
    total += d;
  }
  return total;
}

/** Edits needed on the concatenated letters (words split/joined differently), or null. */
function compactModeEdits(query: Query, candidate: string): number | null {
  // Words split or joined differently already show OCR trouble: allow half the slips per word.
  const budgets = query.budgets.map((b) => Math.floor(b / 2));
  const perWord = alignedEditsPerWord(
    query.folded,
    candidate,
    budgets.reduce((a, b) => a + b, 0),
  );
  if (!perWord) return null;
  for (let t = 0; t < perWord.length; t++) if (perWord[t]! > budgets[t]!) return null;
  return perWord.reduce((a, b) => a + b, 0);
}

function extraWordsPenalty(extra: number): number {
  if (extra <= 0) return 0;
  return Math.min(PENALTY.extraMax, PENALTY.extraFirst + PENALTY.extraEach * (extra - 1));
}

/** Scores one span of words (all with tokens) on one line, or null when it is not the label. */
function scoreSpan(query: Query, span: ScreenWord[], candidateFolded: string, lineWords: ScreenWord[]): number | null {
  const lengthDiff = Math.abs(candidateFolded.length - query.compactLength);
  if (lengthDiff > query.totalBudget) return null;
  let edits = tokenModeEdits(query, span);
  let spacing = 0;
  if (edits === null) {
    edits = compactModeEdits(query, candidateFolded);
    if (edits === null) return null;
    if (edits > 0 && numbersDiffer(query.plainCompact, span.map((w) => w.token!.plain).join(''))) return null;
    spacing = PENALTY.spacing;
  }
  let score = 1 - Math.min(0.4, (PENALTY.editScale * edits) / Math.max(1, query.compactLength)) - spacing;
  const plain = span.map((w) => w.token!.plain).join('');
  if (edits === 0 && plain !== query.plainCompact) score -= PENALTY.folded;
  const last = span[span.length - 1]!;
  if (last.token!.trailing !== query.trailing) score -= PENALTY.decoration;
  for (let k = 0; k < span.length - 1; k++) {
    if (
      span[k]!.token!.trailing === 'colon' &&
      query.tokens[Math.min(k, query.tokens.length - 1)]!.trailing !== 'colon'
    )
      score -= PENALTY.innerColon;
  }
  const first = span[0]!;
  score -= PENALTY.gap * (last.segment - first.segment);
  score -= extraWordsPenalty(extraWordsBeside(lineWords, first, last));
  return score;
}

/**
 * Words in the same segment as a match but outside it: they suggest the label is part of a
 * longer one. A colon ends a label (`Alignment: Left` holds the label `Left` alone), so counting
 * stops at one on either side.
 */
function extraWordsBeside(lineWords: ScreenWord[], first: ScreenWord, last: ScreenWord): number {
  let extra = 0;
  for (let k = first.index - 1; k >= 0; k--) {
    const word = lineWords[k]!;
    if (word.segment !== first.segment) break;
    if (!word.token) continue;
    if (word.token.trailing === 'colon') break;
    extra++;
  }
  let boundary = last.token?.trailing === 'colon';
  for (let k = last.index + 1; k < lineWords.length && !boundary; k++) {
    const word = lineWords[k]!;
    if (word.segment !== last.segment) break;
    if (!word.token) continue;
    extra++;
    boundary = word.token.trailing === 'colon';
  }
  return extra;
}

/** Characters that separate two glued labels inside one OCR word. */
const SEPARATOR = /[:;|….,!?()[\]{}<>]/u;

/** Inner boundaries of one OCR word where two labels may have been glued: `FileEdit`, `Left:Right`, `File|Edit`. */
function gluedParts(text: string): { text: string; start: number; end: number }[] {
  const chars = Array.from(stripMnemonics(text));
  const cuts: number[] = [];
  for (let i = 1; i < chars.length; i++) {
    const a = chars[i - 1]!;
    const b = chars[i]!;
    const caseChange = /\p{Ll}/u.test(a) && /\p{Lu}/u.test(b);
    // Separators between two controls; not `-`, `/`, `'` or `+`, which join one compound label (`Right-to-left`).
    const punctuation =
      (SEPARATOR.test(a) && /[\p{L}\p{N}]/u.test(b)) || (/[\p{L}\p{N}]/u.test(a) && SEPARATOR.test(b));
    if (caseChange || punctuation) cuts.push(i);
  }
  const out: { text: string; start: number; end: number }[] = [];
  for (const cut of cuts) {
    out.push({ text: chars.slice(0, cut).join(''), start: 0, end: cut });
    out.push({ text: chars.slice(cut).join(''), start: cut, end: chars.length });
  }
  return out.map((p) => ({ ...p, start: p.start / chars.length, end: p.end / chars.length }));
}

/** Single-word labels glued to a neighbour inside one OCR word. */
function subwordCandidates(
  query: Query,
  model: ScreenModel,
): { words: ScreenWord[]; box: Box; text: string; score: number }[] {
  if (query.tokens.length !== 1 || query.compactLength < 3) return [];
  const out: { words: ScreenWord[]; box: Box; text: string; score: number }[] = [];
  for (const word of model.words) {
    if (!word.token || word.token.folded.length <= query.compactLength || !word.token.folded.includes(query.folded[0]!))
      continue;
    for (const part of gluedParts(word.text)) {
      const token = normalizeWord(part.text);
      if (!token || token.folded !== query.folded[0]) continue;
      const box = {
        x: word.box.x + word.box.w * part.start,
        y: word.box.y,
        w: word.box.w * (part.end - part.start),
        h: word.box.h,
      };
      out.push({
        words: [word],
        box,
        text: part.text,
        score: 1 - PENALTY.subword - (token.trailing !== query.trailing ? PENALTY.decoration : 0),
      });
    }
  }
  return out;
}

/** Every place the label matches above the threshold, scored, without hint bonuses. */
function matchCandidates(model: ScreenModel, query: Query): LabelCandidate[] {
  const out: LabelCandidate[] = [];
  const maxLength = query.compactLength + query.totalBudget;
  for (const line of model.lines) {
    const words = line.words;
    for (let s = 0; s < words.length; s++) {
      if (!words[s]!.token) continue;
      const span: ScreenWord[] = [];
      let folded = '';
      for (let e = s; e < words.length; e++) {
        const word = words[e]!;
        if (!word.token) continue;
        span.push(word);
        folded += word.token.folded;
        if (folded.length > maxLength) break;
        if (folded.length + query.totalBudget < query.compactLength) continue;
        const score = scoreSpan(query, span, folded, words);
        if (score !== null && score >= LOCATE_THRESHOLD) {
          const spanWords = [...span];
          out.push({
            text: spanWords.map((w) => w.text).join(' '),
            box: unionBox(spanWords.map((w) => w.box)),
            score,
            rank: score,
            words: spanWords,
          });
        }
      }
    }
  }
  for (const c of [...subwordCandidates(query, model), ...wrappedCandidates(query, model)]) {
    if (c.score >= LOCATE_THRESHOLD) out.push({ ...c, rank: c.score });
  }
  return out;
}

/** The runs of token-bearing words of a line that form one control each (split at wide gaps). */
function segmentsOf(words: ScreenWord[]): ScreenWord[][] {
  const segments = new Map<number, ScreenWord[]>();
  for (const word of words) {
    if (!word.token) continue;
    const list = segments.get(word.segment) ?? [];
    list.push(word);
    segments.set(word.segment, list);
  }
  return [...segments.values()];
}

/** Whether two stacked blocks of text read as one label: overlapping, and left-aligned or centred alike. */
function stackedAlike(upper: Box, lower: Box, height: number): boolean {
  const overlap = Math.min(upper.x + upper.w, lower.x + lower.w) - Math.max(upper.x, lower.x);
  if (overlap <= 0) return false;
  const leftAligned = Math.abs(upper.x - lower.x) <= height;
  const centred = Math.abs(upper.x + upper.w / 2 - (lower.x + lower.w / 2)) <= height;
  return leftAligned || centred;
}

/**
 * Multi-word labels wrapped onto two lines: a whole control on one line continued by a whole
 * control directly below it, the words matching the label word for word.
 */
function wrappedCandidates(
  query: Query,
  model: ScreenModel,
): { words: ScreenWord[]; box: Box; text: string; score: number }[] {
  if (query.tokens.length < 2) return [];
  const out: { words: ScreenWord[]; box: Box; text: string; score: number }[] = [];
  const lines = model.lines;
  for (let i = 0; i < lines.length; i++) {
    const upper = lines[i]!;
    const upperBottom = upper.box.y + upper.box.h;
    for (let j = i + 1; j < lines.length; j++) {
      const lower = lines[j]!;
      const height = Math.max(upper.height, lower.height);
      if (lower.box.y > upperBottom + 3 * height) break;
      const gap = lower.box.y - upperBottom;
      if (gap < -0.3 * height || gap > 0.8 * height) continue;
      for (const top of segmentsOf(upper.words)) {
        for (const bottom of segmentsOf(lower.words)) {
          if (top.length + bottom.length !== query.tokens.length) continue;
          const topBox = unionBox(top.map((w) => w.box));
          const bottomBox = unionBox(bottom.map((w) => w.box));
          if (!stackedAlike(topBox, bottomBox, height)) continue;
          const words = [...top, ...bottom];
          const edits = tokenModeEdits(query, words);
          if (edits === null) continue;
          let score =
            1 - PENALTY.wrapped - Math.min(0.4, (PENALTY.editScale * edits) / Math.max(1, query.compactLength));
          if (edits === 0 && words.map((w) => w.token!.plain).join('') !== query.plainCompact) score -= PENALTY.folded;
          if (words[words.length - 1]!.token!.trailing !== query.trailing) score -= PENALTY.decoration;
          out.push({ words, box: unionBox([topBox, bottomBox]), text: words.map((w) => w.text).join(' '), score });
        }
      }
    }
  }
  return out;
}

function cachedCandidates(model: ScreenModel, label: string): LabelCandidate[] {
  const key = `candidates\u0000${label}`;
  let found = model.memo.get(key) as LabelCandidate[] | undefined;
  if (!found) {
    const query = prepareQuery(label);
    found = query ? matchCandidates(model, query) : [];
    model.memo.set(key, found);
  }
  return found;
}

/**
 * Every place a label appears on screen, best first: ranked by match score plus the hint
 * bonuses (inside `region`; close to `near`), then reading order.
 */
export function locateCandidates(screen: ScreenText, label: string, hints: LocateHints = {}): LabelCandidate[] {
  const model = screenModel(screen);
  const candidates = cachedCandidates(model, label);
  const nearBoxes = hints.near ? cachedCandidates(model, hints.near).map((c) => c.box) : [];
  const scale = 4 * model.textHeight;
  const { width, height } = screen.image;
  // Distance from each candidate to the nearest other place the `near` label appears.
  const distances = candidates.map((c) => {
    const others = nearBoxes.filter((b) => !boxesIntersect(b, c.box));
    return others.length > 0 ? Math.min(...others.map((b) => readingDistance(b, c.box))) : Infinity;
  });
  const nearest = Math.min(...distances);
  const ranked = candidates.map((c, k) => {
    let rank = c.score;
    if (hints.region && isInRegion(c.box, hints.region, screen.image)) rank += BONUS.region;
    // The nearest candidate gets the whole bonus, farther ones a share falling with distance.
    if (Number.isFinite(distances[k]!)) rank += (BONUS.near * (nearest + scale)) / (distances[k]! + scale);
    // Reading order breaks ties: higher and further left first (menu bar before menus).
    rank -= 0.004 * ((c.box.y + c.box.h / 2) / height) + 0.002 * ((c.box.x + c.box.w / 2) / width);
    return { ...c, rank };
  });
  return ranked.sort((a, b) => b.rank - a.rank);
}

/** Rounds a score or coordinate for output. */
function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * The on-screen box that best matches a label, or `{query, text: null, box: null}` when no
 * match scores at least LOCATE_THRESHOLD. The box is the union of the matched words' boxes.
 */
export function locateLabel(screen: ScreenText, label: string, hints: LocateHints = {}): LocateMatch {
  const best = locateCandidates(screen, label, hints)[0];
  if (!best) return { query: label, text: null, box: null };
  const box = { x: round(best.box.x, 1), y: round(best.box.y, 1), w: round(best.box.w, 1), h: round(best.box.h, 1) };
  return { query: label, text: best.text, box, score: round(Math.max(0, Math.min(1, best.score)), 3) };
}

/** `locateLabel` for several labels with the same hints, in order. */
export function locateLabels(screen: ScreenText, labels: readonly string[], hints: LocateHints = {}): LocateMatch[] {
  return labels.map((label) => locateLabel(screen, label, hints));
}

/**
 * Whether a label is visible on screen, with the same tolerant matching as `locateLabel` (for `doneWhen.textVisible`).
 */
export function isTextVisible(screen: ScreenText, text: string): boolean {
  return cachedCandidates(screenModel(screen), text).length > 0;
}

/** Whether a label is no longer visible on screen (for `doneWhen.textGone`). */
export function isTextGone(screen: ScreenText, text: string): boolean {
  return !isTextVisible(screen, text);
}
