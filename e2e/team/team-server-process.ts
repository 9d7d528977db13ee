/**
 * Test support for the team server: spawn a real `sidekick server` process on 127.0.0.1 with its
 * own data folder, read the startup report it prints, join teams, call the API.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteTeamStore } from '../../src-server/store/sqlite-store';
import { issueInvite } from '../../src-server/team-server';
import {
  type ChatMessage,
  type CreatedInvite,
  type HelpRequest,
  type JoinResult,
  type LibraryItem,
  type Member,
  retryDelayFromReason,
  STREAM_CLOSE,
  type TeamEvent,
  TeamStream,
  type WebSocketLike,
} from '../../src-shared/team';
import WebSocket from 'ws';
import { fetchHonouringRetryAfter } from '../support/retry-after';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'src-main/cli/bin.mjs');

/** The startup report of `sidekick server --json`. */
export interface ServerReport {
  url: string;
  data: string;
  console: string;
  teams: Array<{ id: string; name: string }>;
  adminInvites: Array<{ team: string; teamId: string; link: string; code: string }>;
  adminInvitePending?: Array<{ team: string; teamId: string }>;
}

/** A running server process. */
export interface ServerProcess {
  report: ServerReport;
  url: string;
  port: number;
  child: ChildProcess;
  stderr(): string;
  /** SIGKILL, no shutdown at all. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
}

/** A fresh data folder. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'sidekick-team-'));
}

/** Starts `sidekick server --json` and resolves with its startup report. */
export async function startServerProcess(options: {
  dataDir?: string;
  /** A PostgreSQL URL (`--database`) instead of a SQLite data folder. */
  database?: string;
  port?: number;
  args?: string[];
  console?: boolean;
  /** Node arguments that run the CLI (default the tsx entry `src-main/cli/bin.mjs`; the compiled server's). */
  command?: string[];
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const store = options.database ? ['--database', options.database] : ['--data', options.dataDir ?? tempDataDir()];
  const command = options.command ?? [BIN];
  const args = [...command, 'server', '--port', String(options.port ?? 0), ...store, '--json', ...(options.args ?? [])];
  if (!options.console) args.push('--no-console');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const report = await new Promise<ServerReport>((resolve, reject) => {
    // Generous: on a loaded 2-core machine loading the CLI alone can take a minute.
    const timer = setTimeout(() => reject(new Error(`server did not start in 300 s; stderr:\n${stderr}`)), 300_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(stdout.slice(0, newline)) as ServerReport);
        } catch (error) {
          reject(new Error(`server printed no JSON report: ${stdout}\n${stderr}`, { cause: error }));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting; stderr:\n${stderr}`));
    });
  });
  const port = Number(new URL(report.url).port);
  return {
    report,
    url: report.url,
    port,
    child,
    stderr: () => stderr,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `sidekick server --create-team NAME` against a data folder; returns the admin invite code. */
export function createTeamOffline(dataDir: string, name: string): { teamId: string; code: string } {
  const out = execFileSync(process.execPath, [BIN, 'server', '--data', dataDir, '--create-team', name, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const doc = JSON.parse(out) as { team: { id: string }; adminInvite: { code: string } };
  return { teamId: doc.team.id, code: doc.adminInvite.code };
}

/** Response bodies of the team API for `api<T>` (their parts are the wire types of src-shared/team.ts). */
export interface RequestReply {
  request: HelpRequest;
}
/** GET /api/v1/requests. */
export interface RequestsReply {
  requests: HelpRequest[];
}
/** POST /api/v1/requests/:id/messages. */
export interface MessageReply {
  message: ChatMessage;
}
/** GET /api/v1/requests/:id/messages. */
export interface MessagesReply {
  messages: ChatMessage[];
}
/** GET or PUT /api/v1/library/:id. */
export interface ItemReply {
  item: LibraryItem;
}
/** GET /api/v1/library. */
export interface ItemsReply {
  items: LibraryItem[];
}
/** PATCH /api/v1/members/:id and POST /api/v1/members/:id/revoke. */
export interface MemberReply {
  member: Member;
}
/** GET /api/v1/members. */
export interface MembersReply {
  members: Member[];
}

/** An HTTP response with its parsed JSON body (`T` is what the caller expects; nothing checks it). */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * Calls the API like a good client: `body` is JSON-encoded unless it is a string (sent raw); 429s are
 * retried after `Retry-After`. `T` is the body the caller expects (a wire type of src-shared/team.ts).
 */
export async function api<T = unknown>(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetchHonouringRetryAfter(url + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (screenshot bytes, console page)
  }
  return { status: response.status, body: parsed as T };
}

/** Redeems an invite; returns the token and member id. */
export async function joinTeam(url: string, code: string, name: string): Promise<{ token: string; memberId: string }> {
  const response = await api<JoinResult>(url, 'POST', '/api/v1/join', { body: { invite: code, name } });
  if (response.status !== 200) throw new Error(`join failed: ${JSON.stringify(response.body)}`);
  return { token: response.body.token, memberId: response.body.member.id };
}

/** Creates an invite as an admin and redeems it. */
export async function addMember(url: string, adminToken: string, role: 'member' | 'helper' | 'admin', name: string) {
  const invite = await api<CreatedInvite>(url, 'POST', '/api/v1/invites', { token: adminToken, body: { role } });
  if (invite.status !== 200) throw new Error(`invite failed: ${JSON.stringify(invite.body)}`);
  return joinTeam(url, invite.body.code, name);
}

/** A team with an admin, a helper and a member, joined on a running server. */
export async function seedTeam(url: string, adminCode: string, prefix: string) {
  const admin = await joinTeam(url, adminCode, `${prefix} Admin`);
  const helper = await addMember(url, admin.token, 'helper', `${prefix} Helper`);
  const member = await addMember(url, admin.token, 'member', `${prefix} Member`);
  return { admin, helper, member };
}

/**
 * A new team of its own (admin, helper, member) on a running server, so a test never shares tokens
 * (or their rate-limit buckets) with another test. The team is written to the server's SQLite file,
 * as `sidekick server --create-team` does, without the cost of another process.
 */
export async function newTeam(server: Pick<ServerProcess, 'url' | 'report'>, prefix: string) {
  const store = openSqliteTeamStore(server.report.data);
  let code: string;
  try {
    const team = await store.createTeam(`Team ${prefix}`);
    code = (await issueInvite(store, server.url, team.id, { role: 'admin', maxUses: 1, expiresInHours: 1 })).code;
  } finally {
    await store.close();
  }
  return seedTeam(server.url, code, prefix);
}

/** A valid help request body. */
export function requestBody(clientId: string, question = 'How do I freeze the header row?') {
  return {
    clientId,
    question,
    context: {
      app: 'Gnumeric',
      windowTitle: 'Book1.gnumeric',
      os: 'linux',
      displayScale: 1,
      ocrText: 'File Edit View Insert',
    },
  };
}

/** Resident memory of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/**
 * The desktop/console stream client (`TeamStream` over `ws`) with everything it reported recorded,
 * and `until` to wait for a condition on those records (woken by each report, never polled by sleeping).
 */
export function liveClient(url: string, token: string, afterSeq = 0) {
  const events: TeamEvent[] = [];
  const statuses: string[] = [];
  const resets: number[] = [];
  const wakers = new Set<() => void>();
  const wake = (): void => wakers.forEach((waker) => waker());
  const stream = new TeamStream({
    serverUrl: url,
    token,
    afterSeq,
    backoff: { minMs: 200, maxMs: 3000 },
    createSocket: (socketUrl) => new WebSocket(socketUrl, { handshakeTimeout: 30_000 }) as unknown as WebSocketLike,
    onEvent: (event) => {
      events.push(event);
      wake();
    },
    onStatus: (status, detail) => {
      statuses.push(`${status}: ${detail}`);
      wake();
    },
    onReset: (seq) => {
      resets.push(seq);
      wake();
    },
  });
  return {
    stream,
    events,
    statuses,
    resets,
    /** Resolves when `predicate` holds (checked after every event, status or reset). */
    until(predicate: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
      if (predicate()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(
            new Error(
              `timed out waiting for ${what}; status ${stream.status}, last: ${statuses.slice(-3).join(' | ')}`,
            ),
          );
        }, timeoutMs);
        const check = (): void => {
          if (!predicate()) return;
          clearTimeout(timer);
          wakers.delete(check);
          resolve();
        };
        wakers.add(check);
      });
    },
  };
}

/**
 * A raw WebSocket that said hello: resolves once the server answered `synced` or closed it. A close
 * with STREAM_CLOSE.rateLimited is honoured like Retry-After: wait as asked, then connect again.
 */
export async function helloSocket(
  url: string,
  token: string,
): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }>; accepted: boolean }> {
  for (;;) {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/stream`, { handshakeTimeout: 30_000 });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'hello', token, afterSeq: 0 }));
    const synced = new Promise<true>((resolve) => {
      socket.on('message', (data) => {
        // ws hands text frames over as one Buffer (no binaryType set).
        if ((JSON.parse((data as Buffer).toString()) as { type: string }).type === 'synced') resolve(true);
      });
    });
    const first = await Promise.race([synced, closed]);
    if (first === true) return { socket, closed, accepted: true };
    if (first.code !== STREAM_CLOSE.rateLimited) return { socket, closed, accepted: false };
    await new Promise((resolve) => setTimeout(resolve, retryDelayFromReason(first.reason) || 1000));
  }
}
