/**
 * What an attacker and a flaky network do to a running team server (issue 15), against a real
 * `sidekick server` process, its SQLite file and real WebSocket clients: role changes reconnect
 * instead of revoking, bad bodies answer 4xx, guessed tokens are rate-limited, hidden characters in
 * names are refused, and members cannot overwrite other people's library items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiError,
  type CreatedInvite,
  type JoinResult,
  STREAM_CLOSE,
  type StreamServerMessage,
} from '../../src-shared/team';
import {
  api,
  helloSocket,
  type ItemReply,
  liveClient,
  type MemberReply,
  type MembersReply,
  newTeam,
  type RequestReply,
  type ServerProcess,
  startServerProcess,
  tempDataDir,
} from './team-server-process';

let server: ServerProcess;
let url: string;

beforeAll(async () => {
  server = await startServerProcess({ dataDir: tempDataDir() });
  url = server.url;
}, 400_000);

afterAll(async () => {
  await server?.stop();
});

function tip(id: string, body: string) {
  return { format: 'sidekick.tip/1', id, title: `Tip ${id}`, body, app: { name: 'Gnumeric' }, labels: ['View'] };
}

describe('team server hardening (real process, SQLite, WebSocket)', () => {
  it('closes a member whose role changed with the retryable code; TeamStream reconnects in the new role', async () => {
    const team = await newTeam(server, 'R');
    const raw = await helloSocket(url, team.member.token);
    expect(raw.accepted).toBe(true);
    const client = liveClient(url, team.member.token);
    client.stream.start();
    await client.until(() => client.stream.status === 'live', 'stream live');

    const changed = await api<MemberReply>(url, 'PATCH', `/api/v1/members/${team.member.memberId}`, {
      token: team.admin.token,
      body: { role: 'helper' },
    });
    expect(changed.body.member.role).toBe('helper');
    expect((await raw.closed).code).toBe(STREAM_CLOSE.reconnect);
    // TeamStream went offline and came back by itself; a helper now sees the admin's own request live.
    await client.until(
      () => client.statuses.some((s) => s.startsWith('offline')),
      'stream offline after the role change',
    );
    await client.until(() => client.stream.status === 'live', 'stream live again');
    const request = await api<RequestReply>(url, 'POST', '/api/v1/requests', {
      token: team.admin.token,
      body: {
        clientId: 'role-change-0001',
        question: 'visible to helpers',
        context: { app: 'x', windowTitle: 'y', os: 'linux', displayScale: 1, ocrText: '' },
      },
    });
    await client.until(
      () => client.events.some((e) => e.type === 'request' && e.request.id === request.body.request.id),
      'a helper-only event after the role change',
    );
    expect(client.statuses.some((s) => s.startsWith('unauthorized'))).toBe(false);

    // Revocation stays final.
    await api(url, 'POST', `/api/v1/members/${team.member.memberId}/revoke`, { token: team.admin.token });
    await client.until(() => client.stream.status === 'unauthorized', 'stream gives up after revocation');
    client.stream.stop();
  });

  it('answers 4xx, not 500, to a save of an unknown item on version 1 and to deeply nested JSON', async () => {
    const team = await newTeam(server, 'J');
    const unknown = await api<ApiError>(url, 'PUT', '/api/v1/library/never-saved', {
      token: team.helper.token,
      body: { baseVersion: 1, doc: tip('never-saved', 'x') },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/not found in your team; save it with baseVersion 0/);

    // 5,000 levels, about 30 KB: in the library document, in a join body and as a WebSocket message.
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const bodies = [
      '{"baseVersion":0,"doc":{"format":"sidekick.walkthrough/1","id":"deep","title":"t","app":{"name":"x"},' +
        `"steps":[],"extra":${deep}}}`,
      `{"invite":"sk_inv_abcdefgh","name":${deep}}`,
    ];
    for (const [path, body] of [
      ['/api/v1/library/deep', bodies[0]!],
      ['/api/v1/join', bodies[1]!],
    ] as const) {
      const response = await api<ApiError>(url, path.endsWith('join') ? 'POST' : 'PUT', path, {
        token: team.helper.token,
        body,
      });
      expect(response.status, path).toBe(400);
      expect(response.body.error.message).toMatch(/deeper than 64 levels/);
    }
    const raw = await helloSocket(url, team.member.token);
    const replies: StreamServerMessage[] = [];
    // ws hands text frames over as one Buffer (no binaryType set).
    raw.socket.on('message', (data) => replies.push(JSON.parse((data as Buffer).toString()) as StreamServerMessage));
    raw.socket.send(`{"type":"send","requestId":"req_abcdefgh","message":${deep}}`);
    raw.socket.send(JSON.stringify({ type: 'ping' }));
    await new Promise<void>((resolve) =>
      raw.socket.on('message', () => replies.some((m) => m.type === 'pong') && resolve()),
    );
    expect(replies.find((m) => m.type === 'error')?.message).toMatch(/nested at most 64 levels/);
    raw.socket.close();
    expect((await api(url, 'GET', '/api/v1/health')).status).toBe(200);
  });

  it('refuses names with NUL, bidi overrides, zero-width and other hidden characters; keeps real names', async () => {
    const team = await newTeam(server, 'N');
    const bad: Array<[string, string]> = [
      ['Eve\u0000Admin', 'U+0000'],
      ['\u202Enimda', 'U+202E'],
      ['Ad\u200Bmin', 'U+200B'],
      ['\u2066Bob\u2069', 'U+2066'],
      ['Bo\uFEFFb', 'U+FEFF'],
      ['A\u200Dlice', 'U+200D'],
      ['Tab\tName', 'U+0009'],
    ];
    for (const [name, code] of bad) {
      const invite = await api<CreatedInvite>(url, 'POST', '/api/v1/invites', {
        token: team.admin.token,
        body: { role: 'member' },
      });
      const joined = await api<ApiError>(url, 'POST', '/api/v1/join', { body: { invite: invite.body.code, name } });
      expect(joined.status, JSON.stringify(name)).toBe(400);
      expect(joined.body.error.message).toContain(code);
      expect(joined.body.error.message).toMatch(/control or invisible formatting characters/);
    }
    for (const name of ['José Müller', 'محمد علي', '李雷', 'Zoë 🙂']) {
      const invite = await api<CreatedInvite>(url, 'POST', '/api/v1/invites', {
        token: team.admin.token,
        body: { role: 'member' },
      });
      const joined = await api<JoinResult>(url, 'POST', '/api/v1/join', { body: { invite: invite.body.code, name } });
      expect(joined.status, name).toBe(200);
      expect(joined.body.member.name).toBe(name.normalize('NFC'));
    }
    const members = await api<MembersReply>(url, 'GET', '/api/v1/members', { token: team.admin.token });
    const names = members.body.members.map((m) => m.name).join('');
    for (const hidden of ['\u0000', '\u202E', '\u200B', '\u2066', '\uFEFF']) expect(names).not.toContain(hidden);
  });

  it('only helpers, admins and the author change or delete library items; members propose under a new id', async () => {
    const team = await newTeam(server, 'L');
    const helperTip = await api<ItemReply>(url, 'PUT', '/api/v1/library/helper-tip', {
      token: team.helper.token,
      body: { baseVersion: 0, doc: tip('helper-tip', 'by the helper') },
    });
    expect(helperTip.body.item).toMatchObject({ version: 1, createdBy: { name: 'L Helper' } });

    const overwrite = await api<ApiError>(url, 'PUT', '/api/v1/library/helper-tip', {
      token: team.member.token,
      body: { baseVersion: 1, doc: tip('helper-tip', 'hijacked') },
    });
    expect(overwrite.status).toBe(403);
    expect(overwrite.body.error).toMatchObject({ code: 'forbidden' });
    expect(overwrite.body.error.message).toMatch(/only helpers and admins can change library item helper-tip.*new id/);
    const remove = await api<ApiError>(url, 'DELETE', '/api/v1/library/helper-tip?baseVersion=1', {
      token: team.member.token,
    });
    expect(remove.status).toBe(403);
    expect(remove.body.error.message).toMatch(/only helpers and admins can delete/);
    const after = await api<ItemReply>(url, 'GET', '/api/v1/library/helper-tip', { token: team.admin.token });
    expect(after.body.item).toMatchObject({ version: 1, deleted: false, doc: { body: 'by the helper' } });

    // The member's proposal is their own item: they may edit and delete it; a helper may edit it too.
    const proposal = await api<ItemReply>(url, 'PUT', '/api/v1/library/helper-tip-proposal', {
      token: team.member.token,
      body: { baseVersion: 0, doc: tip('helper-tip-proposal', 'better') },
    });
    expect(proposal.body.item).toMatchObject({ version: 1, createdBy: { name: 'L Member' } });
    expect(
      (
        await api(url, 'PUT', '/api/v1/library/helper-tip-proposal', {
          token: team.member.token,
          body: { baseVersion: 1, doc: tip('helper-tip-proposal', 'even better') },
        })
      ).status,
    ).toBe(200);
    const merged = await api<ItemReply>(url, 'PUT', '/api/v1/library/helper-tip', {
      token: team.helper.token,
      body: { baseVersion: 1, doc: tip('helper-tip', 'even better') },
    });
    expect(merged.body.item).toMatchObject({
      version: 2,
      createdBy: { name: 'L Helper' },
      updatedBy: { name: 'L Helper' },
    });
    expect(
      (await api(url, 'DELETE', '/api/v1/library/helper-tip-proposal?baseVersion=2', { token: team.member.token }))
        .status,
    ).toBe(200);
    expect(
      (
        await api(url, 'PUT', '/api/v1/library/helper-tip', {
          token: team.admin.token,
          body: { baseVersion: 2, doc: tip('helper-tip', 'admin') },
        })
      ).status,
    ).toBe(200);
  });

  it('rate-limits made-up tokens per address (429 + Retry-After) without blocking valid tokens', async () => {
    const team = await newTeam(server, 'T');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    let message = '';
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${url}/api/v1/me`, {
        headers: { authorization: `Bearer sk_tok_madeup-${i}-${'x'.repeat(20)}` },
      });
      statuses.push(response.status);
      if (response.status === 429 && retryAfter === null) {
        retryAfter = response.headers.get('retry-after');
        message = ((await response.json()) as { error: { message: string } }).error.message;
      } else {
        await response.arrayBuffer();
      }
    }
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(message).toMatch(/unknown tokens from your address; retry in \d+ ms/);
    // A valid token from the same address is not affected.
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${team.member.token}` } });
    expect(me.status).toBe(200);
  });
});
