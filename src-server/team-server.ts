/**
 * The Sidekick team server: REST + WebSocket API (docs/api.md) over a TeamStore, and the helper
 * console's built files. One Fastify app: security headers from @fastify/helmet, the zod schemas of
 * src-shared/team as its type provider (bodies, queries and ids are validated before a handler runs),
 * one error handler (routes/errors.ts), and a plugin per resource in routes/. The REST routes that need
 * a team token live in one scope behind one auth hook (routes/auth.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { STREAM_CLOSE, TEAM_LIMITS } from '../src-shared/team';
import { ClusterFeed } from './cluster-feed';
import { ExpertiseService } from './expertise';
import { jsonDepthExceeds } from './json-depth';
import { LiveHub } from './live-hub';
import { RateLimiter, type RateLimitOptions } from './rate-limit';
import { requireToken } from './routes/auth';
import type { TeamContext } from './routes/context';
import { HttpError, installErrorHandler } from './routes/errors';
import { expertiseRoutes } from './routes/expertise';
import { inviteRoutes, issueInvite } from './routes/invites';
import { joinRoutes } from './routes/join';
import { libraryRoutes } from './routes/library';
import { matchRoutes } from './routes/matches';
import { memberRoutes } from './routes/members';
import { messageRoutes } from './routes/messages';
import { requestRoutes } from './routes/requests';
import { streamRoutes } from './routes/stream';
import { teamSettingsRoutes } from './routes/team-settings';
import { openSqliteTeamStore } from './store/sqlite-store';
import type { TeamStore } from './store/team-store';

export { HttpError } from './routes/errors';
export { issueInvite } from './routes/invites';
export { JOIN_RATE_LIMIT } from './routes/join';
export { decodeScreenshot } from './routes/requests';

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
  /**
   * Load balancers whose `X-Forwarded-For` is believed (addresses, CIDR ranges or proxy-addr's names such
   * as `loopback`): the per-address limits then count each person's address, not the balancer's.
   */
  trustProxy?: string[];
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

/**
 * The Content-Security-Policy (helmet sends it on every answer; it matters for the helper console):
 * its own scripts, screenshots as blob: URLs, its own API and stream.
 */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'blob:', 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

// The limits below stay hand-written token buckets (rate-limit.ts) rather than @fastify/rate-limit, which
// keys a counter by what one HTTP request shows it. These are not like that: the per-token budget is shared
// by REST calls and WebSocket sends (messages inside one connection, no request per send); the connect
// limit is per token, which arrives in the stream's first message, after the upgrade; and the bad-token
// limit counts failed tokens per address across every route and the stream's hello. Invite redemptions
// are a plain per-route, per-address limit: @fastify/rate-limit does those (routes/join.ts).

/** Default per-token limit: 20 calls a second, bursts of 60. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 20, burst: 60 };
/** WebSocket connects per token: 2 a second, bursts of 10 (a reconnect storm of many clients is fine). */
export const CONNECT_RATE_LIMIT: RateLimitOptions = { perSecond: 2, burst: 10 };
/** Calls and connects with a missing, unknown or revoked token, per client address: 2 a second, bursts of 20. */
export const BAD_TOKEN_RATE_LIMIT: RateLimitOptions = { perSecond: 2, burst: 20 };

const CONSOLE_MISSING_PAGE =
  '<!doctype html><title>Sidekick team server</title><p>The helper console is not built. Run ' +
  '<code>npm run build:console</code> (or start with <code>sidekick server</code>, which builds it) and reload.</p>';

/** Starts the team server and resolves once it listens. */
export async function startTeamServer(options: TeamServerOptions): Promise<RunningTeamServer> {
  const store = options.store ?? openSqliteTeamStore(options.dataDir);
  const hub = new LiveHub();
  // Several instances on one database: deliver other instances' commits to our clients, in order.
  const feed = new ClusterFeed(store, hub, (teamId, change) => {
    if (change.kind === 'token') hub.disconnectToken(teamId, change.tokenHash, change.reason);
    else {
      const code = change.kind === 'role' ? STREAM_CLOSE.reconnect : STREAM_CLOSE.unauthorized;
      hub.disconnectMember(teamId, change.memberId, code, change.reason);
    }
  });
  feed.start();
  let publicUrl = options.publicUrl ?? '';
  const ctx: TeamContext = {
    store,
    hub,
    feed,
    expertise: new ExpertiseService(store),
    limits: {
      calls: new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT),
      connects: new RateLimiter(CONNECT_RATE_LIMIT),
      badTokens: new RateLimiter(BAD_TOKEN_RATE_LIMIT),
    },
    publicUrl: () => publicUrl,
  };
  const app = Fastify({
    logger: false,
    bodyLimit: TEAM_LIMITS.bodyBytes,
    return503OnClosing: true,
    ...(options.trustProxy?.length ? { trustProxy: options.trustProxy } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandler(app);

  // HSTS is left to the TLS-terminating proxy (deploy/): the server itself often speaks plain HTTP on a LAN.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    strictTransportSecurity: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  // Only routes that ask for it (config.rateLimit) are limited; the headers are Retry-After on a 429, as before.
  await app.register(fastifyRateLimit, {
    global: false,
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
      'retry-after': true,
    },
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: TEAM_LIMITS.wsFrameBytes } });
  const consoleDir =
    options.consoleDir && existsSync(join(options.consoleDir, 'index.html')) ? options.consoleDir : null;
  if (consoleDir)
    await app.register(fastifyStatic, { root: consoleDir, prefix: '/', wildcard: false, index: 'index.html' });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || !consoleDir || request.method !== 'GET') {
      const endpoint = `${request.method} ${request.url.split('?')[0]}`;
      throw new HttpError(404, 'no_such_endpoint', `no endpoint ${endpoint}; see docs/api.md`);
    }
    return reply.sendFile('index.html');
  });
  if (!consoleDir) app.get('/', async (_request, reply) => reply.type('text/html').send(CONSOLE_MISSING_PAGE));

  // Empty bodies on POST with a JSON content type are allowed (claim, cancel).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    if (jsonDepthExceeds(text, TEAM_LIMITS.jsonDepth)) {
      const message = `the body nests arrays and objects deeper than ${TEAM_LIMITS.jsonDepth} levels`;
      return done(new HttpError(400, 'invalid_json', message), undefined);
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new HttpError(400, 'invalid_json', 'the body is not valid JSON'), undefined);
    }
  });

  await app.register(joinRoutes, ctx);
  await app.register(streamRoutes, ctx);
  await app.register(async (api) => {
    requireToken(api, ctx);
    await api.register(memberRoutes, ctx);
    await api.register(inviteRoutes, ctx);
    await api.register(requestRoutes, ctx);
    await api.register(messageRoutes, ctx);
    await api.register(libraryRoutes, ctx);
    await api.register(expertiseRoutes, ctx);
    await api.register(teamSettingsRoutes, ctx);
    await api.register(matchRoutes, ctx);
  });

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
      hub.closeAll('server shutting down');
      await app.close();
      await store.close();
    },
  };
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
