/**
 * The behaviour every TeamStore backend must have, as one vitest suite: call `storeContract` with a
 * name and a factory, and the same cases run against that backend (SQLite and PostgreSQL today).
 */
import { expect, it } from 'vitest';
import type { HelpRequest, TeamEvent } from '../../src-shared/team';
import { type Caller, isRefusal, type TeamStore } from './team-store';

/** Opens a fresh, empty store; `reopen` opens the same data again after `close()`. */
export interface StoreFactory {
  open(): Promise<{ store: TeamStore; reopen: () => Promise<TeamStore> }>;
}

const FAR_FUTURE = '2999-01-01T00:00:00.000Z';
const CONTEXT = { app: 'Gnumeric', windowTitle: 'Book1', os: 'linux', displayScale: 1, ocrText: 'File Edit' };

/** A 2x1 PNG (real bytes) for the screenshot round trip. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4nGP4z8DwHwiZGBgYAEv/A/0jIN3OAAAAAElFTkSuQmCC',
  'base64',
);

async function join(
  store: TeamStore,
  teamId: string,
  role: 'member' | 'helper' | 'admin',
  name: string,
): Promise<Caller> {
  const code = `code-${name}-${Math.random()}`;
  await store.createInvite(teamId, { role, codeHash: code, maxUses: 1, expiresAt: FAR_FUTURE });
  const redeemed = await store.redeemInvite(code, name, `token-${code}`);
  if (!redeemed.ok) throw new Error(redeemed.message);
  return { team: redeemed.team, member: redeemed.member };
}

async function seeded(factory: StoreFactory) {
  const opened = await factory.open();
  const { store } = opened;
  const team = await store.createTeam('Support');
  const admin = await join(store, team.id, 'admin', 'Ana');
  const helper = await join(store, team.id, 'helper', 'Hal');
  const member = await join(store, team.id, 'member', 'Mo');
  const { request } = await store.createRequest(member, {
    clientId: 'request-0001',
    question: 'Where is Freeze Panes?',
    context: CONTEXT,
    screenshot: null,
  });
  return { ...opened, team, admin, helper, member, request };
}

function ok<T>(value: T): Exclude<T, { refused: string }> {
  if (isRefusal(value)) throw new Error(`refused: ${value.message}`);
  return value as Exclude<T, { refused: string }>;
}

/** Registers the contract cases (inside the caller's `describe`). */
export function storeContract(factory: StoreFactory): void {
  it('redeems an invite once, and refuses used, revoked and expired invites with advice', async () => {
    const { store } = await factory.open();
    const team = await store.createTeam('T');
    expect(await store.teamsWithoutAdmin()).toEqual([team]);
    await store.createInvite(team.id, { role: 'admin', codeHash: 'h1', maxUses: 1, expiresAt: FAR_FUTURE });
    const first = await store.redeemInvite('h1', 'Ana', 'tok-1');
    expect(first).toMatchObject({ ok: true, member: { name: 'Ana', role: 'admin', revoked: false }, team });
    expect(await store.redeemInvite('h1', 'Eve', 'tok-2')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/already used/) as unknown,
    });
    expect(await store.teamsWithoutAdmin()).toEqual([]);
    const revoked = await store.createInvite(team.id, {
      role: 'member',
      codeHash: 'h2',
      maxUses: 5,
      expiresAt: FAR_FUTURE,
    });
    expect(await store.revokeInvite(team.id, revoked.id)).toBe(true);
    expect(await store.revokeInvite('team_someoneelse', revoked.id)).toBe(false);
    expect(await store.redeemInvite('h2', 'Eve', 'tok-3')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/revoked/) as unknown,
    });
    await store.createInvite(team.id, {
      role: 'member',
      codeHash: 'h3',
      maxUses: 5,
      expiresAt: '2000-01-01T00:00:00.000Z',
    });
    expect(await store.redeemInvite('h3', 'Eve', 'tok-4')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/expired/) as unknown,
    });
    expect(await store.redeemInvite('nope', 'Eve', 'tok-5')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not known/) as unknown,
    });
    const invites = await store.listInvites(team.id);
    expect(invites.map((invite) => [invite.role, invite.uses, invite.revoked])).toEqual([
      ['admin', 1, false],
      ['member', 0, true],
      ['member', 0, false],
    ]);
    expect(await store.authenticate('tok-1')).toMatchObject({ team, member: { name: 'Ana' } });
    expect(await store.authenticate('tok-2')).toBeNull();
    await store.revokeToken('tok-1');
    expect(await store.authenticate('tok-1')).toBeNull();
    await store.close();
  });

  it('changes roles and revokes members only inside their team', async () => {
    const { store, team, helper, member } = await seeded(factory);
    const other = await store.createTeam('Other');
    expect(await store.setMemberRole(other.id, member.member.id, 'admin')).toBeNull();
    expect(await store.setMemberRole(team.id, member.member.id, 'helper')).toMatchObject({
      id: member.member.id,
      role: 'helper',
    });
    expect(await store.revokeMember(other.id, helper.member.id)).toBeNull();
    expect(await store.revokeMember(team.id, helper.member.id)).toMatchObject({ revoked: true });
    expect(await store.authenticate(`token-${'x'}`)).toBeNull();
    const members = await store.listMembers(team.id);
    expect(members.map((m) => [m.name, m.role, m.revoked])).toEqual([
      ['Ana', 'admin', false],
      ['Hal', 'helper', true],
      ['Mo', 'helper', false],
    ]);
    expect(await store.listMembers(other.id)).toEqual([]);
    await store.close();
  });

  it('creates requests idempotently by clientId, scoped to the team, with screenshots byte for byte', async () => {
    const { store, team, member, helper, request } = await seeded(factory);
    const again = await store.createRequest(member, {
      clientId: 'request-0001',
      question: 'changed?',
      context: CONTEXT,
      screenshot: null,
    });
    expect(again).toMatchObject({
      created: false,
      events: [],
      request: { id: request.id, question: 'Where is Freeze Panes?' },
    });
    const shot = { mime: 'image/png', width: 2, height: 1, bytes: PNG };
    const withShot = await store.createRequest(member, {
      clientId: 'request-0002',
      question: 'q2',
      context: CONTEXT,
      screenshot: shot,
    });
    expect(withShot.request.screenshot).toEqual({ mime: 'image/png', width: 2, height: 1, bytes: PNG.length });
    expect((await store.getScreenshot(team.id, withShot.request.id))?.bytes.equals(PNG)).toBe(true);
    expect(await store.getScreenshot(team.id, request.id)).toBeNull();
    expect(await store.getRequest('team_other000000', request.id)).toBeNull();
    expect(await store.getScreenshot('team_other000000', withShot.request.id)).toBeNull();
    expect(await store.requestOwner(team.id, request.id)).toEqual({ requesterId: member.member.id });
    expect(await store.requestOwner('team_other000000', request.id)).toBeNull();
    expect(await store.getRequest(team.id, request.id)).toMatchObject({
      requester: { id: member.member.id, name: 'Mo', role: 'member' },
      context: CONTEXT,
      state: 'open',
      claimedBy: null,
    });
    const claimed = ok(await store.transitionRequest(helper, request.id, 'claim'));
    expect(claimed.request).toMatchObject({ state: 'claimed', claimedBy: { name: 'Hal', role: 'helper' } });
    expect(await store.transitionRequest(helper, request.id, 'claim')).toMatchObject({
      refused: 'conflict',
      message: expect.stringMatching(/claimed by Hal/) as unknown,
    });
    const open = await store.listRequests(team.id, { state: 'open', limit: 10 });
    expect(open.map((r) => r.id)).toEqual([withShot.request.id]);
    const mine = await store.listRequests(team.id, { requesterId: member.member.id, limit: 1 });
    expect(mine).toHaveLength(1);
    expect(await store.listRequests('team_other000000', { limit: 10 })).toEqual([]);
    await store.close();
  });

  it('places open requests in the queue in asking order and remembers how long claimed ones waited', async () => {
    const { store, team, admin, helper, member, request } = await seeded(factory);
    // Asking order is kept to the millisecond: asks in the same millisecond have no order to keep.
    const ask = async (clientId: string) => {
      await new Promise((resolve) => setTimeout(resolve, 3));
      return (await store.createRequest(member, { clientId, question: clientId, context: CONTEXT, screenshot: null }))
        .request;
    };
    const second = await ask('request-0002');
    const third = await ask('request-0003');
    expect(await store.queueStanding(team.id, third.id, 5)).toEqual({ position: 3, recentWaitsSeconds: [] });
    ok(await store.transitionRequest(helper, request.id, 'claim'));
    expect((await store.queueStanding(team.id, request.id, 5))?.position).toBeNull();
    expect((await store.queueStanding(team.id, second.id, 5))?.position).toBe(1);
    expect((await store.queueStanding(team.id, third.id, 5))?.position).toBe(2);
    ok(await store.transitionRequest(member, second.id, 'cancel')); // cancelling is not a wait that ended in help
    ok(await store.transitionRequest(admin, third.id, 'resolve', 'done')); // resolved without a claim: taken then
    const standing = await store.queueStanding(team.id, third.id, 5);
    expect(standing?.position).toBeNull();
    expect(standing?.recentWaitsSeconds).toHaveLength(2);
    for (const seconds of standing!.recentWaitsSeconds) {
      expect(seconds).toBeGreaterThanOrEqual(0);
      expect(seconds).toBeLessThan(60);
    }
    expect((await store.queueStanding(team.id, third.id, 1))?.recentWaitsSeconds).toHaveLength(1);
    expect(await store.queueStanding('team_other000000', third.id, 5)).toBeNull();
    await store.close();
  });

  it('group-commits concurrent messages with contiguous sequence numbers and no duplicates', async () => {
    const { store, team, member, helper, request } = await seeded(factory);
    const writes = Array.from({ length: 60 }, (_, i) =>
      store.postMessage(i % 2 ? helper : member, request.id, {
        clientId: `message-${String(i).padStart(4, '0')}`,
        kind: 'text',
        text: `m${i}`,
      }),
    );
    // Resends of the same (author, clientId) in the same group answer with the stored message.
    writes.push(store.postMessage(member, request.id, { clientId: 'message-0000', kind: 'text', text: 'm0' }));
    const results = await Promise.all(writes);
    const messages = results.map((result) => ok(result).message);
    expect(
      messages
        .slice(0, 60)
        .map((m) => m.seq)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(messages[60]!.id).toBe(messages[0]!.id);
    expect(ok(results[60]!).events).toEqual([]);
    const stored = await store.listMessages(team.id, request.id, 0, 500);
    expect(stored).toHaveLength(60);
    expect(new Set(stored.map((m) => m.clientId)).size).toBe(60);
    expect(stored.find((m) => m.clientId === 'message-0001')).toMatchObject({
      author: { name: 'Hal', role: 'helper' },
      text: 'm1',
      kind: 'text',
    });
    expect(await store.listMessages(team.id, request.id, 58, 10)).toHaveLength(2);
    const events = await store.eventsAfter(team.id, 0, 1000);
    expect(events.map((e) => e.event.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    expect(await store.headSeq(team.id)).toBe(events.length);
    expect(events.filter((e) => e.event.type === 'message').every((e) => e.requesterId === member.member.id)).toBe(
      true,
    );
    await store.close();
  });

  it('refuses one write of a group without undoing the others', async () => {
    const { store, team, member, helper, request } = await seeded(factory);
    const before = await store.headSeq(team.id);
    const results = await Promise.all([
      store.postMessage(member, request.id, { clientId: 'before-0001', kind: 'text', text: 'before' }),
      store.postMessage(member, 'req_doesnotexist0000', { clientId: 'lost-00001', kind: 'text', text: 'nowhere' }),
      store.transitionRequest(helper, request.id, 'resolve', 'done'),
      store.postMessage(member, request.id, { clientId: 'after-00001', kind: 'text', text: 'after resolve' }),
      store.postMessage(helper, request.id, {
        clientId: 'pointer-001',
        kind: 'pointer',
        text: 'here',
        pointer: { kind: 'point', x: 1, y: 2 },
      }),
    ]);
    expect(isRefusal(results[0])).toBe(false);
    expect(results[1]).toMatchObject({ refused: 'not_found' });
    expect(ok(results[2]).request).toMatchObject({ state: 'resolved', resolution: 'done', claimedBy: { name: 'Hal' } });
    expect(results[3]).toMatchObject({ refused: 'gone' });
    expect(results[4]).toMatchObject({ refused: 'gone' });
    const messages = await store.listMessages(team.id, request.id, 0, 100);
    expect(messages.map((m) => `${m.seq}:${m.kind}`)).toEqual(['1:text', '2:system']);
    expect(messages[1]!.text).toBe('Hal resolved this request: done');
    const events = await store.eventsAfter(team.id, before, 100);
    expect(events.map((e) => [e.event.seq, e.event.type])).toEqual([
      [before + 1, 'message'],
      [before + 2, 'message'],
      [before + 3, 'request'],
    ]);
    expect(await store.transitionRequest(member, request.id, 'cancel')).toMatchObject({ refused: 'conflict' });
    await store.close();
  });

  it('keeps pointers and events in the shape clients parse', async () => {
    const { store, team, helper, request } = await seeded(factory);
    const posted = ok(
      await store.postMessage(helper, request.id, {
        clientId: 'pointer-001',
        kind: 'pointer',
        text: 'here',
        pointer: { kind: 'box', x: 1, y: 2, w: 3, h: 4 },
      }),
    );
    expect(posted.message).toMatchObject({
      kind: 'pointer',
      pointer: { kind: 'box', x: 1, y: 2, w: 3, h: 4 },
      author: { name: 'Hal' },
    });
    const [event] = posted.events as [TeamEvent];
    const replayed = await store.eventsAfter(team.id, event.seq - 1, 1);
    expect(replayed[0]!.event).toEqual(event);
    const firstEvent = (await store.eventsAfter(team.id, 0, 1))[0]!;
    expect(firstEvent.event.type).toBe('request');
    expect((firstEvent.event as { request: HelpRequest }).request.id).toBe(request.id);
    await store.close();
  });

  it('stores a library item sent into a chat with its reference, and keeps it across replay and listing', async () => {
    const { store, team, helper, request } = await seeded(factory);
    const library = {
      id: 'gnumeric-freeze',
      kind: 'walkthrough' as const,
      title: 'Freeze the top row',
      app: 'Gnumeric',
    };
    const posted = ok(
      await store.postMessage(helper, request.id, {
        clientId: 'library-001',
        kind: 'library',
        text: 'Freeze the top row',
        library,
      }),
    );
    expect(posted.message).toMatchObject({ kind: 'library', text: 'Freeze the top row', library });
    const [event] = posted.events as [TeamEvent];
    expect((await store.eventsAfter(team.id, event.seq - 1, 1))[0]!.event).toEqual(event);
    const listed = await store.listMessages(team.id, request.id, 0, 10);
    expect(listed.find((m) => m.clientId === 'library-001')).toEqual(posted.message);
    const text = ok(await store.postMessage(helper, request.id, { clientId: 'text-001', kind: 'text', text: 'hi' }));
    expect(text.message.library).toBeNull();
    await store.close();
  });

  it('learns questions per item: newest first, each once, capped, per team, not for deleted items', async () => {
    const { store, team, admin, member } = await seeded(factory);
    const doc = {
      format: 'sidekick.tip/1' as const,
      id: 'wrap',
      title: 'Wrap text in a cell',
      body: 'Format → Cells → Alignment → Wrap text',
      app: { name: 'Gnumeric', match: ['gnumeric'] },
      labels: ['Format'],
    };
    const saved = ok(await store.saveLibraryItem(admin, 'wrap', 0, doc));
    expect(await store.learnedQuestions(team.id)).toEqual({});
    ok(await store.learnQuestion(member, 'wrap', 'my text spills into the next cells'));
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct timestamps: newest first is observable
    const second = ok(await store.learnQuestion(admin, 'wrap', 'text on several lines in one cell'));
    expect(second.questions).toEqual(['text on several lines in one cell', 'my text spills into the next cells']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const again = ok(await store.learnQuestion(member, 'wrap', 'my text spills into the next cells'));
    expect(again.questions).toEqual(['my text spills into the next cells', 'text on several lines in one cell']);
    expect(await store.learnQuestion(member, 'nope', 'anything')).toMatchObject({ refused: 'not_found' });

    const many = Array.from({ length: 60 }, (_, i) => store.learnQuestion(member, 'wrap', `question ${i}`));
    await Promise.all(many);
    const all = await store.learnedQuestions(team.id);
    expect(all.wrap).toHaveLength(50);
    expect(new Set(all.wrap).size).toBe(50);

    // Another team sees none of it; a deleted item learns nothing more.
    const other = await store.createTeam('Other');
    expect(await store.learnedQuestions(other.id)).toEqual({});
    ok(await store.deleteLibraryItem(admin, 'wrap', saved.item.version));
    expect(await store.learnQuestion(member, 'wrap', 'after delete')).toMatchObject({ refused: 'not_found' });
    await store.close();
  });

  it('versions library items: create, conflict, update, tombstone, pull after a seq', async () => {
    const { store, team, admin, helper } = await seeded(factory);
    const doc = {
      format: 'sidekick.tip/1' as const,
      id: 'freeze',
      title: 'Freeze the header row',
      body: 'View → Freeze Panes',
      app: { name: 'Gnumeric', match: ['gnumeric'] },
      labels: ['View', 'Freeze Panes'],
      zExtra: { kept: true },
    };
    const created = ok(await store.saveLibraryItem(admin, 'freeze', 0, doc));
    expect(created.item).toMatchObject({
      id: 'freeze',
      kind: 'tip',
      version: 1,
      app: 'Gnumeric',
      labels: ['View', 'Freeze Panes'],
      deleted: false,
    });
    expect(JSON.stringify(created.item.doc)).toBe(JSON.stringify(doc));
    const conflict = await store.saveLibraryItem(helper, 'freeze', 0, { ...doc, title: 'mine' });
    expect(conflict).toMatchObject({
      refused: 'version_conflict',
      current: { version: 1, doc: { title: 'Freeze the header row' } },
    });
    const updated = ok(await store.saveLibraryItem(helper, 'freeze', 1, { ...doc, title: 'v2' }));
    expect(updated.item).toMatchObject({ version: 2, updatedBy: { name: 'Hal' } });
    expect(await store.deleteLibraryItem(helper, 'missing', 0)).toMatchObject({ refused: 'not_found' });
    const deleted = ok(await store.deleteLibraryItem(admin, 'freeze', 2));
    expect(deleted.item).toMatchObject({ version: 3, deleted: true, doc: null, labels: ['View', 'Freeze Panes'] });
    expect(await store.deleteLibraryItem(admin, 'freeze', 3)).toMatchObject({ refused: 'conflict' });
    const all = await store.listLibrary(team.id, 0);
    expect(all.items.map((item) => [item.id, item.version, item.deleted])).toEqual([['freeze', 3, true]]);
    expect(all.seq).toBe(await store.headSeq(team.id));
    expect((await store.listLibrary(team.id, all.seq)).items).toEqual([]);
    expect((await store.listLibrary('team_other000000', 0)).items).toEqual([]);
    await store.close();
  });

  it('lets members change only library items they created, helpers any, and names the creator', async () => {
    const { store, member, helper } = await seeded(factory);
    const tip = {
      format: 'sidekick.tip/1' as const,
      id: 'mine',
      title: 'Mine',
      body: 'b',
      app: { name: 'Gnumeric' },
      labels: ['File'],
    };
    expect(await store.saveLibraryItem(member, 'mine', 1, tip)).toMatchObject({
      refused: 'not_found',
      message: expect.stringMatching(/baseVersion 0/) as unknown,
    });
    const created = ok(await store.saveLibraryItem(member, 'mine', 0, tip));
    expect(created.item.createdBy).toMatchObject({ id: member.member.id, name: 'Mo' });
    const byHelper = ok(await store.saveLibraryItem(helper, 'mine', 1, { ...tip, title: 'Helped' }));
    expect(byHelper.item).toMatchObject({ version: 2, createdBy: { name: 'Mo' }, updatedBy: { name: 'Hal' } });
    const helperTip = ok(await store.saveLibraryItem(helper, 'theirs', 0, { ...tip, id: 'theirs' }));
    expect(
      await store.saveLibraryItem(member, 'theirs', helperTip.item.version, { ...tip, id: 'theirs', title: 'x' }),
    ).toMatchObject({ refused: 'forbidden' });
    expect(await store.deleteLibraryItem(member, 'theirs', helperTip.item.version)).toMatchObject({
      refused: 'forbidden',
    });
    expect(ok(await store.deleteLibraryItem(member, 'mine', 2)).item).toMatchObject({
      deleted: true,
      createdBy: { name: 'Mo' },
    });
    await store.close();
  });

  it('keeps everything acknowledged across a close and reopen', async () => {
    const { store, reopen, team, member, request } = await seeded(factory);
    const posted = ok(
      await store.postMessage(member, request.id, { clientId: 'persist-001', kind: 'text', text: 'still here?' }),
    );
    const head = await store.headSeq(team.id);
    await store.close();
    const again = await reopen();
    expect(await again.authenticate(`token-${'missing'}`)).toBeNull();
    expect(await again.listMessages(team.id, request.id, 0, 10)).toEqual([posted.message]);
    expect(await again.headSeq(team.id)).toBe(head);
    expect((await again.listTeams()).map((t) => t.name)).toEqual(['Support']);
    await again.close();
  });

  it('keeps team settings per team (defaults until changed, who changed them) across a reopen', async () => {
    const { store, reopen, team, admin } = await seeded(factory);
    const other = await store.createTeam('Other');
    expect(await store.teamSettings(team.id)).toEqual({
      settings: { routeToTeamAfterMinutes: 5, showHelperNamesToRequester: true },
      updatedAt: null,
      updatedBy: null,
    });
    const changed = await store.updateTeamSettings(admin, { routeToTeamAfterMinutes: 0 });
    expect(changed.settings).toEqual({ routeToTeamAfterMinutes: 0, showHelperNamesToRequester: true });
    expect(changed.updatedBy).toEqual({ id: admin.member.id, name: 'Ana', role: 'admin' });
    expect(Date.parse(changed.updatedAt!)).not.toBeNaN();
    const again = await store.updateTeamSettings(admin, { showHelperNamesToRequester: false });
    expect(again.settings).toEqual({ routeToTeamAfterMinutes: 0, showHelperNamesToRequester: false });
    expect((await store.teamSettings(other.id)).settings.routeToTeamAfterMinutes).toBe(5);
    await store.close();
    const reopened = await reopen();
    expect((await reopened.teamSettings(team.id)).settings).toEqual(again.settings);
    await reopened.close();
  });

  it("stores a request's routing with wholeTeamAt stamped from its asking time, in reads and events", async () => {
    const { store, team, helper, member, request } = await seeded(factory);
    const routed = {
      member: { id: helper.member.id, name: 'Hal', role: 'helper' as const },
      reasons: ["resolved 2 similar requests in Gnumeric, e.g. 'freeze the top row'"],
      askerReason: 'solved 2 similar problems about freeze',
    };
    const created = await store.createRequest(member, {
      clientId: 'routed-0001',
      question: 'How do I freeze the first row?',
      context: CONTEXT,
      screenshot: null,
      routing: { suggested: [routed], topic: 'freeze', afterMinutes: 7 },
    });
    const routing = created.request.routing!;
    expect(routing.suggested).toEqual([routed]);
    expect(routing.topic).toBe('freeze');
    expect(Date.parse(routing.wholeTeamAt) - Date.parse(created.request.createdAt)).toBe(7 * 60_000);
    expect(await store.getRequest(team.id, created.request.id)).toEqual(created.request);
    const listed = await store.listRequests(team.id, { limit: 10 });
    expect(listed.find((r) => r.id === created.request.id)).toEqual(created.request);
    const events = await store.eventsAfter(team.id, 0, 100);
    const event = events.find((e) => e.event.type === 'request' && e.event.request.id === created.request.id);
    expect(event?.event).toEqual(created.events[0]);
    expect((event?.event as { request: HelpRequest }).request.routing).toEqual(routing);
    // Nobody similar: the whole team at once, with why; and requests without routing carry none.
    const everyone = await store.createRequest(member, {
      clientId: 'routed-0002',
      question: 'Something new',
      context: CONTEXT,
      screenshot: null,
      routing: { suggested: [], topic: '', afterMinutes: 0, message: 'no one has solved this yet' },
    });
    expect(everyone.request.routing).toEqual({
      suggested: [],
      topic: '',
      wholeTeamAt: everyone.request.createdAt,
      message: 'no one has solved this yet',
    });
    expect((await store.getRequest(team.id, request.id))?.routing).toBeUndefined();
    await store.close();
  });

  it('reads resolved history with its chat for expertise, per team and per request', async () => {
    const { store, team, admin, helper, member, request } = await seeded(factory);
    ok(await store.transitionRequest(helper, request.id, 'claim'));
    ok(await store.postMessage(helper, request.id, { clientId: 'hist-0001', kind: 'text', text: 'View menu' }));
    ok(await store.postMessage(member, request.id, { clientId: 'hist-0002', kind: 'text', text: 'found it' }));
    ok(await store.transitionRequest(helper, request.id, 'resolve', 'View > Freeze Panes'));
    const { request: open } = await store.createRequest(member, {
      clientId: 'request-0002',
      question: 'still open',
      context: CONTEXT,
      screenshot: null,
    });
    // Resolved without a claim: the resolver counts.
    ok(await store.transitionRequest(admin, open.id, 'resolve', 'told them'));
    const history = await store.resolvedHistory(team.id);
    // Both may be resolved within one millisecond: compare by request, not by position.
    const byRequest = new Map(history.map((record) => [record.requestId, record]));
    expect(history).toHaveLength(2);
    expect(byRequest.get(request.id)).toEqual({
      requestId: request.id,
      helperId: helper.member.id,
      app: 'Gnumeric',
      question: 'Where is Freeze Panes?',
      ocrText: 'File Edit',
      chat: ['View menu', 'found it'],
      resolution: 'View > Freeze Panes',
      resolvedAt: expect.any(String) as unknown,
    });
    expect(byRequest.get(open.id)).toEqual(
      expect.objectContaining({ requestId: open.id, helperId: admin.member.id, chat: [] }),
    );
    expect(await store.resolvedHistory(team.id, open.id)).toEqual([byRequest.get(open.id)]);
    const other = await store.createTeam('Other');
    expect(await store.resolvedHistory(other.id)).toEqual([]);
    expect(await store.resolvedHistory(other.id, request.id)).toEqual([]);
  });

  it('summarises requests for insights: per app counts, medians, newest questions, walkthrough steps', async () => {
    const { store, team, helper, member, request } = await seeded(factory);
    // Newest first is kept to the millisecond: asks in the same millisecond have no order to keep.
    const ask = async (clientId: string, question: string, app: string, stepIndex?: number) => {
      await new Promise((resolve) => setTimeout(resolve, 3));
      const walkthrough = stepIndex === undefined ? {} : { walkthrough: { id: 'wt-print', title: 'Print', stepIndex } };
      const context = { ...CONTEXT, app, ...walkthrough };
      return (await store.createRequest(member, { clientId, question, context, screenshot: null })).request;
    };
    const a = await ask('ins-00001', 'print one page', 'Gnumeric', 1);
    const b = await ask('ins-00002', 'print gridlines', 'Gnumeric', 1);
    await ask('ins-00003', 'word wrap', 'Mousepad');
    for (const id of [request.id, a.id]) ok(await store.transitionRequest(helper, id, 'claim'));
    ok(await store.transitionRequest(helper, a.id, 'resolve', 'done'));
    const summary = await store.insightSummary(team.id, '2000-01-01T00:00:00.000Z', 2);
    const gnumeric = summary.apps.find((app) => app.app === 'Gnumeric')!;
    expect(gnumeric).toMatchObject({ requests: 3, resolved: 1, questions: ['print gridlines', 'print one page'] });
    expect(gnumeric.medianMinutesToClaim).toBeGreaterThanOrEqual(0);
    expect(gnumeric.medianMinutesToResolve).toBeGreaterThanOrEqual(0);
    expect(summary.apps.find((app) => app.app === 'Mousepad')).toEqual({
      app: 'Mousepad',
      requests: 1,
      resolved: 0,
      medianMinutesToClaim: null,
      medianMinutesToResolve: null,
      questions: ['word wrap'],
    });
    expect(summary.stuckSteps).toEqual([{ walkthroughId: 'wt-print', stepIndex: 1, requests: 2 }]);
    expect(b.context.walkthrough?.stepIndex).toBe(1);
    expect((await store.insightSummary(team.id, '2999-01-01T00:00:00.000Z', 2)).apps).toEqual([]);
    const other = await store.createTeam('Other');
    expect(await store.insightSummary(other.id, '2000-01-01T00:00:00.000Z', 2)).toEqual({ apps: [], stuckSteps: [] });
  });

  it('stores usage events once per member and clientId, per team', async () => {
    const { store, team, member, admin } = await seeded(factory);
    const at = '2026-12-01T10:00:00.000Z';
    const events = [
      { clientId: 'use-00001', type: 'no_match' as const, at, app: 'Gnumeric', question: 'watermark?' },
      {
        clientId: 'use-00002',
        type: 'walkthrough_abandoned' as const,
        at,
        app: 'Gnumeric',
        walkthroughId: 'w',
        stepIndex: 3,
      },
    ];
    expect(await store.recordUsageEvents(member, events)).toEqual({ stored: 2 });
    expect(await store.recordUsageEvents(member, events)).toEqual({ stored: 0 });
    expect(await store.recordUsageEvents(admin, [events[0]!])).toEqual({ stored: 1 });
    const stored = await store.usageEvents(team.id, '2000-01-01T00:00:00.000Z');
    expect(stored).toHaveLength(3);
    expect(stored).toContainEqual({
      ...events[1],
      memberId: member.member.id,
      receivedAt: expect.any(String) as unknown,
    });
    expect(stored).toContainEqual({
      ...events[0],
      memberId: admin.member.id,
      receivedAt: expect.any(String) as unknown,
    });
    const other = await store.createTeam('Other');
    expect(await store.usageEvents(other.id, '2000-01-01T00:00:00.000Z')).toEqual([]);
    expect(await store.usageEvents(team.id, '2999-01-01T00:00:00.000Z')).toEqual([]);
  });
}
