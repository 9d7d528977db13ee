/**
 * The helper console in real Chromium (playwright-core, e2e/support/browser.ts) against a real team
 * server process. An admin joins from the printed first-admin link and invites people from the
 * console; a helper joins in a second browser; the requester is the desktop team client
 * (src-main/team TeamService) driven from Node with a real rendered window and real redaction.
 * request → live queue → claim → chat both ways → point → resolve → save as tip → the tip is in
 * the requester's team library folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { desktopTeamService, renderStuckWindow, until } from './desktop-fixture';
import { type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`helper console test skipped: ${skipReason}`);

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts', 'team');
let server: ServerProcess | null = null;
const browsers: TestBrowser[] = [];
const cleanups: Array<() => void> = [];

afterAll(async () => {
  cleanups.forEach((stop) => stop());
  for (const browser of browsers) await browser.close();
  await server?.stop();
});

async function joinInBrowser(link: string, name: string): Promise<Page> {
  const browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
  browsers.push(browser);
  const page = await browser.context.newPage();
  await page.goto(link);
  await page.getByTestId('join-name').fill(name);
  await page.getByTestId('join-submit').click();
  await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor({ timeout: 60_000 });
  return page;
}

async function newInvite(admin: Page, role: 'member' | 'helper'): Promise<string> {
  await admin.getByTestId('invite-role').selectOption(role);
  const previous = (await admin.getByTestId('invite-link').count())
    ? await admin.getByTestId('invite-link').inputValue()
    : '';
  await admin.getByTestId('invite-create').click();
  await until(
    async () =>
      (await admin.getByTestId('invite-link').count()) &&
      (await admin.getByTestId('invite-link').inputValue()) !== previous,
    'new invite link',
  );
  return admin.getByTestId('invite-link').inputValue();
}

describe.skipIf(skipReason)('helper console in Chromium', () => {
  it('request → claim → chat both ways → point → resolve → tip in the requester’s library', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ dataDir: tempDataDir(), console: true });
    expect(server.report.console).toMatch(/built now|up to date/);

    const admin = await joinInBrowser(server.report.adminInvites[0]!.link, 'Ana Admin');
    const helperLink = await newInvite(admin, 'helper');
    const memberLink = await newInvite(admin, 'member');
    expect(helperLink).toMatch(new RegExp(`^${server.url}/#join=sk_inv_`));
    const helper = await joinInBrowser(helperLink, 'Hal Helper');
    expect(helper.getByText('Pick a request from the queue')).toBeTruthy();

    // The requester: the desktop app's team client, with the window they are stuck in.
    const { snapshot } = await renderStuckWindow();
    const person = desktopTeamService(snapshot);
    cleanups.push(() => person.service.stop());
    expect(await person.service.join(memberLink, 'Mia Member')).toMatchObject({ ok: true });
    await until(() => person.service.view().connection === 'live', 'requester live');
    await person.service.draft();
    const asked = await person.service.ask('Where is Freeze Panes?', true);
    expect(asked.outcome).toBe('sent');
    const requestId = asked.outcome === 'sent' ? asked.request.id : '';

    // It appears in the helper's queue without a reload.
    const item = helper.locator(`[data-request-id="${requestId}"]`);
    await item.waitFor({ timeout: 60_000 });
    await expect(item.textContent()).resolves.toContain('Where is Freeze Panes?');
    await item.click();
    await helper.getByTestId('claim').click();
    await helper.getByTestId('request-state').filter({ hasText: 'claimed' }).waitFor();
    await expect(helper.getByTestId('request-view').textContent()).resolves.toContain(
      'Keep the header row visible, step 2',
    );
    expect(await helper.getByTestId('request-view').textContent()).not.toContain('ana@example.org');
    await helper.getByTestId('screenshot-image').waitFor();

    // Chat both ways.
    expect(await person.service.send(requestId, 'Which menu is it in?')).toMatchObject({ ok: true });
    await helper.getByTestId('chat-log').getByText('Which menu is it in?').waitFor({ timeout: 60_000 });
    await helper.getByTestId('chat-input').fill('Open the View menu at the top.');
    await helper.getByTestId('chat-send').click();
    await until(
      () => person.messages.find((m) => m.text === 'Open the View menu at the top.'),
      'helper line at the requester',
    );

    // Point: click "View" on the screenshot (screenshot pixel 108, 14).
    await helper.getByTestId('pointer-label').fill('View');
    const image = helper.getByTestId('screenshot-image');
    const box = (await image.boundingBox())!;
    await helper.mouse.click(box.x + (108 / 640) * box.width, box.y + (14 / 400) * box.height);
    const pointer = await until(() => person.pointers[0], 'pointer at the requester');
    expect(pointer.label).toBe('View');
    expect(pointer.pointer.kind).toBe('point');
    if (pointer.pointer.kind !== 'point') throw new Error('expected a point');
    expect(Math.abs(pointer.pointer.x - 108)).toBeLessThanOrEqual(2);
    expect(Math.abs(pointer.pointer.y - 14)).toBeLessThanOrEqual(2);
    // On the live window (origin 100,50 on screen) the 28 px ring is centred on View.
    expect(pointer.screenBox!.x + 14).toBeCloseTo(208, -0.5);
    expect(pointer.screenBox!.y).toBe(50); // clamped to the window's top edge
    await helper.getByTestId('pointer-mark').waitFor();
    // The chat says what was pointed at, in words: no pixel coordinates; every line has its time.
    const pointed = helper.getByTestId('chat-log').getByText('pointed at “View”');
    await pointed.waitFor({ timeout: 10_000 });
    expect(await helper.getByTestId('chat-log').textContent()).not.toMatch(/\(\d+, \d+\)/);
    expect(await helper.getByTestId('chat-log').locator('time').count()).toBe(
      await helper.getByTestId('chat-message').count(),
    );
    // The label box has a visible name; Resolve is green and apart from the quiet Cancel link.
    await helper.getByLabel('Name what you point at (optional)').waitFor();
    const resolveButton = helper.getByTestId('resolve');
    const cancelButton = helper.getByTestId('cancel-request');
    const colours = await Promise.all(
      [resolveButton, cancelButton].map((b) => b.evaluate((el) => getComputedStyle(el).backgroundColor)),
    );
    expect(colours[0]).toBe('rgb(31, 122, 58)');
    expect(colours[1]).toMatch(/rgba\(0, 0, 0, 0\)|transparent/);
    const [resolveBox, cancelBox] = [(await resolveButton.boundingBox())!, (await cancelButton.boundingBox())!];
    expect(cancelBox.x - (resolveBox.x + resolveBox.width)).toBeGreaterThan(40);
    await helper.screenshot({ path: join(ARTIFACTS, 'helper-console-chat.png') });

    // Resolve and save the resolution as a tip pinned to the app and labels.
    await helper.getByTestId('resolution').fill('View → Freeze Panes → Freeze Top Row');
    await helper.getByTestId('resolve').click();
    await helper.getByTestId('request-state').filter({ hasText: 'resolved' }).waitFor();
    await until(() => person.service.view().requests[0]?.state === 'resolved', 'requester sees resolved');
    await helper.getByTestId('save-tip').click();
    await expect(helper.getByTestId('tip-body').inputValue()).resolves.toBe('View → Freeze Panes → Freeze Top Row');
    await expect(helper.getByTestId('tip-labels').inputValue()).resolves.toBe('View');
    await helper.getByTestId('tip-labels').fill('View, Freeze Panes');
    await helper.getByTestId('tip-save').click();
    await helper.getByTestId('tip-saved').waitFor();
    await helper.screenshot({ path: join(ARTIFACTS, 'helper-console-tip.png') });

    const libraryDir = join(person.dataDir, 'team-library');
    const tipFile = (await until(
      () => existsSync(libraryDir) && readdirSync(libraryDir).find((file) => file.endsWith('.tip.json')),
      'tip in requester library',
    )) as string;
    const tip: unknown = JSON.parse(readFileSync(join(libraryDir, tipFile), 'utf8'));
    expect(tip).toMatchObject({
      format: 'sidekick.tip/1',
      title: 'Where is Freeze Panes?',
      body: 'View → Freeze Panes → Freeze Top Row',
      app: { name: 'Gnumeric' },
      labels: ['View', 'Freeze Panes'],
      fromRequest: requestId,
      author: 'Hal Helper',
    });
    // The admin's console saw the whole thing live too.
    await admin.getByTestId('filter-all').click();
    await admin.locator(`[data-request-id="${requestId}"]`).getByText('resolved').waitFor();
  }, 480_000);
});
