/**
 * PostgreSQL backend of the team store (node-postgres), shared by any number of server instances.
 *
 * - **Acknowledged means committed.** Writes are group-committed like the SQLite store: every write
 *   queued while the previous group commits runs in the next transaction, each in its own savepoint, and
 *   every caller is answered after that COMMIT returned (PostgreSQL's default `synchronous_commit = on`
 *   flushes the WAL first). A connection lost during COMMIT rejects the whole group: the clients resend
 *   with the same clientId, which the store answers idempotently, so nothing is duplicated.
 * - **One order per team.** A group first locks the rows of the teams it writes (`FOR UPDATE`, sorted by
 *   id, so instances never deadlock); team sequence numbers are taken under that lock and committed in
 *   order, so any instance that sees seq N committed can read every event up to N.
 * - **Live delivery across instances.** A group sends `NOTIFY sidekick_events '<team> <seq>'` in its own
 *   transaction (delivered only on commit); each instance LISTENs on one extra connection and reads the
 *   event log after the seq it has (see `team-feed.ts`). Membership changes go over `sidekick_members`.
 * - **Startup.** Migrations (`pg-migrations.ts`) run under a session advisory lock; a database written
 *   by a newer schema is refused. Connection failures at start are retried with backoff.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  type ChatMessage,
  type HelpRequest,
  type Invite,
  type LibraryDoc,
  type LibraryItem,
  type Member,
  type PersonRef,
  type RequestState,
  type Role,
  type Team,
  TEAM_LIMITS,
  type TeamEvent,
  type TeamSettings,
  type TeamSettingsAnswer,
  type UsageEvent,
} from '../../src-shared/team';
import * as shared from './rows';
import {
  inviteOf,
  libraryFields,
  libraryWriteCheck,
  memberOf,
  newId,
  now,
  settleGroup,
  transitionRefusal,
  transitionText,
  messageInputOf,
  type MessageInput,
  type WriteResult,
} from './rows';
import { MIGRATION_LOCK, PG_MIGRATIONS, PG_SCHEMA_VERSION } from './pg-migrations';
import {
  type Caller,
  type ClusterSignals,
  type MemberChange,
  type NewHelpRequest,
  type QueueStanding,
  type RedeemResult,
  type RequestAction,
  StoreUnavailableError,
  type StoredScreenshot,
  type StoreRefusal,
  type ChatPost,
  type TeamStore,
  type ResolvedRecord,
  type InsightSummary,
  type StoredUsageEvent,
} from './team-store';

/** Channel of commit notifications: payload `<teamId> <seq>`. */
export const EVENTS_CHANNEL = 'sidekick_events';
/** Channel of membership changes: payload JSON `{teamId, memberId, reason}`. */
export const MEMBERS_CHANNEL = 'sidekick_members';

/** How to open the PostgreSQL store. */
export interface PgStoreOptions {
  /** Connections in the pool (the LISTEN connection comes on top). */
  poolSize?: number;
  /** Connection attempts at start before giving up (backoff 0.5 s doubling to 8 s). */
  connectAttempts?: number;
  /** Told about each failed attempt and the wait before the next. */
  onRetry?(message: string): void;
}

/** Why the store could not open: a message a person can act on. */
export class PgStartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PgStartupError';
  }
}

/** Types: bigint as number (sequence numbers stay far below 2^53), timestamptz as ISO-8601 text. */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === 20) return (value: string) => Number(value);
    if (oid === 1184) {
      const parseDate = pg.types.getTypeParser(1184, 'text') as (value: string) => Date;
      return (value: string) => parseDate(value).toISOString();
    }
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

/** `postgres://user@host:port/db` without the password, for logs and the startup line. */
export function describePgUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.username ? `${decodeURIComponent(parsed.username)}@` : ''}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/** True for a connection string this store accepts. */
export function isPgUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** True when an error means "the database is not reachable right now" (retry later), not a bug. */
export function isUnavailableError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_NODE_CODES.has(code)) return true;
    // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300')
      return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /Connection terminated|not queryable|timeout exceeded when trying to connect|Client was closed|terminating connection/i.test(
    message,
  );
}

function unavailable(error: unknown): StoreUnavailableError {
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(
    `the team database (PostgreSQL) is not reachable right now (${detail}); nothing was saved, retry shortly`,
  );
}

/** The message and whether to retry, for a failed first connection. */
export function classifyStartupError(error: unknown, url: string): { retry: boolean; message: string } {
  const where = describePgUrl(url);
  const code = (error as { code?: unknown })?.code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === '28P01' || code === '28000') {
    return {
      retry: false,
      message:
        `PostgreSQL at ${where} refused the login (${detail}). ` +
        `Check the user and password in --database / SIDEKICK_DATABASE_URL.`,
    };
  }
  if (code === '3D000') {
    const db = where.split('/').pop();
    return {
      retry: false,
      message:
        `PostgreSQL at ${where}: ${detail}. Create it first, e.g. ` +
        `\`createdb ${db}\`, or point --database at an existing database.`,
    };
  }
  if (code === 'ENOTFOUND')
    return { retry: true, message: `cannot resolve the PostgreSQL host of ${where} (${detail})` };
  return { retry: isUnavailableError(error), message: `cannot reach PostgreSQL at ${where} (${detail})` };
}

/** Opens the PostgreSQL team store: connects (with retries), migrates under the advisory lock. */
export async function openPgTeamStore(url: string, options: PgStoreOptions = {}): Promise<PgTeamStore> {
  if (!isPgUrl(url))
    throw new PgStartupError(
      `"${describePgUrl(url)}" is not a PostgreSQL URL; use postgres://user:password@host:5432/database`,
    );
  const attempts = options.connectAttempts ?? 8;
  let wait = 500;
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: url, types: TYPES, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      const { retry, message } = classifyStartupError(error, url);
      if (!retry) throw new PgStartupError(message);
      if (attempt >= attempts)
        throw new PgStartupError(
          `${message}; gave up after ${attempt} attempts. Is PostgreSQL running and reachable from here?`,
        );
      options.onRetry?.(`${message}; retrying in ${(wait / 1000).toFixed(1)} s (attempt ${attempt} of ${attempts})`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 8000);
      continue;
    }
    try {
      await migrate(client, url);
    } finally {
      await client.end().catch(() => undefined);
    }
    return new PgTeamStore(url, options.poolSize ?? 8);
  }
}

/** Runs pending migrations while holding the advisory lock; refuses a schema newer than this code. */
async function migrate(client: pg.Client, url: string): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS sidekick_schema (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM sidekick_schema',
    );
    const current = rows[0]?.version ?? 0;
    if (current > PG_SCHEMA_VERSION) {
      throw new PgStartupError(
        `the database ${describePgUrl(url)} has schema version ${current}, written by a newer Sidekick server; this ` +
          `one knows version ${PG_SCHEMA_VERSION}. Upgrade this server to the version the other instances run (never ` +
          `downgrade a shared database), or point --database at another database.`,
      );
    }
    for (const migration of PG_MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO sidekick_schema (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new PgStartupError(
          `migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
        );
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]).catch(() => undefined);
  }
}

type Row = Record<string, unknown>;

/** The query surface of one write inside a group transaction. */
interface Tx {
  rows<R extends Row>(sql: string, params?: unknown[]): Promise<R[]>;
  one<R extends Row>(sql: string, params?: unknown[]): Promise<R | undefined>;
  /** `one` as a named prepared statement (parsed and planned once per connection): for the hottest statements. */
  prepared<R extends Row>(name: string, sql: string, params: unknown[]): Promise<R | undefined>;
  /** Takes the next team sequence number (the team row is locked by the group). */
  bump(teamId: string): Promise<number>;
  /** Records a team sequence number taken by a statement of this write (for the commit notification). */
  noteSeq(teamId: string, seq: number): void;
  /** Tells every instance to close this member's (or token's) live connections once committed. */
  memberChanged(teamId: string, change: MemberChange): void;
}

interface QueuedWrite {
  teamId: string | null;
  /** Its only change is one statement at its end: no savepoint (a failure fails the whole group, retried). */
  atomic: boolean;
  work(tx: Tx): Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A request row with its people joined in. */
interface RequestRow extends Row, shared.RequestRow {
  requester_name: string;
  requester_role: Role;
  claimed_name: string | null;
  claimed_role: Role | null;
}

/** A message row with its author joined in. */
interface MessageRow extends Row, shared.MessageRow {
  author_name: string;
  author_role: Role;
}

/** A library row with its authors joined in. */
interface LibraryRow extends Row, shared.LibraryRow {
  deleted: boolean;
  updated_by_name: string;
  updated_by_role: Role;
  created_by_name: string | null;
  created_by_role: Role | null;
}

/** A settings row with the name of who changed it. */
interface TeamSettingsRow extends Row, shared.TeamSettingsRow {
  updated_by_name?: string | null;
  updated_by_role?: Role | null;
}

type MemberRow = Row & shared.MemberRow;
type InviteRow = Row & shared.InviteRow;

const REQUEST_SELECT = `SELECT r.id, r.team_id, r.client_id, r.requester_id, r.state, r.question, r.context,
  r.screenshot_mime, r.screenshot_width, r.screenshot_height, octet_length(r.screenshot) AS screenshot_bytes,
  r.claimed_by, r.resolution,
  r.last_message_seq, r.created_at, r.updated_at, r.routing, rq.name AS requester_name, rq.role AS requester_role,
  cb.name AS claimed_name, cb.role AS claimed_role
  FROM requests r JOIN members rq ON rq.id = r.requester_id LEFT JOIN members cb ON cb.id = r.claimed_by`;

const MESSAGE_SELECT = `SELECT m.id, m.request_id, m.seq, m.client_id, m.author_id, m.kind, m.text, m.pointer,
  m.library, m.created_at, a.name AS author_name, a.role AS author_role
  FROM messages m JOIN members a ON a.id = m.author_id`;

const LIBRARY_SELECT = `SELECT l.id, l.kind, l.version, l.doc, l.app, l.labels, l.deleted, l.updated_by, l.updated_at,
  l.seq, u.name AS updated_by_name, u.role AS updated_by_role,
  l.created_by, c.name AS created_by_name, c.role AS created_by_role
  FROM library l JOIN members u ON u.id = l.updated_by LEFT JOIN members c ON c.id = l.created_by`;

/** The PostgreSQL team store. Open it with `openPgTeamStore`. */
export class PgTeamStore implements TeamStore {
  readonly description: string;
  readonly pool: pg.Pool;
  private readonly queue: QueuedWrite[] = [];
  private flushing = false;
  private flushScheduled = false;
  private closed = false;
  private listener: pg.Client | null = null;
  private readonly watchers = new Set<ClusterSignals>();
  private listenRetry: NodeJS.Timeout | null = null;
  /** Commits made and writes they carried. */
  readonly commitStats = { commits: 0, writes: 0 };

  constructor(
    private readonly url: string,
    poolSize: number,
  ) {
    this.description = `PostgreSQL ${describePgUrl(url)}`;
    this.pool = new pg.Pool({
      connectionString: url,
      types: TYPES,
      max: poolSize,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its server (PostgreSQL restarted) must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.listenRetry) clearTimeout(this.listenRetry);
    while (this.queue.length || this.flushing) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  // ------------------------------------------------------------ plumbing

  private async rows<R extends Row>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw isUnavailableError(error) ? unavailable(error) : error;
    }
  }

  private async one<R extends Row>(sql: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(sql, params))[0];
  }

  /** Queues a write for the next group commit; resolves after that COMMIT. */
  private grouped<T>(teamId: string | null, work: (tx: Tx) => Promise<T>, atomic = false): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the team store is closing'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ teamId, work, atomic, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing || this.flushScheduled || !this.queue.length) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing || !this.queue.length) return;
    this.flushing = true;
    const batch = this.queue.splice(0, 500);
    try {
      await this.runGroup(batch);
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  private async runGroup(batch: QueuedWrite[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      const failure = isUnavailableError(error) ? unavailable(error) : error;
      for (const item of batch) item.reject(failure);
      return;
    }
    const results: WriteResult[] = [];
    const seqs = new Map<string, number>();
    const memberNotes: string[] = [];
    let broken: unknown = null;
    try {
      // BEGIN and the team locks in one round trip (a simple query of two statements, ids as literals).
      const teams = [...new Set(batch.map((item) => item.teamId).filter((id): id is string => id !== null))].sort();
      await client.query(
        teams.length
          ? `BEGIN; SELECT id FROM teams WHERE id IN (${teams.map((id) => client.escapeLiteral(id)).join(', ')}) ` +
              'ORDER BY id FOR UPDATE'
          : 'BEGIN',
      );
      // Writes queued while this group waited for its team locks (another instance held them) join it, in
      // queue order, as long as their teams are locked already: the wait becomes batching, so instances
      // contending for one team commit fewer, larger groups instead of queueing one-write groups.
      const locked = new Set(teams);
      let joining = 0;
      while (batch.length + joining < 500 && joining < this.queue.length) {
        const teamId = this.queue[joining]!.teamId;
        if (teamId !== null && !locked.has(teamId)) break;
        joining++;
      }
      batch.push(...this.queue.splice(0, joining));
      const single = batch.length === 1;
      for (const item of batch) {
        const itemSeqs = new Map<string, number>();
        const itemNotes: string[] = [];
        const tx: Tx = {
          rows: async <R extends Row>(sql: string, params: unknown[] = []) => (await client.query<R>(sql, params)).rows,
          one: async <R extends Row>(sql: string, params: unknown[] = []): Promise<R | undefined> =>
            (await client.query<R>(sql, params)).rows[0],
          prepared: async <R extends Row>(name: string, sql: string, params: unknown[]): Promise<R | undefined> =>
            (await client.query<R>({ name, text: sql, values: params })).rows[0],
          bump: async (teamId) => {
            const { rows } = await client.query<{ seq: number }>(
              'UPDATE teams SET seq = seq + 1 WHERE id = $1 RETURNING seq',
              [teamId],
            );
            const seq = rows[0]!.seq;
            itemSeqs.set(teamId, seq);
            return seq;
          },
          noteSeq: (teamId, seq) => void itemSeqs.set(teamId, Math.max(seq, itemSeqs.get(teamId) ?? 0)),
          memberChanged: (teamId, change) => itemNotes.push(JSON.stringify({ teamId, change })),
        };
        // Round trips are what a group spends holding the team lock: atomic writes skip the savepoint.
        const savepoint = !single && !item.atomic;
        if (savepoint) await client.query('SAVEPOINT w');
        try {
          const value = await item.work(tx);
          if (savepoint) await client.query('RELEASE SAVEPOINT w');
          results.push({ ok: true, value });
          for (const [teamId, seq] of itemSeqs) seqs.set(teamId, Math.max(seq, seqs.get(teamId) ?? 0));
          memberNotes.push(...itemNotes);
        } catch (error) {
          if (isUnavailableError(error)) throw error;
          if (!savepoint && !single) {
            const detail = error instanceof Error ? error.message : String(error);
            throw new StoreUnavailableError(
              `a write committed together with this one failed (${detail}); nothing was saved, retry`,
              500,
            );
          }
          if (savepoint) await client.query('ROLLBACK TO SAVEPOINT w');
          results.push({ ok: false, error });
        }
      }
      // The notifications (sent only if it commits) and COMMIT in one round trip.
      const notes = [
        ...[...seqs].map(([teamId, seq]) => [EVENTS_CHANNEL, `${teamId} ${seq}`]),
        ...memberNotes.map((note) => [MEMBERS_CHANNEL, note]),
      ].map(([channel, payload]) => `SELECT pg_notify('${channel}', ${client.escapeLiteral(payload!)}); `);
      await client.query(`${notes.join('')}COMMIT`);
    } catch (error) {
      broken = error;
      await client.query('ROLLBACK').catch(() => undefined);
    } finally {
      client.release(broken && isUnavailableError(broken) ? (broken as Error) : undefined);
    }
    if (broken) {
      // Nothing of this group is committed (or the outcome is unknown: the client resends by clientId).
      const failure = isUnavailableError(broken) ? unavailable(broken) : broken;
      for (const item of batch) item.reject(failure);
      return;
    }
    settleGroup(batch, results, this.commitStats);
  }

  // ------------------------------------------------------------ cluster signals

  watch(signals: ClusterSignals): () => void {
    this.watchers.add(signals);
    if (this.watchers.size === 1) void this.listen();
    return () => {
      this.watchers.delete(signals);
    };
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]).catch(() => undefined);
      }
    });
  }

  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw isUnavailableError(error) ? unavailable(error) : error;
    }
    try {
      return await work(client);
    } finally {
      client.release();
    }
  }

  /** Keeps one LISTEN connection; after losing it, reconnects with backoff and asks watchers to resync. */
  private async listen(attempt = 0): Promise<void> {
    if (this.closed || !this.watchers.size) return;
    const client = new pg.Client({ connectionString: this.url, types: TYPES, connectionTimeoutMillis: 5000 });
    const retry = () => {
      if (this.listener === client) this.listener = null;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (this.closed || this.listenRetry) return;
      const wait = Math.min(250 * 2 ** attempt, 5000);
      this.listenRetry = setTimeout(() => {
        this.listenRetry = null;
        void this.listen(attempt + 1);
      }, wait);
    };
    client.on('error', retry);
    client.on('end', () => {
      if (this.listener === client) retry();
    });
    client.on('notification', (note) => this.onNotification(note.channel, note.payload ?? ''));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}; LISTEN ${MEMBERS_CHANNEL}`);
    } catch {
      retry();
      return;
    }
    this.listener = client;
    attempt = 0;
    for (const watcher of this.watchers) watcher.resync();
  }

  private onNotification(channel: string, payload: string): void {
    if (channel === EVENTS_CHANNEL) {
      const [teamId, seq] = payload.split(' ');
      if (!teamId || !seq) return;
      for (const watcher of this.watchers) watcher.commit(teamId, Number(seq));
    } else if (channel === MEMBERS_CHANNEL) {
      try {
        const note = JSON.parse(payload) as { teamId: string; change: MemberChange };
        for (const watcher of this.watchers) watcher.memberChanged(note.teamId, note.change);
      } catch {
        // not ours
      }
    }
  }

  /**
   * The public URL every instance's invite links use: the first instance to start with one records it;
   * another value is refused (instances behind one load balancer share its address). Null when unset.
   */
  async sharedPublicUrl(wanted: string | null): Promise<string | null> {
    if (wanted) {
      await this.rows(`INSERT INTO settings (key, value) VALUES ('public_url', $1) ON CONFLICT (key) DO NOTHING`, [
        wanted,
      ]);
    }
    const row = await this.one<{ value: string }>(`SELECT value FROM settings WHERE key = 'public_url'`);
    if (wanted && row && row.value !== wanted) {
      throw new PgStartupError(
        `the other instances of this team server use the public URL ${row.value}, this one was started with ` +
          `--public-url ${wanted}. Every instance behind one load balancer must use the same (the balancer's) ` +
          `address, or invite links break. Start this one with --public-url ${row.value}, or, to move all of them, ` +
          `run in psql: UPDATE settings SET value = '${wanted}' WHERE key = 'public_url'; and restart every instance ` +
          `with the new URL.`,
      );
    }
    return row?.value ?? null;
  }

  /** True while the LISTEN connection is up (for health checks and tests). */
  get listening(): boolean {
    return this.listener !== null;
  }

  // ------------------------------------------------------------ teams, invites, members

  async createTeam(name: string): Promise<Team> {
    const team = { id: newId('team'), name };
    await this.rows('INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)', [team.id, name, now()]);
    return team;
  }

  async listTeams(): Promise<Team[]> {
    return this.rows<Team & Row>('SELECT id, name FROM teams ORDER BY created_at, id');
  }

  async teamsWithoutAdmin(): Promise<Team[]> {
    return this.rows<Team & Row>(
      `SELECT id, name FROM teams t WHERE NOT EXISTS
         (SELECT 1 FROM members m WHERE m.team_id = t.id AND m.role = 'admin' AND m.revoked_at IS NULL)
       ORDER BY created_at, id`,
    );
  }

  /** Teams without an admin that also have no usable admin invite (what a starting instance must invite for). */
  async teamsNeedingAdminInvite(): Promise<Team[]> {
    return this.rows<Team & Row>(
      `SELECT id, name FROM teams t WHERE NOT EXISTS
         (SELECT 1 FROM members m WHERE m.team_id = t.id AND m.role = 'admin' AND m.revoked_at IS NULL)
       AND NOT EXISTS (SELECT 1 FROM invites i WHERE i.team_id = t.id AND i.role = 'admin' AND i.revoked_at IS NULL
         AND i.uses < i.max_uses AND i.expires_at > now())
       ORDER BY created_at, id`,
    );
  }

  async createInvite(
    teamId: string,
    input: { role: Role; codeHash: string; maxUses: number; expiresAt: string },
  ): Promise<Invite> {
    const row = await this.one<InviteRow>(
      `INSERT INTO invites (id, team_id, code_hash, role, max_uses, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING *`,
      [newId('inv'), teamId, input.codeHash, input.role, input.maxUses, input.expiresAt, now()],
    );
    return inviteOf(row!);
  }

  async listInvites(teamId: string): Promise<Invite[]> {
    return (
      await this.rows<InviteRow>('SELECT * FROM invites WHERE team_id = $1 ORDER BY created_at, id', [teamId])
    ).map(inviteOf);
  }

  async revokeInvite(teamId: string, inviteId: string): Promise<boolean> {
    const rows = await this.rows(
      'UPDATE invites SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND team_id = $3 RETURNING id',
      [now(), inviteId, teamId],
    );
    return rows.length > 0;
  }

  async redeemInvite(codeHash: string, name: string, tokenHash: string): Promise<RedeemResult> {
    return this.grouped(null, async (tx): Promise<RedeemResult> => {
      const invite = await tx.one<InviteRow>('SELECT * FROM invites WHERE code_hash = $1 FOR UPDATE', [codeHash]);
      if (!invite)
        return { ok: false, message: 'this invite is not known to this server; ask your admin for a new invite link' };
      if (invite.revoked_at)
        return { ok: false, message: 'this invite was revoked; ask your admin for a new invite link' };
      if (invite.expires_at < now())
        return { ok: false, message: `this invite expired at ${invite.expires_at}; ask your admin for a new one` };
      if (invite.uses >= invite.max_uses)
        return { ok: false, message: 'this invite was already used; ask your admin for a new invite link' };
      await tx.rows('UPDATE invites SET uses = uses + 1 WHERE id = $1', [invite.id]);
      const stamp = now();
      const member = await tx.one<MemberRow>(
        'INSERT INTO members (id, team_id, name, role, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
        [newId('mem'), invite.team_id, name, invite.role, stamp],
      );
      await tx.rows('INSERT INTO tokens (hash, member_id, created_at) VALUES ($1, $2, $3)', [
        tokenHash,
        member!.id,
        stamp,
      ]);
      const team = await tx.one<Team & Row>('SELECT id, name FROM teams WHERE id = $1', [invite.team_id]);
      return { ok: true, member: memberOf(member!), team: { id: team!.id, name: team!.name } };
    });
  }

  async authenticate(tokenHash: string): Promise<Caller | null> {
    const row = await this.one<MemberRow & { team_name: string }>(
      `SELECT m.*, t.name AS team_name
       FROM tokens k JOIN members m ON m.id = k.member_id JOIN teams t ON t.id = m.team_id
       WHERE k.hash = $1 AND k.revoked_at IS NULL AND m.revoked_at IS NULL`,
      [tokenHash],
    );
    if (!row) return null;
    return { team: { id: row.team_id, name: row.team_name }, member: memberOf(row) };
  }

  async revokeToken(tokenHash: string): Promise<void> {
    await this.grouped(null, async (tx) => {
      const row = await tx.one<{ member_id: string; team_id: string }>(
        `UPDATE tokens k SET revoked_at = COALESCE(k.revoked_at, $1)
         FROM members m WHERE k.hash = $2 AND m.id = k.member_id
         RETURNING k.member_id, m.team_id`,
        [now(), tokenHash],
      );
      if (row)
        tx.memberChanged(row.team_id, { kind: 'token', memberId: row.member_id, tokenHash, reason: 'token revoked' });
    });
  }

  async listMembers(teamId: string): Promise<Member[]> {
    return (
      await this.rows<MemberRow>('SELECT * FROM members WHERE team_id = $1 ORDER BY created_at, id', [teamId])
    ).map(memberOf);
  }

  async setMemberRole(teamId: string, memberId: string, role: Role): Promise<Member | null> {
    return this.grouped(null, async (tx) => {
      const row = await tx.one<MemberRow>('UPDATE members SET role = $1 WHERE id = $2 AND team_id = $3 RETURNING *', [
        role,
        memberId,
        teamId,
      ]);
      if (!row) return null;
      tx.memberChanged(teamId, { kind: 'role', memberId, reason: 'role changed; reconnect' });
      return memberOf(row);
    });
  }

  async revokeMember(teamId: string, memberId: string): Promise<Member | null> {
    return this.grouped(null, async (tx) => {
      const stamp = now();
      const row = await tx.one<MemberRow>(
        'UPDATE members SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND team_id = $3 RETURNING *',
        [stamp, memberId, teamId],
      );
      if (!row) return null;
      await tx.rows('UPDATE tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE member_id = $2', [stamp, memberId]);
      tx.memberChanged(teamId, { kind: 'revoked', memberId, reason: 'membership revoked' });
      return memberOf(row);
    });
  }

  // ------------------------------------------------------------ team settings

  async teamSettings(teamId: string): Promise<TeamSettingsAnswer> {
    const row = await this.one<TeamSettingsRow>(
      `SELECT s.route_to_team_after_minutes, s.show_helper_names_to_requester, s.updated_at, s.updated_by,
         m.name AS updated_by_name, m.role AS updated_by_role
       FROM team_settings s LEFT JOIN members m ON m.id = s.updated_by WHERE s.team_id = $1`,
      [teamId],
    );
    const by = row?.updated_by
      ? personOf(row.updated_by, row.updated_by_name ?? '', row.updated_by_role ?? 'admin')
      : null;
    return shared.teamSettingsOf(row, by);
  }

  async updateTeamSettings(caller: Caller, patch: Partial<TeamSettings>): Promise<TeamSettingsAnswer> {
    const teamId = caller.team.id;
    await this.grouped(null, async (tx) => {
      const current = await tx.one<TeamSettingsRow>(
        `SELECT route_to_team_after_minutes, show_helper_names_to_requester, updated_at, updated_by
         FROM team_settings WHERE team_id = $1 FOR UPDATE`,
        [teamId],
      );
      const next = { ...shared.teamSettingsOf(current, null).settings, ...patch };
      await tx.rows(
        `INSERT INTO team_settings (team_id, route_to_team_after_minutes, show_helper_names_to_requester, updated_at,
           updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (team_id) DO UPDATE SET route_to_team_after_minutes = excluded.route_to_team_after_minutes,
           show_helper_names_to_requester = excluded.show_helper_names_to_requester,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [teamId, next.routeToTeamAfterMinutes, next.showHelperNamesToRequester, now(), caller.member.id],
      );
    });
    return this.teamSettings(teamId);
  }

  // ------------------------------------------------------------ help requests and chat

  async createRequest(
    caller: Caller,
    input: NewHelpRequest,
  ): Promise<{ request: HelpRequest; created: boolean; events: TeamEvent[] }> {
    const teamId = caller.team.id;
    return this.grouped(teamId, async (tx) => {
      const existing = await tx.one<RequestRow>(
        `${REQUEST_SELECT} WHERE r.team_id = $1 AND r.requester_id = $2 AND r.client_id = $3`,
        [teamId, caller.member.id, input.clientId],
      );
      if (existing) return { request: requestOf(existing), created: false, events: [] as TeamEvent[] };
      const id = newId('req');
      const stamp = now();
      const shot = input.screenshot;
      await tx.rows(
        `INSERT INTO requests (id, team_id, client_id, requester_id, state, question, context, screenshot_mime,
           screenshot_width, screenshot_height, screenshot, created_at, updated_at, app, walkthrough_id,
           walkthrough_step, routing)
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15)`,
        [
          id,
          teamId,
          input.clientId,
          caller.member.id,
          input.question,
          JSON.stringify(input.context),
          shot?.mime ?? null,
          shot?.width ?? null,
          shot?.height ?? null,
          shot?.bytes ?? null,
          stamp,
          input.context.app,
          input.context.walkthrough?.id ?? null,
          input.context.walkthrough?.stepIndex ?? null,
          shared.routingJson(input.routing, stamp),
        ],
      );
      const request = requestOf((await tx.one<RequestRow>(`${REQUEST_SELECT} WHERE r.id = $1`, [id]))!);
      const event: TeamEvent = { seq: await tx.bump(teamId), type: 'request', request };
      await insertEvent(tx, teamId, event, caller.member.id);
      return { request, created: true, events: [event] };
    });
  }

  async getRequest(teamId: string, requestId: string): Promise<HelpRequest | null> {
    const row = await this.one<RequestRow>(`${REQUEST_SELECT} WHERE r.team_id = $1 AND r.id = $2`, [teamId, requestId]);
    return row ? requestOf(row) : null;
  }

  async requestOwner(teamId: string, requestId: string): Promise<{ requesterId: string } | null> {
    const row = await this.one<{ requester_id: string }>(
      'SELECT requester_id FROM requests WHERE team_id = $1 AND id = $2',
      [teamId, requestId],
    );
    return row ? { requesterId: row.requester_id } : null;
  }

  async listRequests(
    teamId: string,
    filter: { state?: RequestState; requesterId?: string; limit: number },
  ): Promise<HelpRequest[]> {
    const { where, params } = shared.requestFilter(teamId, filter, (n) => `$${n}`, 'r.');
    const rows = await this.rows<RequestRow>(
      `${REQUEST_SELECT} WHERE ${where} ORDER BY r.created_at DESC, r.id LIMIT $${params.length}`,
      params,
    );
    return rows.map(requestOf);
  }

  async queueStanding(teamId: string, requestId: string, samples: number): Promise<QueueStanding | null> {
    const row = await this.one<{ position: string | null }>(
      `SELECT CASE WHEN r.state = 'open' THEN (SELECT count(*) + 1 FROM requests o WHERE o.team_id = r.team_id
         AND o.state = 'open' AND (o.created_at, o.id) < (r.created_at, r.id)) END AS position
       FROM requests r WHERE r.team_id = $1 AND r.id = $2`,
      [teamId, requestId],
    );
    if (!row) return null;
    const waits = await this.rows<{ seconds: number }>(
      `SELECT greatest(0, extract(epoch FROM claimed_at - created_at))::float8 AS seconds FROM requests
       WHERE team_id = $1 AND claimed_at IS NOT NULL ORDER BY claimed_at DESC LIMIT $2`,
      [teamId, samples],
    );
    return {
      position: row.position === null ? null : Number(row.position),
      recentWaitsSeconds: waits.map((w) => w.seconds),
    };
  }

  async resolvedHistory(teamId: string, requestId?: string): Promise<ResolvedRecord[]> {
    const only = requestId ? 'AND r.id = $2' : '';
    const params = requestId ? [teamId, requestId] : [teamId];
    const rows = await this.rows<shared.HistoryRow & Row>(
      `SELECT r.id, r.claimed_by, r.question, r.context, r.resolution, COALESCE(r.resolved_at, r.updated_at) AS at
       FROM requests r WHERE r.team_id = $1 AND r.state = 'resolved' AND r.claimed_by IS NOT NULL ${only}
       ORDER BY at, r.id`,
      params,
    );
    const messages = await this.rows<{ request_id: string; text: string }>(
      `SELECT m.request_id, m.text FROM messages m JOIN requests r ON r.id = m.request_id
       WHERE m.team_id = $1 AND r.state = 'resolved' AND m.kind <> 'system' AND m.text <> '' ${only}
       ORDER BY m.request_id, m.seq`,
      params,
    );
    return shared.historyOf(rows, messages);
  }

  async insightSummary(teamId: string, sinceIso: string, questionsPerApp: number): Promise<InsightSummary> {
    // One scan of the period for every aggregate: grouping sets give the claim buckets (with the counts),
    // the resolve buckets and the walkthrough steps, hashed, without sorting the period's rows. Buckets
    // are tenths of a minute, rounded half up as SQLite does, so both stores answer alike.
    const groups = await this.rows<{
      app: string | null;
      claim_b: number | null;
      resolve_b: number | null;
      walkthrough_id: string | null;
      walkthrough_step: number | null;
      g: number;
      n: number;
      resolved: number;
    }>(
      `SELECT app, claim_b, resolve_b, walkthrough_id, walkthrough_step,
         GROUPING(app, claim_b, resolve_b, walkthrough_id, walkthrough_step) AS g,
         count(*)::int AS n, (count(*) FILTER (WHERE state = 'resolved'))::int AS resolved
       FROM (SELECT COALESCE(app, '') AS app, state, walkthrough_id, walkthrough_step,
           -- greatest() ignores NULLs: a request never claimed must keep a NULL bucket.
           CASE WHEN claimed_at IS NOT NULL THEN
             floor(greatest(0, date_part('epoch', claimed_at - created_at) / 6) + 0.5)::int END AS claim_b,
           CASE WHEN state = 'resolved' THEN floor(greatest(0,
             date_part('epoch', COALESCE(resolved_at, updated_at) - created_at) / 6) + 0.5)::int END AS resolve_b
         FROM requests WHERE team_id = $1 AND created_at >= $2) period
       GROUP BY GROUPING SETS ((app, claim_b), (app, resolve_b), (walkthrough_id, walkthrough_step))`,
      [teamId, sinceIso],
    );
    // GROUPING() sets a bit per column left out of the set: app 16, claim 8, resolve 4, walkthrough 2, step 1.
    const claimBuckets = groups
      .filter((row) => row.g === 0b00111)
      .map((row) => ({ app: row.app ?? '', n: row.n, resolved: row.resolved, bucket: row.claim_b }));
    const resolveBuckets = groups
      .filter((row) => row.g === 0b01011 && row.resolve_b !== null)
      .map((row) => ({ app: row.app ?? '', n: row.n, bucket: row.resolve_b }));
    const steps = groups
      .filter((row) => row.g === 0b11100 && row.walkthrough_id !== null && row.walkthrough_step !== null)
      .map((row) => ({
        walkthrough_id: row.walkthrough_id!,
        walkthrough_step: row.walkthrough_step!,
        requests: row.n,
      }));
    // The newest questions of each app, read backwards along (team_id, app, created_at).
    const apps = shared.appsOfBuckets(claimBuckets).map((row) => row.app);
    const questions = await this.rows<{ app: string; question: string }>(
      `SELECT a.app, q.question FROM unnest($3::text[]) AS a(app)
       CROSS JOIN LATERAL (SELECT question FROM requests r
         WHERE r.team_id = $1 AND r.created_at >= $2 AND (r.app = a.app OR (a.app = '' AND r.app IS NULL))
         ORDER BY r.created_at DESC LIMIT $4) q`,
      [teamId, sinceIso, apps, questionsPerApp],
    );
    return shared.summaryOfBuckets(claimBuckets, resolveBuckets, questions, steps);
  }

  async recordUsageEvents(caller: Caller, events: UsageEvent[]): Promise<{ stored: number }> {
    return this.grouped(null, async (tx) => {
      const at = now();
      const fields = events.map(shared.usageFields);
      const inserted = await tx.rows(
        `INSERT INTO usage_events (team_id, member_id, client_id, type, at, app, question, walkthrough_id, step_index,
           received_at)
         SELECT $1, $2, e.client_id, e.type, e.at, e.app, e.question, e.walkthrough_id, e.step_index, $3
         FROM unnest($4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::int[])
           AS e(client_id, type, at, app, question, walkthrough_id, step_index)
         ON CONFLICT (team_id, member_id, client_id) DO NOTHING RETURNING client_id`,
        [
          caller.team.id,
          caller.member.id,
          at,
          events.map((event) => event.clientId),
          events.map((event) => event.type),
          events.map((event) => event.at),
          events.map((event) => event.app),
          fields.map((field) => field.question),
          fields.map((field) => field.walkthroughId),
          fields.map((field) => field.stepIndex),
        ],
      );
      return { stored: inserted.length };
    });
  }

  async usageEvents(teamId: string, sinceIso: string): Promise<StoredUsageEvent[]> {
    const rows = await this.rows<shared.UsageEventRow & Row>(
      'SELECT * FROM usage_events WHERE team_id = $1 AND received_at >= $2 ORDER BY received_at, client_id',
      [teamId, sinceIso],
    );
    return rows.map(shared.usageEventOf);
  }

  async getScreenshot(teamId: string, requestId: string): Promise<StoredScreenshot | null> {
    const row = await this.one<{
      screenshot_mime: string | null;
      screenshot_width: number;
      screenshot_height: number;
      screenshot: Buffer | null;
    }>(
      'SELECT screenshot_mime, screenshot_width, screenshot_height, ' +
        'screenshot FROM requests WHERE team_id = $1 AND id = $2',
      [teamId, requestId],
    );
    return row ? shared.screenshotOf(row) : null;
  }

  async transitionRequest(
    caller: Caller,
    requestId: string,
    action: RequestAction,
    resolution?: string,
  ): Promise<{ request: HelpRequest; events: TeamEvent[] } | StoreRefusal> {
    const teamId = caller.team.id;
    return this.grouped(teamId, async (tx): Promise<{ request: HelpRequest; events: TeamEvent[] } | StoreRefusal> => {
      const row = await tx.one<RequestRow>(`${REQUEST_SELECT} WHERE r.team_id = $1 AND r.id = $2 FOR UPDATE OF r`, [
        teamId,
        requestId,
      ]);
      if (!row) return { refused: 'not_found', message: `help request ${requestId} was not found in your team` };
      const refusal = transitionRefusal(requestId, action, row.state, () => row.claimed_name);
      if (refusal) return refusal;
      if (action === 'claim') {
        await tx.rows(
          `UPDATE requests SET state = 'claimed', claimed_by = $1, claimed_at = $2, updated_at = $2 WHERE id = $3`,
          [caller.member.id, now(), requestId],
        );
      } else if (action === 'resolve') {
        await tx.rows(
          `UPDATE requests SET state = 'resolved', resolution = $1, claimed_by = COALESCE(claimed_by, $2),
             claimed_at = COALESCE(claimed_at, $3), resolved_at = $3, updated_at = $3 WHERE id = $4`,
          [resolution ?? null, caller.member.id, now(), requestId],
        );
      } else {
        await tx.rows(`UPDATE requests SET state = 'cancelled', updated_at = $1 WHERE id = $2`, [now(), requestId]);
      }
      const text = transitionText(caller.member.name, action, resolution);
      const messageEvent = await insertMessage(tx, caller, row, {
        clientId: newId('sys'),
        kind: 'system',
        text,
        pointer: null,
      });
      if (!('event' in messageEvent)) throw new Error(`help request ${requestId} changed during its transition`);
      const request = requestOf((await tx.one<RequestRow>(`${REQUEST_SELECT} WHERE r.id = $1`, [requestId]))!);
      const requestEvent: TeamEvent = { seq: await tx.bump(teamId), type: 'request', request };
      await insertEvent(tx, teamId, requestEvent, row.requester_id);
      return { request, events: [messageEvent.event, requestEvent] };
    });
  }

  async postMessage(
    caller: Caller,
    requestId: string,
    body: ChatPost,
  ): Promise<{ message: ChatMessage; events: TeamEvent[] } | StoreRefusal> {
    const teamId = caller.team.id;
    return this.grouped(
      teamId,
      async (tx): Promise<{ message: ChatMessage; events: TeamEvent[] } | StoreRefusal> => {
        // One round trip under the team lock: the checks and the insert are one statement (see insertMessage).
        const posted = await insertMessage(tx, caller, { id: requestId, check: true }, messageInputOf(body));
        if (!('state' in posted)) return { message: posted.message, events: [posted.event] };
        if (posted.state === null)
          return { refused: 'not_found', message: `help request ${requestId} was not found in your team` };
        if (posted.existingId) {
          const existing = await tx.one<MessageRow>(`${MESSAGE_SELECT} WHERE m.id = $1`, [posted.existingId]);
          return { message: messageOf(existing!), events: [] };
        }
        return {
          refused: 'gone',
          message: `help request ${requestId} is ${posted.state}; its chat is closed (open a new request)`,
        };
      },
      true,
    );
  }

  async listMessages(teamId: string, requestId: string, after: number, limit: number): Promise<ChatMessage[]> {
    const rows = await this.rows<MessageRow>(
      `${MESSAGE_SELECT} WHERE m.team_id = $1 AND m.request_id = $2 AND m.seq > $3 ORDER BY m.seq LIMIT $4`,
      [teamId, requestId, after, limit],
    );
    return rows.map(messageOf);
  }

  // ------------------------------------------------------------ library

  async listLibrary(teamId: string, afterSeq: number): Promise<{ items: LibraryItem[]; seq: number }> {
    // One snapshot for both, so `seq` never runs ahead of the items returned.
    return this.withClient(async (client) => {
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const items = (
          await client.query<LibraryRow>(`${LIBRARY_SELECT} WHERE l.team_id = $1 AND l.seq > $2 ORDER BY l.seq`, [
            teamId,
            afterSeq,
          ])
        ).rows;
        const head = (await client.query<{ seq: number }>('SELECT seq FROM teams WHERE id = $1', [teamId])).rows[0];
        await client.query('COMMIT');
        return { items: items.map(libraryOf), seq: head?.seq ?? 0 };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw isUnavailableError(error) ? unavailable(error) : error;
      }
    });
  }

  async saveLibraryItem(
    caller: Caller,
    id: string,
    baseVersion: number,
    doc: LibraryDoc,
  ): Promise<{ item: LibraryItem; events: TeamEvent[] } | StoreRefusal> {
    return this.grouped(caller.team.id, (tx) => writeLibrary(tx, caller, id, baseVersion, doc));
  }

  async deleteLibraryItem(
    caller: Caller,
    id: string,
    baseVersion: number,
  ): Promise<{ item: LibraryItem; events: TeamEvent[] } | StoreRefusal> {
    return this.grouped(caller.team.id, (tx) => writeLibrary(tx, caller, id, baseVersion, null));
  }

  // ------------------------------------------------------------ events

  async learnQuestion(
    caller: Caller,
    itemId: string,
    question: string,
  ): Promise<{ questions: string[] } | StoreRefusal> {
    const teamId = caller.team.id;
    return this.grouped(teamId, async (tx) => {
      const item = await tx.one<{ deleted: boolean }>('SELECT deleted FROM library WHERE team_id = $1 AND id = $2', [
        teamId,
        itemId,
      ]);
      if (!item || item.deleted)
        return { refused: 'not_found' as const, message: `library item ${itemId} was not found in your team` };
      await tx.rows(
        `INSERT INTO learned_questions (team_id, item_id, question, member_id, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (team_id, item_id, question) DO UPDATE SET created_at = excluded.created_at`,
        [teamId, itemId, question, caller.member.id, now()],
      );
      await tx.rows(
        `DELETE FROM learned_questions WHERE team_id = $1 AND item_id = $2 AND question NOT IN (
           SELECT question FROM learned_questions WHERE team_id = $1 AND item_id = $2
           ORDER BY created_at DESC LIMIT $3)`,
        [teamId, itemId, TEAM_LIMITS.learnedPerItem],
      );
      const rows = await tx.rows<{ question: string }>(
        'SELECT question FROM learned_questions WHERE team_id = $1 AND item_id = $2 ORDER BY created_at DESC',
        [teamId, itemId],
      );
      return { questions: rows.map((row) => row.question) };
    });
  }

  async learnedQuestions(teamId: string): Promise<Record<string, string[]>> {
    const rows = await this.rows<{ item_id: string; question: string }>(
      'SELECT item_id, question FROM learned_questions WHERE team_id = $1 ORDER BY item_id, created_at DESC',
      [teamId],
    );
    return shared.groupLearned(rows);
  }

  async eventsAfter(
    teamId: string,
    afterSeq: number,
    limit: number,
  ): Promise<Array<{ event: TeamEvent; requesterId: string | null }>> {
    const rows = await this.rows<{ payload: string; requester_id: string | null }>(
      'SELECT payload, requester_id FROM events WHERE team_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [teamId, afterSeq, limit],
    );
    return rows.map((row) => ({ event: JSON.parse(row.payload) as TeamEvent, requesterId: row.requester_id }));
  }

  async headSeq(teamId: string): Promise<number> {
    const row = await this.one<{ seq: number }>('SELECT seq FROM teams WHERE id = $1', [teamId]);
    return row?.seq ?? 0;
  }
}

// ------------------------------------------------------------ writes inside a group (team row locked)

async function insertEvent(tx: Tx, teamId: string, event: TeamEvent, requesterId: string | null): Promise<void> {
  await tx.rows(
    'INSERT INTO events (team_id, seq, type, requester_id, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [teamId, event.seq, event.type, requesterId, JSON.stringify(event), now()],
  );
}

/** A checked message insert's answer: one row whether or not it inserted. */
const CHECKED_MESSAGE_RESULT =
  'SELECT r.state, r.existing_id, up.mseq, t.tseq FROM (SELECT) one ' +
  'LEFT JOIN r ON true LEFT JOIN up ON true LEFT JOIN t ON true';

/** What a checked message insert found instead: the request's state (null: not in the team) or a duplicate. */
interface MessageNotInserted {
  state: RequestState | null;
  existingId: string | null;
}

/**
 * Inserts a chat message and its event in one statement (one round trip under the team lock): the
 * request's message seq, the team seq, the message and its event, whose payload gets both numbers in
 * place of the placeholders. A placeholder cannot appear in user text: JSON escapes the quotes around it.
 *
 * With `requester_id` the caller has read and checked the request. With `check` instead, the statement
 * itself reads the request and inserts only when it is in the caller's team, not resolved or cancelled,
 * and has no message of this author with this clientId; otherwise it returns what it found.
 */
async function insertMessage(
  tx: Tx,
  caller: Caller,
  request: { id: string; requester_id: string } | { id: string; check: true },
  input: MessageInput,
): Promise<{ message: ChatMessage; event: TeamEvent } | MessageNotInserted> {
  const stamp = now();
  const id = newId('msg');
  const message: ChatMessage = {
    id,
    clientId: input.clientId,
    requestId: request.id,
    seq: 0,
    author: personOf(caller.member.id, caller.member.name, caller.member.role),
    kind: input.kind,
    text: input.text,
    pointer: input.pointer,
    library: input.library ?? null,
    createdAt: stamp,
  };
  const mark = randomBytes(6).toString('hex');
  const template = JSON.stringify({ seq: `@T${mark}`, type: 'message', message: { ...message, seq: `@M${mark}` } });
  const params: unknown[] = [];
  const $ = (value: unknown): string => `$${params.push(value)}`;
  const [at, req, team, client, author] = [stamp, request.id, caller.team.id, input.clientId, caller.member.id].map($);
  const checked = 'check' in request;
  const checks = checked
    ? `r AS (SELECT r.state, r.requester_id, (SELECT m.id FROM messages m
                 WHERE m.request_id = r.id AND m.author_id = ${author} AND m.client_id = ${client}) AS existing_id
               FROM requests r WHERE r.team_id = ${team} AND r.id = ${req} FOR UPDATE),
          ok AS (SELECT r.requester_id FROM r
                 WHERE r.existing_id IS NULL AND r.state NOT IN ('resolved', 'cancelled')),`
    : '';
  const only = checked ? ' AND EXISTS (SELECT 1 FROM ok)' : '';
  const requester = checked ? '(SELECT requester_id FROM ok)' : `${$(request.requester_id)}::text`;
  const row = await tx.prepared<
    { mseq: number | null; tseq: number | null } & Partial<Record<'state' | 'existing_id', string>>
  >(
    checked ? 'sidekick_insert_message_checked' : 'sidekick_insert_message',
    `WITH ${checks}
          up AS (UPDATE requests SET last_message_seq = last_message_seq + 1, updated_at = ${at}
                 WHERE id = ${req}${only} RETURNING last_message_seq AS mseq),
          t AS (UPDATE teams SET seq = seq + 1 WHERE id = ${team}${only} RETURNING seq AS tseq),
          m AS (INSERT INTO messages
                  (id, team_id, request_id, seq, client_id, author_id, kind, text, pointer, library, created_at)
                SELECT ${$(id)}, ${team}, ${req}, up.mseq, ${client}, ${author}, ${$(input.kind)}, ${$(input.text)},
                  ${$(input.pointer ? JSON.stringify(input.pointer) : null)},
                  ${$(input.library ? JSON.stringify(input.library) : null)}, ${at} FROM up),
          e AS (INSERT INTO events (team_id, seq, type, requester_id, payload, created_at)
                SELECT ${team}, t.tseq, 'message', ${requester},
                  replace(replace(${$(template)}, ${$(`"@M${mark}"`)}, up.mseq::text), ${$(`"@T${mark}"`)},
                    t.tseq::text), ${at}
                FROM up, t)
     ${checked ? CHECKED_MESSAGE_RESULT : 'SELECT up.mseq, t.tseq FROM up, t'}`,
    params,
  );
  if (row?.mseq == null || row.tseq == null)
    return { state: (row?.state as RequestState | undefined) ?? null, existingId: row?.existing_id ?? null };
  tx.noteSeq(caller.team.id, row.tseq);
  message.seq = row.mseq;
  const event: TeamEvent = { seq: row.tseq, type: 'message', message };
  return { message, event };
}

async function writeLibrary(
  tx: Tx,
  caller: Caller,
  id: string,
  baseVersion: number,
  doc: LibraryDoc | null,
): Promise<{ item: LibraryItem; events: TeamEvent[] } | StoreRefusal> {
  const teamId = caller.team.id;
  const current = await tx.one<LibraryRow>(`${LIBRARY_SELECT} WHERE l.team_id = $1 AND l.id = $2 FOR UPDATE OF l`, [
    teamId,
    id,
  ]);
  const refusal = libraryWriteCheck(caller, id, current, baseVersion, doc, libraryOf);
  if (refusal) return refusal;
  const currentVersion = current?.version ?? 0;
  const seq = await tx.bump(teamId);
  const me = personOf(caller.member.id, caller.member.name, caller.member.role);
  const { kind, app, labels } = libraryFields(doc, current);
  const item: LibraryItem = {
    id,
    kind,
    version: currentVersion + 1,
    doc,
    app,
    labels,
    deleted: doc === null,
    updatedBy: me,
    createdBy: current
      ? current.created_by
        ? personOf(current.created_by, current.created_by_name ?? '', current.created_by_role ?? 'member')
        : null
      : me,
    updatedAt: now(),
    seq,
  };
  await tx.rows(
    `INSERT INTO library
       (team_id, id, kind, version, doc, app, labels, deleted, updated_by, updated_at, seq, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (team_id, id) DO UPDATE SET kind = excluded.kind, version = excluded.version, doc = excluded.doc,
       app = excluded.app, labels = excluded.labels, deleted = excluded.deleted, updated_by = excluded.updated_by,
       updated_at = excluded.updated_at, seq = excluded.seq`,
    [
      teamId,
      id,
      kind,
      item.version,
      doc ? JSON.stringify(doc) : null,
      item.app,
      JSON.stringify(labels),
      item.deleted,
      caller.member.id,
      item.updatedAt,
      seq,
      current ? current.created_by : caller.member.id,
    ],
  );
  const event: TeamEvent = { seq, type: 'library', item };
  await insertEvent(tx, teamId, event, null);
  return { item, events: [event] };
}

// ------------------------------------------------------------ row mapping

function personOf(id: string, name: string, role: Role): PersonRef {
  return { id, name, role };
}

function requestOf(row: RequestRow): HelpRequest {
  const claimedBy = row.claimed_by
    ? personOf(row.claimed_by, row.claimed_name ?? '', row.claimed_role ?? 'helper')
    : null;
  return shared.requestOf(row, personOf(row.requester_id, row.requester_name, row.requester_role), claimedBy);
}

function messageOf(row: MessageRow): ChatMessage {
  return shared.messageOf(row, personOf(row.author_id, row.author_name, row.author_role));
}

function libraryOf(row: LibraryRow): LibraryItem {
  const createdBy = row.created_by
    ? personOf(row.created_by, row.created_by_name ?? '', row.created_by_role ?? 'member')
    : null;
  return shared.libraryOf(row, personOf(row.updated_by, row.updated_by_name, row.updated_by_role), createdBy);
}
