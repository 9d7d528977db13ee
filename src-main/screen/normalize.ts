/**
 * Text normalization for matching on-screen labels: case, mnemonics, ellipses, trailing colons
 * and the character confusions OCR makes. Both the label asked for and every word OCR read go
 * through the same functions, so the comparison is symmetric.
 */

/** What a label or word ends with, beyond its letters: matters only to prefer the exact spelling. */
export type Decoration = 'none' | 'ellipsis' | 'colon';

/** One word, normalized for comparison. */
export interface NormalizedToken {
  /** Lower-case letters and digits only, OCR confusions folded (`l`/`I`/`1` → `l`, `O`/`0` → `o`, `rn` → `m`). */
  folded: string;
  /** Lower-case letters and digits only, without folding: tells an exact match from an OCR-folded one. */
  plain: string;
  /** What the word ended with (`Table...` → ellipsis, `Left:` → colon). */
  trailing: Decoration;
}

/** Whether a code point is a letter or digit in any script. */
const ALNUM = /[\p{L}\p{N}]/u;

/** Removes keyboard mnemonics: `&File`, `Save _As`; keeps a literal `&&`/`__` as one character. */
export function stripMnemonics(text: string): string {
  return text.replace(/([&_])\1|[&_](?=\S)/g, (match, doubled: string | undefined) => (doubled ? doubled : ''));
}

function classifyTrailing(tail: string): Decoration {
  if (tail.includes('…') || tail.includes('..')) return 'ellipsis';
  if (tail.includes(':') || tail.includes(';')) return 'colon';
  return 'none';
}

/**
 * Folds the characters OCR commonly confuses onto one representative, on a lower-case string
 * of letters and digits: i/l/1 → l, o/0 → o, 5 → s, rn → m, vv → w.
 */
export function foldOcrConfusions(plain: string): string {
  return plain.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/[il1]/g, 'l').replace(/0/g, 'o').replace(/5/g, 's');
}

/**
 * Normalizes one whitespace-free word: NFKC, lower case, mnemonics removed, leading and
 * trailing punctuation split off (the trailing part classified), `|`/`!` inside a word read
 * as `l`, other inner punctuation dropped. Returns null for a word with no letters or digits.
 */
export function normalizeWord(word: string): NormalizedToken | null {
  // Fast path: plain ASCII letters and digits (most OCR words).
  if (/^[A-Za-z0-9]+$/.test(word)) {
    const plain = word.toLowerCase();
    return { folded: foldOcrConfusions(plain), plain, trailing: 'none' };
  }
  const text = stripMnemonics(word.normalize('NFKC')).toLowerCase();
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && !ALNUM.test(chars[start]!)) start++;
  while (end > start && !ALNUM.test(chars[end - 1]!)) end--;
  if (start === end) return null;
  const trailing = classifyTrailing(chars.slice(end).join(''));
  const plain = chars
    .slice(start, end)
    .map((c) => (c === '|' || c === '!' ? 'l' : c))
    .filter((c) => ALNUM.test(c))
    .join('');
  return { folded: foldOcrConfusions(plain), plain, trailing };
}

/** Splits a label or OCR line into normalized words (punctuation-only words such as `&` or `|` drop out). */
export function normalizeLabel(text: string): NormalizedToken[] {
  const out: NormalizedToken[] = [];
  for (const word of text.normalize('NFKC').split(/\s+/)) {
    if (!word) continue;
    const token = normalizeWord(word);
    if (token) out.push(token);
  }
  return out;
}

/**
 * How many character edits a word of this (folded) length may differ by and still count as the
 * same word: none up to 4 characters (so `Edit` never matches `Exit` and `A` never matches `B`),
 * one up to 7, two up to 11, then three.
 */
export function editBudget(length: number): number {
  if (length <= 4) return 0;
  if (length <= 7) return 1;
  if (length <= 11) return 2;
  return 3;
}

let alignTable = new Uint16Array(1024);

/**
 * Aligns a query (several words, concatenated) against a candidate string and counts the edits
 * charged to each query word. Insertions at a boundary between two query words are charged to
 * both, so an extra letter next to a one-letter word (`Linear A` vs `LinearBA`) is never free.
 * Returns null when the total distance exceeds `limit`.
 */
export function alignedEditsPerWord(words: readonly string[], candidate: string, limit: number): number[] | null {
  const query = words.join('');
  const owner: number[] = [];
  words.forEach((w, index) => {
    for (let k = 0; k < w.length; k++) owner.push(index);
  });
  const n = query.length;
  const m = candidate.length;
  if (Math.abs(n - m) > limit) return null;
  const width = m + 1;
  if (alignTable.length < (n + 1) * width) alignTable = new Uint16Array((n + 1) * width * 2);
  const table = alignTable;
  for (let j = 0; j <= m; j++) table[j] = j;
  for (let i = 1; i <= n; i++) {
    table[i * width] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = query.charCodeAt(i - 1) === candidate.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(
        table[(i - 1) * width + j]! + 1,
        table[i * width + j - 1]! + 1,
        table[(i - 1) * width + j - 1]! + cost,
      );
      table[i * width + j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return null;
  }
  if (table[n * width + m]! > limit) return null;
  const edits = new Array<number>(words.length).fill(0);
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = table[i * width + j]!;
    if (i > 0 && j > 0) {
      const cost = query.charCodeAt(i - 1) === candidate.charCodeAt(j - 1) ? 0 : 1;
      if (here === table[(i - 1) * width + j - 1]! + cost) {
        edits[owner[i - 1]!]! += cost;
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && here === table[(i - 1) * width + j]! + 1) {
      edits[owner[i - 1]!]! += 1;
      i--;
      continue;
    }
    // Insertion of candidate[j-1] between query[i-1] and query[i]: charge the words on both sides.
    const before = i > 0 ? owner[i - 1]! : undefined;
    const after = i < n ? owner[i]! : undefined;
    if (before !== undefined) edits[before]! += 1;
    if (after !== undefined && after !== before) edits[after]! += 1;
    j--;
  }
  return edits;
}
