/** Edit distance: label finding on screen (src-main/screen) and the walkthrough search (src-shared/search). */

let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Edit distance between two strings, in UTF-16 code units, stopping early with `limit + 1` once every
 * path exceeds `limit`. Plain Levenshtein by default (OCR misreads); with `transpositions`, swapping two
 * neighbouring characters counts as one edit (optimal string alignment, for typed typos: "wrods").
 */
export function editDistance(
  a: string,
  b: string,
  limit = Infinity,
  options: { transpositions?: boolean } = {},
): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (rows[0]!.length <= b.length) rows = [0, 1, 2].map(() => new Int32Array(b.length * 2 + 2));
  let beforePrevious = rows[2]!;
  let previous = rows[0]!;
  let current = rows[1]!;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ca === cb ? 0 : 1));
      if (options.transpositions && i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    const oldest = beforePrevious;
    beforePrevious = previous;
    previous = current;
    current = oldest;
  }
  return previous[b.length]!;
}
