/**
 * The SQLite team store on a real file: group commits (one failing write leaves the others),
 * per-request and per-team sequence numbers, idempotent clientIds, and data surviving a reopen.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isRefusal } from './team-store';
import { openSqliteTeamStore } from './sqlite-store';

async function seeded() {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-store-'));
  const store = openSqliteTeamStore(dir);
  const team = await store.createTeam('T');
  await store.createInvite(team.id, {
    role: 'admin',
    codeHash: 'code-hash',
    maxUses: 1,
    expiresAt: '2999-01-01T00:00:00Z',
  });
  const redeemed = await store.redeemInvite('code-hash', 'Ana', 'token-hash');
  if (!redeemed.ok) throw new Error(redeemed.message);
  const caller = { team, member: redeemed.member };
  const { request } = await store.createRequest(caller, {
    clientId: 'request-0001',
    question: 'q',
    context: { app: 'a', windowTitle: 'w', os: 'linux', displayScale: 1, ocrText: '' },
    screenshot: null,
  });
  return { dir, store, caller, request };
}

describe('SqliteTeamStore', () => {
  it('group-commits concurrent writes with contiguous sequence numbers and no duplicates', async () => {
    const { dir, store, caller, request } = await seeded();
    const writes = Array.from({ length: 50 }, (_, i) =>
      store.postMessage(caller, request.id, {
        clientId: `message-${String(i).padStart(4, '0')}`,
        kind: 'text',
        text: `m${i}`,
      }),
    );
    // A resend of the same clientId in the same group answers with the stored message.
    writes.push(store.postMessage(caller, request.id, { clientId: 'message-0000', kind: 'text', text: 'm0' }));
    const results = await Promise.all(writes);
    const messages = results.map((result) => {
      if (isRefusal(result)) throw new Error(result.message);
      return result.message;
    });
    expect(messages.slice(0, 50).map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(messages[50]!.id).toBe(messages[0]!.id);
    expect(
      (store as unknown as { commitStats: { commits: number; writes: number } }).commitStats.writes,
    ).toBeGreaterThanOrEqual(51);
    expect((store as unknown as { commitStats: { commits: number } }).commitStats.commits).toBeLessThan(10);
    await store.close();

    // Everything acknowledged is in the file, read by another connection.
    const db = new Database(join(dir, 'team.sqlite'), { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n).toBe(50);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses one write of a group without undoing the others', async () => {
    const { store, caller, request } = await seeded();
    const results = await Promise.all([
      store.postMessage(caller, request.id, { clientId: 'before-0001', kind: 'text', text: 'before' }),
      store.postMessage(caller, 'req_doesnotexist', { clientId: 'lost-00001', kind: 'text', text: 'nowhere' }),
      store.transitionRequest(caller, request.id, 'resolve', 'done'),
      store.postMessage(caller, request.id, { clientId: 'after-00001', kind: 'text', text: 'after resolve' }),
    ]);
    expect(isRefusal(results[0])).toBe(false);
    expect(results[1]).toMatchObject({ refused: 'not_found' });
    expect(isRefusal(results[2])).toBe(false);
    expect(results[3]).toMatchObject({ refused: 'gone' });
    const messages = await store.listMessages(caller.team.id, request.id, 0, 100);
    expect(messages.map((m) => `${m.seq}:${m.kind}`)).toEqual(['1:text', '2:system']);
    const events = await store.eventsAfter(caller.team.id, 0, 100);
    expect(events.map((e) => e.event.seq)).toEqual([1, 2, 3, 4]);
    await store.close();
  });

  it('keeps data across a reopen and rejects a reused invite', async () => {
    const { dir, store, caller, request } = await seeded();
    expect(await store.redeemInvite('code-hash', 'Eve', 'other-hash')).toMatchObject({ ok: false });
    await store.close();
    const reopened = openSqliteTeamStore(dir);
    expect(await reopened.authenticate('token-hash')).toMatchObject({ member: { name: 'Ana', role: 'admin' } });
    expect(await reopened.getRequest(caller.team.id, request.id)).toMatchObject({ question: 'q', state: 'open' });
    expect(await reopened.getRequest('team_other000000', request.id)).toBeNull();
    await reopened.close();
  });
});
