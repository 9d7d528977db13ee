/**
 * "Ask a human" end to end with both people in real Chromium: the requester uses the ask-human
 * page (src-renderer/ask-human + chat) served by the browser host over the real app core (real
 * OCR of a rendered window, real redaction, the team feature), the helper uses the helper console
 * served by a real team server process. Join → prefilled form with consent and a redacted preview →
 * live queue → claim → chat both ways → point (mapped onto the live window in overlay pixels) →
 * resolve → save as tip → the tip lands in the requester's synced team library.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { buildRendererPages, startOverlayHost, type OverlayHost } from '../overlay/overlay-host';
import { teamFeature } from '../../src-main/team/feature';
import type { CreatedInvite } from '../../src-shared/team';
import { renderStuckWindow, until, WINDOW } from './desktop-fixture';
import { api, joinTeam, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`ask-human page test skipped: ${skipReason}`);

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts', 'team');
const FRAME = { x: 0, y: 0, width: 1280, height: 800 };
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

describe.skipIf(skipReason)('ask-human page (browser host) with the helper console', () => {
  it('two people: “I’m stuck” → live chat with a pointer → saved tip', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });

    server = await startServerProcess({ dataDir: tempDataDir(), console: true });
    const admin = await joinTeam(server.url, server.report.adminInvites[0]!.code, 'Ana Admin');
    const memberLink = (
      await api<CreatedInvite>(server.url, 'POST', '/api/v1/invites', { token: admin.token, body: { role: 'member' } })
    ).body.link;
    const helperLink = (
      await api<CreatedInvite>(server.url, 'POST', '/api/v1/invites', { token: admin.token, body: { role: 'helper' } })
    ).body.link;

    // The requester's app: the real core behind the browser host; the hotkey captures the stuck window.
    const rendererDir = await buildRendererPages();
    overlay = await startOverlayHost({
      rendererDir,
      frame: FRAME,
      features: () => [teamFeature({ queuePollMs: 1000 })],
    });
    // The host gives the app a private config folder (team token, outbox, team library).
    const config = process.env.XDG_CONFIG_HOME!;
    const { snapshot } = await renderStuckWindow();
    const png = await sharp(Buffer.from(snapshot.image!.data), { raw: { width: 640, height: 400, channels: 4 } })
      .png()
      .toBuffer();
    overlay.setCapture(async () => ({ window: WINDOW, image: png }));
    const state = await overlay.core.sessions.start();
    expect(state.phase, state.problem?.message).toBe('ready');
    // The person asks in the overlay; nothing answers, so the overlay offers a human.
    const answer = await overlay.core.sessions.ask(state.sessionId, 'Where is Freeze Panes?');
    expect(answer.kind).toBe('none');

    // The overlay is open over the stuck window (the browser host draws the captured window as a backdrop).
    const overlayPage = await newPage();
    overlay.host.setBackdrop(png);
    await overlayPage.goto(overlay.host.url('overlay', { backdrop: '1' }));
    await overlayPage.waitForFunction(() => typeof window.sidekick?.invoke === 'function');
    const person = await newPage();
    const consoleLines: string[] = [];
    person.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    person.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
    await person.goto(overlay.host.url('ask-human'));
    await person
      .getByTestId('team-invite')
      .waitFor({ timeout: 60_000 })
      .catch(async () => {
        throw new Error(
          `ask-human page did not show the join ` +
            `form: ${await person.locator('body').innerText()}\n${consoleLines.join('\n')}`,
        );
      });
    await person.getByTestId('team-invite').fill(memberLink);
    await person.getByTestId('team-name').fill('Mia Member');
    await person.getByTestId('team-join').click();
    await person.getByTestId('team-connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 60_000 });
    await person.evaluate(() => {
      const w = window as unknown as { pointers: unknown[] };
      w.pointers = [];
      window.sidekick!.on('team:pointer', (pointer) => w.pointers.push(pointer));
    });

    // The form is prefilled (with the question from the overlay); the screenshot is shared only after ticking consent,
    // and the preview is redacted. (The form fills in when the redacted draft is ready.)
    await expect
      .poll(() => person.getByTestId('ask-question').inputValue(), { timeout: 60_000 })
      .toBe('Where is Freeze Panes?');
    const form = await person.getByTestId('ask-form').textContent();
    expect(form).toContain('Gnumeric');
    expect(form).toContain('budget.gnumeric — [email]');
    expect(form).not.toContain('ana@example.org');
    expect(await person.getByTestId('screenshot-preview').count()).toBe(0);
    await person.getByTestId('share-screenshot').check();
    await person.getByTestId('screenshot-preview').waitFor();
    // "Screen text: N lines" opens to show exactly the text that is sent (redacted).
    const screenText = person.getByTestId('screen-text');
    expect(await screenText.locator('pre').isVisible()).toBe(false);
    await screenText.locator('summary').click();
    await screenText.locator('pre').waitFor();
    expect(await screenText.locator('pre').textContent()).not.toContain('ana@example.org');
    expect(((await screenText.locator('pre').textContent()) ?? '').split('\n').length).toBeGreaterThan(3);
    // The main action looks like the main action.
    const send = person.getByTestId('ask-send');
    expect(await send.evaluate((el) => el.classList.contains('primary'))).toBe(true);
    await person.screenshot({ path: join(ARTIFACTS, 'ask-human-form.png'), fullPage: true });
    await send.click();
    await person
      .getByTestId('chat-request-state')
      .filter({ hasText: /Waiting for a helper… \(asked (just now|\d+ min ago)\)/ })
      .waitFor({ timeout: 60_000 });
    // While waiting: the place in the queue and who is there to help (nobody yet, and it says what happens then).
    const queueLine = person.getByTestId('chat-queue');
    await expect
      .poll(() => queueLine.textContent(), { timeout: 30_000 })
      .toBe('You are next · no helper is online right now; the first one to connect sees your request');

    // The helper, in the console, in another browser.
    const helper = await newPage();
    await helper.goto(helperLink);
    await helper.getByTestId('join-name').fill('Hal Helper');
    await helper.getByTestId('join-submit').click();
    const item = helper.getByTestId('queue-item').filter({ hasText: 'Where is Freeze Panes?' });
    await item.waitFor({ timeout: 60_000 });
    // The console's live connection counts as a helper online for the waiting person.
    await expect.poll(() => queueLine.textContent(), { timeout: 30_000 }).toBe('You are next · 1 helper online');
    await person.screenshot({ path: join(ARTIFACTS, 'ask-human-waiting.png') });
    await item.click();
    expect(await helper.getByTestId('request-view').textContent()).not.toContain('ana@example.org');
    await helper.getByTestId('claim').click();
    await person
      .getByTestId('chat-request-state')
      .filter({ hasText: 'Hal Helper is helping you' })
      .waitFor({ timeout: 60_000 });
    expect(await queueLine.count()).toBe(0); // claimed: no queue any more

    await helper.getByTestId('chat-input').fill('Hi Mia! Look at the menu bar.');
    await helper.getByTestId('chat-send').click();
    await person.getByTestId('chat-log').getByText('Hi Mia! Look at the menu bar.').waitFor({ timeout: 60_000 });
    await person.getByTestId('chat-input').fill('I only see File, Edit and View');
    await person.getByTestId('chat-send').click();
    await helper.getByTestId('chat-log').getByText('I only see File, Edit and View').waitFor({ timeout: 60_000 });

    await helper.getByTestId('pointer-label').fill('View');
    const image = helper.getByTestId('screenshot-image');
    await image.waitFor();
    const box = (await image.boundingBox())!;
    await helper.mouse.click(box.x + (108 / 640) * box.width, box.y + (30 / 400) * box.height);
    await person.getByTestId('chat-log').getByText('highlighted on your screen').waitFor({ timeout: 60_000 });
    const pointers = (await person.evaluate(() => (window as unknown as { pointers: unknown[] }).pointers)) as Array<{
      label: string;
      overlayBox: { x: number; y: number; w: number; h: number };
    }>;
    expect(pointers).toHaveLength(1);
    // Screenshot (108, 30) on the window at (100, 50) with the overlay at (0, 0): a 28 px ring around (208, 80).
    expect(pointers[0]!.label).toBe('View');
    expect(Math.abs(pointers[0]!.overlayBox.x + 14 - 208)).toBeLessThanOrEqual(2);
    expect(Math.abs(pointers[0]!.overlayBox.y + 14 - 80)).toBeLessThanOrEqual(2);
    // Every chat line has its time.
    expect(await person.getByTestId('chat-log').locator('time').count()).toBe(
      await person.getByTestId('chat-message').count(),
    );
    await person.screenshot({ path: join(ARTIFACTS, 'ask-human-chat.png') });
    // The overlay over the live window highlights the spot.
    const spot = overlayPage.locator('.highlight[data-label="View"]');
    await spot.waitFor({ timeout: 60_000 });
    const spotBox = (await spot.boundingBox())!;
    expect(Math.abs(spotBox.x + spotBox.width / 2 - 208)).toBeLessThanOrEqual(3);
    expect(Math.abs(spotBox.y + spotBox.height / 2 - 80)).toBeLessThanOrEqual(3);
    await overlayPage.screenshot({ path: join(ARTIFACTS, 'overlay-helper-pointer.png') });

    await helper.getByTestId('resolution').fill('View → Freeze Panes → Freeze Top Row');
    await helper.getByTestId('resolve').click();
    await person.getByTestId('chat-request-state').filter({ hasText: 'Resolved' }).waitFor({ timeout: 60_000 });
    await helper.getByTestId('save-tip').click();
    await helper.getByTestId('tip-labels').fill('View, Freeze Panes');
    await helper.getByTestId('tip-save').click();
    await helper.getByTestId('tip-saved').waitFor();

    const libraryDir = join(config, 'sidekick', 'team', 'team-library');
    const tipFile = (await until(
      () => existsSync(libraryDir) && readdirSync(libraryDir).find((file) => file.endsWith('.tip.json')),
      'tip in the requester library',
    )) as string;
    expect(JSON.parse(readFileSync(join(libraryDir, tipFile), 'utf8'))).toMatchObject({
      format: 'sidekick.tip/1',
      body: 'View → Freeze Panes → Freeze Top Row',
      app: { name: 'Gnumeric' },
      labels: ['View', 'Freeze Panes'],
    });
  }, 480_000);
});
