/**
 * The team server's API against a real `sidekick server` process, a real SQLite file and real
 * WebSocket clients: the request lifecycle, chat, pointers, the live stream, the shared library with
 * version conflicts, bad input on every endpoint (4xx, clear message, nothing changed), team
 * isolation by id, revocation and rate limits.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type ApiError,
  type JoinResult,
  type LibraryConflict,
  type StreamServerMessage,
  TEAM_LIMITS,
} from '../../src-shared/team';
import {
  addMember,
  api,
  createTeamOffline,
  type ItemReply,
  type ItemsReply,
  type MemberReply,
  type MessagesReply,
  newTeam,
  requestBody,
  type RequestReply,
  type RequestsReply,
  seedTeam,
  type ServerProcess,
  startServerProcess,
  tempDataDir,
} from './team-server-process';

let server: ServerProcess;
let url: string;
let dataDir: string;
let png: Buffer;

/** A server message over the WebSocket of one `type`. */
type MessageOf<K extends StreamServerMessage['type']> = Extract<StreamServerMessage, { type: K }>;

/** A WebSocket client that records every server message. */
async function connect(token: string, afterSeq = 0) {
  const socket = new WebSocket(url.replace('http', 'ws') + '/api/v1/stream');
  const received: StreamServerMessage[] = [];
  const waiters: Array<() => void> = [];
  let closed: { code: number; reason: string } | null = null;
  socket.on('message', (data) => {
    // ws hands text frames over as one Buffer (no binaryType set).
    received.push(JSON.parse((data as Buffer).toString()) as StreamServerMessage);
    waiters.splice(0).forEach((wake) => wake());
  });
  socket.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
    waiters.splice(0).forEach((wake) => wake());
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'hello', token, afterSeq }));
  const client = {
    socket,
    received,
    get closed() {
      return closed;
    },
    send: (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    /** Waits for a message of `type` that `predicate` accepts (any of that type without one). */
    async waitFor<K extends StreamServerMessage['type']>(
      type: K,
      what: string,
      predicate: (message: MessageOf<K>) => boolean = () => true,
      timeoutMs = 30_000,
    ): Promise<MessageOf<K>> {
      const wanted = (message: StreamServerMessage): message is MessageOf<K> =>
        message.type === type && predicate(message as MessageOf<K>);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(wanted);
        if (found) return found;
        if (closed) throw new Error(`socket closed (${closed.code} ${closed.reason}) while waiting for ${what}`);
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(received).slice(0, 2000)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    /** Waits for the close event (or the timeout) and returns its code and reason. */
    async waitClosed(timeoutMs = 30_000) {
      if (!closed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return closed;
    },
  };
  return client;
}

/** Everything a team's admin can see: used to prove bad input changed nothing. */
async function teamSnapshot(adminToken: string) {
  const requests = await api<RequestsReply>(url, 'GET', '/api/v1/requests?limit=500', { token: adminToken });
  const messages = await Promise.all(
    requests.body.requests.map((request) =>
      api(url, 'GET', `/api/v1/requests/${request.id}/messages`, { token: adminToken }),
    ),
  );
  const library = await api(url, 'GET', '/api/v1/library', { token: adminToken });
  const members = await api(url, 'GET', '/api/v1/members', { token: adminToken });
  const invites = await api(url, 'GET', '/api/v1/invites', { token: adminToken });
  return JSON.stringify({
    requests: requests.body,
    messages: messages.map((m) => m.body),
    library: library.body,
    members: members.body,
    invites: invites.body,
  });
}

beforeAll(async () => {
  dataDir = tempDataDir();
  server = await startServerProcess({ dataDir });
  url = server.url;
  png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#dde3ee' } })
    .composite([
      {
        input: Buffer.from(
          '<svg width="320" height="200"><rect x="40" y="30" width="90" height="24" fill="#345"/></svg>',
        ),
        top: 0,
        left: 0,
      },
    ])
    .png()
    .toBuffer();
}, 400_000);

afterAll(async () => {
  await server?.stop();
});

describe('team server API (real process, SQLite, WebSocket)', () => {
  it('prints its URL and a first admin invite, and serves health without a token', async () => {
    expect(server.report.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.report.adminInvites[0]!.link).toBe(`${url}/#join=${server.report.adminInvites[0]!.code}`);
    const health = await api(url, 'GET', '/api/v1/health');
    expect(health).toEqual({ status: 200, body: { ok: true, protocol: 'sidekick.team/1' } });
  });

  it('invites are single use and tokens are stored hashed', async () => {
    const first = await api<JoinResult>(url, 'POST', '/api/v1/join', {
      body: { invite: server.report.adminInvites[0]!.code, name: 'First Admin' },
    });
    expect(first.status).toBe(200);
    const again = await api<ApiError>(url, 'POST', '/api/v1/join', {
      body: { invite: server.report.adminInvites[0]!.code, name: 'Mallory' },
    });
    expect(again.status).toBe(403);
    expect(again.body.error.message).toMatch(/already used/);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${dataDir}/team.sqlite`, { readonly: true });
    const hashes = db.prepare('SELECT hash FROM tokens').all() as Array<{ hash: string }>;
    db.close();
    expect(hashes.length).toBeGreaterThanOrEqual(1);
    for (const { hash } of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes.map((h) => h.hash)).not.toContain(first.body.token);
  });

  it('runs a request from open to resolved with chat both ways, a pointer and live events', async () => {
    const A = await newTeam(server, 'A');
    const helperStream = await connect(A.helper.token);
    const memberStream = await connect(A.member.token);
    await helperStream.waitFor('synced', 'helper synced');
    await memberStream.waitFor('synced', 'member synced');

    const body = {
      ...requestBody('lifecycle-0001'),
      screenshot: { mime: 'image/png', width: 320, height: 200, dataBase64: png.toString('base64') },
    };
    const created = await api<RequestReply>(url, 'POST', '/api/v1/requests', { token: A.member.token, body });
    expect(created.status).toBe(201);
    const id = created.body.request.id;
    expect(created.body.request).toMatchObject({
      state: 'open',
      screenshot: { width: 320, height: 200, bytes: png.length },
      requester: { name: 'A Member' },
    });

    // The outbox resends with the same clientId: same request, no duplicate.
    const resent = await api<RequestReply>(url, 'POST', '/api/v1/requests', { token: A.member.token, body });
    expect(resent.status).toBe(200);
    expect(resent.body.request.id).toBe(id);

    // The helper sees it appear live and can fetch the screenshot.
    await helperStream.waitFor(
      'event',
      'request event',
      (m) => m.event.type === 'request' && m.event.request.id === id,
    );
    const shot = await fetch(`${url}/api/v1/requests/${id}/screenshot`, {
      headers: { authorization: `Bearer ${A.helper.token}` },
    });
    expect(shot.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await shot.arrayBuffer()).equals(png)).toBe(true);

    // Members cannot claim; helpers can, once.
    expect((await api(url, 'POST', `/api/v1/requests/${id}/claim`, { token: A.member.token })).status).toBe(403);
    const claimed = await api<RequestReply>(url, 'POST', `/api/v1/requests/${id}/claim`, { token: A.helper.token });
    expect(claimed.body.request).toMatchObject({ state: 'claimed', claimedBy: { name: 'A Helper' } });
    const second = await api<ApiError>(url, 'POST', `/api/v1/requests/${id}/claim`, { token: A.admin.token });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(/claimed by A Helper/);
    await memberStream.waitFor(
      'event',
      'claimed event',
      (m) => m.event.type === 'request' && m.event.request.state === 'claimed',
    );

    // Chat both ways over the WebSocket, acked after commit, delivered to the other side.
    memberStream.send({
      type: 'send',
      requestId: id,
      message: { clientId: 'm-msg-00001', kind: 'text', text: 'Where is freeze?' },
    });
    const ack = await memberStream.waitFor('ack', 'member ack', (m) => m.clientId === 'm-msg-00001');
    expect(ack.message).toMatchObject({
      requestId: id,
      kind: 'text',
      text: 'Where is freeze?',
      author: { name: 'A Member' },
    });
    await helperStream.waitFor(
      'event',
      'member message at helper',
      (m) => m.event.type === 'message' && m.event.message.clientId === 'm-msg-00001',
    );
    helperStream.send({
      type: 'send',
      requestId: id,
      message: { clientId: 'h-msg-00001', kind: 'text', text: 'Open the View menu.' },
    });
    await memberStream.waitFor(
      'event',
      'helper message at member',
      (m) => m.event.type === 'message' && m.event.message.text === 'Open the View menu.',
    );

    // Pointers: helpers only, in screenshot coordinates.
    memberStream.send({
      type: 'send',
      requestId: id,
      message: { clientId: 'm-ptr-00001', kind: 'pointer', pointer: { kind: 'point', x: 1, y: 1 } },
    });
    expect((await memberStream.waitFor('error', 'pointer refusal', (m) => m.clientId === 'm-ptr-00001')).code).toBe(
      'forbidden',
    );
    const pointed = await api(url, 'POST', `/api/v1/requests/${id}/messages`, {
      token: A.helper.token,
      body: {
        clientId: 'h-ptr-00001',
        kind: 'pointer',
        pointer: { kind: 'box', x: 40, y: 30, w: 90, h: 24 },
        text: 'View',
      },
    });
    expect(pointed.status).toBe(201);
    const pointerEvent = await memberStream.waitFor(
      'event',
      'pointer event',
      (m) => m.event.type === 'message' && m.event.message.kind === 'pointer',
    );
    const pointerMessage = pointerEvent.event.type === 'message' ? pointerEvent.event.message : null;
    expect(pointerMessage?.pointer).toEqual({ kind: 'box', x: 40, y: 30, w: 90, h: 24 });

    // Resending an acked message (same clientId) returns the stored one, never a duplicate.
    memberStream.send({
      type: 'send',
      requestId: id,
      message: { clientId: 'm-msg-00001', kind: 'text', text: 'Where is freeze?' },
    });
    const acks = (): MessageOf<'ack'>[] =>
      memberStream.received.filter((m): m is MessageOf<'ack'> => m.type === 'ack' && m.clientId === 'm-msg-00001');
    await memberStream.waitFor('ack', 'second ack of the resent message', () => acks().length >= 2);
    expect(acks()).toHaveLength(2);
    expect(acks()[1]!.message.id).toBe(acks()[0]!.message.id);

    const resolved = await api<RequestReply>(url, 'POST', `/api/v1/requests/${id}/resolve`, {
      token: A.helper.token,
      body: { resolution: 'View > Freeze Panes' },
    });
    expect(resolved.body.request).toMatchObject({ state: 'resolved', resolution: 'View > Freeze Panes' });
    const closed = await api<ApiError>(url, 'POST', `/api/v1/requests/${id}/messages`, {
      token: A.member.token,
      body: { clientId: 'm-late-0001', kind: 'text', text: 'thanks' },
    });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('request_closed');

    const log = await api<MessagesReply>(url, 'GET', `/api/v1/requests/${id}/messages`, {
      token: A.member.token,
    });
    const kinds = log.body.messages.map((m) => `${m.seq}:${m.kind}`);
    expect(kinds).toEqual(['1:system', '2:text', '3:text', '4:pointer', '5:system']);
    const after = await api<MessagesReply>(url, 'GET', `/api/v1/requests/${id}/messages?after=3`, {
      token: A.member.token,
    });
    expect(after.body.messages.map((m) => m.seq)).toEqual([4, 5]);

    // Resume: a client that saw up to some seq gets exactly the events after it, once.
    const memberSeqs = memberStream.received.filter((m) => m.type === 'event').map((m) => m.event.seq);
    const midway = memberSeqs[1]!;
    const resumed = await connect(A.member.token, midway);
    await resumed.waitFor('synced', 'resumed sync');
    const replayed = resumed.received.filter((m) => m.type === 'event').map((m) => m.event.seq);
    expect(replayed).toEqual(memberSeqs.filter((seq) => seq > midway));
    for (const client of [helperStream, memberStream, resumed]) client.socket.close();
  });

  it('keeps members out of each other’s requests; helpers see the whole team', async () => {
    const A = await newTeam(server, 'A');
    const other = await addMember(url, A.admin.token, 'member', 'A Other');
    const mine = await api<RequestReply>(url, 'POST', '/api/v1/requests', {
      token: other.token,
      body: requestBody('other-req-0001', 'Where is print preview?'),
    });
    const id = mine.body.request.id;
    expect((await api(url, 'GET', `/api/v1/requests/${id}`, { token: A.member.token })).status).toBe(404);
    expect((await api(url, 'GET', `/api/v1/requests/${id}/messages`, { token: A.member.token })).status).toBe(404);
    const memberList = await api<RequestsReply>(url, 'GET', '/api/v1/requests', { token: A.member.token });
    expect(memberList.body.requests.map((r) => r.id)).not.toContain(id);
    const helperList = await api<RequestsReply>(url, 'GET', '/api/v1/requests?state=open', { token: A.helper.token });
    expect(helperList.body.requests.map((r) => r.id)).toContain(id);
    // A member's stream never carries someone else's request.
    const stream = await connect(A.member.token);
    await stream.waitFor('synced', 'synced');
    expect(
      stream.received.some((m) => m.type === 'event' && m.event.type === 'request' && m.event.request.id === id),
    ).toBe(false);
    stream.socket.close();
  });

  it('syncs the team library and detects conflicting edits by version without losing either side', async () => {
    const A = await newTeam(server, 'A');
    const doc = {
      format: 'sidekick.tip/1',
      id: 'freeze-header',
      title: 'Freeze the header row',
      body: 'View > Freeze Panes',
      app: { name: 'Gnumeric' },
      labels: ['View', 'Freeze Panes'],
    };
    const listener = await connect(A.member.token);
    await listener.waitFor('synced', 'synced');
    const saved = await api<ItemReply>(url, 'PUT', '/api/v1/library/freeze-header', {
      token: A.helper.token,
      body: { baseVersion: 0, doc },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.item).toMatchObject({
      id: 'freeze-header',
      kind: 'tip',
      version: 1,
      app: 'Gnumeric',
      labels: ['View', 'Freeze Panes'],
    });
    await listener.waitFor(
      'event',
      'library event',
      (m) => m.event.type === 'library' && m.event.item.id === 'freeze-header',
    );

    // Two people edit version 1; the second save is refused with the current item and changes nothing.
    const first = await api<ItemReply>(url, 'PUT', '/api/v1/library/freeze-header', {
      token: A.admin.token,
      body: { baseVersion: 1, doc: { ...doc, body: 'edit one' } },
    });
    expect(first.body.item.version).toBe(2);
    const second = await api<LibraryConflict>(url, 'PUT', '/api/v1/library/freeze-header', {
      token: A.helper.token,
      body: { baseVersion: 1, doc: { ...doc, body: 'edit two' } },
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('version_conflict');
    expect(second.body.current).toMatchObject({ version: 2, doc: { body: 'edit one' } });
    const now = await api<ItemReply>(url, 'GET', '/api/v1/library/freeze-header', { token: A.admin.token });
    expect(now.body.item).toMatchObject({ version: 2, doc: { body: 'edit one' } });

    // A walkthrough file keeps unknown fields on round-trip.
    const walkthrough = {
      format: 'sidekick.walkthrough/1',
      id: 'gnumeric-freeze',
      title: 'Freeze',
      app: { name: 'Gnumeric', match: ['gnumeric'] },
      steps: [{ instruction: 'Open View', target: { text: 'View' } }],
      futureField: { kept: true },
    };
    const wt = await api<ItemReply>(url, 'PUT', '/api/v1/library/gnumeric-freeze', {
      token: A.member.token,
      body: { baseVersion: 0, doc: walkthrough },
    });
    expect(wt.body.item).toMatchObject({ kind: 'walkthrough', labels: ['View'], doc: { futureField: { kept: true } } });

    // Deleting needs the current version and leaves a tombstone for syncing apps.
    expect(
      (await api(url, 'DELETE', '/api/v1/library/gnumeric-freeze?baseVersion=5', { token: A.member.token })).status,
    ).toBe(409);
    const removed = await api<ItemReply>(url, 'DELETE', '/api/v1/library/gnumeric-freeze?baseVersion=1', {
      token: A.member.token,
    });
    expect(removed.body.item).toMatchObject({ deleted: true, doc: null, version: 2 });
    const since = await api<ItemsReply>(url, 'GET', `/api/v1/library?after=${first.body.item.seq}`, {
      token: A.member.token,
    });
    expect(since.body.items.map((item) => item.id)).toEqual(['gnumeric-freeze']);
    listener.socket.close();
  });

  it('rejects bad input on every endpoint with a clear 4xx and changes nothing', async () => {
    const A = await newTeam(server, 'A');
    const req = await api<RequestReply>(url, 'POST', '/api/v1/requests', {
      token: A.member.token,
      body: requestBody('badinput-0001'),
    });
    const id = req.body.request.id;
    const before = await teamSnapshot(A.admin.token);
    const T = A.admin.token;
    const huge = 'x'.repeat(TEAM_LIMITS.bodyBytes + 10);
    const cases: Array<
      [string, string, { token?: string; body?: unknown; headers?: Record<string, string> }, number, RegExp]
    > = [
      ['POST', '/api/v1/join', { body: { invite: 'sk_inv_nope-nope-nope', name: 'X' } }, 403, /not known/],
      ['POST', '/api/v1/join', { body: { invite: 42, name: 'X' } }, 400, /invite/],
      ['POST', '/api/v1/join', { body: { invite: 'sk_inv_abcdefgh', name: '' } }, 400, /name/],
      ['POST', '/api/v1/join', { body: '{not json' }, 400, /not valid JSON/],
      [
        'POST',
        '/api/v1/join',
        { body: 'invite=x', headers: { 'content-type': 'text/plain' } },
        415,
        /application\/json/,
      ],
      ['GET', '/api/v1/me', {}, 401, /Authorization: Bearer/],
      ['GET', '/api/v1/me', { token: 'sk_tok_forged-token-value' }, 401, /unknown or was revoked/],
      ['DELETE', '/api/v1/me/token', { token: 'garbage' }, 401, /unknown or was revoked/],
      ['GET', '/api/v1/members', { token: A.member.token }, 403, /only helper or admins/],
      ['PATCH', `/api/v1/members/${A.member.memberId}`, { token: T, body: { role: 'owner' } }, 400, /role/],
      ['PATCH', `/api/v1/members/${A.member.memberId}`, { token: T, body: { role: 'helper', extra: 1 } }, 400, /extra/],
      [
        'PATCH',
        `/api/v1/members/${A.member.memberId}`,
        { token: A.helper.token, body: { role: 'admin' } },
        403,
        /only admins/,
      ],
      ['PATCH', '/api/v1/members/not-an-id', { token: T, body: { role: 'helper' } }, 400, /not a member id/],
      ['POST', `/api/v1/members/${A.member.memberId}/revoke`, { token: T, body: { now: true } }, 400, /now/],
      ['POST', '/api/v1/members/mem_doesnotexist1/revoke', { token: T }, 404, /not found in your team/],
      ['GET', '/api/v1/invites', { token: A.helper.token }, 403, /only admins/],
      ['POST', '/api/v1/invites', { token: T, body: { role: 'admin', maxUses: 0 } }, 400, /maxUses/],
      ['POST', '/api/v1/invites', { token: T, body: { role: 'admin', maxUses: '3' } }, 400, /maxUses/],
      ['POST', '/api/v1/invites', { token: A.member.token, body: { role: 'admin' } }, 403, /only admins/],
      ['DELETE', '/api/v1/invites/inv_doesnotexist1', { token: T }, 404, /not found in your team/],
      [
        'POST',
        '/api/v1/requests',
        { token: T, body: { ...requestBody('badinput-0002'), question: 7 } },
        400,
        /question/,
      ],
      [
        'POST',
        '/api/v1/requests',
        { token: T, body: { ...requestBody('badinput-0003'), question: '   ' } },
        400,
        /question/,
      ],
      ['POST', '/api/v1/requests', { token: T, body: { ...requestBody('bad id!') } }, 400, /clientId/],
      [
        'POST',
        '/api/v1/requests',
        { token: T, body: { ...requestBody('badinput-0004'), context: { app: 'x' } } },
        400,
        /windowTitle/,
      ],
      [
        'POST',
        '/api/v1/requests',
        { token: T, body: { ...requestBody('badinput-0005'), sneaky: true } },
        400,
        /sneaky/,
      ],
      [
        'POST',
        '/api/v1/requests',
        { token: T, body: { ...requestBody('badinput-0006'), question: 'q'.repeat(TEAM_LIMITS.questionChars + 1) } },
        400,
        /question/,
      ],
      [
        'POST',
        '/api/v1/requests',
        {
          token: T,
          body: {
            ...requestBody('badinput-0007'),
            screenshot: {
              mime: 'image/png',
              width: 10,
              height: 10,
              dataBase64: Buffer.from('not a png at all, really not').toString('base64'),
            },
          },
        },
        400,
        /not a PNG/,
      ],
      [
        'POST',
        '/api/v1/requests',
        {
          token: T,
          body: {
            ...requestBody('badinput-0008'),
            screenshot: { mime: 'image/png', width: 10, height: 10, dataBase64: png.toString('base64') },
          },
        },
        400,
        /320x200/,
      ],
      [
        'POST',
        '/api/v1/requests',
        { token: T, body: { ...requestBody('badinput-0009'), pad: 'x'.repeat(TEAM_LIMITS.requestBodyBytes + 10) } },
        413,
        /limit/,
      ],
      ['GET', '/api/v1/requests?state=lost', { token: T }, 400, /state/],
      ['GET', '/api/v1/requests?limit=-1', { token: T }, 400, /limit/],
      ['GET', '/api/v1/requests?color=red', { token: T }, 400, /color/],
      ['GET', '/api/v1/requests/req_doesnotexist', { token: T }, 404, /not found in your team/],
      ['GET', '/api/v1/requests/..%2F..%2Fetc', { token: T }, 400, /not a help request id/],
      ['GET', '/api/v1/requests/req_doesnotexist/screenshot', { token: T }, 404, /not found/],
      ['GET', `/api/v1/requests/${id}/screenshot`, { token: T }, 404, /no screenshot/],
      ['POST', `/api/v1/requests/${id}/claim`, { token: T, body: { force: true } }, 400, /force/],
      ['POST', `/api/v1/requests/${id}/resolve`, { token: T, body: { resolution: 5 } }, 400, /resolution/],
      ['POST', `/api/v1/requests/${id}/cancel`, { token: T, body: [] }, 400, /cancel body/],
      [
        'POST',
        `/api/v1/requests/${id}/messages`,
        { token: T, body: { clientId: 'badmsg-0001', kind: 'text', text: '' } },
        400,
        /text/,
      ],
      [
        'POST',
        `/api/v1/requests/${id}/messages`,
        { token: T, body: { clientId: 'badmsg-0002', kind: 'shout', text: 'hi' } },
        400,
        /kind/,
      ],
      [
        'POST',
        `/api/v1/requests/${id}/messages`,
        { token: T, body: { clientId: 'badmsg-0003', kind: 'text', text: 'x'.repeat(TEAM_LIMITS.messageChars + 1) } },
        400,
        /text/,
      ],
      [
        'POST',
        `/api/v1/requests/${id}/messages`,
        { token: T, body: { clientId: 'badmsg-0004', kind: 'pointer', pointer: { kind: 'point', x: 'left', y: 2 } } },
        400,
        /x/,
      ],
      [
        'POST',
        `/api/v1/requests/${id}/messages`,
        { token: T, body: { clientId: 'badmsg-0005', kind: 'text', text: huge } },
        413,
        /limit/,
      ],
      ['GET', `/api/v1/requests/${id}/messages?after=abc`, { token: T }, 400, /after/],
      ['GET', '/api/v1/library?after=-5', { token: T }, 400, /after/],
      ['GET', '/api/v1/library/Not_A_Slug', { token: T }, 400, /not a library id/],
      ['GET', '/api/v1/library/no-such-item', { token: T }, 404, /not found in your team/],
      [
        'PUT',
        '/api/v1/library/some-tip',
        {
          token: T,
          body: {
            baseVersion: 0,
            doc: { format: 'sidekick.tip/1', id: 'other-id', title: 't', body: '', app: { name: 'x' }, labels: [] },
          },
        },
        400,
        /must equal/,
      ],
      [
        'PUT',
        '/api/v1/library/some-tip',
        { token: T, body: { baseVersion: 0, doc: { format: 'sidekick.nope/1', id: 'some-tip' } } },
        400,
        /format/,
      ],
      ['PUT', '/api/v1/library/some-tip', { token: T, body: { baseVersion: -1, doc: {} } }, 400, /baseVersion/],
      ['DELETE', '/api/v1/library/some-tip', { token: T }, 400, /baseVersion/],
      ['DELETE', '/api/v1/library/some-tip?baseVersion=1', { token: T }, 404, /not found/],
      ['GET', '/api/v1/nothing-here', { token: T }, 404, /no endpoint/],
    ];
    const failures: string[] = [];
    for (const [method, path, options, status, message] of cases) {
      const response = await api<Partial<ApiError> | undefined>(url, method, path, options);
      const text = JSON.stringify(response.body);
      if (response.status !== status || !message.test(response.body?.error?.message ?? '')) {
        failures.push(
          `${method} ${path.slice(0, 60)}: expected ${status} ${message}, got ${response.status} ${text.slice(0, 300)}`,
        );
      }
      if (response.body?.error && typeof response.body.error.code !== 'string')
        failures.push(`${method} ${path}: error without code`);
    }
    expect(failures).toEqual([]);
    expect(await teamSnapshot(A.admin.token)).toBe(before);
  });

  it('rejects bad WebSocket messages with clear errors', async () => {
    const A = await newTeam(server, 'A');
    const noHello = await connect('sk_tok_not-a-real-token');
    expect((await noHello.waitClosed())?.code).toBe(4401);

    const socket = new WebSocket(url.replace('http', 'ws') + '/api/v1/stream');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('{"type":"send"}');
    expect(await closed).toBe(4400);

    const client = await connect(A.member.token);
    await client.waitFor('synced', 'synced');
    client.send('not json');
    expect((await client.waitFor('error', 'json error')).message).toMatch(/JSON/);
    client.send({
      type: 'send',
      requestId: 'req_doesnotexist',
      message: { clientId: 'ws-bad-0001', kind: 'text', text: 'hi' },
    });
    expect((await client.waitFor('error', 'not found', (m) => m.clientId === 'ws-bad-0001')).code).toBe('not_found');
    client.send({
      type: 'send',
      requestId: 'req_doesnotexist',
      message: { clientId: 'ws-bad-0002', kind: 'text', text: 'hi', extra: 1 },
    });
    expect((await client.waitFor('error', 'bad field', (m) => m.clientId === 'ws-bad-0002')).message).toMatch(/extra/);
    client.send({
      type: 'send',
      requestId: 'req_doesnotexist',
      message: { clientId: 'ws-bad-0003', kind: 'text', text: 'x'.repeat(TEAM_LIMITS.wsFrameBytes) },
    });
    expect((await client.waitClosed())?.code).toBe(1009);
  });

  it('isolates teams: B’s tokens cannot read or write A’s requests, messages, tips or members by id', async () => {
    const A = await newTeam(server, 'A');
    // Team B is created from the command line while the server runs.
    const B = await seedTeam(url, createTeamOffline(dataDir, 'Team B').code, 'B');
    const tip = {
      format: 'sidekick.tip/1',
      id: 'freeze-header',
      title: 'Freeze',
      body: 'View > Freeze Panes',
      app: { name: 'Gnumeric' },
      labels: [],
    };
    expect(
      (
        await api(url, 'PUT', '/api/v1/library/freeze-header', {
          token: A.helper.token,
          body: { baseVersion: 0, doc: tip },
        })
      ).status,
    ).toBe(200);
    const created = await api<RequestReply>(url, 'POST', '/api/v1/requests', {
      token: A.member.token,
      body: {
        ...requestBody('isolation-0001'),
        screenshot: { mime: 'image/png', width: 320, height: 200, dataBase64: png.toString('base64') },
      },
    });
    const id = created.body.request.id;
    await api(url, 'POST', `/api/v1/requests/${id}/messages`, {
      token: A.member.token,
      body: { clientId: 'iso-msg-0001', kind: 'text', text: 'secret A chat' },
    });
    const before = await teamSnapshot(A.admin.token);
    const bStream = await connect(B.helper.token);
    await bStream.waitFor('synced', 'B synced');

    for (const token of [B.admin.token, B.helper.token, B.member.token]) {
      const probes: Array<[string, string, unknown?]> = [
        ['GET', `/api/v1/requests/${id}`],
        ['GET', `/api/v1/requests/${id}/screenshot`],
        ['GET', `/api/v1/requests/${id}/messages`],
        ['POST', `/api/v1/requests/${id}/messages`, { clientId: 'iso-b-00001', kind: 'text', text: 'from B' }],
        ['POST', `/api/v1/requests/${id}/claim`],
        ['POST', `/api/v1/requests/${id}/resolve`, { resolution: 'hijacked' }],
        ['POST', `/api/v1/requests/${id}/cancel`],
        ['GET', '/api/v1/library/freeze-header'],
        ['DELETE', '/api/v1/library/freeze-header?baseVersion=1'],
      ];
      for (const [method, path, body] of probes) {
        const response = await api(url, method, path, { token, ...(body ? { body } : {}) });
        expect([403, 404], `${method} ${path} with a team B token`).toContain(response.status);
        expect(JSON.stringify(response.body)).not.toMatch(/secret A chat|A Member/);
      }
      const list = await api<RequestsReply>(url, 'GET', '/api/v1/requests', { token });
      expect(list.body.requests.map((r) => r.id)).not.toContain(id);
      const library = await api<ItemsReply>(url, 'GET', '/api/v1/library', { token });
      expect(library.body.items.map((item) => item.id)).not.toContain('freeze-header');
    }
    for (const [method, path, body] of [
      ['PATCH', `/api/v1/members/${A.member.memberId}`, { role: 'admin' }],
      ['POST', `/api/v1/members/${A.member.memberId}/revoke`, undefined],
    ] as const) {
      expect((await api(url, method, path, { token: B.admin.token, ...(body ? { body } : {}) })).status).toBe(404);
    }
    // Saving a tip with the same id in team B creates B's own item; A's stays as it was.
    const bTip = {
      format: 'sidekick.tip/1',
      id: 'freeze-header',
      title: 'B tip',
      body: 'b',
      app: { name: 'x' },
      labels: [],
    };
    expect(
      (
        await api<ItemReply>(url, 'PUT', '/api/v1/library/freeze-header', {
          token: B.member.token,
          body: { baseVersion: 0, doc: bTip },
        })
      ).body.item.version,
    ).toBe(1);
    bStream.send({
      type: 'send',
      requestId: id,
      message: { clientId: 'iso-ws-0001', kind: 'text', text: 'from B over ws' },
    });
    expect((await bStream.waitFor('error', 'B ws refusal', (m) => m.clientId === 'iso-ws-0001')).code).toBe(
      'not_found',
    );
    expect(bStream.received.some((m) => m.type === 'event' && JSON.stringify(m).includes(id))).toBe(false);
    expect(await teamSnapshot(A.admin.token)).toBe(before);
    bStream.socket.close();
  }, 400_000);

  it('revokes tokens and members at once, closing their live connection', async () => {
    const A = await newTeam(server, 'A');
    const leaving = await addMember(url, A.admin.token, 'helper', 'A Leaving');
    const stream = await connect(leaving.token);
    await stream.waitFor('synced', 'synced');
    const revoked = await api<MemberReply>(url, 'POST', `/api/v1/members/${leaving.memberId}/revoke`, {
      token: A.admin.token,
    });
    expect(revoked.body.member.revoked).toBe(true);
    expect((await stream.waitClosed())?.code).toBe(4401);
    expect((await api(url, 'GET', '/api/v1/me', { token: leaving.token })).status).toBe(401);

    const device = await addMember(url, A.admin.token, 'member', 'A Laptop');
    expect((await api(url, 'DELETE', '/api/v1/me/token', { token: device.token })).status).toBe(200);
    expect((await api(url, 'GET', '/api/v1/me', { token: device.token })).status).toBe(401);
  });

  it('rate-limits per token with 429, Retry-After and a clear message', async () => {
    const A = await newTeam(server, 'A');
    const busy = await addMember(url, A.admin.token, 'member', 'A Busy');
    // Waves of 100 calls at once until the bucket (burst 60, refilled 20/s) runs dry. On a loaded
    // machine one wave may be served slower than the refill, so keep going (bounded) instead of
    // assuming how fast the server is.
    const statuses: number[] = [];
    let limited: { retryAfter: string | null; body: ApiError } | null = null;
    for (let wave = 0; wave < 30 && !limited; wave++) {
      const responses = await Promise.all(
        Array.from({ length: 100 }, () =>
          fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${busy.token}` } }),
        ),
      );
      statuses.push(...responses.map((response) => response.status));
      const first429 = responses.find((response) => response.status === 429);
      if (first429)
        limited = { retryAfter: first429.headers.get('retry-after'), body: (await first429.json()) as ApiError };
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(60);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(limited?.body.error).toMatchObject({ code: 'rate_limited' });
    expect(limited!.body.error.message).toMatch(/retry in \d+ ms/);
    expect(Number(limited!.retryAfter)).toBeGreaterThanOrEqual(1);
    // Another token is not affected.
    expect((await api(url, 'GET', '/api/v1/me', { token: A.helper.token })).status).toBe(200);
  });
});
