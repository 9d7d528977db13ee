/**
 * Who knows what: which helpers resolved requests like this one, or wrote library items about it.
 *
 * Each team has its own in-memory index (never shared between teams), built lazily from the store on the
 * first suggestion and kept current by this instance: a resolve adds that request, a library save adds that
 * item. Other instances' resolves (PostgreSQL clusters) reach it when the index is rebuilt, at most
 * `REBUILD_AFTER_MS` after it was built. Every resolved request is one BM25F document (question, resolution
 * and chat weigh more than the screen text); a helper's expertise is the sum of their best-matching
 * documents, with diminishing weight, so several similar resolutions beat one.
 */
import { Bm25Index, tokenize, weightedQuery } from '../src-shared/text-match';
import type {
  HelpRequest,
  LibraryItem,
  Member,
  PersonProfile,
  RoutedHelper,
  Suggestion,
  Suggestions,
} from '../src-shared/team';
import type { ResolvedRecord, RoutingDraft, TeamStore } from './store/team-store';
import { personRef } from './store/team-store';

/** How long an index is trusted before it is rebuilt (picks up other instances' resolves). */
export const REBUILD_AFTER_MS = 5 * 60_000;
/** Documents of one helper that count, best first, and their weights. */
const TOP_WEIGHTS = [1, 0.6, 0.45, 0.35, 0.3, 0.25];
/** A document counts as "similar" when it scores at least this share of the best document's score. */
const SIMILAR_SHARE = 0.45;
/** Ranking: not connected now multiplies by this; each claimed open request divides by (1 + LOAD_PENALTY). */
const OFFLINE_FACTOR = 0.8;
const LOAD_PENALTY = 0.2;
/** Query words in more than this share of a team's documents are not scored (menu bars; speed). */
const MAX_DOC_SHARE = 0.3;
/** How many helpers a suggestion list holds at most. */
const MAX_SUGGESTIONS = 5;

const FIELD_WEIGHTS = { question: 3, resolution: 2, chat: 1, app: 1, screen: 0.4, title: 3, body: 1 };
const QUERY_WEIGHTS = { question: 1, app: 0.15, screen: 0.25 };

interface ExpertDoc {
  helperId: string;
  kind: 'request' | 'library';
  app: string;
  /** The question, or the library item's title. */
  title: string;
  /** Library items: the item's id and kind (an item is indexed again at each version). */
  item?: { id: string; kind: LibraryItem['kind'] };
}

/** A document that matched a query, with its score. */
interface Match {
  doc: ExpertDoc;
  score: number;
}

/** One eligible person's matches, best first, and their expertise score (before availability and load). */
interface Ranked {
  member: Member;
  matches: Match[];
  similar: Match[];
  expertise: number;
}

/** How many of the top suggested helpers a new request goes to first. */
export const ROUTE_TO_TOP = 3;
/** Example questions and written titles per person in the directory. */
const PROFILE_EXAMPLES = 3;

/** One team's index. */
class TeamExpertise {
  readonly index = new Bm25Index({ weights: FIELD_WEIGHTS, maxFieldChars: 3000, maxDocShare: MAX_DOC_SHARE });
  readonly docs: ExpertDoc[] = [];
  /** Library items deleted since they were indexed (left out of the directory). */
  readonly deletedItems = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(readonly builtAt: number) {}

  addResolved(record: ResolvedRecord): void {
    if (this.seen.has(`r:${record.requestId}`)) return;
    this.seen.add(`r:${record.requestId}`);
    this.index.add({
      question: record.question,
      resolution: record.resolution,
      chat: record.chat.join('\n'),
      app: record.app,
      screen: record.ocrText,
    });
    this.docs.push({ helperId: record.helperId, kind: 'request', app: record.app, title: record.question });
  }

  addLibrary(item: LibraryItem): void {
    const creator = item.createdBy?.id ?? item.updatedBy.id;
    const key = `l:${item.id}:${item.version}`;
    if (item.deleted || !item.doc) this.deletedItems.add(item.id);
    else this.deletedItems.delete(item.id);
    if (item.deleted || !item.doc || this.seen.has(key)) return;
    this.seen.add(key);
    const doc = item.doc;
    const body =
      doc.format === 'sidekick.tip/1' ? doc.body : doc.steps.map((step: { instruction: string }) => step.instruction);
    this.index.add({
      title: `${doc.title} ${(doc.questions ?? []).join(' ')}`,
      body: Array.isArray(body) ? body.join('\n') : body,
      app: item.app,
    });
    this.docs.push({
      helperId: creator,
      kind: 'library',
      app: item.app,
      title: doc.title,
      item: { id: item.id, kind: item.kind },
    });
  }
}

/** What ranking helpers reads of a request (a stored request, or one about to be stored). */
export interface AskedRequest {
  question: string;
  context: { app: string; ocrText: string };
  requester: { id: string };
}

/** What a ranking needs to know about people right now. */
export interface Availability {
  /** Member ids connected to this instance now. */
  online: ReadonlySet<string>;
  /** Member id → open requests they claimed. */
  load: ReadonlyMap<string, number>;
}

/** The per-team expertise indexes of one server instance. */
export class ExpertiseService {
  private readonly teams = new Map<string, Promise<TeamExpertise>>();

  constructor(
    private readonly store: TeamStore,
    private readonly clock: () => number = Date.now,
  ) {}

  private team(teamId: string): Promise<TeamExpertise> {
    const existing = this.teams.get(teamId);
    if (existing) {
      return existing.then((built) => {
        if (this.clock() - built.builtAt < REBUILD_AFTER_MS) return built;
        if (this.teams.get(teamId) === existing) this.teams.delete(teamId);
        return this.team(teamId);
      });
    }
    const building = this.build(teamId);
    this.teams.set(teamId, building);
    building.catch(() => this.teams.get(teamId) === building && this.teams.delete(teamId));
    return building;
  }

  private async build(teamId: string): Promise<TeamExpertise> {
    const built = new TeamExpertise(this.clock());
    const [history, library] = await Promise.all([
      this.store.resolvedHistory(teamId),
      this.store.listLibrary(teamId, 0),
    ]);
    for (const record of history) built.addResolved(record);
    for (const item of library.items) built.addLibrary(item);
    return built;
  }

  /**
   * Adds a request this instance just resolved (only when the team's index exists; else it is read on build).
   * Never throws: the resolve is committed already; if the store cannot be read now, the index is dropped and
   * rebuilt on the next suggestion.
   */
  async noteResolved(teamId: string, requestId: string): Promise<void> {
    const existing = this.teams.get(teamId);
    if (!existing) return;
    try {
      const [built, records] = await Promise.all([existing, this.store.resolvedHistory(teamId, requestId)]);
      for (const record of records) built.addResolved(record);
    } catch {
      if (this.teams.get(teamId) === existing) this.teams.delete(teamId);
    }
  }

  /** Adds a library item this instance just saved. */
  async noteLibrary(teamId: string, item: LibraryItem): Promise<void> {
    const existing = this.teams.get(teamId);
    if (existing) (await existing.catch(() => null))?.addLibrary(item);
  }

  /**
   * Scores a query against the team's documents and groups the matches per eligible person, best first.
   * `similar` holds each person's documents scoring at least `SIMILAR_SHARE` of the best one overall.
   */
  private rank(built: TeamExpertise, query: Map<string, number>, eligible: Map<string, Member>): Ranked[] {
    const perPerson = new Map<string, Match[]>();
    let best = 0;
    for (const [docNumber, score] of built.index.score(query)) {
      const doc = built.docs[docNumber]!;
      if (!eligible.has(doc.helperId) || (doc.item && built.deletedItems.has(doc.item.id))) continue;
      best = Math.max(best, score);
      const list = perPerson.get(doc.helperId);
      if (list) list.push({ doc, score });
      else perPerson.set(doc.helperId, [{ doc, score }]);
    }
    const ranked: Ranked[] = [];
    for (const [id, matches] of perPerson) {
      matches.sort((a, b) => b.score - a.score);
      const expertise = matches.slice(0, TOP_WEIGHTS.length).reduce((sum, m, i) => sum + m.score * TOP_WEIGHTS[i]!, 0);
      const similar = matches.filter((m) => m.score >= best * SIMILAR_SHARE);
      if (similar.length) ranked.push({ member: eligible.get(id)!, matches, similar, expertise });
    }
    return ranked.sort((a, b) => b.expertise - a.expertise || a.member.name.localeCompare(b.member.name));
  }

  /** Ranks helpers with availability and load; the internal matches stay beside each public suggestion. */
  private async ranked(
    teamId: string,
    request: AskedRequest,
    members: Member[],
    now: Availability,
  ): Promise<{ ranked: Array<Ranked & { suggestion: Suggestion }>; message?: string }> {
    const built = await this.team(teamId);
    if (!built.docs.length) {
      return { ranked: [], message: 'no one has solved this yet: the team has no resolved requests' };
    }
    const query = weightedQuery({
      question: { text: request.question, weight: QUERY_WEIGHTS.question },
      app: { text: request.context.app, weight: QUERY_WEIGHTS.app },
      screen: { text: request.context.ocrText, weight: QUERY_WEIGHTS.screen },
    });
    const eligible = new Map(
      members.filter((m) => !m.revoked && m.role !== 'member' && m.id !== request.requester.id).map((m) => [m.id, m]),
    );
    const ranked = this.rank(built, query, eligible).map((entry) => {
      const online = now.online.has(entry.member.id);
      const load = now.load.get(entry.member.id) ?? 0;
      const score = (entry.expertise * (online ? 1 : OFFLINE_FACTOR)) / (1 + LOAD_PENALTY * load);
      const suggestion: Suggestion = {
        member: personRef(entry.member),
        score: Math.round(score * 1000) / 1000,
        reasons: [
          ...expertiseReasons(entry.similar),
          online ? 'online now' : 'not connected right now',
          loadReason(load),
        ],
      };
      return { ...entry, suggestion };
    });
    ranked.sort((a, b) => b.suggestion.score - a.suggestion.score || a.member.name.localeCompare(b.member.name));
    if (!ranked.length) {
      return { ranked: [], message: 'no one has solved this yet: nothing similar was resolved in this team' };
    }
    return { ranked: ranked.slice(0, MAX_SUGGESTIONS) };
  }

  /** Ranks the team's helpers and admins for a request (never its requester, never revoked members). */
  async suggest(teamId: string, request: HelpRequest, members: Member[], now: Availability): Promise<Suggestions> {
    const { ranked, message } = await this.ranked(teamId, request, members, now);
    return { suggestions: ranked.map((entry) => entry.suggestion), ...(message ? { message } : {}) };
  }

  /**
   * Who a new request goes to first: its top `ROUTE_TO_TOP` suggested helpers for `afterMinutes`, then the whole
   * team; everyone at once when nobody solved anything like it (or `afterMinutes` is 0). Reasons for the
   * person who asked use only their own words, never other people's questions.
   */
  async route(
    teamId: string,
    request: AskedRequest,
    members: Member[],
    now: Availability,
    afterMinutes: number,
  ): Promise<RoutingDraft> {
    if (afterMinutes === 0) {
      return { suggested: [], topic: '', afterMinutes: 0, message: 'the team sends every request to everyone at once' };
    }
    const { ranked, message } = await this.ranked(teamId, request, members, now);
    const top = ranked.slice(0, ROUTE_TO_TOP);
    const built = await this.team(teamId);
    const idf = (token: string): number => built.index.idf(token);
    if (!top.length) return { suggested: [], topic: '', afterMinutes: 0, ...(message ? { message } : {}) };
    const suggested: RoutedHelper[] = top.map((entry) => ({
      member: entry.suggestion.member,
      reasons: entry.suggestion.reasons,
      askerReason: askerReason(entry.similar, sharedWords(request.question, entry.similar, idf)),
    }));
    const topic = sharedWords(
      request.question,
      top.flatMap((entry) => entry.similar),
      idf,
    );
    return { suggested, topic: joinWords(topic), afterMinutes };
  }

  /**
   * The people directory: every member who is not revoked, with what they solved (per app, a few example
   * questions) and the tips and walkthroughs they wrote; with `q`, only those whose work matches it, best
   * first (the suggestion ranking without availability and load), else by number solved.
   */
  async profiles(teamId: string, members: Member[], q: string): Promise<PersonProfile[]> {
    const built = await this.team(teamId);
    const people = new Map(members.filter((m) => !m.revoked).map((m) => [m.id, m]));
    const work = new Map<string, ExpertDoc[]>();
    for (const doc of built.docs) {
      if (!people.has(doc.helperId)) continue;
      const list = work.get(doc.helperId);
      if (list) list.push(doc);
      else work.set(doc.helperId, [doc]);
    }
    const matchesOf = new Map<string, Ranked>();
    if (q) {
      const query = weightedQuery({ question: { text: q, weight: 1 } });
      for (const entry of this.rank(built, query, people)) matchesOf.set(entry.member.id, entry);
    }
    const profiles: PersonProfile[] = [];
    for (const member of people.values()) {
      const match = matchesOf.get(member.id);
      if (q && !match) continue;
      const docs = work.get(member.id) ?? [];
      const solved = docs.filter((doc) => doc.kind === 'request');
      const apps = new Map<string, number>();
      for (const doc of solved) apps.set(doc.app || 'unknown app', (apps.get(doc.app || 'unknown app') ?? 0) + 1);
      // Each library item once, at its newest indexed version; deleted ones left out.
      const items = new Map<string, ExpertDoc>();
      for (const doc of docs) if (doc.item && !built.deletedItems.has(doc.item.id)) items.set(doc.item.id, doc);
      const written = [...items.values()];
      const examples = match
        ? unique(match.matches.filter((m) => m.doc.kind === 'request').map((m) => m.doc.title))
        : unique(solved.map((doc) => doc.title).reverse());
      profiles.push({
        member: personRef(member),
        solved: solved.length,
        apps: [...apps]
          .map(([app, count]) => ({ app, solved: count }))
          .sort((a, b) => b.solved - a.solved || a.app.localeCompare(b.app)),
        examples: examples.slice(0, PROFILE_EXAMPLES).map(clip),
        written: {
          tips: written.filter((doc) => doc.item!.kind === 'tip').length,
          walkthroughs: written.filter((doc) => doc.item!.kind === 'walkthrough').length,
          titles: (match
            ? unique(match.matches.filter((m) => m.doc.item).map((m) => m.doc.title))
            : unique(written.map((doc) => doc.title).reverse())
          )
            .slice(0, PROFILE_EXAMPLES)
            .map(clip),
        },
        score: match ? Math.round(match.expertise * 1000) / 1000 : null,
      });
    }
    return profiles.sort(
      (a, b) =>
        (b.score ?? 0) - (a.score ?? 0) ||
        b.solved - a.solved ||
        b.written.tips + b.written.walkthroughs - (a.written.tips + a.written.walkthroughs) ||
        a.member.name.localeCompare(b.member.name),
    );
  }
}

/**
 * Words of the asker's own question that the matched documents' titles share most, as written: the most shared
 * one (ties: the word more of the team's documents use, so a rare word that happens to match loses to the
 * subject), and a second one when at least two titles share it too.
 */
function sharedWords(question: string, matches: Match[], idf: (token: string) => number): string[] {
  const titles = matches.map((m) => new Set(tokenize(m.doc.title)));
  const counted = new Map<string, { word: string; count: number; at: number; idf: number }>();
  question
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .forEach((word, at) => {
      const token = word ? tokenize(word)[0] : undefined;
      if (!token || counted.has(token) || /^\d+$/.test(token)) return;
      const count = titles.filter((tokens) => tokens.has(token)).length;
      if (count) counted.set(token, { word: word.replace(/^'+|'+$/g, ''), count, at, idf: idf(token) });
    });
  const [first, second] = [...counted.values()].sort((a, b) => b.count - a.count || a.idf - b.idf || a.at - b.at);
  if (!first) return [];
  return (second && second.count >= 2 ? [first, second].sort((a, b) => a.at - b.at) : [first]).map((e) => e.word);
}

function joinWords(words: string[]): string {
  return words.join(' and ');
}

/** "solved 4 similar problems about printer and pages" (or what they wrote, when they solved none). */
function askerReason(similar: Match[], words: string[]): string {
  const about = words.length ? ` about ${joinWords(words)}` : '';
  const solved = similar.filter((m) => m.doc.kind === 'request').length;
  if (solved) return `solved ${solved} similar ${solved === 1 ? 'problem' : 'problems'}${about}`;
  const wrote = new Set(similar.map((m) => m.doc.item?.id)).size;
  return `wrote ${wrote === 1 ? 'a tip or walkthrough' : `${wrote} tips or walkthroughs`}${about || ' on this'}`;
}

function unique(texts: string[]): string[] {
  return [...new Set(texts)];
}

function expertiseReasons(similar: Match[]): string[] {
  const reasons: string[] = [];
  const requests = similar.filter((m) => m.doc.kind === 'request');
  if (requests.length) {
    const apps = [...new Set(requests.map((m) => m.doc.app).filter(Boolean))].slice(0, 3);
    const where = apps.length ? ` in ${apps.join(', ')}` : '';
    const plural = requests.length === 1 ? 'request' : 'requests';
    reasons.push(`resolved ${requests.length} similar ${plural}${where}, e.g. '${clip(requests[0]!.doc.title)}'`);
  }
  const library = similar.filter((m) => m.doc.kind === 'library');
  if (library.length) {
    const plural = library.length === 1 ? 'item' : 'items';
    reasons.push(`wrote ${library.length} matching library ${plural}, e.g. '${clip(library[0]!.doc.title)}'`);
  }
  return reasons;
}

function loadReason(load: number): string {
  if (!load) return 'not helping anyone right now';
  return `already helping ${load} ${load === 1 ? 'person' : 'people'}`;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}
