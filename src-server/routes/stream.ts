/**
 * The live stream, `GET /api/v1/stream` (WebSocket): hello with a token, replay of missed events, then
 * live events and chat sends. Its limits stay hand-written (see team-server.ts): the token arrives in
 * the first message, not in the upgrade request @fastify/rate-limit sees, and sends share the token's
 * call budget with REST.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { STREAM_CLOSE, type StreamServerMessage, StreamClientMessageSchema, TEAM_LIMITS } from '../../src-shared/team';
import { jsonDepthExceeds } from '../json-depth';
import { canSeeEvent, type LiveSubscriber } from '../live-hub';
import { chatPostOf } from '../library-matches';
import { hashSecret } from '../secrets';
import { type Caller, type ChatPost, isRefusal, StoreUnavailableError } from '../store/team-store';
import { publish, type TeamApp, type TeamContext } from './context';
import { refusalError } from './errors';

/** The server pings every WebSocket this often and drops those that did not answer the previous ping. */
const HEARTBEAT_MS = 30_000;
/** Live events one connection may have waiting while its backlog is replayed. */
const MAX_PENDING_EVENTS = 10_000;

/** `GET /api/v1/stream` and the heartbeat that drops dead connections. */
export async function streamRoutes(app: TeamApp, ctx: TeamContext): Promise<void> {
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
  app.addHook('onClose', async () => clearInterval(heartbeat));

  // Who asked each request, for the visibility check of chat sends: a request's requester never changes,
  // so it is read once, not once per message (a database round trip saved per send). Bounded: cleared when full.
  const owners = new Map<string, { requesterId: string }>();
  async function requestOwner(teamId: string, requestId: string): Promise<{ requesterId: string } | null> {
    const key = `${teamId} ${requestId}`;
    const known = owners.get(key);
    if (known) return known;
    const owner = await ctx.store.requestOwner(teamId, requestId);
    if (owner) {
      if (owners.size >= 10_000) owners.clear();
      owners.set(key, owner);
    }
    return owner;
  }

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
    /** A library item being looked up for a chat send: this socket's later sends wait for it. */
    let libraryLookup: Promise<void> | null = null;
    const sendText = (text: string): void => {
      if (socket.readyState !== socket.OPEN) return;
      socket.send(text);
      if (socket.bufferedAmount > TEAM_LIMITS.wsBufferedBytes) {
        const unsent = Math.round(socket.bufferedAmount / 1024);
        process.stderr.write(
          `team server: closed a live connection of ${subscriber?.member.name ?? '?'} as a slow reader ` +
            `(${unsent} KB unsent)\n`,
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
        .then(() => onMessage(isBinary || !Buffer.isBuffer(data) ? null : data.toString('utf8')))
        .catch((error: unknown) => {
          if (error instanceof StoreUnavailableError) {
            // The database is down: say so; before hello, close with "try again later" so the client reconnects.
            if (!subscriber) return socket.close(1013, 'the team database is unavailable; retry shortly');
            return send({ type: 'error', code: 'internal', retryAfterMs: error.retryAfterMs, message: error.message });
          }
          process.stderr.write(`team server: stream error: ${describe(error)}\n`);
          send({ type: 'error', code: 'internal', message: 'the team server hit an unexpected error; it was logged' });
        });
    });
    socket.on('close', (code) => {
      debug(`stream closed ${code} ${subscriber?.member.name ?? '(no hello)'}`);
      clearTimeout(helloTimer);
      if (subscriber) ctx.hub.remove(subscriber);
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
        const caller = await ctx.store.authenticate(tokenHash);
        if (!caller) {
          const bad = ctx.limits.badTokens.take(ip);
          if (!bad.ok)
            return socket.close(
              STREAM_CLOSE.rateLimited,
              `too many unknown tokens from your address; retry in ${bad.retryAfterMs} ms`,
            );
          return socket.close(STREAM_CLOSE.unauthorized, 'token unknown or revoked; join again with a new invite');
        }
        const rate = ctx.limits.connects.take(tokenHash);
        if (!rate.ok)
          return socket.close(
            STREAM_CLOSE.rateLimited,
            `too many connects with this token; retry in ${rate.retryAfterMs} ms`,
          );
        if (ctx.hub.connections(caller.team.id, caller.member.id) >= TEAM_LIMITS.socketsPerMember) {
          const most = TEAM_LIMITS.socketsPerMember;
          const reason = `you have ${most} live connections already (the limit); retry in 5000 ms`;
          return socket.close(STREAM_CLOSE.tooManySockets, reason);
        }
        await startSubscription(caller, message.afterSeq);
        return;
      }
      if (!subscriber) return socket.close(STREAM_CLOSE.unauthorized, 'the first message must be hello');
      if (message.type === 'ping') return send({ type: 'pong' });
      // send
      const clientId = message.message.clientId;
      // 'internal' + retryAfterMs: clients resend after the hint with the same clientId.
      const sendUnavailable = (id: string, error: StoreUnavailableError): void =>
        send({
          type: 'error',
          code: 'internal',
          clientId: id,
          retryAfterMs: error.retryAfterMs,
          message: error.message,
        });
      const rate = ctx.limits.calls.take(tokenHash);
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
        request = await requestOwner(caller.team.id, message.requestId);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        return sendUnavailable(clientId, error);
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
      const failed = (error: unknown): void => {
        if (error instanceof StoreUnavailableError) return sendUnavailable(clientId, error);
        process.stderr.write(`team server: could not store a message: ${describe(error)}\n`);
        send({
          type: 'error',
          code: 'internal',
          clientId,
          message: 'the message could not be stored; it will be retried',
        });
      };
      const body = message.message;
      const { requestId } = message;
      const { requesterId } = request;
      if (body.kind === 'library' || libraryLookup) {
        // A library item is looked up in the team library first; later sends of this socket wait for it, so
        // messages are still stored in the order they were sent.
        const lookup = (libraryLookup ?? Promise.resolve())
          .then(() => chatPostOf(ctx.store, caller, body))
          .then((post) => {
            if (!isRefusal(post)) return store(post);
            send({ type: 'error', code: refusalError(post).code, clientId, message: post.message });
          }, failed)
          .finally(() => {
            if (libraryLookup === lookup) libraryLookup = null;
          });
        libraryLookup = lookup;
        return;
      }
      store(body);

      function store(post: ChatPost): void {
        // Not awaited: the next message of this socket may join the same group commit. Acks and
        // events still go out in order, because group commits resolve in the order they were queued.
        void ctx.store.postMessage(caller, requestId, post).then((posted) => {
          if (isRefusal(posted))
            return send({ type: 'error', code: refusalError(posted).code, clientId, message: posted.message });
          send({ type: 'ack', clientId, message: posted.message });
          publish(ctx, caller.team.id, posted.events, requesterId);
        }, failed);
      }
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
      ctx.hub.add(sub);
      const head = await ctx.store.headSeq(caller.team.id);
      send({ type: 'welcome', member: caller.member, team: caller.team, seq: head });
      if (afterSeq > head) {
        // The client saw events this server no longer has (it was restored from a backup): start over.
        send({
          type: 'reset',
          seq: head,
          message:
            `your position ${afterSeq} is ahead of this server (${head}), which was restored from a backup; ` +
            'replaying from 0',
        });
        sub.lastSeq = 0;
      }
      for (;;) {
        const batch = await ctx.store.eventsAfter(caller.team.id, sub.lastSeq, 500);
        for (const { event, requesterId } of batch) {
          ctx.hub.deliver(sub, event, requesterId);
          // Backpressure: wait until the client has read what was sent before queueing more.
          if (tcp.writableNeedDrain) await drained(tcp);
          if (socket.readyState !== socket.OPEN) return;
        }
        if (batch.length < 500) break;
      }
      for (const { event, requesterId } of sub.pending) ctx.hub.deliver(sub, event, requesterId);
      sub.pending = [];
      sub.replaying = false;
      // Another instance may have committed after our replay read; its notification skipped us while replaying.
      ctx.feed.catchUp(caller.team.id);
      send({ type: 'synced', seq: sub.lastSeq });
      debug(`stream synced ${caller.member.name} at ${sub.lastSeq} (from ${afterSeq})`);
    }
  }
}

/** An error's stack (or text) for the server log. */
function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
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
