/**
 * Finding the right walkthrough, offline. A question is matched against titles, `questions`,
 * tags and step text with stems (plurals, -ing), typo tolerance, a UI thesaurus and WordNet
 * synonyms, then weighed by the app in front and by how many of the walkthrough's targets are
 * visible now. Scores are 0..1; below `CONFIDENCE_THRESHOLD` Sidekick says it has nothing good.
 */
import type { ScreenText } from '../../src-shared/screen';
import type { LibraryEntry, Walkthrough } from '../../src-shared/walkthrough';
import { editDistance } from '../base/text';
import { stem, STOPWORDS, tokenize, UI_THESAURUS } from './words';
import { WordNetSynonyms } from './wordnet';

/** Below this score a match is not trusted: offer a human (or the AI) instead of guessing. */
export const CONFIDENCE_THRESHOLD = 0.5;

/** How much each part of a walkthrough counts when it matches. */
const FIELD_WEIGHTS = { title: 1, questions: 1, tags: 0.75, app: 0.6, steps: 0.6 } as const;
/** How much each kind of match counts relative to the word itself. */
const MATCH_WEIGHTS = { exact: 1, thesaurus: 0.85, typo: 0.8, wordnet: 0.45 } as const;
/** Score multiplier for a walkthrough written for a different app than the one in front. */
const OTHER_APP_FACTOR = 0.55;
/** Weight of on-screen overlap (share of the walkthrough's targets visible now). */
const SCREEN_WEIGHT = 0.1;

/** What the search knows about the moment: the app in front and what is on screen. */
export interface SearchContext {
  app?: string | null;
  screen?: ScreenText | null;
}

/** One ranked walkthrough. */
export interface SearchHit {
  entry: LibraryEntry;
  /** 0..1; compare with `CONFIDENCE_THRESHOLD`. */
  score: number;
  /** Share of the walkthrough's step targets visible on screen now (0 without a screen). */
  onScreen: number;
  appMatches: boolean;
}

interface IndexedDoc {
  entry: LibraryEntry;
  fields: { text: string; weight: number }[];
}

/** True when a walkthrough is meant for `app` (a process/app/window name). */
export function walkthroughMatchesApp(walkthrough: Walkthrough, app: string | null | undefined): boolean {
  if (!app) return false;
  const name = app.toLowerCase();
  const keys = [walkthrough.app.name.toLowerCase(), ...walkthrough.app.match.map((m) => m.toLowerCase())];
  return keys.some((k) => k.length > 0 && (name.includes(k) || k.includes(name)));
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

function stemPhrase(text: string): string {
  return tokenize(text).map(stem).join(' ');
}

let sharedWordNet: WordNetSynonyms | null | undefined;
function defaultWordNet(): WordNetSynonyms | null {
  if (sharedWordNet === undefined) sharedWordNet = WordNetSynonyms.fromPackage();
  return sharedWordNet;
}

/** The thesaurus, stemmed: phrase → the other phrases of its groups. */
const THESAURUS = buildThesaurus();
function buildThesaurus(): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const group of UI_THESAURUS) {
    const stems = group.map(stemPhrase);
    for (const phrase of stems) {
      if (!map.has(phrase)) map.set(phrase, new Set());
      for (const other of stems) if (other !== phrase) map.get(phrase)!.add(other);
    }
  }
  return map;
}

/** A searchable index over library entries. Build once per library load. */
export class WalkthroughIndex {
  private readonly docs: IndexedDoc[];
  private readonly df = new Map<string, number>();
  private readonly vocabulary: string[];
  private readonly wordnet: WordNetSynonyms | null;

  constructor(entries: LibraryEntry[], options: { wordnet?: WordNetSynonyms | null } = {}) {
    this.wordnet = options.wordnet === undefined ? defaultWordNet() : options.wordnet;
    this.docs = entries.map((entry) => {
      const w = entry.walkthrough;
      const fields = [
        { text: w.title, weight: FIELD_WEIGHTS.title },
        ...w.questions.map((q) => ({ text: q, weight: FIELD_WEIGHTS.questions })),
        { text: w.tags.join(' , '), weight: FIELD_WEIGHTS.tags },
        { text: w.app.name, weight: FIELD_WEIGHTS.app },
        ...w.steps.flatMap((s) => [
          { text: s.instruction, weight: FIELD_WEIGHTS.steps },
          ...(s.target ? [{ text: s.target.text, weight: FIELD_WEIGHTS.steps }] : []),
        ]),
      ].map((f) => ({ text: ` ${stemPhrase(f.text)} `, weight: f.weight }));
      return { entry, fields };
    });
    for (const doc of this.docs) {
      const terms = new Set(doc.fields.flatMap((f) => f.text.trim().split(' ').filter(Boolean)));
      for (const t of terms) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.vocabulary = [...this.df.keys()];
  }

  /** Walkthroughs for the app in front, before any question: ranked by how much of each is visible now. */
  suggest(context: SearchContext, limit = 5): SearchHit[] {
    const visible = context.screen ? visibleTexts(context.screen) : new Set<string>();
    const hits: SearchHit[] = [];
    for (const doc of this.docs) {
      const w = doc.entry.walkthrough;
      const appMatches = walkthroughMatchesApp(w, context.app);
      if (context.app && !appMatches) continue;
      const targets = w.steps.map((s) => s.target?.text).filter((t): t is string => !!t);
      const first = targets[0] ? (isLabelVisible(targets[0], visible) ? 1 : 0) : 0;
      const share = targets.length ? targets.filter((t) => isLabelVisible(t, visible)).length / targets.length : 0;
      const score = 0.5 * first + 0.5 * share;
      if (!context.app && score === 0) continue;
      hits.push({ entry: doc.entry, score, onScreen: share, appMatches });
    }
    return hits.sort((a, b) => b.score - a.score || a.entry.walkthrough.title.localeCompare(b.entry.walkthrough.title)).slice(0, limit);
  }

  /** All walkthroughs ranked for a question, best first (scores 0..1). */
  search(question: string, context: SearchContext = {}, limit = 10): SearchHit[] {
    const query = this.expandQuery(question);
    if (query.length === 0) return [];
    const n = this.docs.length;
    const idfs = query.map((q) => {
      const df = q.dfHint ?? 0;
      return Math.log(1 + n / (Math.max(df, 1) + 0.5));
    });
    const totalIdf = idfs.reduce((a, b) => a + b, 0);
    const visible = context.screen ? visibleTexts(context.screen) : null;
    const hits: SearchHit[] = [];
    for (const doc of this.docs) {
      let sum = 0;
      for (const [i, q] of query.entries()) {
        let best = 0;
        for (const [phrase, weight] of q.candidates) {
          if (weight <= best) continue;
          const padded = ` ${phrase} `;
          for (const field of doc.fields) {
            if (weight * field.weight > best && field.text.includes(padded)) best = weight * field.weight;
          }
        }
        sum += idfs[i]! * best;
      }
      let score = totalIdf > 0 ? sum / totalIdf : 0;
      const w = doc.entry.walkthrough;
      const appMatches = walkthroughMatchesApp(w, context.app);
      if (context.app && !appMatches) score *= OTHER_APP_FACTOR;
      let onScreen = 0;
      if (visible) {
        const targets = w.steps.map((s) => s.target?.text).filter((t): t is string => !!t);
        onScreen = targets.length ? targets.filter((t) => isLabelVisible(t, visible)).length / targets.length : 0;
        score = Math.min(1, score + SCREEN_WEIGHT * onScreen * score);
      }
      hits.push({ entry: doc.entry, score: Math.round(score * 1000) / 1000, onScreen, appMatches });
    }
    return hits.filter((h) => h.score > 0).sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** The best walkthrough for a question if it is good enough, else null (with the ranked runners-up). */
  best(question: string, context: SearchContext = {}): { hit: SearchHit | null; ranked: SearchHit[] } {
    const ranked = this.search(question, context, 5);
    const top = ranked[0];
    return { hit: top && top.score >= CONFIDENCE_THRESHOLD ? top : null, ranked };
  }

  /** Expands each content word of the question into the phrases that may stand for it. */
  private expandQuery(question: string): { token: string; candidates: Map<string, number>; dfHint: number | null }[] {
    const raw = tokenize(question).slice(0, 40);
    const stems = raw.map(stem);
    const positions: { token: string; candidates: Map<string, number>; dfHint: number | null }[] = [];
    const byIndex = new Map<number, (typeof positions)[number]>();
    const add = (map: Map<string, number>, phrase: string, weight: number) => {
      if (phrase && (map.get(phrase) ?? 0) < weight) map.set(phrase, weight);
    };
    for (const [i, word] of raw.entries()) {
      if (STOPWORDS.has(word) || word.length < 2) continue;
      const s = stems[i]!;
      const candidates = new Map<string, number>();
      add(candidates, s, MATCH_WEIGHTS.exact);
      for (const other of THESAURUS.get(s) ?? []) add(candidates, other, MATCH_WEIGHTS.thesaurus);
      // Typo tolerance only for words that are not English words themselves ("freez", "wrods"; not "bread" → "break").
      if (!this.df.has(s) && s.length >= 4 && !(this.wordnet && (this.wordnet.knows(word) || this.wordnet.knows(s)))) {
        const maxDistance = s.length >= 7 ? 2 : 1;
        for (const v of this.vocabulary) {
          if (Math.abs(v.length - s.length) <= maxDistance && editDistance(s, v, maxDistance, { transpositions: true }) <= maxDistance) add(candidates, v, MATCH_WEIGHTS.typo);
        }
      }
      if (this.wordnet) {
        for (const form of new Set([word, s])) {
          for (const syn of this.wordnet.synonyms(form)) add(candidates, stemPhrase(syn), MATCH_WEIGHTS.wordnet);
        }
      }
      const known = [...candidates.keys()].map((c) => this.df.get(c)).filter((d): d is number => d !== undefined);
      const entry = { token: word, candidates, dfHint: this.df.get(s) ?? (known.length ? Math.min(...known) : null) };
      positions.push(entry);
      byIndex.set(i, entry);
    }
    // Multi-word phrases ("cross out", "font size"): their equivalents count for every word they span.
    for (let n = 2; n <= 3; n++) {
      for (let i = 0; i + n <= raw.length; i++) {
        const phrase = stems.slice(i, i + n).join(' ');
        const group = new Map<string, number>();
        add(group, phrase, MATCH_WEIGHTS.exact);
        for (const other of THESAURUS.get(phrase) ?? []) add(group, other, MATCH_WEIGHTS.thesaurus);
        if (this.wordnet) for (const syn of this.wordnet.synonyms(raw.slice(i, i + n).join('_'))) add(group, stemPhrase(syn), MATCH_WEIGHTS.wordnet);
        if (group.size <= 1 && !this.phraseKnown(phrase)) continue;
        for (let k = i; k < i + n; k++) {
          const target = byIndex.get(k);
          if (!target) continue;
          for (const [p, w] of group) add(target.candidates, p, w);
          if (target.dfHint === null) target.dfHint = 1;
        }
      }
    }
    // Words that match nothing anywhere weigh like an average word, so one odd word cannot sink a good match.
    const knownDfs = positions.map((p) => p.dfHint).filter((d): d is number => d !== null);
    const typical = knownDfs.length ? knownDfs.reduce((a, b) => a + b, 0) / knownDfs.length : Math.max(1, this.docs.length / 4);
    for (const p of positions) if (p.dfHint === null) p.dfHint = Math.min(typical, 2);
    return positions;
  }

  private phraseKnown(phrase: string): boolean {
    const padded = ` ${phrase} `;
    return this.docs.some((d) => d.fields.some((f) => f.text.includes(padded)));
  }
}
