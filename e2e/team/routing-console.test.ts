/**
 * Routing in the helper console, in real Chromium against a real server process: a helper who solved printing
 * problems gets new printing requests first (highlighted, a beep and a desktop notification once alerts are on),
 * sees a pivot-table request as someone else's until its `wholeTeamAt` (the page's clock is moved on, the server
 * has no timer), a request with no history goes to everyone at once and says so; the People view answers "who
 * knows pivot tables"; an admin changes the team settings (a bad value gets the server's message).
 * Screenshots: e2e/artifacts/team.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreatedInvite, HelpRequest, TeamSettingsAnswer } from '../../src-shared/team';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { RESOLVED_HISTORY, type ResolvedCase } from './expertise-data';
import { addMember, api, newTeam, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`routing console test skipped: ${skipReason}`);

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts', 'team');
let server: ServerProcess | null = null;
const browsers: TestBrowser[] = [];

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await server?.stop();
});

let counter = 0;
async function ask(url: string, token: string, item: { question: string; app?: string; ocrText?: string }) {
  const response = await api<{ request: HelpRequest }>(url, 'POST', '/api/v1/requests', {
    token,
    body: {
      clientId: `routing-console-${process.pid}-${++counter}`,
      question: item.question,
      context: {
        app: item.app ?? 'Gnumeric',
        windowTitle: 'sales.gnumeric',
        os: 'linux',
        displayScale: 1,
        ocrText: item.ocrText ?? 'File Edit View',
      },
    },
  });
  expect(response.status).toBe(201);
  return response.body.request;
}

async function resolveAs(url: string, asker: string, helper: string, item: ResolvedCase) {
  const request = await ask(url, asker, item);
  for (const [action, body] of [
    ['claim', {}],
    ['resolve', { resolution: item.resolution }],
  ] as const) {
    const response = await api(url, 'POST', `/api/v1/requests/${request.id}/${action}`, { token: helper, body });
    expect(response.status).toBe(200);
  }
}

const queueItem = (page: Page, id: string) => page.locator(`[data-testid="queue"] li:has([data-request-id="${id}"])`);

describe.skipIf(skipReason)('routing in the helper console (Chromium)', () => {
  it('highlights and alerts requests routed to me, then the whole team; people directory; team settings', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ dataDir: tempDataDir(), console: true });
    const url = server.url;
    const team = await newTeam(server, 'Console');
    const tomasz = await addMember(url, team.admin.token, 'helper', 'Tomasz');
    const minute = await api(url, 'PATCH', '/api/v1/team/settings', {
      token: team.admin.token,
      body: { routeToTeamAfterMinutes: 1 },
    });
    expect(minute.status).toBe(200);
    const invite = await api<CreatedInvite>(url, 'POST', '/api/v1/invites', {
      token: team.admin.token,
      body: { role: 'helper' },
    });

    const browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
    browsers.push(browser);
    await browser.context.grantPermissions(['notifications'], { origin: url });
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // The page's clock runs normally until the test moves it on (to reach a request's wholeTeamAt).
    await page.clock.install();
    await page.goto(invite.body.link);
    await page.getByTestId('join-name').fill('Priya');
    await page.getByTestId('join-submit').click();
    await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor({ timeout: 60_000 });
    const priyaToken = (await page.evaluate(() => localStorage.getItem('sidekick.console.token')))!;
    await page.getByTestId('alerts-on').click();
    await page.getByTestId('alerts-state').filter({ hasText: 'alerts on' }).waitFor();

    // No history yet: the request goes to everyone at once, and the queue says why.
    const first = await ask(url, team.member.token, { question: 'how do I change the default font' });
    const firstAlert = page.getByTestId('route-alert').filter({ hasText: first.question });
    await firstAlert.waitFor({ timeout: 60_000 });
    expect(await firstAlert.getAttribute('data-via')).toBe('desktop');
    expect(await queueItem(page, first.id).getByTestId('routing-badge').innerText()).toBe(
      'whole team · no one has solved this yet: the team has no resolved requests',
    );
    expect(await queueItem(page, first.id).getAttribute('data-for-me')).toBe('yes');

    const printing = RESOLVED_HISTORY.filter((item) => item.helper === 'Priya').slice(0, 3);
    const pivot = RESOLVED_HISTORY.filter((item) => item.helper === 'Tomasz').slice(0, 3);
    for (const item of printing) await resolveAs(url, team.member.token, priyaToken, item);
    for (const item of pivot) await resolveAs(url, team.member.token, tomasz.token, item);

    // Routed to Priya: highlighted, "for you", an alert with a desktop notification.
    const newPrinting = await ask(url, team.member.token, {
      question: 'the printer puts my spreadsheet on nine pages of paper',
    });
    const printingAlert = page.getByTestId('route-alert').filter({ hasText: newPrinting.question });
    await printingAlert.waitFor({ timeout: 60_000 });
    expect(await printingAlert.getAttribute('data-via')).toBe('desktop');
    const printingItem = queueItem(page, newPrinting.id);
    expect(await printingItem.getAttribute('class')).toContain('for-me');
    expect(await printingItem.getByTestId('routing-badge').innerText()).toMatch(
      /^FOR YOU asking you.* · whole team at \d\d:\d\d/,
    );

    // Routed to Tomasz: not for Priya yet, no alert, not highlighted.
    const newPivot = await ask(url, team.member.token, { question: 'totals per region in a pivot table please' });
    const pivotItem = queueItem(page, newPivot.id);
    await pivotItem.waitFor({ timeout: 60_000 });
    expect(await pivotItem.getAttribute('data-for-me')).toBe('no');
    expect(await pivotItem.getAttribute('class')).not.toContain('for-me');
    expect(await pivotItem.getByTestId('routing-badge').innerText()).toMatch(/^asking Tomasz · whole team at /);
    expect(await page.getByTestId('route-alert').innerText()).toContain(newPrinting.question);
    await page.screenshot({ path: join(ARTIFACTS, 'routing-queue.png') });

    // "Suggested for me" reads the routing: the printing request, not the pivot one.
    await page.getByTestId('filter-suggested').click();
    await page.locator(`[data-testid="queue-item"][data-request-id="${newPrinting.id}"]`).waitFor();
    expect(await page.locator(`[data-testid="queue-item"][data-request-id="${newPivot.id}"]`).count()).toBe(0);
    await page.getByTestId('filter-open').click();

    // A minute later, unclaimed, the pivot request is the whole team's: for Priya too, with an alert.
    await page.clock.fastForward('01:05');
    const pivotAlert = page.getByTestId('route-alert').filter({ hasText: newPivot.question });
    await pivotAlert.waitFor({ timeout: 60_000 });
    expect(await pivotItem.getAttribute('data-for-me')).toBe('yes');
    expect(await pivotItem.getByTestId('routing-badge').innerText()).toBe('whole team now · first asked: Tomasz');

    // Who knows pivot tables?
    await page.getByTestId('nav-people').click();
    await page.getByTestId('people-search').fill('pivot tables');
    await page.locator('[data-testid="people"][data-query="pivot tables"]').waitFor({ timeout: 60_000 });
    const firstPerson = await page.getByTestId('person').first().innerText();
    expect(firstPerson).toMatch(/^Tomasz/);
    expect(firstPerson).toMatch(/solved 3 requests/);
    expect(firstPerson).toMatch(/pivot/i);
    await page.screenshot({ path: join(ARTIFACTS, 'people-directory.png') });
    await page.getByTestId('people-search').fill('');
    await page.locator('[data-testid="people"][data-query=""]').waitFor({ timeout: 60_000 });
    const everyone = await page.getByTestId('person').allInnerTexts();
    expect(everyone.map((text) => text.split('\n')[0])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Priya/), expect.stringMatching(/^Console Member/)]),
    );

    // Helpers see the settings, only admins change them.
    await page.getByTestId('nav-settings').click();
    expect(await page.getByTestId('settings-minutes').isDisabled()).toBe(true);
    expect(await page.getByTestId('settings-save').count()).toBe(0);

    const adminBrowser = await launchBrowser({ viewport: { width: 1100, height: 700 } });
    browsers.push(adminBrowser);
    const admin = await adminBrowser.context.newPage();
    admin.on('pageerror', (error) => problems.push(error.message));
    await admin.goto(url);
    await admin.evaluate((token) => localStorage.setItem('sidekick.console.token', token), team.admin.token);
    await admin.reload();
    await admin.getByTestId('nav-settings').click();
    const minutes = admin.getByTestId('settings-minutes');
    await expect.poll(() => minutes.inputValue(), { timeout: 60_000 }).toBe('1');
    await minutes.fill('-3');
    await admin.getByTestId('settings-save').click();
    await admin
      .getByTestId('settings-error')
      .filter({ hasText: 'routeToTeamAfterMinutes must be 0 (everyone at once) or more' })
      .waitFor({ timeout: 60_000 });
    await minutes.fill('3');
    await admin.getByTestId('settings-names').uncheck();
    await admin.getByTestId('settings-save').click();
    await admin.getByTestId('settings-saved').waitFor({ timeout: 60_000 });
    expect(await admin.getByTestId('settings-changed').innerText()).toMatch(/^Last changed by Console Admin at /);
    await admin.screenshot({ path: join(ARTIFACTS, 'team-settings.png') });
    const stored = await api<TeamSettingsAnswer>(url, 'GET', '/api/v1/team/settings', { token: team.helper.token });
    expect(stored.body.settings).toEqual({ routeToTeamAfterMinutes: 3, showHelperNamesToRequester: false });
    expect(problems).toEqual([]);
  }, 600_000);
});
