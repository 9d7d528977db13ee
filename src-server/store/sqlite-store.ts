/**
 * SQLite backend of the team store (better-sqlite3, one file `team.sqlite` in the data folder).
 *
 * Durability: WAL journal with `synchronous = FULL`, so every committed transaction's WAL frames
 * are fsynced before the call returns. The server acknowledges a message only after that commit.
 * (With WAL, `NORMAL` would already survive a killed process — the frames are in the OS page
 * cache — but could lose the last commits on a power cut. FULL costs one fsync per commit: ~8 ms
 * on the test VM, so writes are group-committed: every write queued in the same event-loop turn runs
 * in one transaction (each in its own savepoint, so one failing write does not undo the others) and
 * every caller is answered after that one fsync. Acknowledged therefore means on disk.)
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  type ChatMessage,
  type HelpRequest,
  Invite,
  LibraryDoc,
  LibraryItem,
  Member,
  PersonRef,
  RequestState,
  Role,
  Team,
  TEAM_LIMITS,
  TeamEvent,
  type TeamSettings,
  type TeamSettingsAnswer,
  UsageEvent,
} from '../../src-shared/team';
import { checkOrCreateDatabaseFile, damagedDatabaseError, DataFileError, preparePrivateDir } from './data-files';
import type {
  Caller,
  NewHelpRequest,
  QueueStanding,
  RedeemResult,
  RequestAction,
  StoredScreenshot,
  StoreRefusal,
  ChatPost,
  TeamStore,
  ResolvedRecord,
  InsightSummary,
  StoredUsageEvent,
} from './team-store';
import { personRef } from './team-store';
import type {
  HistoryRow,
  InviteRow,
  LibraryRow,
  MemberRow,
  MessageRow,
  RequestRow,
  TeamSettingsRow,
  UsageEventRow,
} from './rows';
import {
  inviteOf,
  libraryFields,
  libraryOf,
  libraryWriteCheck,
  memberOf,
  messageOf,
  newId,
  now,
  requestOf,
  transitionRefusal,
  transitionText,
  groupLearned,
  requestFilter,
  screenshotOf,
  historyOf,
  summaryOfBuckets,
  appsOfBuckets,
  usageEventOf,
  usageFields,
  settleGroup,
  routingJson,
  teamSettingsOf,
  messageInputOf,
  type MessageInput,
  type WriteResult,
} from './rows';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS teams (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, seq INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (
  id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), name TEXT NOT NULL, role TEXT NOT NULL,
  created_at TEXT NOT NULL, revoked_at TEXT);
CREATE INDEX IF NOT EXISTS members_team ON members(team_id);
CREATE TABLE IF NOT EXISTS tokens (
  hash TEXT PRIMARY KEY, member_id TEXT NOT NULL REFERENCES members(id), created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS invites (
  id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), code_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
  max_uses INTEGER NOT NULL, uses INTEGER NOT NULL DEFAULT 0, expires_at TEXT NOT NULL, created_at TEXT NOT NULL,
  revoked_at TEXT);
CREATE TABLE IF NOT EXISTS requests (
  id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), client_id TEXT NOT NULL,
  requester_id TEXT NOT NULL REFERENCES members(id), state TEXT NOT NULL, question TEXT NOT NULL, context TEXT NOT NULL,
  screenshot_mime TEXT, screenshot_width INTEGER, screenshot_height INTEGER, screenshot BLOB,
  claimed_by TEXT REFERENCES members(id), resolution TEXT, last_message_seq INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  UNIQUE (team_id, requester_id, client_id));
CREATE INDEX IF NOT EXISTS requests_team_state ON requests(team_id, state, created_at);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, team_id TEXT NOT NULL, request_id TEXT NOT NULL REFERENCES requests(id), seq INTEGER NOT NULL,
  client_id TEXT NOT NULL, author_id TEXT NOT NULL REFERENCES members(id), kind TEXT NOT NULL, text TEXT NOT NULL,
  pointer TEXT, created_at TEXT NOT NULL, library TEXT,
  UNIQUE (request_id, seq), UNIQUE (request_id, author_id, client_id));
CREATE TABLE IF NOT EXISTS library (
  team_id TEXT NOT NULL REFERENCES teams(id), id TEXT NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL,
  doc TEXT, app TEXT NOT NULL, labels TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  updated_by TEXT NOT NULL REFERENCES members(id), updated_at TEXT NOT NULL, seq INTEGER NOT NULL,
  created_by TEXT REFERENCES members(id),
  PRIMARY KEY (team_id, id));
CREATE TABLE IF NOT EXISTS learned_questions (
  team_id TEXT NOT NULL REFERENCES teams(id), item_id TEXT NOT NULL, question TEXT NOT NULL,
  member_id TEXT NOT NULL REFERENCES members(id), created_at TEXT NOT NULL,
  PRIMARY KEY (team_id, item_id, question));
CREATE TABLE IF NOT EXISTS events (
  team_id TEXT NOT NULL REFERENCES teams(id), seq INTEGER NOT NULL, type TEXT NOT NULL,
  requester_id TEXT, payload TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (team_id, seq));
`;

/** Opt-in usage events from the desktop (insights); the same member's clientId is kept once. */
const USAGE_EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS usage_events (
  team_id TEXT NOT NULL REFERENCES teams(id), member_id TEXT NOT NULL REFERENCES members(id), client_id TEXT NOT NULL,
  type TEXT NOT NULL, at TEXT NOT NULL, app TEXT NOT NULL, question TEXT, walkthrough_id TEXT, step_index INTEGER,
  received_at TEXT NOT NULL,
  PRIMARY KEY (team_id, member_id, client_id));
CREATE INDEX IF NOT EXISTS usage_events_team_received ON usage_events(team_id, received_at);
`;

/** Per-team settings (admins change them; no row = the defaults) and each request's routing (who first). */
const ROUTING_SCHEMA = `
CREATE TABLE IF NOT EXISTS team_settings (
  team_id TEXT PRIMARY KEY REFERENCES teams(id), route_to_team_after_minutes INTEGER NOT NULL,
  show_helper_names_to_requester INTEGER NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT REFERENCES members(id));
`;

const REQUEST_COLUMNS = `id, team_id, client_id, requester_id, state, question, context, screenshot_mime,
  screenshot_width, screenshot_height, length(screenshot) AS screenshot_bytes, claimed_by, resolution, last_message_seq,
  created_at, updated_at, routing`;

function warnOnStderr(message: string): void {
  process.stderr.write(`team server: ${message}\n`);
}

/**
 * Opens (creating if needed) the SQLite team store in `dataDir` (folder 0700, file 0600). Throws
 * DataFileError, with advice, for a zero-byte, truncated, damaged or foreign database file.
 */
export function openSqliteTeamStore(dataDir: string, warn: (message: string) => void = warnOnStderr): SqliteTeamStore {
  preparePrivateDir(dataDir, warn);
  return new SqliteTeamStore(join(dataDir, 'team.sqlite'), warn);
}

/** The SQLite team store. Synchronous underneath; async to match the TeamStore interface. */
export class SqliteTeamStore implements TeamStore {
  readonly description: string;
  private readonly db: Database.Database;
  private readonly memberCache = new Map<string, MemberRow>();
  private readonly writeQueue: Array<{
    run: () => unknown;
    resolve(value: unknown): void;
    reject(error: unknown): void;
  }> = [];
  private flushScheduled = false;
  /** Commits made and writes they carried, for the server's stats. */
  readonly commitStats = { commits: 0, writes: 0 };

  constructor(
    readonly file: string,
    warn: (message: string) => void = warnOnStderr,
  ) {
    this.description = `SQLite ${file}`;
    const existed = checkOrCreateDatabaseFile(file, warn);
    this.db = new Database(file);
    try {
      this.db.pragma('busy_timeout = 5000');
      if (existed) this.checkExisting();
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.exec(SCHEMA);
      const columns = this.db.prepare(`PRAGMA table_info(library)`).all() as Array<{ name: string }>;
      if (!columns.some((column) => column.name === 'created_by')) {
        this.db.exec(`ALTER TABLE library ADD COLUMN created_by TEXT REFERENCES members(id)`);
      }
      // A library item sent into a chat (`library` messages); null on every other message.
      const messageColumns = this.db.prepare(`PRAGMA table_info(messages)`).all() as Array<{ name: string }>;
      if (!messageColumns.some((column) => column.name === 'library')) {
        this.db.exec(`ALTER TABLE messages ADD COLUMN library TEXT`);
      }
      // When a helper took the request (for the usual wait a person is shown); null before this column existed.
      const requestColumns = this.db.prepare(`PRAGMA table_info(requests)`).all() as Array<{ name: string }>;
      if (!requestColumns.some((column) => column.name === 'claimed_at')) {
        this.db.exec(`ALTER TABLE requests ADD COLUMN claimed_at TEXT`);
      }
      this.db.exec(`CREATE INDEX IF NOT EXISTS requests_team_claimed ON requests(team_id, claimed_at)`);
      // When a request was resolved (insights: minutes to resolve); older rows fall back to updated_at.
      // Insights: when a request was resolved, and its app and walkthrough step as columns (aggregated in SQL).
      if (!requestColumns.some((column) => column.name === 'resolved_at')) {
        this.db.exec(`ALTER TABLE requests ADD COLUMN resolved_at TEXT`);
        this.db.exec(`ALTER TABLE requests ADD COLUMN app TEXT`);
        this.db.exec(`ALTER TABLE requests ADD COLUMN walkthrough_id TEXT`);
        this.db.exec(`ALTER TABLE requests ADD COLUMN walkthrough_step INTEGER`);
        this.db.exec(`UPDATE requests SET resolved_at = CASE WHEN state = 'resolved' THEN updated_at END,
          app = json_extract(context, '$.app'), walkthrough_id = json_extract(context, '$.walkthrough.id'),
          walkthrough_step = json_extract(context, '$.walkthrough.stepIndex')`);
      }
      // Insights read only these indexes: counts and medians from the covering one, questions per app newest first.
      this.db.exec(`CREATE INDEX IF NOT EXISTS requests_team_insights ON requests(team_id, created_at, app, state,
        claimed_at, resolved_at, updated_at, walkthrough_id, walkthrough_step)`);
      this.db.exec(`CREATE INDEX IF NOT EXISTS requests_team_app ON requests(team_id, app, created_at)`);
      this.db.exec(USAGE_EVENTS_SCHEMA);
      if (!requestColumns.some((column) => column.name === 'routing')) {
        this.db.exec(`ALTER TABLE requests ADD COLUMN routing TEXT`);
      }
      this.db.exec(ROUTING_SCHEMA);
    } catch (error) {
      this.db.close();
      const code = (error as { code?: string }).code ?? '';
      if (error instanceof DataFileError) throw error;
      if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')
        throw damagedDatabaseError(file, (error as Error).message);
      throw error;
    }
    const version = this.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as
      { value: string } | undefined;
    if (!version) {
      this.db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
    } else if (Number(version.value) > SCHEMA_VERSION) {
      throw new Error(
        `${file} was written by a newer Sidekick server (schema ${version.value}); upgrade this server first`,
      );
    }
  }

  /**
   * Start-up check of an existing file: `PRAGMA quick_check` (every page and index structure, without
   * cross-checking index contents) and that it is a Sidekick team database at all.
   */
  private checkExisting(): void {
    const findings = (this.db.pragma('quick_check(20)') as Array<{ quick_check: string }>).map(
      (row) => row.quick_check,
    );
    if (findings.length !== 1 || findings[0] !== 'ok') throw damagedDatabaseError(this.file, findings.join('; '));
    const meta = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).get();
    if (!meta) {
      throw new DataFileError(
        this.file,
        `${this.file} is a SQLite database but not a Sidekick team database (it has no meta table). Point --data at ` +
          `the folder that holds your team.sqlite, or move this file away to start a new, empty server.`,
      );
    }
  }

  async close(): Promise<void> {
    while (this.writeQueue.length) this.flush();
    this.db.close();
  }

  /**
   * Runs a transaction function in the next group commit and resolves after that commit, or rejects
   * with what the function threw (its savepoint rolled back, the rest of the group unaffected).
   */
  private grouped<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.writeQueue.push({ run: work, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.writeQueue.splice(0, 2000);
    if (!batch.length) return;
    const results: WriteResult[] = [];
    try {
      this.db
        .transaction(() => {
          for (const item of batch) {
            try {
              results.push({ ok: true, value: item.run() });
            } catch (error) {
              results.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // The commit itself failed: nothing of this group is on disk.
      this.memberCache.clear();
      for (const item of batch) item.reject(error);
      return;
    }
    settleGroup(batch, results, this.commitStats);
    if (this.writeQueue.length && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  // ------------------------------------------------------------ teams, invites, members

  async createTeam(name: string): Promise<Team> {
    const team = { id: newId('team'), name };
    this.db.prepare(`INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)`).run(team.id, name, now());
    return team;
  }

  async listTeams(): Promise<Team[]> {
    return this.db.prepare(`SELECT id, name FROM teams ORDER BY created_at`).all() as Team[];
  }

  async teamsWithoutAdmin(): Promise<Team[]> {
    return this.db
      .prepare(
        `SELECT id, name FROM teams t WHERE NOT EXISTS
           (SELECT 1 FROM members m WHERE m.team_id = t.id AND m.role = 'admin' AND m.revoked_at IS NULL)
         ORDER BY created_at`,
      )
      .all() as Team[];
  }

  async createInvite(
    teamId: string,
    input: { role: Role; codeHash: string; maxUses: number; expiresAt: string },
  ): Promise<Invite> {
    const id = newId('inv');
    this.db
      .prepare(
        `INSERT INTO invites (id, team_id, code_hash, role, max_uses, expires_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, teamId, input.codeHash, input.role, input.maxUses, input.expiresAt, now());
    return inviteOf(this.db.prepare(`SELECT * FROM invites WHERE id = ?`).get(id) as InviteRow);
  }

  async listInvites(teamId: string): Promise<Invite[]> {
    const rows = this.db
      .prepare(`SELECT * FROM invites WHERE team_id = ? ORDER BY created_at`)
      .all(teamId) as InviteRow[];
    return rows.map((row) => inviteOf(row));
  }

  async revokeInvite(teamId: string, inviteId: string): Promise<boolean> {
    const result = this.db
      .prepare(`UPDATE invites SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND team_id = ?`)
      .run(now(), inviteId, teamId);
    return result.changes > 0;
  }

  async redeemInvite(codeHash: string, name: string, tokenHash: string): Promise<RedeemResult> {
    const redeem = this.db.transaction((): RedeemResult => {
      const invite = this.db.prepare(`SELECT * FROM invites WHERE code_hash = ?`).get(codeHash) as
        InviteRow | undefined;
      if (!invite)
        return { ok: false, message: 'this invite is not known to this server; ask your admin for a new invite link' };
      if (invite.revoked_at)
        return { ok: false, message: 'this invite was revoked; ask your admin for a new invite link' };
      if (invite.expires_at < now())
        return { ok: false, message: `this invite expired at ${invite.expires_at}; ask your admin for a new one` };
      if (invite.uses >= invite.max_uses)
        return { ok: false, message: 'this invite was already used; ask your admin for a new invite link' };
      this.db.prepare(`UPDATE invites SET uses = uses + 1 WHERE id = ?`).run(invite.id);
      const member: MemberRow = {
        id: newId('mem'),
        team_id: invite.team_id,
        name,
        role: invite.role,
        created_at: now(),
        revoked_at: null,
      };
      this.db
        .prepare(`INSERT INTO members (id, team_id, name, role, created_at) VALUES (?, ?, ?, ?, ?)`)
        .run(member.id, member.team_id, member.name, member.role, member.created_at);
      this.db
        .prepare(`INSERT INTO tokens (hash, member_id, created_at) VALUES (?, ?, ?)`)
        .run(tokenHash, member.id, now());
      const team = this.db.prepare(`SELECT id, name FROM teams WHERE id = ?`).get(invite.team_id) as Team;
      return { ok: true, member: memberOf(member), team };
    });
    return this.grouped(redeem);
  }

  async authenticate(tokenHash: string): Promise<Caller | null> {
    const row = this.db
      .prepare(
        `SELECT m.*, t.name AS team_name
         FROM tokens k JOIN members m ON m.id = k.member_id JOIN teams t ON t.id = m.team_id
         WHERE k.hash = ? AND k.revoked_at IS NULL AND m.revoked_at IS NULL`,
      )
      .get(tokenHash) as (MemberRow & { team_name: string }) | undefined;
    if (!row) return null;
    return { team: { id: row.team_id, name: row.team_name }, member: memberOf(row) };
  }

  async revokeToken(tokenHash: string): Promise<void> {
    this.db.prepare(`UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE hash = ?`).run(now(), tokenHash);
  }

  async listMembers(teamId: string): Promise<Member[]> {
    const rows = this.db
      .prepare(`SELECT * FROM members WHERE team_id = ? ORDER BY created_at`)
      .all(teamId) as MemberRow[];
    return rows.map(memberOf);
  }

  async setMemberRole(teamId: string, memberId: string, role: Role): Promise<Member | null> {
    const result = this.db
      .prepare(`UPDATE members SET role = ? WHERE id = ? AND team_id = ?`)
      .run(role, memberId, teamId);
    this.memberCache.delete(memberId);
    if (result.changes === 0) return null;
    return memberOf(this.db.prepare(`SELECT * FROM members WHERE id = ?`).get(memberId) as MemberRow);
  }

  async revokeMember(teamId: string, memberId: string): Promise<Member | null> {
    const revoke = this.db.transaction(() => {
      const stamp = now();
      const result = this.db
        .prepare(`UPDATE members SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND team_id = ?`)
        .run(stamp, memberId, teamId);
      if (result.changes === 0) return null;
      this.db
        .prepare(`UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE member_id = ?`)
        .run(stamp, memberId);
      return memberOf(this.db.prepare(`SELECT * FROM members WHERE id = ?`).get(memberId) as MemberRow);
    });
    this.memberCache.delete(memberId);
    return this.grouped(revoke);
  }

  // ------------------------------------------------------------ help requests and chat

  async createRequest(
    caller: Caller,
    input: NewHelpRequest,
  ): Promise<{ request: HelpRequest; created: boolean; events: TeamEvent[] }> {
    const create = this.db.transaction(() => {
      const existing = this.db
        .prepare(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE team_id = ? AND requester_id = ? AND client_id = ?`)
        .get(caller.team.id, caller.member.id, input.clientId) as RequestRow | undefined;
      if (existing) return { request: this.requestOf(existing), created: false, events: [] as TeamEvent[] };
      const id = newId('req');
      const stamp = now();
      const shot = input.screenshot;
      this.db
        .prepare(
          `INSERT INTO requests (id, team_id, client_id, requester_id, state, question, context, screenshot_mime,
             screenshot_width, screenshot_height, screenshot, created_at, updated_at, app, walkthrough_id,
             walkthrough_step, routing)
           VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          caller.team.id,
          input.clientId,
          caller.member.id,
          input.question,
          JSON.stringify(input.context),
          shot?.mime ?? null,
          shot?.width ?? null,
          shot?.height ?? null,
          shot?.bytes ?? null,
          stamp,
          stamp,
          input.context.app,
          input.context.walkthrough?.id ?? null,
          input.context.walkthrough?.stepIndex ?? null,
          routingJson(input.routing, stamp),
        );
      const request = this.requestOf(this.requestRow(caller.team.id, id)!);
      const event = this.appendEvent(caller.team.id, { type: 'request', request }, caller.member.id);
      return { request, created: true, events: [event] };
    });
    return this.grouped(create);
  }

  async getRequest(teamId: string, requestId: string): Promise<HelpRequest | null> {
    const row = this.requestRow(teamId, requestId);
    return row ? this.requestOf(row) : null;
  }

  async requestOwner(teamId: string, requestId: string): Promise<{ requesterId: string } | null> {
    const row = this.db
      .prepare(`SELECT requester_id FROM requests WHERE team_id = ? AND id = ?`)
      .get(teamId, requestId) as { requester_id: string } | undefined;
    return row ? { requesterId: row.requester_id } : null;
  }

  async listRequests(
    teamId: string,
    filter: { state?: RequestState; requesterId?: string; limit: number },
  ): Promise<HelpRequest[]> {
    const { where, params } = requestFilter(teamId, filter, () => '?', '');
    const rows = this.db
      .prepare(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE ${where} ORDER BY created_at DESC, id LIMIT ?`)
      .all(...params) as RequestRow[];
    return rows.map((row) => this.requestOf(row));
  }

  async queueStanding(teamId: string, requestId: string, samples: number): Promise<QueueStanding | null> {
    const row = this.db
      .prepare(`SELECT state, created_at FROM requests WHERE team_id = ? AND id = ?`)
      .get(teamId, requestId) as { state: RequestState; created_at: string } | undefined;
    if (!row) return null;
    const ahead =
      row.state === 'open'
        ? (
            this.db
              .prepare(
                `SELECT count(*) AS n FROM requests WHERE team_id = ? AND state = 'open'
                   AND (created_at < ? OR (created_at = ? AND id < ?))`,
              )
              .get(teamId, row.created_at, row.created_at, requestId) as { n: number }
          ).n
        : null;
    const claimed = this.db
      .prepare(
        `SELECT created_at, claimed_at FROM requests WHERE team_id = ? AND claimed_at IS NOT NULL
           ORDER BY claimed_at DESC LIMIT ?`,
      )
      .all(teamId, samples) as Array<{ created_at: string; claimed_at: string }>;
    return {
      position: ahead === null ? null : ahead + 1,
      recentWaitsSeconds: claimed.map((c) => Math.max(0, (Date.parse(c.claimed_at) - Date.parse(c.created_at)) / 1000)),
    };
  }

  async resolvedHistory(teamId: string, requestId?: string): Promise<ResolvedRecord[]> {
    const only = requestId ? 'AND r.id = ?' : '';
    const params = requestId ? [teamId, requestId] : [teamId];
    const rows = this.db
      .prepare(
        `SELECT r.id, r.claimed_by, r.question, r.context, r.resolution, COALESCE(r.resolved_at, r.updated_at) AS at
         FROM requests r WHERE r.team_id = ? AND r.state = 'resolved' AND r.claimed_by IS NOT NULL ${only}
         ORDER BY at, r.id`,
      )
      .all(...params) as HistoryRow[];
    const messages = this.db
      .prepare(
        `SELECT m.request_id, m.text FROM messages m JOIN requests r ON r.id = m.request_id
         WHERE m.team_id = ? AND r.state = 'resolved' AND m.kind <> 'system' AND m.text <> '' ${only}
         ORDER BY m.request_id, m.seq`,
      )
      .all(...params) as Array<{ request_id: string; text: string }>;
    return historyOf(rows, messages);
  }

  async insightSummary(teamId: string, sinceIso: string, questionsPerApp: number): Promise<InsightSummary> {
    const since = `team_id = ? AND created_at >= ?`;
    // One pass per median over the covering index: minutes are counted in tenth-of-a-minute buckets (the
    // precision insights show) and the median is read from the buckets (`medianOfBuckets`).
    const claimBuckets = this.db
      .prepare(
        `SELECT COALESCE(app, '') AS app, count(*) AS n, sum(state = 'resolved') AS resolved,
           CAST(round(max(0, (julianday(claimed_at) - julianday(created_at)) * 14400)) AS INTEGER) AS bucket
         FROM requests WHERE ${since} GROUP BY 1, 4`,
      )
      .all(teamId, sinceIso) as Array<{ app: string; n: number; resolved: number; bucket: number | null }>;
    const resolveBuckets = this.db
      .prepare(
        `SELECT COALESCE(app, '') AS app, count(*) AS n,
           CAST(round(max(0, (julianday(COALESCE(resolved_at, updated_at)) - julianday(created_at)) * 14400))
             AS INTEGER) AS bucket
         FROM requests WHERE ${since} AND state = 'resolved' GROUP BY 1, 3`,
      )
      .all(teamId, sinceIso) as Array<{ app: string; n: number; bucket: number }>;
    const apps = appsOfBuckets(claimBuckets);
    const newest = this.db.prepare(
      `SELECT question FROM requests WHERE team_id = ? AND app IS ? AND created_at >= ?
       ORDER BY created_at DESC LIMIT ?`,
    );
    const questions = apps.flatMap(({ app }) =>
      (newest.all(teamId, app || null, sinceIso, questionsPerApp) as Array<{ question: string }>).map((row) => ({
        app,
        question: row.question,
      })),
    );
    const steps = this.db
      .prepare(
        `SELECT walkthrough_id, walkthrough_step, count(*) AS requests FROM requests
         WHERE ${since} AND walkthrough_id IS NOT NULL AND walkthrough_step IS NOT NULL
         GROUP BY walkthrough_id, walkthrough_step`,
      )
      .all(teamId, sinceIso) as Array<{ walkthrough_id: string; walkthrough_step: number; requests: number }>;
    return summaryOfBuckets(claimBuckets, resolveBuckets, questions, steps);
  }

  async recordUsageEvents(caller: Caller, events: UsageEvent[]): Promise<{ stored: number }> {
    return this.grouped(() => {
      const insert = this.db.prepare(
        `INSERT OR IGNORE INTO usage_events (team_id, member_id, client_id, type, at, app, question, walkthrough_id,
           step_index, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      let stored = 0;
      const at = now();
      for (const event of events) {
        const fields = usageFields(event);
        stored += insert.run(
          caller.team.id,
          caller.member.id,
          event.clientId,
          event.type,
          event.at,
          event.app,
          fields.question,
          fields.walkthroughId,
          fields.stepIndex,
          at,
        ).changes;
      }
      return { stored };
    });
  }

  async usageEvents(teamId: string, sinceIso: string): Promise<StoredUsageEvent[]> {
    const rows = this.db
      .prepare(`SELECT * FROM usage_events WHERE team_id = ? AND received_at >= ? ORDER BY received_at, client_id`)
      .all(teamId, sinceIso) as UsageEventRow[];
    return rows.map(usageEventOf);
  }

  async getScreenshot(teamId: string, requestId: string): Promise<StoredScreenshot | null> {
    const row = this.db
      .prepare(
        `SELECT screenshot_mime, screenshot_width, screenshot_height, screenshot
         FROM requests WHERE team_id = ? AND id = ?`,
      )
      .get(teamId, requestId) as
      | {
          screenshot_mime: string | null;
          screenshot_width: number;
          screenshot_height: number;
          screenshot: Buffer | null;
        }
      | undefined;
    return row ? screenshotOf(row) : null;
  }

  async transitionRequest(
    caller: Caller,
    requestId: string,
    action: RequestAction,
    resolution?: string,
  ): Promise<{ request: HelpRequest; events: TeamEvent[] } | StoreRefusal> {
    const transition = this.db.transaction((): { request: HelpRequest; events: TeamEvent[] } | StoreRefusal => {
      const row = this.requestRow(caller.team.id, requestId);
      if (!row) return { refused: 'not_found', message: `help request ${requestId} was not found in your team` };
      const refusal = transitionRefusal(requestId, action, row.state, () =>
        row.claimed_by ? this.member(row.claimed_by).name : null,
      );
      if (refusal) return refusal;
      if (action === 'claim') {
        this.db
          .prepare(`UPDATE requests SET state = 'claimed', claimed_by = ?, claimed_at = ?, updated_at = ? WHERE id = ?`)
          .run(caller.member.id, now(), now(), requestId);
      } else if (action === 'resolve') {
        this.db
          .prepare(
            `UPDATE requests SET state = 'resolved', resolution = ?, claimed_by = COALESCE(claimed_by, ?),
              claimed_at = COALESCE(claimed_at, ?), resolved_at = ?, updated_at = ? WHERE id = ?`,
          )
          .run(resolution ?? null, caller.member.id, now(), now(), now(), requestId);
      } else {
        this.db.prepare(`UPDATE requests SET state = 'cancelled', updated_at = ? WHERE id = ?`).run(now(), requestId);
      }
      const text = transitionText(caller.member.name, action, resolution);
      const messageEvent = this.insertMessage(caller, row, {
        clientId: newId('sys'),
        kind: 'system',
        text,
        pointer: null,
      });
      const request = this.requestOf(this.requestRow(caller.team.id, requestId)!);
      const requestEvent = this.appendEvent(caller.team.id, { type: 'request', request }, row.requester_id);
      return { request, events: [messageEvent.event, requestEvent] };
    });
    return this.grouped(transition);
  }

  async postMessage(
    caller: Caller,
    requestId: string,
    body: ChatPost,
  ): Promise<{ message: ChatMessage; events: TeamEvent[] } | StoreRefusal> {
    const post = this.db.transaction((): { message: ChatMessage; events: TeamEvent[] } | StoreRefusal => {
      const row = this.requestRow(caller.team.id, requestId);
      if (!row) return { refused: 'not_found', message: `help request ${requestId} was not found in your team` };
      const existing = this.db
        .prepare(`SELECT * FROM messages WHERE request_id = ? AND author_id = ? AND client_id = ?`)
        .get(requestId, caller.member.id, body.clientId) as MessageRow | undefined;
      if (existing) return { message: this.messageOf(existing), events: [] };
      if (row.state === 'resolved' || row.state === 'cancelled') {
        return {
          refused: 'gone',
          message: `help request ${requestId} is ${row.state}; its chat is closed (open a new request)`,
        };
      }
      const { message, event } = this.insertMessage(caller, row, messageInputOf(body));
      return { message, events: [event] };
    });
    return this.grouped(post);
  }

  async listMessages(teamId: string, requestId: string, after: number, limit: number): Promise<ChatMessage[]> {
    const rows = this.db
      .prepare(`SELECT * FROM messages WHERE team_id = ? AND request_id = ? AND seq > ? ORDER BY seq LIMIT ?`)
      .all(teamId, requestId, after, limit) as MessageRow[];
    return rows.map((row) => this.messageOf(row));
  }

  // ------------------------------------------------------------ library

  async listLibrary(teamId: string, afterSeq: number): Promise<{ items: LibraryItem[]; seq: number }> {
    const rows = this.db
      .prepare(`SELECT * FROM library WHERE team_id = ? AND seq > ? ORDER BY seq`)
      .all(teamId, afterSeq) as LibraryRow[];
    return { items: rows.map((row) => this.libraryOf(row)), seq: await this.headSeq(teamId) };
  }

  async saveLibraryItem(
    caller: Caller,
    id: string,
    baseVersion: number,
    doc: LibraryDoc,
  ): Promise<{ item: LibraryItem; events: TeamEvent[] } | StoreRefusal> {
    const save = this.db.transaction(() => this.writeLibrary(caller, id, baseVersion, doc));
    return this.grouped(save);
  }

  async deleteLibraryItem(
    caller: Caller,
    id: string,
    baseVersion: number,
  ): Promise<{ item: LibraryItem; events: TeamEvent[] } | StoreRefusal> {
    const remove = this.db.transaction(() => this.writeLibrary(caller, id, baseVersion, null));
    return this.grouped(remove);
  }

  private writeLibrary(
    caller: Caller,
    id: string,
    baseVersion: number,
    doc: LibraryDoc | null,
  ): { item: LibraryItem; events: TeamEvent[] } | StoreRefusal {
    const teamId = caller.team.id;
    const current = this.db.prepare(`SELECT * FROM library WHERE team_id = ? AND id = ?`).get(teamId, id) as
      LibraryRow | undefined;
    const refusal = libraryWriteCheck(caller, id, current, baseVersion, doc, (row) => this.libraryOf(row));
    if (refusal) return refusal;
    const currentVersion = current?.version ?? 0;
    const seq = this.bumpSeq(teamId);
    const { kind, app, labels } = libraryFields(doc, current);
    const row: LibraryRow = {
      id,
      kind,
      version: currentVersion + 1,
      doc: doc ? JSON.stringify(doc) : null,
      app,
      labels: JSON.stringify(labels),
      deleted: doc ? 0 : 1,
      updated_by: caller.member.id,
      updated_at: now(),
      seq,
      created_by: current ? current.created_by : caller.member.id,
    };
    this.db
      .prepare(
        `INSERT INTO library
           (team_id, id, kind, version, doc, app, labels, deleted, updated_by, updated_at, seq, created_by)
         VALUES
           (@team_id, @id, @kind, @version, @doc, @app, @labels, @deleted, @updated_by, @updated_at, @seq, @created_by)
         ON CONFLICT (team_id, id) DO UPDATE SET kind = excluded.kind, version = excluded.version, doc = excluded.doc,
           app = excluded.app, labels = excluded.labels, deleted = excluded.deleted, updated_by = excluded.updated_by,
           updated_at = excluded.updated_at, seq = excluded.seq`,
      )
      .run({ team_id: teamId, ...row });
    const item = this.libraryOf(row);
    const event: TeamEvent = { seq, type: 'library', item };
    this.insertEvent(teamId, event, null);
    return { item, events: [event] };
  }

  // ------------------------------------------------------------ events

  async learnQuestion(
    caller: Caller,
    itemId: string,
    question: string,
  ): Promise<{ questions: string[] } | StoreRefusal> {
    const teamId = caller.team.id;
    const learn = this.db.transaction((): { questions: string[] } | StoreRefusal => {
      const item = this.db.prepare(`SELECT deleted FROM library WHERE team_id = ? AND id = ?`).get(teamId, itemId) as
        { deleted: number } | undefined;
      if (!item || item.deleted)
        return { refused: 'not_found', message: `library item ${itemId} was not found in your team` };
      this.db
        .prepare(
          `INSERT INTO learned_questions (team_id, item_id, question, member_id, created_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (team_id, item_id, question) DO UPDATE SET created_at = excluded.created_at`,
        )
        .run(teamId, itemId, question, caller.member.id, now());
      this.db
        .prepare(
          `DELETE FROM learned_questions WHERE team_id = ? AND item_id = ? AND question NOT IN (
             SELECT question FROM learned_questions WHERE team_id = ? AND item_id = ?
             ORDER BY created_at DESC LIMIT ?)`,
        )
        .run(teamId, itemId, teamId, itemId, TEAM_LIMITS.learnedPerItem);
      return { questions: this.learnedOf(teamId, itemId) };
    });
    return this.grouped(learn);
  }

  async learnedQuestions(teamId: string): Promise<Record<string, string[]>> {
    const rows = this.db
      .prepare(`SELECT item_id, question FROM learned_questions WHERE team_id = ? ORDER BY item_id, created_at DESC`)
      .all(teamId) as Array<{ item_id: string; question: string }>;
    return groupLearned(rows);
  }

  private learnedOf(teamId: string, itemId: string): string[] {
    return (
      this.db
        .prepare(`SELECT question FROM learned_questions WHERE team_id = ? AND item_id = ? ORDER BY created_at DESC`)
        .all(teamId, itemId) as Array<{ question: string }>
    ).map((row) => row.question);
  }

  async eventsAfter(
    teamId: string,
    afterSeq: number,
    limit: number,
  ): Promise<Array<{ event: TeamEvent; requesterId: string | null }>> {
    const rows = this.db
      .prepare(`SELECT payload, requester_id FROM events WHERE team_id = ? AND seq > ? ORDER BY seq LIMIT ?`)
      .all(teamId, afterSeq, limit) as Array<{ payload: string; requester_id: string | null }>;
    return rows.map((row) => ({ event: JSON.parse(row.payload) as TeamEvent, requesterId: row.requester_id }));
  }

  async headSeq(teamId: string): Promise<number> {
    const row = this.db.prepare(`SELECT seq FROM teams WHERE id = ?`).get(teamId) as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  // ------------------------------------------------------------ internals (call inside a transaction)

  private bumpSeq(teamId: string): number {
    this.db.prepare(`UPDATE teams SET seq = seq + 1 WHERE id = ?`).run(teamId);
    return (this.db.prepare(`SELECT seq FROM teams WHERE id = ?`).get(teamId) as { seq: number }).seq;
  }

  private appendEvent(teamId: string, body: { type: 'request'; request: HelpRequest }, requesterId: string): TeamEvent {
    const event: TeamEvent = { seq: this.bumpSeq(teamId), ...body };
    this.insertEvent(teamId, event, requesterId);
    return event;
  }

  private insertEvent(teamId: string, event: TeamEvent, requesterId: string | null): void {
    this.db
      .prepare(`INSERT INTO events (team_id, seq, type, requester_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(teamId, event.seq, event.type, requesterId, JSON.stringify(event), now());
  }

  // ------------------------------------------------------------ team settings

  async teamSettings(teamId: string): Promise<TeamSettingsAnswer> {
    const row = this.db
      .prepare(
        `SELECT route_to_team_after_minutes, show_helper_names_to_requester, updated_at, updated_by
         FROM team_settings WHERE team_id = ?`,
      )
      .get(teamId) as TeamSettingsRow | undefined;
    return teamSettingsOf(row, row?.updated_by ? this.person(row.updated_by) : null);
  }

  async updateTeamSettings(caller: Caller, patch: Partial<TeamSettings>): Promise<TeamSettingsAnswer> {
    const teamId = caller.team.id;
    await this.grouped(() => {
      const current = this.db
        .prepare(
          `SELECT route_to_team_after_minutes, show_helper_names_to_requester FROM team_settings WHERE team_id = ?`,
        )
        .get(teamId) as TeamSettingsRow | undefined;
      const next = { ...teamSettingsOf(current, null).settings, ...patch };
      this.db
        .prepare(
          `INSERT INTO team_settings (team_id, route_to_team_after_minutes, show_helper_names_to_requester, updated_at,
             updated_by) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (team_id) DO UPDATE SET route_to_team_after_minutes = excluded.route_to_team_after_minutes,
             show_helper_names_to_requester = excluded.show_helper_names_to_requester,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        )
        .run(teamId, next.routeToTeamAfterMinutes, next.showHelperNamesToRequester ? 1 : 0, now(), caller.member.id);
    });
    return this.teamSettings(teamId);
  }

  private insertMessage(
    caller: Caller,
    request: RequestRow,
    input: MessageInput,
  ): { message: ChatMessage; event: TeamEvent } {
    const seq = request.last_message_seq + 1;
    request.last_message_seq = seq;
    const row: MessageRow = {
      id: newId('msg'),
      request_id: request.id,
      seq,
      client_id: input.clientId,
      author_id: caller.member.id,
      kind: input.kind,
      text: input.text,
      pointer: input.pointer ? JSON.stringify(input.pointer) : null,
      library: input.library ? JSON.stringify(input.library) : null,
      created_at: now(),
    };
    this.db
      .prepare(
        `INSERT INTO messages (id, team_id, request_id, seq, client_id, author_id, kind, text, pointer, library,
           created_at)
         VALUES (@id, @team_id, @request_id, @seq, @client_id, @author_id, @kind, @text, @pointer, @library,
           @created_at)`,
      )
      .run({ ...row, team_id: caller.team.id });
    this.db
      .prepare(`UPDATE requests SET last_message_seq = ?, updated_at = ? WHERE id = ?`)
      .run(seq, row.created_at, request.id);
    const message = this.messageOf(row);
    const event: TeamEvent = { seq: this.bumpSeq(caller.team.id), type: 'message', message };
    this.insertEvent(caller.team.id, event, request.requester_id);
    return { message, event };
  }

  private requestRow(teamId: string, requestId: string): RequestRow | undefined {
    return this.db
      .prepare(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE team_id = ? AND id = ?`)
      .get(teamId, requestId) as RequestRow | undefined;
  }

  private member(memberId: string): MemberRow {
    let row = this.memberCache.get(memberId);
    if (!row) {
      row = this.db.prepare(`SELECT * FROM members WHERE id = ?`).get(memberId) as MemberRow;
      this.memberCache.set(memberId, row);
    }
    return row;
  }

  private person(memberId: string): PersonRef {
    return personRef(this.member(memberId));
  }

  private requestOf(row: RequestRow): HelpRequest {
    return requestOf(row, this.person(row.requester_id), row.claimed_by ? this.person(row.claimed_by) : null);
  }

  private messageOf(row: MessageRow): ChatMessage {
    return messageOf(row, this.person(row.author_id));
  }

  private libraryOf(row: LibraryRow): LibraryItem {
    return libraryOf(row, this.person(row.updated_by), row.created_by ? this.person(row.created_by) : null);
  }
}
