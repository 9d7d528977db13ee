/**
 * The live stream under a flaky network and a hostile member, against real `sidekick server`
 * processes and real WebSocket clients: a reconnect storm of 100 valid clients all end connected;
 * sockets that never read cannot grow the server's memory (per-member cap, slow-reader close);
 * after a restore from a backup the client is told to reset and drops no live message.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CreatedInvite, STREAM_CLOSE, TEAM_LIMITS } from '../../src-shared/team';
import {
  api,
  helloSocket,
  joinTeam,
  liveClient,
  newTeam,
  requestBody,
  type RequestReply,
  rssBytes,
  type ServerProcess,
  startServerProcess,
  tempDataDir,
} from './team-server-process';

const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

async function start(dataDir: string, options: { port?: number; args?: string[] } = {}): Promise<ServerProcess> {
  const server = await startServerProcess({ dataDir, ...options });
  servers.push(server);
  return server;
}

async function stop(server: ServerProcess): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  await server.stop();
}

type Live = ReturnType<typeof liveClient>;

/**
 * Waits until every client is live again after `since` (its status count then) or gave up; returns how many are live.
 */
async function settle(clients: Live[], since: number[], timeoutMs: number): Promise<number> {
  await Promise.all(
    clients.map((client, i) =>
      client
        .until(
          () => {
            const later = client.statuses.slice(since[i]);
            return later.some((s) => s.startsWith('live')) || client.stream.status === 'unauthorized';
          },
          'live or given up',
          timeoutMs,
        )
        .catch(() => undefined),
    ),
  );
  return clients.filter((client) => client.stream.status === 'live').length;
}

describe('live stream limits (real processes, WebSocket)', () => {
  it('a reconnect storm of 100 valid clients ends with all 100 connected', async () => {
    const dataDir = tempDataDir();
    let server = await start(dataDir);
    const team = await newTeam(server, 'S');
    const invite = await api<CreatedInvite>(server.url, 'POST', '/api/v1/invites', {
      token: team.admin.token,
      body: { role: 'member', maxUses: 100 },
    });
    const tokens: string[] = [];
    for (let i = 0; i < 100; i++) tokens.push((await joinTeam(server.url, invite.body.code, `Storm ${i}`)).token);

    const clients = tokens.map((token) => liveClient(server.url, token));
    clients.forEach((client) => client.stream.start());
    const firstConnect = await settle(
      clients,
      clients.map(() => 0),
      120_000,
    );

    // The storm: the server restarts on the same port and every client reconnects at once.
    const port = server.port;
    await stop(server);
    await Promise.all(
      clients.map((client) => client.until(() => client.stream.status !== 'live', 'disconnected', 60_000)),
    );
    const since = clients.map((client) => client.statuses.length);
    server = await start(dataDir, { port });
    const afterStorm = await settle(clients, since, 120_000);
    process.stdout.write(
      `reconnect storm: ${firstConnect}/100 connected at first, ${afterStorm}/100 after the restart\n`,
    );
    const givenUp = clients
      .filter((client) => client.stream.status === 'unauthorized')
      .map((client) => client.statuses.at(-1));
    clients.forEach((client) => client.stream.stop());
    expect(givenUp).toEqual([]);
    expect(firstConnect).toBe(100);
    expect(afterStorm).toBe(100);
  }, 600_000);

  it('a member’s sockets that never read are capped and closed as slow readers; memory stays bounded', async () => {
    const server = await start(tempDataDir(), { args: ['--rate', '100000'] });
    const team = await newTeam(server, 'P');
    const sockets = [];
    for (let i = 0; i < 20; i++) sockets.push(await helloSocket(server.url, team.member.token));
    const accepted = sockets.filter((s) => s.accepted);
    const refused = await Promise.all(sockets.filter((s) => !s.accepted).map((s) => s.closed));

    // The accepted sockets stop reading; a helper saves 48 walkthroughs of ~250 KB (12 MB for every socket).
    for (const { socket } of accepted) socket.pause();
    const pid = server.child.pid!;
    const rssBefore = rssBytes(pid);
    let rssPeak = rssBefore;
    const filler = 'x'.repeat(250_000);
    // Stop as soon as the server reports every accepted socket closed as a slow reader: they must read
    // the close frame within ws's 30 s close timeout, or they only see the TCP connection drop (1006).
    const slowCloses = () => (server.stderr().match(/as a slow reader/g) ?? []).length;
    let saves = 0;
    for (let i = 0; i < 48 && slowCloses() < accepted.length; i++, saves++) {
      const doc = {
        format: 'sidekick.walkthrough/1',
        id: `flood-${i}`,
        title: 'Flood',
        app: { name: 'x' },
        steps: [{ instruction: 'Step' }],
        notes: filler,
      };
      const saved = await api(server.url, 'PUT', `/api/v1/library/flood-${i}`, {
        token: team.helper.token,
        body: { baseVersion: 0, doc },
      });
      expect(saved.status).toBe(200);
      rssPeak = Math.max(rssPeak, rssBytes(pid));
    }
    for (const { socket } of accepted) socket.resume();
    // They read what was queued, then the close frame (a server without backpressure never closes them).
    const noClose = new Promise<{ code: number }>((resolve) => setTimeout(() => resolve({ code: 0 }), 60_000));
    const closes = await Promise.all(accepted.map((s) => Promise.race([s.closed, noClose])));
    const growthMb = (rssPeak - rssBefore) / 1024 / 1024;
    const unboundedMb = (accepted.length * saves * 250_000) / 1024 / 1024;
    process.stdout.write(
      `backpressure: ${accepted.length}/20 sockets accepted; server RSS grew ${growthMb.toFixed(1)} MB ` +
        `while the non-reading sockets were offered ${unboundedMb.toFixed(0)} MB; close ` +
        `codes ${[...new Set(closes.map((c) => c.code))].join(',')}\n`,
    );
    expect(accepted.length).toBe(TEAM_LIMITS.socketsPerMember);
    expect(refused.map((c) => c.code)).toEqual(
      Array(20 - TEAM_LIMITS.socketsPerMember).fill(STREAM_CLOSE.tooManySockets),
    );
    expect(refused[0]!.reason).toMatch(/live connections already \(the limit\); retry in \d+ ms/);
    expect(slowCloses()).toBe(accepted.length);
    expect(closes.map((c) => c.code)).toEqual(Array(accepted.length).fill(STREAM_CLOSE.slowReader));
    // What the server held for each socket when it closed it: the threshold plus at most the one event
    // (a ~250 KB walkthrough) whose send crossed it. RSS above is informational (GC timing, parsed uploads).
    const closeLog = server.stderr().matchAll(/as a slow reader \((\d+) KB unsent\)/g);
    const unsentKb = [...closeLog].map((match) => Number(match[1]));
    expect(unsentKb).toHaveLength(accepted.length);
    for (const kb of unsentKb) {
      expect(kb * 1024).toBeGreaterThanOrEqual(TEAM_LIMITS.wsBufferedBytes);
      expect(kb * 1024).toBeLessThanOrEqual(TEAM_LIMITS.wsBufferedBytes + 300_000);
    }
    // The cap is free again once they are gone.
    expect((await helloSocket(server.url, team.member.token)).accepted).toBe(true);
  }, 300_000);

  it('after a restore from a backup the client is told to reset and drops no live message', async () => {
    const dataDir = tempDataDir();
    const file = join(dataDir, 'team.sqlite');
    let server = await start(dataDir);
    const team = await newTeam(server, 'B');
    const request = (
      await api<RequestReply>(server.url, 'POST', '/api/v1/requests', {
        token: team.member.token,
        body: requestBody('restore-0001'),
      })
    ).body.request;
    await stop(server);
    copyFileSync(file, `${file}.backup`);

    // Life goes on after the backup: ten more messages, seen by the member's stream.
    server = await start(dataDir);
    const port = server.port;
    for (let i = 0; i < 10; i++) {
      await api(server.url, 'POST', `/api/v1/requests/${request.id}/messages`, {
        token: team.member.token,
        body: { clientId: `after-backup-${i}`, kind: 'text', text: `later ${i}` },
      });
    }
    const client = liveClient(server.url, team.member.token);
    client.stream.start();
    await client.until(() => client.stream.status === 'live', 'live');
    const seenBefore = client.stream.lastSeq;

    // The server is restored from the backup; the client, still running, reconnects with its old position.
    await stop(server);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    copyFileSync(`${file}.backup`, file);
    server = await start(dataDir, { port });
    await client.until(() => client.resets.length > 0 && client.stream.status === 'live', 'reset and live again');
    expect(client.resets[0]).toBeLessThan(seenBefore);

    const posted = await api(server.url, 'POST', `/api/v1/requests/${request.id}/messages`, {
      token: team.member.token,
      body: { clientId: 'after-restore', kind: 'text', text: 'after the restore' },
    });
    expect(posted.status).toBe(201);
    await client.until(
      () => client.events.some((e) => e.type === 'message' && e.message.clientId === 'after-restore'),
      'the live message sent after the restore',
    );
    client.stream.stop();
  }, 300_000);
});
