/**
 * What only the shared PostgreSQL store has to do, on a real throwaway PostgreSQL: several instances
 * migrating at once, refusing a newer schema, failing clearly on a wrong password or a server that is
 * down, two instances writing one team in one order, commit notifications between instances, and a
 * PostgreSQL restart under a running store (503-style errors, then recovery, nothing acknowledged lost).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, postgresUnavailableReason, startTestPostgres, type TestPostgres } from '../../e2e/support/postgres';
import { openPgTeamStore, PgStartupError, type PgTeamStore } from './pg-store';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './pg-migrations';
import { type Caller, isRefusal, StoreUnavailableError } from './team-store';

const skip = postgresUnavailableReason();
if (skip) console.warn(`PostgreSQL store tests skipped: ${skip}`);

const CONTEXT = { app: 'a', windowTitle: 'w', os: 'linux', displayScale: 1, ocrText: '' };

async function seed(store: PgTeamStore): Promise<{ caller: Caller; requestId: string }> {
  const team = await store.createTeam('T');
  const code = `c-${Math.random()}`;
  await store.createInvite(team.id, { role: 'admin', codeHash: code, maxUses: 1, expiresAt: '2999-01-01T00:00:00Z' });
  const redeemed = await store.redeemInvite(code, 'Ana', `t-${code}`);
  if (!redeemed.ok) throw new Error(redeemed.message);
  const caller = { team, member: redeemed.member };
  const { request } = await store.createRequest(caller, {
    clientId: 'request-0001',
    question: 'q',
    context: CONTEXT,
    screenshot: null,
  });
  return { caller, requestId: request.id };
}

function waitFor(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (probe()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

describe.skipIf(skip)('PgTeamStore on a real PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('migrates once when three instances start together, and refuses a newer schema with advice', async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all([openPgTeamStore(url), openPgTeamStore(url), openPgTeamStore(url)]);
    const versions = await server.query<{ version: number }>(
      url,
      'SELECT version FROM sidekick_schema ORDER BY version',
    );
    expect(versions.map((row) => row.version)).toEqual(PG_MIGRATIONS.map((migration) => migration.version));
    // `exclusive` serializes startup work across instances: only the first creates the default team.
    const created = await Promise.all(
      stores.map((store) =>
        store.exclusive(async () => {
          if ((await store.listTeams()).length) return false;
          await store.createTeam('My team');
          return true;
        }),
      ),
    );
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await stores[0].listTeams()).toHaveLength(1);
    await Promise.all(stores.map((store) => store.close()));

    await server.query(
      url,
      `INSERT INTO sidekick_schema (version, name) VALUES (${PG_SCHEMA_VERSION + 1}, 'from the future')`,
    );
    const refused = await openPgTeamStore(url).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(PgStartupError);
    expect(String((refused as Error).message)).toMatch(
      new RegExp(`schema version ${PG_SCHEMA_VERSION + 1}.*newer Sidekick server.*Upgrade this server`),
    );
  });

  it('fails at once on a wrong password or missing database; retries, then gives up when nothing listens', async () => {
    const url = await server.createDatabase();
    const wrong = url.replace(`:${encodeURIComponent(server.password)}@`, ':not-the-password@');
    const retries: string[] = [];
    const denied = await openPgTeamStore(wrong, { onRetry: (message) => retries.push(message) }).catch(
      (error: unknown) => error,
    );
    expect(denied).toBeInstanceOf(PgStartupError);
    expect((denied as Error).message).toMatch(
      /refused the login.*password authentication failed.*Check the user and password/,
    );
    expect((denied as Error).message).not.toContain(server.password);
    expect(retries).toEqual([]);

    const missing = await openPgTeamStore(url.replace(/\/[^/]+$/, '/no_such_db')).catch((error: unknown) => error);
    expect((missing as Error).message).toMatch(/does not exist.*createdb no_such_db/);

    const closedPort = await freePort();
    const down = await openPgTeamStore(`postgres://postgres:x@127.0.0.1:${closedPort}/db`, {
      connectAttempts: 3,
      onRetry: (message) => retries.push(message),
    }).catch((error: unknown) => error);
    expect((down as Error).message).toMatch(
      /cannot reach PostgreSQL at postgres@127\.0\.0\.1:\d+\/db .*gave up after 3 attempts/,
    );
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatch(/retrying in 0\.5 s \(attempt 1 of 3\)/);
    expect(retries[1]).toMatch(/retrying in 1\.0 s/);
  });

  it('two instances writing one team at once get one contiguous order, and each hears the other commit', async () => {
    const url = await server.createDatabase();
    const a = await openPgTeamStore(url);
    const b = await openPgTeamStore(url);
    const { caller, requestId } = await seed(a);
    const heard: Array<[string, number]> = [];
    const resyncs: number[] = [];
    const stopWatching = b.watch({
      commit: (teamId, seq) => heard.push([teamId, seq]),
      memberChanged: (teamId, change) => heard.push([`${teamId}/${change.memberId}/${change.reason}`, -1]),
      resync: () => resyncs.push(Date.now()),
    });
    await waitFor('b to listen', () => b.listening);
    const writes = [];
    for (let i = 0; i < 80; i++) {
      const store = i % 2 ? a : b;
      writes.push(
        store.postMessage(caller, requestId, {
          clientId: `m-${String(i).padStart(6, '0')}`,
          kind: 'text',
          text: `#${i}`,
        }),
      );
    }
    // Both instances resend one message: the stored one comes back, no new event.
    writes.push(a.postMessage(caller, requestId, { clientId: 'm-000001', kind: 'text', text: '#1' }));
    writes.push(b.postMessage(caller, requestId, { clientId: 'm-000002', kind: 'text', text: '#2' }));
    const results = await Promise.all(writes);
    expect(results.every((result) => !isRefusal(result))).toBe(true);
    const messages = await a.listMessages(caller.team.id, requestId, 0, 500);
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    const events = await b.eventsAfter(caller.team.id, 0, 500);
    expect(events.map((e) => e.event.seq)).toEqual(Array.from({ length: 81 }, (_, i) => i + 1));
    expect(a.commitStats.writes).toBeGreaterThan(a.commitStats.commits);
    // b hears a's commits (and its own): eventually the head.
    await waitFor('the last commit notification', () =>
      heard.some(([team, seq]) => team === caller.team.id && seq === 81),
    );
    await a.setMemberRole(caller.team.id, caller.member.id, 'helper');
    await waitFor('the member notification', () =>
      heard.some(([note]) => note.endsWith(`/${caller.member.id}/role changed; reconnect`)),
    );
    expect(resyncs.length).toBeGreaterThanOrEqual(1);
    stopWatching();
    await a.close();
    await b.close();
  });

  it('answers "unavailable" while PostgreSQL restarts, recovers by itself, loses nothing acknowledged', async () => {
    const url = await server.createDatabase();
    const store = await openPgTeamStore(url);
    const { caller, requestId } = await seed(store);
    const resyncs: number[] = [];
    store.watch({ commit: () => undefined, memberChanged: () => undefined, resync: () => resyncs.push(Date.now()) });
    await waitFor('listening', () => store.listening);
    const acked: string[] = [];
    for (let i = 0; i < 20; i++) {
      const result = await store.postMessage(caller, requestId, {
        clientId: `before-${i}-000`,
        kind: 'text',
        text: `${i}`,
      });
      if (!isRefusal(result)) acked.push(result.message.id);
    }
    await server.crash();
    const during = await store
      .postMessage(caller, requestId, { clientId: 'during-00001', kind: 'text', text: 'x' })
      .catch((error: unknown) => error);
    expect(during).toBeInstanceOf(StoreUnavailableError);
    expect((during as Error).message).toMatch(/not reachable right now.*nothing was saved, retry shortly/);
    const reading = await store.headSeq(caller.team.id).catch((error: unknown) => error);
    expect(reading).toBeInstanceOf(StoreUnavailableError);
    await server.start();
    // The pool reconnects on the next call; the resend with the same clientId is stored once.
    let after: unknown;
    for (let attempt = 0; attempt < 50; attempt++) {
      after = await store
        .postMessage(caller, requestId, { clientId: 'during-00001', kind: 'text', text: 'x' })
        .catch((error: unknown) => error);
      if (!(after instanceof StoreUnavailableError)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(isRefusal(after) || after instanceof Error).toBe(false);
    const messages = await store.listMessages(caller.team.id, requestId, 0, 100);
    expect(messages.map((m) => m.id).slice(0, 20)).toEqual(acked);
    expect(messages.filter((m) => m.clientId === 'during-00001')).toHaveLength(1);
    await waitFor('the LISTEN connection to come back', () => store.listening && resyncs.length >= 2);
    await store.close();
  });
});
