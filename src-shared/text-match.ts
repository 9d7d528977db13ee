/**
 * Small, dependency-free text matching shared by the team server and anyone else who needs it:
 * a tokenizer with a light English stemmer, a stop-word list, a few everyday office synonyms, and a
 * BM25F index over documents made of weighted fields. (The desktop search in src-main/walkthroughs is
 * richer — WordNet synonyms — but the server may import only src-shared.)
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could do does did for from get got had has have how i if in into is it its ' +
    'me my mine no not of on or our so that the their them then there these they this to too up was we were what ' +
    'when where which who why will with would you your all any anymore again just only also want need like should ' +
    'some same than very every each after before over out off once keep keeps still now one two ' +
    'am been being here him her his she he us let lets make makes made way'
  ).split(' '),
);

/** Everyday words people use for the same thing: each maps to one canonical stem. */
const SYNONYMS: Record<string, string> = {
  graph: 'chart',
  diagram: 'chart',
  printout: 'print',
  printer: 'print',
  paper: 'print',
  hotkey: 'shortcut',
  keystroke: 'shortcut',
  combination: 'shortcut',
  keyboard: 'shortcut',
  key: 'shortcut',
  drive: 'share',
  nas: 'share',
  fileserver: 'share',
  smb: 'share',
  mount: 'share',
  shared: 'share',
};

/** Reduces an English word to a rough stem: `printing`, `printed`, `prints` → `print`; `copies` → `copi`. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  for (const suffix of ['ation', 'ing', 'ed', 'ly', 'er']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 3) w = `${w.slice(0, -1)}i`;
  return w;
}

/** Word → its token ('' for a stop word): words repeat a lot, stemming them once makes tokenizing ~3x faster. */
const TOKEN_CACHE = new Map<string, string>();
const TOKEN_CACHE_SIZE = 50_000;
const NOT_WORD = /[^\p{L}\p{N}']+/u;

function tokenOf(word: string): string {
  // Numbers are kept as they are and not cached: they rarely repeat and would push words out.
  if (word.charCodeAt(0) <= 57 && /^\d+$/.test(word)) return word.length < 2 ? '' : word;
  let token = TOKEN_CACHE.get(word);
  if (token !== undefined) return token;
  const bare = word.replace(/^'+|'+$/g, '');
  if (bare.length < 2 || STOP_WORDS.has(bare)) token = '';
  else {
    const stemmed = stem(bare);
    token = SYNONYMS[bare] ?? SYNONYMS[stemmed] ?? stemmed;
  }
  if (TOKEN_CACHE.size >= TOKEN_CACHE_SIZE) TOKEN_CACHE.clear();
  TOKEN_CACHE.set(word, token);
  return token;
}

/** Lower-case word stems of a text, without stop words and single characters; synonyms folded together. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().split(NOT_WORD)) {
    const token = word ? tokenOf(word) : '';
    if (token) out.push(token);
  }
  return out;
}

/** Indexes with fewer documents than this score every query term (see `Bm25Options.maxDocShare`). */
export const PRUNE_FROM_DOCS = 500;

/** A document of the index: one text per field (weights are the index's). */
export type FieldTexts = Record<string, string>;

interface Posting {
  doc: number;
  /** Field-weighted term frequency. */
  tf: number;
}

/** BM25F parameters. */
export interface Bm25Options {
  /** Weight of each field's term counts (fields not listed count 1). */
  weights: Record<string, number>;
  k1?: number;
  b?: number;
  /** Characters read of each field (screen text can be very long). */
  maxFieldChars?: number;
  /**
   * Query terms found in more than this share of the documents are skipped when scoring: they add little
   * (low idf) and their postings are the longest (menu bars every screen shows). Default 1: none skipped.
   * Applies from `PRUNE_FROM_DOCS` documents on.
   */
  maxDocShare?: number;
}

/**
 * A BM25F index that grows: add documents at any time, then score a query against all of them.
 * Scoring reads only the postings of the query's terms.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private readonly k1: number;
  private readonly b: number;

  constructor(private readonly options: Bm25Options) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
  }

  /** Number of documents. */
  get size(): number {
    return this.lengths.length;
  }

  /** Adds a document and returns its number (0, 1, 2, … in the order added). */
  add(fields: FieldTexts): number {
    const doc = this.lengths.length;
    const counts = new Map<string, number>();
    let length = 0;
    for (const [field, text] of Object.entries(fields)) {
      const weight = this.options.weights[field] ?? 1;
      const tokens = tokenize(text.slice(0, this.options.maxFieldChars ?? 4000));
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + weight);
      length += tokens.length * weight;
    }
    for (const [term, tf] of counts) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = []));
      list.push({ doc, tf });
    }
    this.lengths.push(length);
    this.totalLength += length;
    return doc;
  }

  /** Inverse document frequency of a term (0 when no document has it). */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    if (!df) return 0;
    const n = this.lengths.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** BM25F score of every document that shares a term with the query (weighted query terms), by doc number. */
  score(query: Map<string, number>): Map<number, number> {
    const scores = new Map<number, number>();
    const n = this.lengths.length;
    if (!n) return scores;
    const avg = this.totalLength / n || 1;
    // Small indexes score every term: there a common word may be the whole signal.
    const maxDocs = n >= PRUNE_FROM_DOCS ? (this.options.maxDocShare ?? 1) * n : n;
    for (const [term, queryWeight] of query) {
      const list = this.postings.get(term);
      if (!list || list.length > maxDocs) continue;
      const idf = this.idf(term);
      for (const { doc, tf } of list) {
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / avg);
        scores.set(doc, (scores.get(doc) ?? 0) + (queryWeight * idf * tf * (this.k1 + 1)) / norm);
      }
    }
    return scores;
  }
}

/** Query terms with weights: each field's tokens counted once per term, times the field weight. */
export function weightedQuery(fields: Record<string, { text: string; weight: number }>, maxChars = 4000) {
  const query = new Map<string, number>();
  for (const { text, weight } of Object.values(fields)) {
    for (const token of new Set(tokenize(text.slice(0, maxChars)))) {
      query.set(token, Math.max(query.get(token) ?? 0, weight));
    }
  }
  return query;
}
