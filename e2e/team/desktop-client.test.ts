/**
 * "Ask a human" from the desktop side, driven from Node against a real team server process:
 * join by invite link, the prefilled and redacted request, the outbox while the server is down
 * (sent by itself when it is back), live chat both ways, a helper's pointer mapped onto the live
 * window, helper notifications, and the team library synced to disk with conflicts kept.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreatedInvite, TipDoc } from '../../src-shared/team';
import {
  addMember,
  api,
  type ItemsReply,
  joinTeam,
  type MessagesReply,
  type RequestsReply,
  type ServerProcess,
  startServerProcess,
  tempDataDir,
} from './team-server-process';
import { desktopTeamService, renderStuckWindow, until, WINDOW } from './desktop-fixture';

let server: ServerProcess | null = null;
const cleanups: Array<() => void> = [];
afterAll(async () => {
  cleanups.forEach((stop) => stop());
  await server?.stop();
});

describe('desktop team client (TeamService) against a real server', () => {
  it('goes from “I’m stuck” to chat, pointer and a synced tip, surviving a server outage', async () => {
    const dataDir = tempDataDir();
    server = await startServerProcess({ dataDir });
    const url = server.url;
    const port = server.port;
    const admin = await joinTeam(url, server.report.adminInvites[0]!.code, 'Ana Admin');
    const helper = await addMember(url, admin.token, 'helper', 'Hal Helper');
    const memberInvite = await api<CreatedInvite>(url, 'POST', '/api/v1/invites', {
      token: admin.token,
      body: { role: 'member' },
    });
    const helperInvite = await api<CreatedInvite>(url, 'POST', '/api/v1/invites', {
      token: admin.token,
      body: { role: 'helper' },
    });

    const { snapshot, emailBox } = await renderStuckWindow();
    const person = desktopTeamService(snapshot);
    const helperApp = desktopTeamService(null);
    cleanups.push(
      () => person.service.stop(),
      () => helperApp.service.stop(),
    );

    // Join with the invite link, as pasted in Settings → Team.
    const bad = await person.service.join('not a link', 'Mia');
    expect(bad).toMatchObject({ ok: false });
    const joined = await person.service.join(memberInvite.body.link, 'Mia Member');
    expect(joined).toMatchObject({
      ok: true,
      view: { joined: true, teamName: 'My team', memberName: 'Mia Member', role: 'member' },
    });
    expect(await helperApp.service.join(helperInvite.body.link, 'Hana Helper')).toMatchObject({ ok: true });
    await until(
      () => person.service.view().connection === 'live' && helperApp.service.view().connection === 'live',
      'both live',
    );

    // The form is prefilled from the help session and redacted before anything leaves.
    const draft = await person.service.draft();
    expect(draft.question).toBe('Where is Freeze Panes?');
    expect(draft.context).toMatchObject({
      app: 'Gnumeric',
      os: 'linux',
      displayScale: 1,
      walkthrough: { id: 'gnumeric-freeze-header-row', stepIndex: 1 },
    });
    expect(draft.context.windowTitle).toBe('budget.gnumeric — [email]');
    expect(draft.context.ocrText).toContain('Owner: [email]');
    expect(JSON.stringify(draft)).not.toContain('ana@example.org');
    expect(draft.screenshot).toMatchObject({ width: 640, height: 400, redactedRegions: 1 });
    const preview = await sharp(Buffer.from(draft.screenshot!.dataUrl.split(',')[1]!, 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const original = snapshot.image!;
    const at = (data: Uint8Array | Buffer, channels: number, x: number, y: number) =>
      Array.from(data.subarray((y * 640 + x) * channels, (y * 640 + x) * channels + 3));
    const changed = (x: number, y: number) =>
      at(preview.data, preview.info.channels, x, y).join() !== at(original.data, 4, x, y).join();
    // The e-mail's pixels are painted over; the menu bar is untouched.
    let paintedInEmail = 0;
    for (let x = emailBox.x; x < emailBox.x + emailBox.w; x += 4) if (changed(x, emailBox.y + 10)) paintedInEmail++;
    expect(paintedInEmail).toBeGreaterThan(20);
    expect(changed(100, 12)).toBe(false);

    // The server goes away: the request is kept on disk and the person sees it queued.
    await server.kill9();
    const queued = await person.service.ask('Where is Freeze Panes?', true);
    expect(queued).toMatchObject({ outcome: 'queued' });
    expect(person.service.view().outbox).toMatchObject([{ question: 'Where is Freeze Panes?', state: 'queued' }]);
    expect(readdirSync(join(person.dataDir, 'outbox')).filter((f) => f.endsWith('.request.json'))).toHaveLength(1);
    await until(() => person.service.view().connection === 'offline', 'offline shown');

    // Back up: the outbox is sent by itself, exactly once.
    server = await startServerProcess({ dataDir, port });
    await until(
      () => person.service.view().outbox.length === 0 && person.service.view().requests.length === 1,
      'outbox sent',
      30_000,
    );
    const [request] = person.service.view().requests;
    expect(request).toMatchObject({
      question: 'Where is Freeze Panes?',
      state: 'open',
      screenshot: { width: 640, height: 400 },
    });
    const all = await api<RequestsReply>(url, 'GET', '/api/v1/requests', { token: admin.token });
    expect(all.body.requests).toHaveLength(1);
    const shot = await fetch(`${url}/api/v1/requests/${request!.id}/screenshot`, {
      headers: { authorization: `Bearer ${helper.token}` },
    });
    expect(Buffer.from(await shot.arrayBuffer()).toString('base64')).toBe(draft.screenshot!.dataUrl.split(',')[1]);
    // The helper's tray app was told.
    await until(() => helperApp.notifications.length > 0, 'helper notification');
    expect(helperApp.notifications[0]!.title).toBe('Help request from Mia Member');

    // Claim, chat both ways, point.
    await api(url, 'POST', `/api/v1/requests/${request!.id}/claim`, { token: helper.token });
    await api(url, 'POST', `/api/v1/requests/${request!.id}/messages`, {
      token: helper.token,
      body: { clientId: 'helper-line-1', kind: 'text', text: 'Open the View menu' },
    });
    await until(() => person.messages.find((m) => m.text === 'Open the View menu'), 'helper line at the person');
    const sent = await person.service.send(request!.id, 'Which one is View?');
    expect(sent).toMatchObject({ ok: true, message: { text: 'Which one is View?', seq: 3 } });
    const seen = await api<MessagesReply>(url, 'GET', `/api/v1/requests/${request!.id}/messages`, {
      token: helper.token,
    });
    expect(seen.body.messages.map((m) => m.text)).toContain('Which one is View?');
    await api(url, 'POST', `/api/v1/requests/${request!.id}/messages`, {
      token: helper.token,
      body: {
        clientId: 'helper-point-1',
        kind: 'pointer',
        pointer: { kind: 'box', x: 90, y: 6, w: 36, h: 16 },
        text: 'View',
      },
    });
    const pointer = await until(() => person.pointers[0], 'pointer');
    // Screenshot pixels → the live window on screen: window origin (100, 50) + box.
    expect(pointer).toMatchObject({ label: 'View', screenBox: { x: 190, y: 56, w: 36, h: 16 } });
    expect(person.shown[0]).toEqual({ box: { x: 190, y: 56, w: 36, h: 16 }, label: 'View' });
    expect(WINDOW.bounds.x + 90).toBe(190);
    // Each message reached the UI once, however it arrived.
    const chat = await person.service.chat(request!.id);
    expect(chat.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(new Set(person.messages.map((m) => m.id)).size).toBe(person.messages.length);

    // A tip saved by the helper lands in the person's team library folder.
    const tip = {
      format: 'sidekick.tip/1',
      id: 'gnumeric-freeze-panes',
      title: 'Freeze the header row',
      body: 'View → Freeze Panes',
      app: { name: 'Gnumeric' },
      labels: ['View', 'Freeze Panes'],
    };
    await api(url, 'PUT', '/api/v1/library/gnumeric-freeze-panes', {
      token: helper.token,
      body: { baseVersion: 0, doc: tip },
    });
    const tipFile = join(person.dataDir, 'team-library', 'gnumeric-freeze-panes.tip.json');
    await until(() => existsSync(tipFile), 'tip synced to disk');
    expect(JSON.parse(readFileSync(tipFile, 'utf8'))).toMatchObject({
      title: 'Freeze the header row',
      labels: ['View', 'Freeze Panes'],
    });

    // Conflicting edits: the helper saves v2 while the person, offline, edits v1; neither is lost.
    person.service.stop();
    await api(url, 'PUT', '/api/v1/library/gnumeric-freeze-panes', {
      token: helper.token,
      body: { baseVersion: 1, doc: { ...tip, body: 'helper edit' } },
    });
    const saved = await person.service.library.save({ ...tip, format: 'sidekick.tip/1', body: 'person edit' });
    expect(saved).toMatchObject({ ok: false, conflict: true, current: { version: 2, doc: { body: 'helper edit' } } });
    if (saved.ok) throw new Error('expected a conflict');
    expect(saved.savedAs.id).toMatch(/^gnumeric-freeze-panes-conflict-\d{14}$/);
    const library = await api<ItemsReply>(url, 'GET', '/api/v1/library', { token: admin.token });
    const bodies = library.body.items
      .map((item) => (item.doc?.format === 'sidekick.tip/1' ? item.doc.body : ''))
      .sort();
    expect(bodies).toEqual(['helper edit', 'person edit']);
    expect((JSON.parse(readFileSync(tipFile, 'utf8')) as TipDoc).body).toBe('helper edit');
    expect(existsSync(join(person.dataDir, 'team-library', `${saved.savedAs.id}.tip.json`))).toBe(true);
  }, 400_000);
});
