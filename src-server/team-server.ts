/**
 * The Sidekick team server: REST + WebSocket API (docs/api.md) over a TeamStore, and the helper
 * console's built files. Every API call is authorized by a bearer token and scoped to the caller's
 * team; every body, query and WebSocket message is parsed with the zod schemas in src-shared/team.
 */
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import {
  CreateInviteBodySchema,
  CreateRequestBodySchema,
  DeleteLibraryItemQuerySchema,
  EmptyBodySchema,
  type HelpRequest,
  JoinBodySchema,
  LibraryIdSchema,
  ListLibraryQuerySchema,
  ListMessagesQuerySchema,
  ListRequestsQuerySchema,
  PostMessageBodySchema,
  LearnQuestionBodySchema,
  type LearnedQuestionsList,
  type QueueStatus,
  ResolveBodySchema,
  SaveLibraryItemBodySchema,
  STREAM_CLOSE,
  type StreamServerMessage,
  StreamClientMessageSchema,
  TEAM_LIMITS,
  TEAM_PROTOCOL,
  type TeamEvent,
  UpdateMemberBodySchema,
} from '../src-shared/team';
import { ClusterFeed } from './cluster-feed';
import { jsonDepthExceeds } from './json-depth';
import { canSeeEvent, LiveHub, type LiveSubscriber } from './live-hub';
import { RateLimiter, type RateLimitOptions } from './rate-limit';
import { hashSecret, newInviteCode, newToken } from './secrets';
import { median } from '../src-shared/stats';
import { openSqliteTeamStore } from './store/sqlite-store';
import {
  type Caller,
  isRefusal,
  type StoredScreenshot,
  type StoreRefusal,
  type TeamStore,
  StoreUnavailableError,
} from './store/team-store';

/** How to start a team server. */
export interface TeamServerOptions {
  /** Folder for team.sqlite (created if missing). Ignored when `store` is given. */
  dataDir: string;
  store?: TeamStore;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Folder of the built helper console (index.html); the console is not served when missing. */
  consoleDir?: string | null;
  /** Per-token limit for API calls and WebSocket sends. */
  rateLimit?: RateLimitOptions;
  /** The URL people use to reach this server (for invite links); defaults to the listening address. */
  publicUrl?: string;
}

/** A running team server. */
export interface RunningTeamServer {
  url: string;
  store: TeamStore;
  app: FastifyInstance;
  hub: LiveHub;
  feed: ClusterFeed;
  /** Creates an invite for a team and returns its code and link (CLI and first start). */
  createInvite(
    teamId: string,
    role: 'member' | 'helper' | 'admin',
    maxUses?: number,
  ): Promise<{ code: string; link: string }>;
  close(): Promise<void>;
}

/** The helper console's Content-Security-Policy: its own scripts, screenshots as blob: URLs, its own API. */
const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Default per-token limit: 20 calls a second, bursts of 60. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 20, burst: 60 };
/** WebSocket connects per token: 2 a second, bursts of 10 (a reconnect storm of many clients is fine). */
export const CONNECT_RATE_LIMIT: RateLimitOptions = { perSecond: 2, burst: 10 };
/** Calls and connects with a missing, unknown or revoked token, per client address: 2 a second, bursts of 20. */
export const BAD_TOKEN_RATE_LIMIT: RateLimitOptions = { perSecond: 2, burst: 20 };
/** Invite redemptions per client address: 20 a second, bursts of 60. */
export const JOIN_RATE_LIMIT: RateLimitOptions = { perSecond: 20, burst: 60 };
/** The server pings every WebSocket this often and drops those that did not answer the previous ping. */
const HEARTBEAT_MS = 30_000;
/** Live events one connection may have waiting while its backlog is replayed. */
const MAX_PENDING_EVENTS = 10_000;
/** How many recently claimed requests the usual wait shown to a waiting person is the median of. */
const QUEUE_WAIT_SAMPLES = 20;

/** An expected failure with an HTTP status, a stable code and a message a person can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Parses input with a schema, or throws a 400 that names the field at fault. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpError(
      400,
      'invalid_input',
      `${what} is invalid: ${z.prettifyError(result.error).replace(/\n/g, '; ')}`,
    );
  }
  return result.data;
}

const ServerIdParam = z.string().regex(/^[a-z]{1,4}_[A-Za-z0-9_-]{6,40}$/, 'not a Sidekick id');

/** Issues an invite for a team: stores the code's hash, returns code and link. */
export async function issueInvite(
  store: TeamStore,
  publicUrl: string,
  teamId: string,
  input: { role: 'member' | 'helper' | 'admin'; maxUses: number; expiresInHours: number },
): Promise<{ code: string; link: string; invite: Awaited<ReturnType<TeamStore['createInvite']>> }> {
  const code = newInviteCode();
  const expiresAt = new Date(Date.now() + input.expiresInHours * 3600_000).toISOString();
  const invite = await store.createInvite(teamId, {
    role: input.role,
    codeHash: hashSecret(code),
    maxUses: input.maxUses,
    expiresAt,
  });
  return { code, link: `${publicUrl}/#join=${code}`, invite };
}

/** Starts the team server and resolves once it listens. */
export async function startTeamServer(options: TeamServerOptions): Promise<RunningTeamServer> {
  const store = options.store ?? openSqliteTeamStore(options.dataDir);
  const hub = new LiveHub();
  // Several instances on one database: deliver other instances' commits to our clients, in order.
  const feed = new ClusterFeed(store, hub, (teamId, change) => {
    if (change.kind === 'token') hub.disconnectToken(teamId, change.tokenHash, change.reason);
    else
      hub.disconnectMember(
        teamId,
        change.memberId,
        change.kind === 'role' ? STREAM_CLOSE.reconnect : STREAM_CLOSE.unauthorized,
        change.reason,
      );
  });
  feed.start();
  const limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const connectLimiter = new RateLimiter(CONNECT_RATE_LIMIT);
  const badTokenLimiter = new RateLimiter(BAD_TOKEN_RATE_LIMIT);
  const joinLimiter = new RateLimiter(JOIN_RATE_LIMIT);
  const app = Fastify({ logger: false, bodyLimit: TEAM_LIMITS.bodyBytes, return503OnClosing: true });
  let publicUrl = options.publicUrl ?? '';

  await app.register(fastifyWebsocket, { options: { maxPayload: TEAM_LIMITS.wsFrameBytes } });
  const consoleDir =
    options.consoleDir && existsSync(join(options.consoleDir, 'index.html')) ? options.consoleDir : null;
  if (consoleDir)
    await app.register(fastifyStatic, { root: consoleDir, prefix: '/', wildcard: false, index: 'index.html' });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', CONSOLE_CSP);
      reply.header('x-frame-options', 'DENY');
    }
  });

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    if (error instanceof StoreUnavailableError) {
      // Nothing was written; the client retries (the same clientId never duplicates).
      reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
      return reply
        .code(503)
        .send({ error: { code: 'unavailable', message: error.message, retryAfterMs: error.retryAfterMs } });
    }
    if (error instanceof HttpError) {
      if (error.status === 429)
        reply.header('retry-after', String(Math.ceil(Number(error.extra.retryAfterMs ?? 1000) / 1000)));
      const { current, ...extra } = error.extra;
      return reply
        .code(error.status)
        .send({ error: { code: error.code, message: error.message, ...extra }, ...(current ? { current } : {}) });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? TEAM_LIMITS.bodyBytes;
      // Read (and drop) the rest of the upload first, so the client gets this answer instead of a broken pipe.
      return drainRequest(request.raw, 4 * TEAM_LIMITS.requestBodyBytes).then(() =>
        reply.code(413).send({
          error: {
            code: 'body_too_large',
            message: `request body is larger than this endpoint's limit of ${Math.round(limit / 1024)} KB`,
          },
        }),
      );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({
        error: {
          code: 'unsupported_media_type',
          message: 'send the body as JSON with Content-Type: application/json',
        },
      });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: { code: 'bad_request', message: error.message } });
    }
    process.stderr.write(
      `team server: unexpected error on ${request.method} ${request.url}: ${error.stack ?? error.message}\n`,
    );
    return reply.code(500).send({
      error: { code: 'internal', message: 'the team server hit an unexpected error; it was logged on the server' },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || !consoleDir || request.method !== 'GET') {
      return reply.code(404).send({
        error: {
          code: 'no_such_endpoint',
          message: `no endpoint ${request.method} ${request.url.split('?')[0]}; see docs/api.md`,
        },
      });
    }
    return reply.sendFile('index.html');
  });

  if (!consoleDir) {
    app.get('/', async (_request, reply) =>
      reply
        .type('text/html')
        .send(
          '<!doctype html><title>Sidekick team server</title><p>The helper console is not built. Run <code>npm run build:console</code> (or start with <code>sidekick server</code>, which builds it) and reload.</p>',
        ),
    );
  }

  /**
   * Checks the bearer token and the per-token rate limit. Calls without a valid token count against
   * their client address, so guessing tokens is slowed down (429) without blocking valid tokens.
   */
  async function authorize(request: FastifyRequest): Promise<Caller & { tokenHash: string }> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) {
      limit(badTokenLimiter, request.ip, 'calls without a valid token from your address');
      throw new HttpError(
        401,
        'unauthorized',
        "send your team token as 'Authorization: Bearer <token>' (get one by joining with an invite link)",
      );
    }
    const tokenHash = hashSecret(match[1]!);
    const caller = await store.authenticate(tokenHash);
    if (!caller) {
      limit(badTokenLimiter, request.ip, 'calls with unknown tokens from your address');
      throw new HttpError(
        401,
        'unauthorized',
        'this token is unknown or was revoked; join again with a new invite link from your team admin',
      );
    }
    limit(limiter, tokenHash, 'calls with this token');
    return { ...caller, tokenHash };
  }

  function limit(bucket: RateLimiter, key: string, what: string): void {
    const decision = bucket.take(key);
    if (!decision.ok) {
      throw new HttpError(429, 'rate_limited', `too many ${what}; retry in ${decision.retryAfterMs} ms`, {
        retryAfterMs: decision.retryAfterMs,
      });
    }
  }

  function requireRole(caller: Caller, roles: Array<'helper' | 'admin'>, what: string): void {
    if (!(roles as string[]).includes(caller.member.role)) {
      throw new HttpError(403, 'forbidden', `only ${roles.join(' or ')}s can ${what}; you are a ${caller.member.role}`);
    }
  }

  function idParam(request: FastifyRequest, what: string): string {
    const raw = (request.params as { id?: unknown }).id;
    const result = ServerIdParam.safeParse(raw);
    if (!result.success) throw new HttpError(400, 'invalid_id', `"${String(raw).slice(0, 80)}" is not a ${what} id`);
    return result.data;
  }

  /** The request if the caller may read it; 404 otherwise (never reveals other teams' ids). */
  async function readableRequest(caller: Caller, requestId: string): Promise<HelpRequest> {
    const request = await store.getRequest(caller.team.id, requestId);
    if (!request || (caller.member.role === 'member' && request.requester.id !== caller.member.id)) {
      throw new HttpError(404, 'not_found', `help request ${requestId} was not found in your team`);
    }
    return request;
  }

  function refusalError(refusal: StoreRefusal): HttpError {
    switch (refusal.refused) {
      case 'not_found':
        return new HttpError(404, 'not_found', refusal.message);
      case 'conflict':
        return new HttpError(409, 'conflict', refusal.message);
      case 'gone':
        return new HttpError(409, 'request_closed', refusal.message);
      case 'version_conflict':
        return new HttpError(409, 'version_conflict', refusal.message, { current: refusal.current });
      case 'forbidden':
        return new HttpError(403, 'forbidden', refusal.message);
    }
  }

  function publish(teamId: string, events: TeamEvent[], requesterId: string | null): void {
    if (events.length) hub.publish(teamId, events, requesterId);
  }

  function bodyOrEmpty(request: FastifyRequest): unknown {
    return request.body === undefined || request.body === null ? {} : request.body;
  }

  // Empty bodies on POST with a JSON content type are allowed (claim, cancel).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    if (jsonDepthExceeds(text, TEAM_LIMITS.jsonDepth)) {
      return done(
        new HttpError(
          400,
          'invalid_json',
          `the body nests arrays and objects deeper than ${TEAM_LIMITS.jsonDepth} levels`,
        ),
        undefined,
      );
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new HttpError(400, 'invalid_json', 'the body is not valid JSON'), undefined);
    }
  });

  // ---------------------------------------------------------------- public
  app.get('/api/v1/health', async () => ({ ok: true, protocol: TEAM_PROTOCOL }));

  app.post('/api/v1/join', async (request) => {
    limit(joinLimiter, request.ip, 'invite redemptions from your address');
    const body = parseInput(JoinBodySchema, request.body, 'join body');
    const token = newToken();
    const result = await store.redeemInvite(hashSecret(body.invite.trim()), body.name, hashSecret(token));
    if (!result.ok) throw new HttpError(403, 'invite_invalid', result.message);
    return { token, member: result.member, team: result.team };
  });

  // ---------------------------------------------------------------- membership
  app.get('/api/v1/me', async (request) => {
    const caller = await authorize(request);
    return { member: caller.member, team: caller.team };
  });

  app.delete('/api/v1/me/token', async (request) => {
    const caller = await authorize(request);
    await store.revokeToken(caller.tokenHash);
    hub.disconnectToken(caller.team.id, caller.tokenHash, 'token revoked');
    return { revoked: true };
  });

  app.get('/api/v1/members', async (request) => {
    const caller = await authorize(request);
    requireRole(caller, ['helper', 'admin'], 'list members');
    return { members: await store.listMembers(caller.team.id) };
  });

  app.patch('/api/v1/members/:id', async (request) => {
    const caller = await authorize(request);
    requireRole(caller, ['admin'], 'change roles');
    const id = idParam(request, 'member');
    const body = parseInput(UpdateMemberBodySchema, request.body, 'member update');
    const member = await store.setMemberRole(caller.team.id, id, body.role);
    if (!member) throw new HttpError(404, 'not_found', `member ${id} was not found in your team`);
    hub.disconnectMember(caller.team.id, id, STREAM_CLOSE.reconnect, 'role changed; reconnect');
    return { member };
  });

  app.post('/api/v1/members/:id/revoke', async (request) => {
    const caller = await authorize(request);
    requireRole(caller, ['admin'], 'revoke members');
    const id = idParam(request, 'member');
    parseInput(EmptyBodySchema, bodyOrEmpty(request), 'revoke body');
    const member = await store.revokeMember(caller.team.id, id);
    if (!member) throw new HttpError(404, 'not_found', `member ${id} was not found in your team`);
    hub.disconnectMember(caller.team.id, id, STREAM_CLOSE.unauthorized, 'membership revoked');
    return { member };
  });

  app.get('/api/v1/invites', async (request) => {
    const caller = await authorize(request);
    requireRole(caller, ['admin'], 'list invites');
    return { invites: await store.listInvites(caller.team.id) };
  });

  app.post('/api/v1/invites', async (request) => {
    const caller = await authorize(request);
    requireRole(caller, ['admin'], 'create invites');
    const body = parseInput(CreateInviteBodySchema, request.body, 'invite');
    const { code, link, invite } = await issueInvite(store, publicUrl, caller.team.id, body);
    return { invite, code, link };
  });

  app.delete('/api/v1/invites/:id', async (request) => {
    const caller = await authorize(request);
    requireRole(caller, ['admin'], 'revoke invites');
    const id = idParam(request, 'invite');
    if (!(await store.revokeInvite(caller.team.id, id)))
      throw new HttpError(404, 'not_found', `invite ${id} was not found in your team`);
    return { revoked: true };
  });

  // ---------------------------------------------------------------- help requests
  app.post('/api/v1/requests', { bodyLimit: TEAM_LIMITS.requestBodyBytes }, async (request, reply) => {
    const caller = await authorize(request);
    const body = parseInput(CreateRequestBodySchema, request.body, 'help request');
    const screenshot = body.screenshot ? decodeScreenshot(body.screenshot) : null;
    const result = await store.createRequest(caller, {
      clientId: body.clientId,
      question: body.question,
      context: body.context,
      screenshot,
    });
    publish(caller.team.id, result.events, caller.member.id);
    return reply.code(result.created ? 201 : 200).send({ request: result.request });
  });

  app.get('/api/v1/requests', async (request) => {
    const caller = await authorize(request);
    const query = parseInput(ListRequestsQuerySchema, request.query, 'query');
    const seq = await store.headSeq(caller.team.id);
    const requests = await store.listRequests(caller.team.id, {
      limit: query.limit,
      ...(query.state ? { state: query.state } : {}),
      ...(caller.member.role === 'member' ? { requesterId: caller.member.id } : {}),
    });
    return { requests, seq };
  });

  app.get('/api/v1/requests/:id', async (request) => {
    const caller = await authorize(request);
    return { request: await readableRequest(caller, idParam(request, 'help request')) };
  });

  app.get('/api/v1/requests/:id/screenshot', async (request, reply) => {
    const caller = await authorize(request);
    const id = idParam(request, 'help request');
    await readableRequest(caller, id);
    const shot = await store.getScreenshot(caller.team.id, id);
    if (!shot)
      throw new HttpError(404, 'no_screenshot', `help request ${id} has no screenshot (the person did not share one)`);
    return reply.type(shot.mime).header('cache-control', 'private, no-store').send(shot.bytes);
  });

  app.get('/api/v1/requests/:id/queue', async (request) => {
    const caller = await authorize(request);
    const id = idParam(request, 'help request');
    const current = await readableRequest(caller, id);
    const standing = await store.queueStanding(caller.team.id, id, QUEUE_WAIT_SAMPLES);
    if (!standing) throw new HttpError(404, 'not_found', `help request ${id} was not found in your team`);
    const waits = standing.recentWaitsSeconds;
    const status: QueueStatus = {
      requestId: id,
      state: current.state,
      position: standing.position,
      helpersOnline: hub.helpersOnline(caller.team.id, current.requester.id),
      typicalWaitMinutes: waits.length >= 3 ? Math.round(median(waits) / 6) / 10 : null,
      sampleSize: waits.length,
    };
    return status;
  });

  for (const action of ['claim', 'resolve', 'cancel'] as const) {
    app.post(`/api/v1/requests/:id/${action}`, async (request) => {
      const caller = await authorize(request);
      const id = idParam(request, 'help request');
      const body = parseInput(
        action === 'resolve' ? ResolveBodySchema : EmptyBodySchema,
        bodyOrEmpty(request),
        `${action} body`,
      );
      const current = await readableRequest(caller, id);
      const isRequester = current.requester.id === caller.member.id;
      if (action === 'claim') requireRole(caller, ['helper', 'admin'], 'claim requests');
      if (action !== 'claim' && !isRequester)
        requireRole(caller, ['helper', 'admin'], `${action} other people's requests`);
      const resolution = 'resolution' in body ? (body.resolution as string | undefined) : undefined;
      const result = await store.transitionRequest(caller, id, action, resolution || undefined);
      if (isRefusal(result)) throw refusalError(result);
      publish(caller.team.id, result.events, result.request.requester.id);
      return { request: result.request };
    });
  }

  // ---------------------------------------------------------------- chat
  app.get('/api/v1/requests/:id/messages', async (request) => {
    const caller = await authorize(request);
    const id = idParam(request, 'help request');
    const query = parseInput(ListMessagesQuerySchema, request.query, 'query');
    await readableRequest(caller, id);
    return { messages: await store.listMessages(caller.team.id, id, query.after, query.limit) };
  });

  app.post('/api/v1/requests/:id/messages', async (request, reply) => {
    const caller = await authorize(request);
    const id = idParam(request, 'help request');
    const body = parseInput(PostMessageBodySchema, request.body, 'message');
    const current = await readableRequest(caller, id);
    if (body.kind === 'pointer') requireRole(caller, ['helper', 'admin'], 'point on the screenshot');
    const result = await store.postMessage(caller, id, body);
    if (isRefusal(result)) throw refusalError(result);
    publish(caller.team.id, result.events, current.requester.id);
    return reply.code(result.events.length ? 201 : 200).send({ message: result.message });
  });

  // ---------------------------------------------------------------- library
  app.get('/api/v1/library', async (request) => {
    const caller = await authorize(request);
    const query = parseInput(ListLibraryQuerySchema, request.query, 'query');
    return store.listLibrary(caller.team.id, query.after);
  });

  function libraryId(request: FastifyRequest): string {
    const raw = (request.params as { id?: unknown }).id;
    const result = LibraryIdSchema.safeParse(raw);
    if (!result.success)
      throw new HttpError(
        400,
        'invalid_id',
        `"${String(raw).slice(0, 80)}" is not a library id (lowercase slug: a-z 0-9 . _ -)`,
      );
    return result.data;
  }

  // Questions people asked before picking an item: they count in every team member's later searches.
  app.get('/api/v1/library/questions', async (request) => {
    const caller = await authorize(request);
    const list: LearnedQuestionsList = { items: await store.learnedQuestions(caller.team.id) };
    return list;
  });

  app.post('/api/v1/library/:id/questions', async (request, reply) => {
    const caller = await authorize(request);
    const id = libraryId(request);
    const body = parseInput(LearnQuestionBodySchema, request.body, 'learned question');
    const result = await store.learnQuestion(caller, id, body.question);
    if (isRefusal(result)) throw refusalError(result);
    return reply.code(201).send(result);
  });

  app.get('/api/v1/library/:id', async (request) => {
    const caller = await authorize(request);
    const id = libraryId(request);
    const { items } = await store.listLibrary(caller.team.id, 0);
    const item = items.find((candidate) => candidate.id === id);
    if (!item) throw new HttpError(404, 'not_found', `library item ${id} was not found in your team`);
    return { item };
  });

  app.put('/api/v1/library/:id', async (request) => {
    const caller = await authorize(request);
    const id = libraryId(request);
    const body = parseInput(SaveLibraryItemBodySchema, request.body, 'library item');
    if (body.doc.id !== id)
      throw new HttpError(400, 'invalid_input', `doc.id "${body.doc.id}" must equal the id in the URL "${id}"`);
    if (JSON.stringify(body.doc).length > TEAM_LIMITS.libraryDocBytes) {
      throw new HttpError(
        413,
        'body_too_large',
        `library documents are limited to ${TEAM_LIMITS.libraryDocBytes / 1024} KB`,
      );
    }
    const result = await store.saveLibraryItem(caller, id, body.baseVersion, body.doc);
    if (isRefusal(result)) throw refusalError(result);
    publish(caller.team.id, result.events, null);
    return { item: result.item };
  });

  app.delete('/api/v1/library/:id', async (request) => {
    const caller = await authorize(request);
    const id = libraryId(request);
    const query = parseInput(DeleteLibraryItemQuerySchema, request.query, 'query');
    const result = await store.deleteLibraryItem(caller, id, query.baseVersion);
    if (isRefusal(result)) throw refusalError(result);
    publish(caller.team.id, result.events, null);
    return { item: result.item };
  });

  // ---------------------------------------------------------------- live stream
  app.get('/api/v1/stream', { websocket: true }, (socket: WebSocket, request) => {
    handleStream(socket, request.ip, request.raw.socket);
  });

  // Drops connections that stopped answering pings (half-open after a network change, or never reading).
  const alive = new WeakMap<WebSocket, boolean>();
  const heartbeat = setInterval(() => {
    for (const client of app.websocketServer.clients) {
      if (alive.get(client) === false) {
        client.terminate();
        continue;
      }
      alive.set(client, false);
      client.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  /**
   * One live connection: hello (token, connect limits, sockets per member), replay of missed events
   * with backpressure, then live events and chat sends. A connection that lets more than
   * `wsBufferedBytes` pile up unsent is closed as a slow reader (it resumes by reconnecting).
   */
  function handleStream(socket: WebSocket, ip: string, tcp: Socket): void {
    debug(`stream open from ${ip}`);
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    let subscriber: LiveSubscriber | null = null;
    let tokenHash = '';
    const sendText = (text: string): void => {
      if (socket.readyState !== socket.OPEN) return;
      socket.send(text);
      if (socket.bufferedAmount > TEAM_LIMITS.wsBufferedBytes) {
        const unsent = Math.round(socket.bufferedAmount / 1024);
        process.stderr.write(
          `team server: closed a live connection of ${subscriber?.member.name ?? '?'} as a slow reader (${unsent} KB unsent)\n`,
        );
        socket.close(STREAM_CLOSE.slowReader, 'too slow: too much unsent data; reconnect to resume');
      }
    };
    const send = (message: StreamServerMessage): void => sendText(JSON.stringify(message));
    const helloTimer = setTimeout(
      () => socket.close(STREAM_CLOSE.helloTimeout, 'send hello with your token within 30 s'),
      30_000,
    );
    let queue = Promise.resolve();

    socket.on('message', (data, isBinary) => {
      // Handle messages one at a time, in arrival order.
      queue = queue
        .then(() => onMessage(isBinary ? null : data.toString()))
        .catch((error: unknown) => {
          if (error instanceof StoreUnavailableError) {
            // The database is down: say so; before hello, close with "try again later" so the client reconnects.
            if (!subscriber) return socket.close(1013, 'the team database is unavailable; retry shortly');
            return send({ type: 'error', code: 'internal', retryAfterMs: error.retryAfterMs, message: error.message });
          }
          process.stderr.write(
            `team server: stream error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
          );
          send({ type: 'error', code: 'internal', message: 'the team server hit an unexpected error; it was logged' });
        });
    });
    socket.on('close', (code) => {
      debug(`stream closed ${code} ${subscriber?.member.name ?? '(no hello)'}`);
      clearTimeout(helloTimer);
      if (subscriber) hub.remove(subscriber);
    });
    socket.on('error', () => socket.terminate());

    async function onMessage(text: string | null): Promise<void> {
      let parsed: unknown;
      try {
        parsed = text === null || jsonDepthExceeds(text, TEAM_LIMITS.jsonDepth) ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const result = StreamClientMessageSchema.safeParse(parsed);
      if (!result.success) {
        const clientId = (parsed as { message?: { clientId?: unknown } } | undefined)?.message?.clientId;
        send({
          type: 'error',
          code: 'bad_message',
          message:
            parsed === undefined
              ? `messages must be JSON text nested at most ${TEAM_LIMITS.jsonDepth} levels`
              : `bad message: ${z.prettifyError(result.error).replace(/\n/g, '; ')}`,
          ...(typeof clientId === 'string' ? { clientId } : {}),
        });
        if (!subscriber) socket.close(STREAM_CLOSE.badMessage, 'the first message must be a valid hello');
        return;
      }
      const message = result.data;
      if (message.type === 'hello') {
        debug(`hello afterSeq=${message.afterSeq}`);
        if (subscriber)
          return send({ type: 'error', code: 'bad_message', message: 'already said hello on this connection' });
        clearTimeout(helloTimer);
        tokenHash = hashSecret(message.token);
        const caller = await store.authenticate(tokenHash);
        if (!caller) {
          const bad = badTokenLimiter.take(ip);
          if (!bad.ok)
            return socket.close(
              STREAM_CLOSE.rateLimited,
              `too many unknown tokens from your address; retry in ${bad.retryAfterMs} ms`,
            );
          return socket.close(STREAM_CLOSE.unauthorized, 'token unknown or revoked; join again with a new invite');
        }
        const rate = connectLimiter.take(tokenHash);
        if (!rate.ok)
          return socket.close(
            STREAM_CLOSE.rateLimited,
            `too many connects with this token; retry in ${rate.retryAfterMs} ms`,
          );
        if (hub.connections(caller.team.id, caller.member.id) >= TEAM_LIMITS.socketsPerMember) {
          const reason = `you have ${TEAM_LIMITS.socketsPerMember} live connections already (the limit); retry in 5000 ms`;
          return socket.close(STREAM_CLOSE.tooManySockets, reason);
        }
        await startSubscription(caller, message.afterSeq);
        return;
      }
      if (!subscriber) return socket.close(STREAM_CLOSE.unauthorized, 'the first message must be hello');
      if (message.type === 'ping') return send({ type: 'pong' });
      // send
      const clientId = message.message.clientId;
      const rate = limiter.take(tokenHash);
      if (!rate.ok) {
        return send({
          type: 'error',
          code: 'rate_limited',
          clientId,
          retryAfterMs: rate.retryAfterMs,
          message: `too many messages; retry in ${rate.retryAfterMs} ms`,
        });
      }
      const caller: Caller = { team: { id: subscriber.teamId, name: '' }, member: subscriber.member };
      let request: { requesterId: string } | null;
      try {
        request = await store.requestOwner(caller.team.id, message.requestId);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        return send({
          type: 'error',
          code: 'internal',
          clientId,
          retryAfterMs: error.retryAfterMs,
          message: error.message,
        });
      }
      if (!request || !canSeeEvent(caller.member, request.requesterId)) {
        return send({
          type: 'error',
          code: 'not_found',
          clientId,
          message: `help request ${message.requestId} was not found in your team`,
        });
      }
      if (message.message.kind === 'pointer' && caller.member.role === 'member') {
        return send({
          type: 'error',
          code: 'forbidden',
          clientId,
          message: 'only helpers and admins can point on the screenshot',
        });
      }
      // Not awaited: the next message of this socket may join the same group commit. Acks and
      // events still go out in order, because group commits resolve in the order they were queued.
      void store.postMessage(caller, message.requestId, message.message).then(
        (posted) => {
          if (isRefusal(posted))
            return send({ type: 'error', code: refusalError(posted).code, clientId, message: posted.message });
          send({ type: 'ack', clientId, message: posted.message });
          publish(caller.team.id, posted.events, request.requesterId);
        },
        (error: unknown) => {
          if (error instanceof StoreUnavailableError) {
            // 'internal' + retryAfterMs: clients resend after the hint with the same clientId.
            return send({
              type: 'error',
              code: 'internal',
              clientId,
              retryAfterMs: error.retryAfterMs,
              message: error.message,
            });
          }
          process.stderr.write(
            `team server: could not store a message: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
          );
          send({
            type: 'error',
            code: 'internal',
            clientId,
            message: 'the message could not be stored; it will be retried',
          });
        },
      );
    }

    async function startSubscription(caller: Caller, afterSeq: number): Promise<void> {
      const sub: LiveSubscriber = {
        teamId: caller.team.id,
        member: caller.member,
        tokenHash,
        send,
        sendRaw: sendText,
        close: (code, reason) => socket.close(code, reason),
        lastSeq: afterSeq,
        replaying: true,
        pending: [],
        maxPending: MAX_PENDING_EVENTS,
      };
      subscriber = sub;
      hub.add(sub);
      const head = await store.headSeq(caller.team.id);
      send({ type: 'welcome', member: caller.member, team: caller.team, seq: head });
      if (afterSeq > head) {
        // The client saw events this server no longer has (it was restored from a backup): start over.
        send({
          type: 'reset',
          seq: head,
          message: `your position ${afterSeq} is ahead of this server (${head}), which was restored from a backup; replaying from 0`,
        });
        sub.lastSeq = 0;
      }
      for (;;) {
        const batch = await store.eventsAfter(caller.team.id, sub.lastSeq, 500);
        for (const { event, requesterId } of batch) {
          hub.deliver(sub, event, requesterId);
          // Backpressure: wait until the client has read what was sent before queueing more.
          if (tcp.writableNeedDrain) await drained(tcp);
          if (socket.readyState !== socket.OPEN) return;
        }
        if (batch.length < 500) break;
      }
      for (const { event, requesterId } of sub.pending) hub.deliver(sub, event, requesterId);
      sub.pending = [];
      sub.replaying = false;
      // Another instance may have committed after our replay read; its notification skipped us while replaying.
      feed.catchUp(caller.team.id);
      send({ type: 'synced', seq: sub.lastSeq });
      debug(`stream synced ${caller.member.name} at ${sub.lastSeq} (from ${afterSeq})`);
    }
  }

  await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!publicUrl) publicUrl = url;

  return {
    url,
    store,
    app,
    hub,
    feed,
    async createInvite(teamId, role, maxUses = 1) {
      const { code, link } = await issueInvite(store, publicUrl, teamId, { role, maxUses, expiresInHours: 24 * 7 });
      return { code, link };
    },
    async close() {
      feed.stop();
      clearInterval(heartbeat);
      hub.closeAll('server shutting down');
      await app.close();
      await store.close();
    },
  };
}

const DEBUG = process.env.SIDEKICK_SERVER_DEBUG === '1';
function debug(message: string): void {
  if (DEBUG) process.stderr.write(`team server: ${message}\n`);
}

/** Resolves once a socket's write buffer has drained (or the socket closed). */
function drained(tcp: Socket): Promise<void> {
  if (tcp.destroyed || !tcp.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      tcp.off('drain', done);
      tcp.off('close', done);
      resolve();
    };
    tcp.on('drain', done);
    tcp.on('close', done);
  });
}

/** Reads and discards the rest of a request body (up to `maxBytes`, then gives up). */
function drainRequest(
  raw: NodeJS.ReadableStream & { destroy?(): void; readableEnded?: boolean },
  maxBytes: number,
): Promise<void> {
  return new Promise((resolve) => {
    if (raw.readableEnded) return resolve();
    let seen = 0;
    raw.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) {
        raw.removeAllListeners('data');
        resolve();
      }
    });
    raw.once('end', () => resolve());
    raw.once('error', () => resolve());
    raw.resume();
  });
}

/** Decodes and checks an uploaded screenshot: real PNG/JPEG bytes of the declared size. */
export function decodeScreenshot(upload: {
  mime: string;
  width: number;
  height: number;
  dataBase64: string;
}): StoredScreenshot {
  const bytes = Buffer.from(upload.dataBase64, 'base64');
  if (bytes.length > TEAM_LIMITS.screenshotBytes) {
    throw new HttpError(
      413,
      'screenshot_too_large',
      `the screenshot is ${Math.round(bytes.length / 1024)} KB; the limit is ${TEAM_LIMITS.screenshotBytes / 1024 / 1024} MB (send it as JPEG or smaller)`,
    );
  }
  const isPng = bytes.length > 24 && bytes.readUInt32BE(0) === 0x89504e47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (upload.mime === 'image/png' && !isPng)
    throw new HttpError(400, 'invalid_screenshot', 'screenshot.dataBase64 is not a PNG image');
  if (upload.mime === 'image/jpeg' && !isJpeg)
    throw new HttpError(400, 'invalid_screenshot', 'screenshot.dataBase64 is not a JPEG image');
  if (isPng) {
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    if (width !== upload.width || height !== upload.height) {
      throw new HttpError(
        400,
        'invalid_screenshot',
        `screenshot is ${width}x${height} but width/height say ${upload.width}x${upload.height}`,
      );
    }
  }
  return { mime: upload.mime, width: upload.width, height: upload.height, bytes };
}

/** Creates a team with its first admin invite (used on first start and by `--create-team`). */
export async function createTeamWithAdminInvite(
  server: Pick<RunningTeamServer, 'store' | 'createInvite'>,
  name: string,
) {
  const team = await server.store.createTeam(name);
  const invite = await server.createInvite(team.id, 'admin');
  return { team, invite };
}
