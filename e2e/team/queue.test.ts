/**
 * What a person waiting for a helper is told, from a real server process (SQLite) with real WebSocket
 * clients: their place among the team's open requests, how many helpers are connected now, and the
 * team's usual wait once enough requests were claimed. Members see only their own request's standing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelpRequest, QueueStatus } from '../../src-shared/team';
import {
  addMember,
  api,
  liveClient,
  newTeam,
  requestBody,
  startServerProcess,
  tempDataDir,
  type ServerProcess,
} from './team-server-process';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess({ dataDir: tempDataDir() });
}, 400_000);

afterAll(async () => {
  await server?.stop();
});

async function ask(token: string, clientId: string): Promise<HelpRequest> {
  // Asking order is kept to the millisecond: asks in the same millisecond have no order to keep.
  await new Promise((resolve) => setTimeout(resolve, 3));
  const created = await api<{ request: HelpRequest }>(server.url, 'POST', '/api/v1/requests', {
    token,
    body: requestBody(clientId, `question ${clientId}`),
  });
  expect(created.status).toBe(201);
  return created.body.request;
}

/** A helper's console or app, connected live until `stop()`. */
async function online(token: string) {
  const client = liveClient(server.url, token);
  client.stream.start();
  await client.until(() => client.stream.status === 'live', 'a live connection');
  return client.stream;
}

async function queue(token: string, id: string) {
  return api<QueueStatus>(server.url, 'GET', `/api/v1/requests/${id}/queue`, { token });
}

describe('a waiting person’s place in the queue (real server)', () => {
  it('counts the requests ahead, the helpers connected now, and the usual wait after three claims', async () => {
    const team = await newTeam(server, 'Q');
    const other = await addMember(server.url, team.admin.token, 'member', 'Q Other');
    const first = await ask(other.token, 'queue-0001');
    const mine = await ask(team.member.token, 'queue-0002');

    let status = await queue(team.member.token, mine.id);
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      requestId: mine.id,
      state: 'open',
      position: 2,
      helpersOnline: 0,
      typicalWaitMinutes: null,
      sampleSize: 0,
      // No history yet: the whole team is asked at once.
      asking: [],
      askingAbout: '',
      wholeTeamAt: mine.createdAt,
    });

    // A helper opens the console (a live connection): one helper online; the admin's second connection is one more.
    const helper = await online(team.helper.token);
    await expect.poll(async () => (await queue(team.member.token, mine.id)).body.helpersOnline).toBe(1);
    const admin = await online(team.admin.token);
    const adminAgain = await online(team.admin.token);
    await expect.poll(async () => (await queue(team.member.token, mine.id)).body.helpersOnline).toBe(2);

    // The request ahead is claimed: mine is next. Others' requests stay private to a member.
    const claim = await api(server.url, 'POST', `/api/v1/requests/${first.id}/claim`, { token: team.helper.token });
    expect(claim.status).toBe(200);
    status = await queue(team.member.token, mine.id);
    expect(status.body).toMatchObject({ position: 1, sampleSize: 1, typicalWaitMinutes: null });
    expect((await queue(team.member.token, first.id)).status).toBe(404);

    // Two more claims give a usual wait (requests here were claimed within seconds: well under a minute).
    await api(server.url, 'POST', `/api/v1/requests/${mine.id}/claim`, { token: team.helper.token });
    const third = await ask(other.token, 'queue-0003');
    await api(server.url, 'POST', `/api/v1/requests/${third.id}/resolve`, { token: team.admin.token, body: {} });
    status = await queue(team.member.token, mine.id);
    expect(status.body.position).toBeNull();
    expect(status.body.state).toBe('claimed');
    expect(status.body.sampleSize).toBe(3);
    expect(status.body.typicalWaitMinutes).toBeGreaterThanOrEqual(0);
    expect(status.body.typicalWaitMinutes).toBeLessThan(1);

    // Helpers may look at any request's standing; another team may not.
    expect((await queue(team.helper.token, third.id)).status).toBe(200);
    const otherTeam = await newTeam(server, 'R');
    expect((await queue(otherTeam.helper.token, mine.id)).status).toBe(404);
    expect((await queue('sk_tok_not-a-real-token', mine.id)).status).toBe(401);

    for (const stream of [helper, admin, adminAgain]) stream.stop();
    await expect.poll(async () => (await queue(team.member.token, mine.id)).body.helpersOnline).toBe(0);
  }, 120_000);
});
