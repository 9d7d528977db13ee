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
import { Bm25Index, weightedQuery } from '../src-shared/text-match';
import type { HelpRequest, LibraryItem, Member, Suggestion, Suggestions } from '../src-shared/team';
import type { ResolvedRecord, TeamStore } from './store/team-store';
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
const QUERY_WEIGHTS = { question: 1, app: 0.5, screen: 0.25 };

interface ExpertDoc {
  helperId: string;
  kind: 'request' | 'library';
  app: string;
  /** The question, or the library item's title. */
  title: string;
}

/** One team's index. */
class TeamExpertise {
  readonly index = new Bm25Index({ weights: FIELD_WEIGHTS, maxFieldChars: 3000, maxDocShare: MAX_DOC_SHARE });
  readonly docs: ExpertDoc[] = [];
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
    this.docs.push({ helperId: creator, kind: 'library', app: item.app, title: doc.title });
  }
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

  /** Ranks the team's helpers and admins for a request (never its requester, never revoked members). */
  async suggest(teamId: string, request: HelpRequest, members: Member[], now: Availability): Promise<Suggestions> {
    const built = await this.team(teamId);
    if (!built.docs.length) {
      return { suggestions: [], message: 'no one has solved this yet: the team has no resolved requests' };
    }
    const query = weightedQuery({
      question: { text: request.question, weight: QUERY_WEIGHTS.question },
      app: { text: request.context.app, weight: QUERY_WEIGHTS.app },
      screen: { text: request.context.ocrText, weight: QUERY_WEIGHTS.screen },
    });
    const scores = built.index.score(query);
    const eligible = new Map(
      members.filter((m) => !m.revoked && m.role !== 'member' && m.id !== request.requester.id).map((m) => [m.id, m]),
    );
    const perHelper = new Map<string, Array<{ doc: ExpertDoc; score: number }>>();
    let best = 0;
    for (const [docNumber, score] of scores) {
      const doc = built.docs[docNumber]!;
      if (!eligible.has(doc.helperId)) continue;
      best = Math.max(best, score);
      const list = perHelper.get(doc.helperId);
      if (list) list.push({ doc, score });
      else perHelper.set(doc.helperId, [{ doc, score }]);
    }
    const ranked: Suggestion[] = [];
    for (const [helperId, matches] of perHelper) {
      matches.sort((a, b) => b.score - a.score);
      const expertise = matches.slice(0, TOP_WEIGHTS.length).reduce((sum, m, i) => sum + m.score * TOP_WEIGHTS[i]!, 0);
      const similar = matches.filter((m) => m.score >= best * SIMILAR_SHARE);
      if (!similar.length) continue;
      const member = eligible.get(helperId)!;
      const online = now.online.has(helperId);
      const load = now.load.get(helperId) ?? 0;
      const score = (expertise * (online ? 1 : OFFLINE_FACTOR)) / (1 + LOAD_PENALTY * load);
      ranked.push({
        member: personRef(member),
        score: Math.round(score * 1000) / 1000,
        reasons: [...expertiseReasons(similar), online ? 'online now' : 'not connected right now', loadReason(load)],
      });
    }
    ranked.sort((a, b) => b.score - a.score || a.member.name.localeCompare(b.member.name));
    if (!ranked.length) {
      return { suggestions: [], message: 'no one has solved this yet: nothing similar was resolved in this team' };
    }
    return { suggestions: ranked.slice(0, MAX_SUGGESTIONS) };
  }
}

function expertiseReasons(similar: Array<{ doc: ExpertDoc; score: number }>): string[] {
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
