/**
 * A walkthrough or tip sent into the chat from the team library, on the person's side: the ask-human page's chat
 * (src-renderer/team/chat) in real Chromium, served by the browser host over the real app core with the
 * walkthroughs and team features wired as the app wires them, against a real team server process. The walkthrough's
 * card plays it on the person's window (fetched from the server first, as its synced copy is missing); the tip's card
 * shows its text; a deleted item says so. Screenshot: e2e/artifacts/team/chat-library-card.png.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { buildRendererPages, startOverlayHost, type OverlayHost } from '../overlay/overlay-host';
import { teamDataDir, teamFeature } from '../../src-main/team/feature';
import { teamLibraryDir } from '../../src-main/team/library-sync';
import { walkthroughsFeature, type WalkthroughsFeature } from '../../src-main/walkthroughs/feature';
import type { CreatedInvite, TipDoc } from '../../src-shared/team';
import type { Walkthrough } from '../../src-shared/walkthrough';
import { renderStuckWindow, until, WINDOW } from './desktop-fixture';
import { addMember, api, joinTeam, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`chat library card test skipped: ${skipReason}`);

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts', 'team');
const STARTER = fileURLToPath(new URL('../../resources/walkthroughs/gnumeric', import.meta.url));
const FRAME = { x: 0, y: 0, width: 1280, height: 800 };
/** The stuck window with an id: the player re-captures it by id while the walkthrough plays. */
const PLAYED_WINDOW = { ...WINDOW, id: 4242 };

/** The team's own copy of the freeze walkthrough (its first step points at View, which the window shows). */
const FREEZE: Walkthrough = {
  ...(JSON.parse(readFileSync(join(STARTER, 'gnumeric-freeze-header-row.walkthrough.json'), 'utf8')) as Walkthrough),
  id: 'team-freeze-header-row',
  title: 'Freeze the header row (our way)',
};
const GONE: Walkthrough = { ...FREEZE, id: 'team-old-freeze', title: 'Old freeze instructions' };
const TIP: TipDoc = {
  format: 'sidekick.tip/1',
  id: 'tip-print-selection',
  title: 'Print only the selected cells',
  body: 'Select the cells, then File ▸ Print Area ▸ Set Print Area, and print as usual.',
  app: { name: 'Gnumeric' },
  labels: ['Print Area'],
};

let server: ServerProcess | null = null;
let overlay: OverlayHost | null = null;
const browsers: TestBrowser[] = [];

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await overlay?.close();
  await server?.stop();
});

async function newPage(): Promise<Page> {
  const browser = await launchBrowser({ viewport: { width: 1300, height: 900 } });
  browsers.push(browser);
  return browser.context.newPage();
}

describe.skipIf(skipReason)('library items in the desktop chat (browser host)', () => {
  it('plays a walkthrough a helper sent on the person’s window, shows a tip, and says when one is gone', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ dataDir: tempDataDir() });
    const url = server.url;
    const admin = await joinTeam(url, server.report.adminInvites[0]!.code, 'Ana Admin');
    const helper = await addMember(url, admin.token, 'helper', 'Hal Helper');
    const memberLink = (
      await api<CreatedInvite>(url, 'POST', '/api/v1/invites', { token: admin.token, body: { role: 'member' } })
    ).body.link;
    for (const doc of [FREEZE, GONE, TIP]) {
      const saved = await api(url, 'PUT', `/api/v1/library/${doc.id}`, {
        token: helper.token,
        body: { baseVersion: 0, doc },
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    }

    // The person's app: the real core with the library and the team features wired as src-main/app/features.ts does.
    const { snapshot } = await renderStuckWindow();
    const png = await sharp(Buffer.from(snapshot.image!.data), { raw: { width: 640, height: 400, channels: 4 } })
      .png()
      .toBuffer();
    let walkthroughs: WalkthroughsFeature | null = null;
    const rendererDir = await buildRendererPages();
    overlay = await startOverlayHost({
      rendererDir,
      frame: FRAME,
      features: () => {
        walkthroughs = walkthroughsFeature({
          teamDir: teamLibraryDir(teamDataDir()),
          captureWindow: async () => ({ window: PLAYED_WINDOW, image: png }),
        });
        const library = walkthroughs;
        return [library, teamFeature({ onLibraryChanged: () => library.reload() })];
      },
    });
    overlay.setCapture(async () => ({ window: PLAYED_WINDOW, image: png }));
    const state = await overlay.core.sessions.start();
    expect(state.phase, state.problem?.message).toBe('ready');
    const overlayPage = await newPage();
    overlay.host.setBackdrop(png);
    await overlayPage.goto(overlay.host.url('overlay', { backdrop: '1' }));
    await overlayPage.waitForFunction(() => typeof window.sidekick?.invoke === 'function');

    const person = await newPage();
    const errors: string[] = [];
    person.on('pageerror', (error) => errors.push(error.message));
    await person.goto(overlay.host.url('ask-human'));
    await person.getByTestId('team-invite').waitFor({ timeout: 60_000 });
    await person.getByTestId('team-invite').fill(memberLink);
    await person.getByTestId('team-name').fill('Mia Member');
    await person.getByTestId('team-join').click();
    await person.getByTestId('team-connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 60_000 });

    // The team library synced; the walkthrough's copy is then taken away, as when a helper sends an item saved a
    // moment ago that has not synced yet: Play must fetch it from the server.
    const libraryDir = teamLibraryDir(teamDataDir());
    const freezeFile = join(libraryDir, `${FREEZE.id}.walkthrough.json`);
    await until(() => existsSync(freezeFile), 'the team library synced');
    rmSync(freezeFile);
    walkthroughs!.reload();

    const asked = await person.evaluate(() =>
      window.sidekick!.invoke('team:ask', { question: 'my headings scroll away', includeScreenshot: false }),
    );
    expect(asked.outcome).toBe('sent');
    const requestId = (asked as { request: { id: string } }).request.id;
    for (const itemId of [FREEZE.id, TIP.id, GONE.id]) {
      const sent = await api(url, 'POST', `/api/v1/requests/${requestId}/messages`, {
        token: helper.token,
        body: { clientId: `card-${itemId}`, kind: 'library', itemId },
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    }
    const deleted = await api(url, 'DELETE', `/api/v1/library/${GONE.id}?baseVersion=1`, { token: helper.token });
    expect(deleted.status).toBe(200);

    const cards = person.getByTestId('chat-library-card');
    await expect.poll(() => cards.count(), { timeout: 60_000 }).toBe(3);
    const tip = person.locator(`[data-testid="chat-library-card"][data-id="${TIP.id}"]`);
    expect(await tip.innerText()).toContain('Hal Helper sent you a tip for Gnumeric:');
    expect(await tip.getByTestId('chat-library-tip').innerText()).toBe(TIP.body);
    expect(await tip.getByTestId('chat-library-play').count()).toBe(0);

    // Play: fetched from the server, then the player starts on the person's window (the overlay rings "View").
    const card = person.locator(`[data-testid="chat-library-card"][data-id="${FREEZE.id}"]`);
    expect(await card.innerText()).toContain('Freeze the header row (our way)');
    await card.getByTestId('chat-library-play').click();
    await card.getByTestId('chat-library-status').waitFor({ timeout: 60_000 });
    expect(existsSync(freezeFile)).toBe(true);
    expect(walkthroughs!.position()).toMatchObject({ id: FREEZE.id, stepIndex: 0 });
    await overlayPage.locator('.player-target--target[data-label="View"]').waitFor({ timeout: 60_000 });

    // A walkthrough deleted since it was sent: a clear message, nothing plays instead.
    await until(() => !existsSync(join(libraryDir, `${GONE.id}.walkthrough.json`)), 'the deletion synced');
    const gone = person.locator(`[data-testid="chat-library-card"][data-id="${GONE.id}"]`);
    await gone.getByTestId('chat-library-play').click();
    const problem = gone.getByTestId('chat-library-problem');
    await problem.waitFor({ timeout: 60_000 });
    expect(await problem.innerText()).toBe(
      `“${GONE.id}” was deleted from your team's library; ask your helper for another way.`,
    );
    expect(await gone.getByTestId('chat-library-play').innerText()).toBe('▶ Try again');
    expect(walkthroughs!.position()).toMatchObject({ id: FREEZE.id });
    expect(errors).toEqual([]);
    await person.screenshot({ path: join(ARTIFACTS, 'chat-library-card.png'), fullPage: true });
    await overlayPage.screenshot({ path: join(ARTIFACTS, 'chat-library-card-overlay.png') });
  }, 480_000);
});
