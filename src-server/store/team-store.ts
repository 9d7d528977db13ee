/**
 * The storage interface of the team server. The SQLite backend (`sqlite-store.ts`) is the default;
 * a PostgreSQL backend implements the same interface. Every method is scoped by team id, so a
 * caller can never reach another team's rows by id. Every write that clients are told about is
 * committed before the method resolves (acknowledge only after commit).
 */
import type {
  ChatLibraryRef,
  ChatMessage,
  CreateRequestBody,
  HelpRequest,
  Invite,
  LibraryDoc,
  LibraryItem,
  Member,
  PersonRef,
  PostMessageBody,
  RequestState,
  Role,
  RoutedHelper,
  Team,
  TeamEvent,
  TeamSettings,
  TeamSettingsAnswer,
  UsageEvent,
} from '../../src-shared/team';

/**
 * A chat message to store: the client's body, except that a `library` post carries the item the route looked up in
 * the caller's team library (its title, kind and app; a tip's text as the message text).
 */
export type ChatPost =
  | Exclude<PostMessageBody, { kind: 'library' }>
  | { clientId: string; kind: 'library'; text: string; library: ChatLibraryRef };

/** Who is calling, after their token was checked. */
export interface Caller {
  team: Team;
  member: Member;
}

/** A screenshot as stored. */
export interface StoredScreenshot {
  mime: string;
  width: number;
  height: number;
  bytes: Buffer;
}

/** A new help request, with the screenshot already decoded and checked. */
export interface NewHelpRequest {
  clientId: string;
  question: string;
  context: CreateRequestBody['context'];
  screenshot: StoredScreenshot | null;
  /** Who it goes to first; the store stamps `wholeTeamAt` from its own creation time. Null: no routing. */
  routing?: RoutingDraft | null;
}

/** Routing of a new request before it is stored: `wholeTeamAt` is the creation time plus `afterMinutes`. */
export interface RoutingDraft {
  suggested: RoutedHelper[];
  topic: string;
  afterMinutes: number;
  message?: string;
}

/** State changes of a help request. */
export type RequestAction = 'claim' | 'resolve' | 'cancel';

/** Why a store write was refused; the server turns these into 4xx responses. */
export type StoreRefusal =
  | { refused: 'not_found'; message: string }
  | { refused: 'conflict'; message: string }
  | { refused: 'version_conflict'; message: string; current: LibraryItem }
  | { refused: 'gone'; message: string }
  | { refused: 'forbidden'; message: string };

/** Result of redeeming an invite. */
export type RedeemResult = { ok: true; member: Member; team: Team } | { ok: false; message: string };

/** What the team server needs from its storage. */
/** A request's place in its team's queue (see `TeamStore.queueStanding`). */
export interface QueueStanding {
  position: number | null;
  /** Seconds from asking to being claimed, of the team's most recently claimed requests, newest first. */
  recentWaitsSeconds: number[];
}

/** A resolved request as expertise: who resolved it and every text it holds (`TeamStore.resolvedHistory`). */
export interface ResolvedRecord {
  requestId: string;
  /** The helper who claimed (or, unclaimed, resolved) it. */
  helperId: string;
  app: string;
  question: string;
  ocrText: string;
  /** Text of the chat's text and pointer messages, oldest first (system lines left out). */
  chat: string[];
  resolution: string;
  resolvedAt: string;
}

/** Per-app numbers of the requests asked since a time (`TeamStore.insightSummary`), aggregated by the database. */
export interface InsightSummary {
  apps: Array<{
    app: string;
    requests: number;
    resolved: number;
    medianMinutesToClaim: number | null;
    medianMinutesToResolve: number | null;
    /** The newest questions of the app (at most the number asked for), newest first. */
    questions: string[];
  }>;
  /** Requests sent from a walkthrough step, per step. */
  stuckSteps: Array<{ walkthroughId: string; stepIndex: number; requests: number }>;
}

/** A stored usage event (`POST /api/v1/events`) with who sent it and when it arrived. */
export type StoredUsageEvent = UsageEvent & { memberId: string; receivedAt: string };

export interface TeamStore {
  /** Which backend and where, for the startup line. */
  readonly description: string;
  close(): Promise<void>;

  createTeam(name: string): Promise<Team>;
  listTeams(): Promise<Team[]>;
  /** Teams that have no admin yet (need a first admin invite). */
  teamsWithoutAdmin(): Promise<Team[]>;

  createInvite(
    teamId: string,
    input: { role: Role; codeHash: string; maxUses: number; expiresAt: string },
  ): Promise<Invite>;
  listInvites(teamId: string): Promise<Invite[]>;
  revokeInvite(teamId: string, inviteId: string): Promise<boolean>;
  /** Uses the invite (atomically) and creates a member holding a token with this hash. */
  redeemInvite(codeHash: string, name: string, tokenHash: string): Promise<RedeemResult>;

  /** The member and team behind a token hash, or null if unknown or revoked. */
  authenticate(tokenHash: string): Promise<Caller | null>;
  revokeToken(tokenHash: string): Promise<void>;
  listMembers(teamId: string): Promise<Member[]>;
  setMemberRole(teamId: string, memberId: string, role: Role): Promise<Member | null>;
  /** Revokes the member and all their tokens. */
  revokeMember(teamId: string, memberId: string): Promise<Member | null>;

  /** Creates a request; the same requester and clientId returns the existing one (`created: false`). */
  createRequest(
    caller: Caller,
    input: NewHelpRequest,
  ): Promise<{ request: HelpRequest; created: boolean; events: TeamEvent[] }>;
  getRequest(teamId: string, requestId: string): Promise<HelpRequest | null>;
  /** Who asked a request (cheap check for the chat hot path), or null when not in the team. */
  requestOwner(teamId: string, requestId: string): Promise<{ requesterId: string } | null>;
  listRequests(
    teamId: string,
    filter: { state?: RequestState; requesterId?: string; limit: number },
  ): Promise<HelpRequest[]>;
  getScreenshot(teamId: string, requestId: string): Promise<StoredScreenshot | null>;
  /**
   * Where a request stands: its place among the team's open requests (1 = next; null once it is no longer
   * open) and how long the team's most recently claimed requests waited for a helper, newest first.
   */
  queueStanding(teamId: string, requestId: string, samples: number): Promise<QueueStanding | null>;
  transitionRequest(
    caller: Caller,
    requestId: string,
    action: RequestAction,
    resolution?: string,
  ): Promise<{ request: HelpRequest; events: TeamEvent[] } | StoreRefusal>;

  /** Appends a message; the same author and clientId returns the stored one with no new event. */
  postMessage(
    caller: Caller,
    requestId: string,
    body: ChatPost,
  ): Promise<{ message: ChatMessage; events: TeamEvent[] } | StoreRefusal>;
  listMessages(teamId: string, requestId: string, after: number, limit: number): Promise<ChatMessage[]>;

  listLibrary(teamId: string, afterSeq: number): Promise<{ items: LibraryItem[]; seq: number }>;
  saveLibraryItem(
    caller: Caller,
    id: string,
    baseVersion: number,
    doc: LibraryDoc,
  ): Promise<{ item: LibraryItem; events: TeamEvent[] } | StoreRefusal>;
  deleteLibraryItem(
    caller: Caller,
    id: string,
    baseVersion: number,
  ): Promise<{ item: LibraryItem; events: TeamEvent[] } | StoreRefusal>;

  /**
   * Keeps a question a person asked before picking library item `itemId` (the newest
   * `TEAM_LIMITS.learnedPerItem` per item; the same question once). Refuses an unknown or deleted item.
   */
  learnQuestion(caller: Caller, itemId: string, question: string): Promise<{ questions: string[] } | StoreRefusal>;
  /** Every learned question of the team's library items, newest first per item. */
  learnedQuestions(teamId: string): Promise<Record<string, string[]>>;

  /**
   * The team's resolved requests that have a helper, oldest first, with their chat text; only `requestId`
   * when given (the index adds one request after it was resolved).
   */
  resolvedHistory(teamId: string, requestId?: string): Promise<ResolvedRecord[]>;
  /**
   * Requests of the team asked at or after `sinceIso`, aggregated per app (counts, medians in minutes, the
   * newest `questionsPerApp` questions for topics) and per walkthrough step they were sent from.
   */
  insightSummary(teamId: string, sinceIso: string, questionsPerApp: number): Promise<InsightSummary>;
  /**
   * Stores usage events of the caller's team in one commit; an event whose clientId this member already
   * sent is kept once. Resolves with how many were new.
   */
  recordUsageEvents(caller: Caller, events: UsageEvent[]): Promise<{ stored: number }>;
  /** The team's usage events that arrived at or after `sinceIso`, oldest first. */
  usageEvents(teamId: string, sinceIso: string): Promise<StoredUsageEvent[]>;

  /** The team's settings, with who last changed them (the defaults and nulls until an admin does). */
  teamSettings(teamId: string): Promise<TeamSettingsAnswer>;
  /** Changes some of the team's settings (the caller is an admin; checked by the route). */
  updateTeamSettings(caller: Caller, patch: Partial<TeamSettings>): Promise<TeamSettingsAnswer>;

  /** Team events after a sequence number, oldest first, with the requester each one concerns. */
  eventsAfter(
    teamId: string,
    afterSeq: number,
    limit: number,
  ): Promise<Array<{ event: TeamEvent; requesterId: string | null }>>;
  headSeq(teamId: string): Promise<number>;

  /**
   * Shared stores only (PostgreSQL): tells this instance about commits and membership changes made by
   * any instance, so it can deliver them to its own clients. Returns a function that stops watching.
   */
  watch?(signals: ClusterSignals): () => void;
  /** Shared stores only: false while the notification connection is down (instances then poll). */
  readonly listening?: boolean;
  /** Shared stores only: runs `work` while no other instance runs its own `exclusive` work (startup). */
  exclusive?<T>(work: () => Promise<T>): Promise<T>;
}

/** What a shared store reports about other instances' writes. */
export interface ClusterSignals {
  /** A transaction of `teamId` committed up to team sequence `seq`. */
  commit(teamId: string, seq: number): void;
  /** A member was revoked, lost a token or changed role: close the affected live connections. */
  memberChanged(teamId: string, change: MemberChange): void;
  /** The notification channel was lost and is back: notifications may have been missed. */
  resync(): void;
}

/** What changed about a member, for closing their connections on every instance. */
export type MemberChange =
  | { kind: 'revoked' | 'role'; memberId: string; reason: string }
  | { kind: 'token'; memberId: string; tokenHash: string; reason: string };

/** The database cannot be reached right now; nothing was written. The server answers 503 + Retry-After. */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs = 2000,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** Makes a PersonRef for a member. */
export function personRef(member: Pick<Member, 'id' | 'name' | 'role'>): PersonRef {
  return { id: member.id, name: member.name, role: member.role };
}

/**
 * Who may change or delete a library item (every store applies this inside its write transaction):
 * helpers and admins any item, members only the items they created. A member's edit of someone
 * else's item is refused; their way to propose it is to save it under a new id of their own
 * (the desktop does that by itself) for a helper to merge. Returns the refusal, or null when allowed.
 */
export function libraryWriteRefusal(
  caller: Caller,
  item: { id: string; createdBy: string | null },
  deleting: boolean,
): StoreRefusal | null {
  if (caller.member.role !== 'member' || item.createdBy === caller.member.id) return null;
  return {
    refused: 'forbidden',
    message:
      `only helpers and admins can ${deleting ? 'delete' : 'change'} library item ${item.id}, ` +
      `which someone else created; save your version under a new id (a proposal) and ask a helper to merge it`,
  };
}

/** True when a store call was refused. */
export function isRefusal(value: unknown): value is StoreRefusal {
  return typeof value === 'object' && value !== null && 'refused' in value;
}
