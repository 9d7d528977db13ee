/**
 * What the SQLite and PostgreSQL team stores share: the columns of their rows, how a row becomes the
 * object the API sends, and the library's version rules. Only the SQL (dialect, locking, round trips)
 * differs between the two backends; the meaning of a row must not.
 */
import { randomBytes } from 'node:crypto';
import type {
  ChatLibraryRef,
  ChatMessage,
  HelpRequest,
  Invite,
  LibraryDoc,
  LibraryItem,
  Member,
  PersonRef,
  RequestState,
  Role,
  Routing,
  TeamSettingsAnswer,
  UsageEvent,
} from '../../src-shared/team';
import { DEFAULT_TEAM_SETTINGS } from '../../src-shared/team';
import type {
  Caller,
  ChatPost,
  InsightSummary,
  RequestAction,
  ResolvedRecord,
  RoutingDraft,
  StoredScreenshot,
  StoredUsageEvent,
  StoreRefusal,
} from './team-store';
import { libraryWriteRefusal } from './team-store';

/** A new id: a short prefix and 16 url-safe random characters. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** The timestamp every store writes: ISO 8601 in UTC. */
export function now(): string {
  return new Date().toISOString();
}

/** The `members` columns. */
export interface MemberRow {
  id: string;
  team_id: string;
  name: string;
  role: Role;
  created_at: string;
  revoked_at: string | null;
}

/** The `invites` columns the API shows. */
export interface InviteRow {
  id: string;
  team_id: string;
  role: Role;
  max_uses: number;
  uses: number;
  expires_at: string;
  created_at: string;
  revoked_at: string | null;
}

/** The `requests` columns (the screenshot as its size only). */
export interface RequestRow {
  id: string;
  team_id: string;
  client_id: string;
  requester_id: string;
  state: RequestState;
  question: string;
  context: string;
  screenshot_mime: string | null;
  screenshot_width: number | null;
  screenshot_height: number | null;
  screenshot_bytes: number | null;
  claimed_by: string | null;
  resolution: string | null;
  last_message_seq: number;
  created_at: string;
  updated_at: string;
  /** JSON of the request's `routing`, null before routing existed. */
  routing: string | null;
}

/** The `team_settings` columns (booleans are 0/1 in SQLite). */
export interface TeamSettingsRow {
  route_to_team_after_minutes: number;
  show_helper_names_to_requester: number | boolean;
  updated_at: string;
  updated_by: string | null;
}

/** The settings answer of a row (or the defaults when the team never changed them). */
export function teamSettingsOf(row: TeamSettingsRow | undefined, updatedBy: PersonRef | null): TeamSettingsAnswer {
  if (!row) return { settings: { ...DEFAULT_TEAM_SETTINGS }, updatedAt: null, updatedBy: null };
  return {
    settings: {
      routeToTeamAfterMinutes: row.route_to_team_after_minutes,
      showHelperNamesToRequester: Boolean(row.show_helper_names_to_requester),
    },
    updatedAt: row.updated_at,
    updatedBy,
  };
}

/** The JSON a request's routing is stored as: the draft with `wholeTeamAt` stamped from the asking time. */
export function routingJson(draft: RoutingDraft | null | undefined, createdAt: string): string | null {
  if (!draft) return null;
  const wholeTeamAt = new Date(Date.parse(createdAt) + draft.afterMinutes * 60_000).toISOString();
  const routing: Routing = {
    suggested: draft.suggested,
    wholeTeamAt,
    topic: draft.topic,
    ...(draft.message ? { message: draft.message } : {}),
  };
  return JSON.stringify(routing);
}

/** The `messages` columns. */
export interface MessageRow {
  id: string;
  request_id: string;
  seq: number;
  client_id: string;
  author_id: string;
  kind: ChatMessage['kind'];
  text: string;
  pointer: string | null;
  /** A `library` message's item (JSON), else null. */
  library: string | null;
  created_at: string;
}

/** What both stores insert for one chat message. */
export interface MessageInput {
  clientId: string;
  kind: ChatMessage['kind'];
  text: string;
  pointer: ChatMessage['pointer'];
  library?: ChatLibraryRef | null;
}

/** The stored fields of a posted chat message. */
export function messageInputOf(body: ChatPost): MessageInput {
  return {
    clientId: body.clientId,
    kind: body.kind,
    text: body.text ?? '',
    pointer: body.kind === 'pointer' ? body.pointer : null,
    library: body.kind === 'library' ? body.library : null,
  };
}

/** The `library` columns; `deleted` is 0/1 in SQLite and a boolean in PostgreSQL. */
export interface LibraryRow {
  id: string;
  kind: LibraryItem['kind'];
  version: number;
  doc: string | null;
  app: string;
  labels: string;
  deleted: number | boolean;
  updated_by: string;
  updated_at: string;
  seq: number;
  /** Null for items saved before authors were recorded: only helpers and admins may change those. */
  created_by: string | null;
}

/** A member as the API shows it. */
export function memberOf(row: MemberRow): Member {
  return { id: row.id, name: row.name, role: row.role, createdAt: row.created_at, revoked: row.revoked_at !== null };
}

/** An invite as the API shows it (never its code). */
export function inviteOf(row: InviteRow): Invite {
  return {
    id: row.id,
    role: row.role,
    maxUses: row.max_uses,
    uses: row.uses,
    expiresAt: row.expires_at,
    revoked: row.revoked_at !== null,
    createdAt: row.created_at,
  };
}

/** A help request as the API shows it; the store resolves the people (join or member cache). */
export function requestOf(row: RequestRow, requester: PersonRef, claimedBy: PersonRef | null): HelpRequest {
  return {
    id: row.id,
    clientId: row.client_id,
    state: row.state,
    question: row.question,
    context: JSON.parse(row.context) as HelpRequest['context'],
    screenshot:
      row.screenshot_mime && row.screenshot_width && row.screenshot_height
        ? {
            mime: row.screenshot_mime,
            width: row.screenshot_width,
            height: row.screenshot_height,
            bytes: row.screenshot_bytes ?? 0,
          }
        : null,
    requester,
    claimedBy,
    resolution: row.resolution,
    lastMessageSeq: row.last_message_seq,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.routing ? { routing: JSON.parse(row.routing) as Routing } : {}),
  };
}

/** A chat message as the API shows it. */
export function messageOf(row: MessageRow, author: PersonRef): ChatMessage {
  return {
    id: row.id,
    clientId: row.client_id,
    requestId: row.request_id,
    seq: row.seq,
    author,
    kind: row.kind,
    text: row.text,
    pointer: row.pointer ? (JSON.parse(row.pointer) as ChatMessage['pointer']) : null,
    library: row.library ? (JSON.parse(row.library) as ChatLibraryRef) : null,
    createdAt: row.created_at,
  };
}

/** A library item as the API shows it. */
export function libraryOf(row: LibraryRow, updatedBy: PersonRef, createdBy: PersonRef | null): LibraryItem {
  return {
    id: row.id,
    kind: row.kind,
    version: row.version,
    doc: row.doc ? (JSON.parse(row.doc) as LibraryDoc) : null,
    app: row.app,
    labels: JSON.parse(row.labels) as string[],
    deleted: Boolean(row.deleted),
    updatedBy,
    createdBy,
    updatedAt: row.updated_at,
    seq: row.seq,
  };
}

/** The on-screen labels a library document is about: a tip's labels, a walkthrough's step targets. */
export function libraryLabels(doc: LibraryDoc): string[] {
  if (doc.format === 'sidekick.tip/1') return doc.labels;
  const labels: string[] = [];
  for (const step of doc.steps) {
    const target = (step as { target?: { text?: unknown } }).target;
    if (target && typeof target.text === 'string') labels.push(target.text);
  }
  return labels;
}

/**
 * The library's write rules, the same in every store: the item must exist unless created with baseVersion 0,
 * a deleted item cannot be deleted again, the caller must have edited the current version, and members
 * change only their own items. Returns the refusal, or null when the write may go ahead.
 * `currentItem` turns the current row into the item a version conflict sends back.
 */
export function libraryWriteCheck<R extends LibraryRow>(
  caller: Caller,
  id: string,
  current: R | null | undefined,
  baseVersion: number,
  doc: LibraryDoc | null,
  currentItem: (row: R) => LibraryItem,
): StoreRefusal | null {
  if (!current && doc === null) {
    return { refused: 'not_found', message: `library item ${id} was not found in your team` };
  }
  if (!current && baseVersion !== 0) {
    const message = `library item ${id} was not found in your team; save it with baseVersion 0 to create it`;
    return { refused: 'not_found', message };
  }
  const currentVersion = current?.version ?? 0;
  if (current && current.deleted && doc === null) {
    return { refused: 'conflict', message: `library item ${id} is already deleted` };
  }
  if (currentVersion !== baseVersion) {
    const message =
      baseVersion === 0
        ? `library item ${id} already exists (version ${currentVersion}); ` +
          `save with baseVersion ${currentVersion} after merging, or use a new id`
        : `library item ${id} was changed by someone else: you edited version ${baseVersion}, ` +
          `the team has version ${currentVersion}. ` +
          'Nothing was saved; merge with the current version or save yours under a new id';
    return { refused: 'version_conflict', message, current: currentItem(current!) };
  }
  return current ? libraryWriteRefusal(caller, { id, createdBy: current.created_by }, doc === null) : null;
}

/** The kind, app and labels a library write stores: from the new document, or kept from the deleted item's row. */
export function libraryFields(
  doc: LibraryDoc | null,
  current: LibraryRow | null | undefined,
): { kind: LibraryItem['kind']; app: string; labels: string[] } {
  if (doc) {
    const kind = doc.format === 'sidekick.tip/1' ? 'tip' : 'walkthrough';
    return { kind, app: doc.app?.name ?? '', labels: libraryLabels(doc) };
  }
  return { kind: current!.kind, app: current!.app, labels: JSON.parse(current!.labels) as string[] };
}

/**
 * Whether a help request in `state` may take `action`: only open requests can be claimed, and nothing
 * happens to a resolved or cancelled one. `claimedName` names the helper for the refusal. Null when allowed.
 */
export function transitionRefusal(
  requestId: string,
  action: RequestAction,
  state: RequestState,
  claimedName: () => string | null,
): StoreRefusal | null {
  if (action === 'claim') {
    if (state === 'open') return null;
    const by = claimedName();
    const message = `help request ${requestId} is ${state}${by ? ` by ${by}` : ''}; only open requests can be claimed`;
    return { refused: 'conflict', message };
  }
  if (state === 'resolved' || state === 'cancelled') {
    return { refused: 'conflict', message: `help request ${requestId} is already ${state}` };
  }
  return null;
}

/** The system message a request's chat gets when `who` takes `action`. */
export function transitionText(who: string, action: RequestAction, resolution?: string): string {
  if (action === 'claim') return `${who} is helping with this request`;
  if (action === 'resolve') {
    return resolution ? `${who} resolved this request: ${resolution}` : `${who} resolved this request`;
  }
  return `${who} cancelled this request`;
}

/** Learned questions as rows (ordered by item, newest first) → item id → questions. */
export function groupLearned(rows: ReadonlyArray<{ item_id: string; question: string }>): Record<string, string[]> {
  const items: Record<string, string[]> = {};
  for (const row of rows) (items[row.item_id] ??= []).push(row.question);
  return items;
}

/** A stored screenshot from its row's columns, or null when the request has none. */
export function screenshotOf(row: {
  screenshot_mime: string | null;
  screenshot_width: number;
  screenshot_height: number;
  screenshot: Buffer | null;
}): StoredScreenshot | null {
  if (!row.screenshot || !row.screenshot_mime) return null;
  return {
    mime: row.screenshot_mime,
    width: row.screenshot_width,
    height: row.screenshot_height,
    bytes: row.screenshot,
  };
}

/** A resolved request's columns as `resolvedHistory` reads them. */
export interface HistoryRow {
  id: string;
  claimed_by: string;
  question: string;
  context: string;
  resolution: string | null;
  at: string;
}

/** Resolved requests and their chat lines (ordered by request, then seq) → expertise records. */
export function historyOf(
  rows: HistoryRow[],
  messages: ReadonlyArray<{ request_id: string; text: string }>,
): ResolvedRecord[] {
  const chats = new Map<string, string[]>();
  for (const message of messages) {
    const list = chats.get(message.request_id);
    if (list) list.push(message.text);
    else chats.set(message.request_id, [message.text]);
  }
  return rows.map((row) => {
    const context = JSON.parse(row.context) as { app?: string; ocrText?: string };
    return {
      requestId: row.id,
      helperId: row.claimed_by,
      app: context.app ?? '',
      question: row.question,
      ocrText: context.ocrText ?? '',
      chat: chats.get(row.id) ?? [],
      resolution: row.resolution ?? '',
      resolvedAt: row.at,
    };
  });
}

/**
 * Per-app medians, in minutes, from counts of tenth-of-a-minute buckets (rows with a null bucket are skipped):
 * the middle value, or the mean of the two middle values, as with the exact list.
 */
export function medianOfBuckets(rows: readonly MinuteBucket[]): Array<{ app: string; median: number | null }> {
  const byApp = new Map<string, Array<{ bucket: number; n: number }>>();
  for (const row of rows) {
    if (row.bucket === null) continue;
    const list = byApp.get(row.app);
    if (list) list.push({ bucket: row.bucket, n: row.n });
    else byApp.set(row.app, [{ bucket: row.bucket, n: row.n }]);
  }
  return [...byApp].map(([app, buckets]) => {
    buckets.sort((a, b) => a.bucket - b.bucket);
    const total = buckets.reduce((sum, b) => sum + b.n, 0);
    const at = (index: number) => {
      let seen = 0;
      for (const b of buckets) {
        seen += b.n;
        if (index < seen) return b.bucket;
      }
      return buckets[buckets.length - 1]!.bucket;
    };
    return { app, median: (at((total - 1) >> 1) + at(total >> 1)) / 20 };
  });
}

/** A group of requests of one app whose minutes to claim (or to resolve) fall in one tenth-of-a-minute bucket. */
export interface MinuteBucket {
  app: string;
  n: number;
  /** Resolved requests in the group (counted on the claim buckets only). */
  resolved?: number;
  /** Tenths of a minute; null for requests never claimed. */
  bucket: number | null;
}

/**
 * `insightSummary` from minute buckets, as both stores compute it: requests and resolved per app from the
 * claim buckets (which hold every request), the medians from the buckets (`medianOfBuckets`).
 */
export function summaryOfBuckets(
  claimBuckets: readonly MinuteBucket[],
  resolveBuckets: readonly MinuteBucket[],
  questions: ReadonlyArray<{ app: string; question: string }>,
  steps: Parameters<typeof summaryOf>[4],
): InsightSummary {
  return summaryOf(
    appsOfBuckets(claimBuckets),
    medianOfBuckets(claimBuckets),
    medianOfBuckets(resolveBuckets),
    questions,
    steps,
  );
}

/** Requests and resolved requests per app, from the claim buckets. */
export function appsOfBuckets(claimBuckets: readonly MinuteBucket[]) {
  const byApp = new Map<string, { app: string; requests: number; resolved: number }>();
  for (const row of claimBuckets) {
    const entry = byApp.get(row.app) ?? { app: row.app, requests: 0, resolved: 0 };
    entry.requests += Number(row.n);
    entry.resolved += Number(row.resolved ?? 0);
    byApp.set(row.app, entry);
  }
  return [...byApp.values()];
}

/** The aggregates of `insightSummary` as the database returns them → the summary (numbers normalized). */
export function summaryOf(
  counts: ReadonlyArray<{ app: string; requests: number | string; resolved: number | string | null }>,
  claim: ReadonlyArray<{ app: string; median: number | string | null }>,
  resolve: ReadonlyArray<{ app: string; median: number | string | null }>,
  questions: ReadonlyArray<{ app: string; question: string }>,
  steps: ReadonlyArray<{ walkthrough_id: string; walkthrough_step: number | string; requests: number | string }>,
): InsightSummary {
  const medianOf = (rows: typeof claim) =>
    new Map(rows.map((row) => [row.app, row.median === null ? null : Number(row.median)]));
  const claims = medianOf(claim);
  const resolves = medianOf(resolve);
  const byApp = new Map<string, string[]>();
  for (const row of questions) {
    const list = byApp.get(row.app);
    if (list) list.push(row.question);
    else byApp.set(row.app, [row.question]);
  }
  return {
    apps: counts.map((row) => ({
      app: row.app,
      requests: Number(row.requests),
      resolved: Number(row.resolved ?? 0),
      medianMinutesToClaim: claims.get(row.app) ?? null,
      medianMinutesToResolve: resolves.get(row.app) ?? null,
      questions: byApp.get(row.app) ?? [],
    })),
    stuckSteps: steps.map((row) => ({
      walkthroughId: row.walkthrough_id,
      stepIndex: Number(row.walkthrough_step),
      requests: Number(row.requests),
    })),
  };
}

/** The `usage_events` columns. */
export interface UsageEventRow {
  member_id: string;
  client_id: string;
  type: UsageEvent['type'];
  at: string;
  app: string;
  question: string | null;
  walkthrough_id: string | null;
  step_index: number | null;
  received_at: string;
}

/** The type-specific columns of a usage event (null where the type has none). */
export function usageFields(event: UsageEvent) {
  return event.type === 'no_match'
    ? { question: event.question, walkthroughId: null, stepIndex: null }
    : { question: null, walkthroughId: event.walkthroughId, stepIndex: event.stepIndex };
}

/** A stored usage event from its row. */
export function usageEventOf(row: UsageEventRow): StoredUsageEvent {
  const base = {
    clientId: row.client_id,
    at: row.at,
    app: row.app,
    memberId: row.member_id,
    receivedAt: row.received_at,
  };
  if (row.type === 'no_match') return { ...base, type: row.type, question: row.question ?? '' };
  return { ...base, type: row.type, walkthroughId: row.walkthrough_id ?? '', stepIndex: Number(row.step_index ?? 0) };
}

/**
 * The WHERE clause and parameters of a request listing (team, optional state and requester), ending with the
 * limit's parameter: `placeholder(n)` writes the n-th parameter in the dialect (`?` or `$n`), `prefix` the alias.
 */
export function requestFilter(
  teamId: string,
  filter: { state?: RequestState; requesterId?: string; limit: number },
  placeholder: (n: number) => string,
  prefix: string,
): { where: string; params: unknown[] } {
  const params: unknown[] = [teamId];
  const where = [`${prefix}team_id = ${placeholder(1)}`];
  for (const [column, value] of [
    ['state', filter.state],
    ['requester_id', filter.requesterId],
  ] as const) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${prefix}${column} = ${placeholder(params.length)}`);
  }
  params.push(filter.limit);
  return { where: where.join(' AND '), params };
}

/** What one write of a committed group came to: its value, or the error that refused it alone. */
export type WriteResult = { ok: true; value: unknown } | { ok: false; error: unknown };

/** After a group's COMMIT: counts it and answers each write in order (a refused one is rejected alone). */
export function settleGroup(
  batch: ReadonlyArray<{ resolve(value: unknown): void; reject(error: unknown): void }>,
  results: readonly WriteResult[],
  stats: { commits: number; writes: number },
): void {
  stats.commits++;
  stats.writes += batch.length;
  batch.forEach((item, index) => {
    const result = results[index]!;
    if (result.ok) item.resolve(result.value);
    else item.reject(result.error);
  });
}
