/**
 * "Who knows what" in the helper console, in real Chromium against a real server process: a helper who
 * resolved printing requests sees a new printing request under "suggested for me" (and not the pivot-table
 * one), and each request shows its suggested helpers with their reasons. Screenshot: e2e/artifacts/team.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreatedInvite, HelpRequest } from '../../src-shared/team';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { RESOLVED_HISTORY } from './expertise-data';
import { addMember, api, newTeam, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`expertise console test skipped: ${skipReason}`);

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts', 'team');
let server: ServerProcess | null = null;
let browser: TestBrowser | null = null;

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

let counter = 0;
async function ask(url: string, token: string, item: (typeof RESOLVED_HISTORY)[number] | { question: string }) {
  const base = { app: 'Gnumeric', windowTitle: 'sales.gnumeric', ocrText: 'File Edit View' };
  const source = { ...base, ...item };
  const response = await api<{ request: HelpRequest }>(url, 'POST', '/api/v1/requests', {
    token,
    body: {
      clientId: `console-expertise-${process.pid}-${++counter}`,
      question: source.question,
      context: {
        app: source.app,
        windowTitle: source.windowTitle,
        os: 'linux',
        displayScale: 1,
        ocrText: source.ocrText,
      },
    },
  });
  expect(response.status).toBe(201);
  return response.body.request;
}

async function resolveAs(url: string, asker: string, helper: string, item: (typeof RESOLVED_HISTORY)[number]) {
  const request = await ask(url, asker, item);
  for (const [action, body] of [
    ['claim', {}],
    ['resolve', { resolution: item.resolution }],
  ] as const) {
    const response = await api(url, 'POST', `/api/v1/requests/${request.id}/${action}`, { token: helper, body });
    expect(response.status).toBe(200);
  }
}

describe.skipIf(skipReason)('who knows what in the helper console (Chromium)', () => {
  it('filters "suggested for me" and shows suggested helpers with reasons', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ dataDir: tempDataDir(), console: true });
    const url = server.url;
    const team = await newTeam(server, 'Console');
    const tomasz = await addMember(url, team.admin.token, 'helper', 'Tomasz');
    const invite = await api<CreatedInvite>(url, 'POST', '/api/v1/invites', {
      token: team.admin.token,
      body: { role: 'helper' },
    });
    browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
    const page = await browser.context.newPage();
    await page.goto(invite.body.link);
    await page.getByTestId('join-name').fill('Priya');
    await page.getByTestId('join-submit').click();
    await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor({ timeout: 60_000 });
    const priyaToken = await page.evaluate(() => localStorage.getItem('sidekick.console.token'));
    expect(priyaToken).toBeTruthy();

    const printing = RESOLVED_HISTORY.filter((item) => item.helper === 'Priya').slice(0, 3);
    const pivot = RESOLVED_HISTORY.filter((item) => item.helper === 'Tomasz').slice(0, 3);
    for (const item of printing) await resolveAs(url, team.member.token, priyaToken!, item);
    for (const item of pivot) await resolveAs(url, team.member.token, tomasz.token, item);
    const newPrinting = await ask(url, team.member.token, {
      question: 'the printer puts my spreadsheet on nine pages of paper',
    });
    const newPivot = await ask(url, team.member.token, { question: 'totals per region in a pivot table please' });

    await page.getByTestId('filter-suggested').click();
    const item = page.locator(`[data-testid="queue-item"][data-request-id="${newPrinting.id}"]`);
    await item.waitFor({ timeout: 60_000 });
    expect(await page.locator(`[data-testid="queue-item"][data-request-id="${newPivot.id}"]`).count()).toBe(0);
    await item.click();
    const first = page.getByTestId('suggested-helper').first();
    await first.waitFor({ timeout: 60_000 });
    const text = await first.innerText();
    expect(text).toMatch(/^Priya/);
    expect(text).toMatch(/resolved \d similar requests? in .+, e\.g\. '/);
    expect(text).toContain('online now');
    await page.screenshot({ path: join(ARTIFACTS, 'suggested-helpers.png') });

    await page.getByTestId('filter-open').click();
    await page.locator(`[data-testid="queue-item"][data-request-id="${newPivot.id}"]`).click();
    await page.getByTestId('suggested-helper').filter({ hasText: 'Tomasz' }).first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('suggested-helper').first().innerText()).toMatch(/^Tomasz/);
  }, 600_000);
});
