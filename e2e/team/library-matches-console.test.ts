/**
 * "From your team's library" in the helper console, in real Chromium against a real server process: a request
 * lists the team's matching walkthroughs and tips with their reasons; Send to chat puts one into the chat, where
 * the person's client receives it as a `library` message. Screenshot: e2e/artifacts/team/library-matches.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatMessage, CreatedInvite, HelpRequest, TipDoc } from '../../src-shared/team';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { api, newTeam, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`library matches console test skipped: ${skipReason}`);

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts', 'team');
const STARTER = fileURLToPath(new URL('../../resources/walkthroughs/gnumeric', import.meta.url));
/** A tip whose title and text hold markup: the console must show it as text. */
const TIP: TipDoc = {
  format: 'sidekick.tip/1',
  id: 'tip-print-selection',
  title: 'Print only the selected cells <b>fast</b>',
  body: 'Select the cells, then File ▸ Print Area ▸ Set Print Area <img src=x onerror="window.pwned=1">, and print.',
  app: { name: 'Gnumeric' },
  labels: ['Print Area'],
  questions: ['print part of a sheet'],
};

let server: ServerProcess | null = null;
let browser: TestBrowser | null = null;

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

let counter = 0;
async function ask(url: string, token: string, question: string) {
  const response = await api<{ request: HelpRequest }>(url, 'POST', '/api/v1/requests', {
    token,
    body: {
      clientId: `console-matches-${process.pid}-${++counter}`,
      question,
      context: {
        app: 'Gnumeric',
        windowTitle: 'sales.gnumeric',
        os: 'linux',
        displayScale: 1,
        ocrText: 'File Edit View',
      },
    },
  });
  expect(response.status).toBe(201);
  return response.body.request;
}

describe.skipIf(skipReason)("the team library's matches in the helper console (Chromium)", () => {
  it('lists matches with reasons and sends a walkthrough and a tip into the chat', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ dataDir: tempDataDir(), console: true });
    const url = server.url;
    const team = await newTeam(server, 'Library');
    for (const file of ['gnumeric-freeze-header-row', 'gnumeric-sort-rows', 'gnumeric-zoom', 'gnumeric-insert-chart']) {
      const doc = JSON.parse(readFileSync(join(STARTER, `${file}.walkthrough.json`), 'utf8')) as { id: string };
      const saved = await api(url, 'PUT', `/api/v1/library/${doc.id}`, {
        token: team.helper.token,
        body: { baseVersion: 0, doc },
      });
      expect(saved.status).toBe(200);
    }
    expect(
      (
        await api(url, 'PUT', `/api/v1/library/${TIP.id}`, {
          token: team.helper.token,
          body: { baseVersion: 0, doc: TIP },
        })
      ).status,
    ).toBe(200);
    const freeze = await ask(url, team.member.token, 'my column titles vanish when I scroll down the sheet');

    const invite = await api<CreatedInvite>(url, 'POST', '/api/v1/invites', {
      token: team.admin.token,
      body: { role: 'helper' },
    });
    browser = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
    const page = await browser.context.newPage();
    await page.goto(invite.body.link);
    await page.getByTestId('join-name').fill('Priya');
    await page.getByTestId('join-submit').click();
    await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor({ timeout: 60_000 });

    await page.locator(`[data-testid="queue-item"][data-request-id="${freeze.id}"]`).click();
    const first = page.getByTestId('library-match').first();
    await first.waitFor({ timeout: 60_000 });
    expect(await first.getAttribute('data-id')).toBe('gnumeric-freeze-header-row');
    expect(await first.innerText()).toContain('Keep the header row visible while scrolling');
    expect(await first.getByTestId('library-match-reason').innerText()).toMatch(/match for Gnumeric; it has “/);
    await first.getByTestId('send-library-item').click();
    const sent = page.getByTestId('chat-message').filter({ hasText: 'sent the walkthrough' });
    await sent.waitFor({ timeout: 60_000 });
    expect(await sent.innerText()).toContain('sent the walkthrough “Keep the header row visible while scrolling”');
    await expect.poll(() => first.getByTestId('send-library-item').innerText()).toBe('Send again');
    await page.screenshot({ path: join(ARTIFACTS, 'library-matches.png') });

    // The person's side gets the message with the item to play.
    const listed = await api<{ messages: ChatMessage[] }>(url, 'GET', `/api/v1/requests/${freeze.id}/messages`, {
      token: team.member.token,
    });
    expect(listed.body.messages.find((m) => m.kind === 'library')?.library).toEqual({
      id: 'gnumeric-freeze-header-row',
      kind: 'walkthrough',
      title: 'Keep the header row visible while scrolling',
      app: 'Gnumeric',
    });

    // A tip: its text shows in the list and in the chat, markup as text.
    const print = await ask(url, team.member.token, 'can I print just a few cells?');
    await page.locator(`[data-testid="queue-item"][data-request-id="${print.id}"]`).click();
    const tip = page.locator('[data-testid="library-match"][data-id="tip-print-selection"]');
    await tip.waitFor({ timeout: 60_000 });
    expect(await tip.innerText()).toContain('Print only the selected cells <b>fast</b>');
    await tip.getByTestId('send-library-item').click();
    const tipMessage = page.getByTestId('chat-message').filter({ hasText: 'sent the tip' });
    await tipMessage.waitFor({ timeout: 60_000 });
    expect(await tipMessage.innerText()).toContain(`: ${TIP.body}`);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    await page.screenshot({ path: join(ARTIFACTS, 'library-matches-tip.png') });
  }, 600_000);
});
