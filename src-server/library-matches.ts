/**
 * Answer with what exists: the team library's walkthroughs and tips that may answer a help request, ranked by the
 * desktop's own walkthrough search (src-shared/search) for the request's app, question and screen text, each with
 * a reason a helper can read. Also how a library item becomes a chat message.
 */
import { createHash } from 'node:crypto';
import type { ScreenText } from '../src-shared/screen';
import {
  CANDIDATE_CONFIDENCE,
  closeHits,
  CONFIDENCE_THRESHOLD,
  type MatchedWord,
  WalkthroughIndex,
} from '../src-shared/search/walkthrough-search';
import { tipAsWalkthrough } from '../src-shared/search/tips';
import type {
  ChatLibraryRef,
  HelpRequest,
  LibraryItem,
  LibraryMatch,
  LibraryMatches,
  PostMessageBody,
} from '../src-shared/team';
import type { LibraryEntry } from '../src-shared/walkthrough';
import type { Caller, ChatPost, StoreRefusal, TeamStore } from './store/team-store';

/** Matches answered for one request, at most. */
export const MATCH_LIMIT = 5;
/** Indexes kept (one per team, rebuilt when the library or its learned questions change). */
const CACHED_TEAMS = 50;

const FIELD_NAMES: Record<MatchedWord['field'], string> = {
  title: 'title',
  questions: 'questions',
  tags: 'tags',
  targets: 'controls',
  steps: 'steps',
};

/** The live (not deleted) items of a team library, and the newest change to it (a save or a delete). */
async function liveItems(store: TeamStore, teamId: string): Promise<{ items: LibraryItem[]; changed: number }> {
  const { items } = await store.listLibrary(teamId, 0);
  const changed = items.reduce((newest, item) => Math.max(newest, item.seq), 0);
  return { items: items.filter((item) => !item.deleted && item.doc), changed };
}

/** A library item as the walkthrough search indexes it (a tip as its one-step walkthrough, as on the desktop). */
function entryOf(item: LibraryItem): LibraryEntry | null {
  const doc = item.doc;
  if (!doc) return null;
  const walkthrough = doc.format === 'sidekick.tip/1' ? tipAsWalkthrough(doc) : doc;
  return { walkthrough, path: `team:${item.id}`, origin: 'team', readOnly: true };
}

/** The request's screen text (its redacted OCR lines) as the search reads a screen: for the on-screen boost. */
function screenOf(ocrText: string): ScreenText | null {
  const lines = ocrText
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length === 0) return null;
  const box = { x: 0, y: 0, w: 0, h: 0 };
  const elements = lines.map((text, i) => ({ id: `l${i}`, text, conf: 100, box, kind: 'line' as const }));
  return { image: { width: 1, height: 1 }, elements, timings: { totalMs: 0 } };
}

/** "“scrolling” in its title; “column”, “vanish” ≈ “disappear” in its questions": at most 5 words, by field. */
function describeWords(words: MatchedWord[]): string {
  const byField = new Map<MatchedWord['field'], string[]>();
  for (const w of words.slice(0, 5)) {
    const what = w.how === 'same' ? `“${w.matched}”` : `“${w.word}” ≈ “${w.matched}”`;
    byField.set(w.field, [...(byField.get(w.field) ?? []), what]);
  }
  const order = Object.keys(FIELD_NAMES) as MatchedWord['field'][];
  return order
    .filter((field) => byField.has(field))
    .map((field) => `${byField.get(field)!.join(', ')} in its ${FIELD_NAMES[field]}`)
    .join('; ');
}

/** The readable reason of one match. */
function reasonOf(words: MatchedWord[], confidence: number, onScreen: number, app: string): string {
  const strength = confidence >= CONFIDENCE_THRESHOLD ? 'Strong match' : 'Possible match';
  const parts = [`${strength} for ${app || 'any app'}`];
  if (words.length) parts.push(`it has ${describeWords(words)}`);
  if (onScreen > 0) parts.push(`${Math.round(onScreen * 100)}% of its controls are on the person's screen`);
  return parts.join('; ');
}

/** Ranks each team's library for help requests; the index of a team is rebuilt only when its library changed. */
export class LibraryMatcher {
  private readonly indexes = new Map<string, { key: string; index: WalkthroughIndex }>();

  constructor(private readonly store: TeamStore) {}

  /** The team library's walkthroughs and tips for `request`, best first (empty with a message when none fit). */
  async matches(teamId: string, request: HelpRequest): Promise<LibraryMatches> {
    const [{ items, changed }, learned] = await Promise.all([
      liveItems(this.store, teamId),
      this.store.learnedQuestions(teamId),
    ]);
    if (items.length === 0) {
      return {
        matches: [],
        message: "Your team's library is empty: resolve a request and Save as tip, and it will be offered here.",
      };
    }
    const index = this.index(teamId, items, changed, learned);
    const app = request.context.app;
    const context = { app: app || null, screen: screenOf(request.context.ocrText) };
    const ranked = index.search(request.question, context, 10);
    const top = ranked[0];
    if (!top || top.confidence < CANDIDATE_CONFIDENCE) {
      const where = app ? ` for ${app}` : '';
      return {
        matches: [],
        message: `Nothing in your team's library${where} is close to this question (${items.length} items searched).`,
      };
    }
    const byId = new Map(items.map((item) => [item.id, item]));
    const matches: LibraryMatch[] = closeHits(ranked, MATCH_LIMIT).map((hit) => {
      const w = hit.entry.walkthrough;
      const item = byId.get(w.id)!;
      const words = index.explain(request.question, w.id, context);
      const tip = item.doc?.format === 'sidekick.tip/1' ? item.doc : null;
      return {
        id: w.id,
        kind: item.kind,
        title: w.title,
        app: w.app.name,
        steps: w.steps.length,
        text: tip ? tip.body : null,
        score: hit.score,
        confidence: hit.confidence,
        reason: reasonOf(words, hit.confidence, hit.onScreen, w.app.name),
      };
    });
    return { matches };
  }

  private index(
    teamId: string,
    items: LibraryItem[],
    changed: number,
    learned: Record<string, string[]>,
  ): WalkthroughIndex {
    // Rebuilt when an item was saved or deleted, or a question was learned (not on every chat message).
    const key = `${changed}:${createHash('sha256').update(JSON.stringify(learned)).digest('base64')}`;
    const cached = this.indexes.get(teamId);
    if (cached?.key === key) return cached.index;
    const entries = items.map(entryOf).filter((entry): entry is LibraryEntry => entry !== null);
    const index = new WalkthroughIndex(entries, { learned: new Map(Object.entries(learned)) });
    if (this.indexes.size >= CACHED_TEAMS) this.indexes.clear();
    this.indexes.set(teamId, { key, index });
    return index;
  }
}

/** One item of a team's library (a deleted one as its tombstone), or null: another team's ids are never found. */
export async function findLibraryItem(store: TeamStore, teamId: string, id: string): Promise<LibraryItem | null> {
  const { items } = await store.listLibrary(teamId, 0);
  return items.find((item) => item.id === id) ?? null;
}

/**
 * A client's chat body as the store keeps it. A `library` post (helpers and admins) gets its item from the
 * caller's team library: the walkthrough's title, or the tip's text, as the message text.
 */
export async function chatPostOf(
  store: TeamStore,
  caller: Caller,
  body: PostMessageBody,
): Promise<ChatPost | StoreRefusal> {
  if (body.kind !== 'library') return body;
  if (caller.member.role === 'member') {
    return { refused: 'forbidden', message: 'only helpers and admins can send library items into a chat' };
  }
  const item = await findLibraryItem(store, caller.team.id, body.itemId);
  if (!item?.doc || item.deleted) {
    return { refused: 'not_found', message: `library item ${body.itemId} was not found in your team's library` };
  }
  const doc = item.doc;
  const library: ChatLibraryRef = { id: item.id, kind: item.kind, title: doc.title, app: doc.app?.name ?? '' };
  const text = doc.format === 'sidekick.tip/1' ? doc.body.trim() || doc.title : doc.title;
  return { clientId: body.clientId, kind: 'library', text, library };
}
