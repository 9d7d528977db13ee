/**
 * The console's Insights page in real Chromium against a real server process: first an empty team ("no
 * requests in the last 30 days yet"), then a seeded history (requests from expertise-data.ts with known wait
 * times, requests sent from walkthrough steps, usage events with hostile strings). The charts and their tables
 * show the server's numbers, hostile strings stay text, and "Write a walkthrough for this" on an unanswered
 * question saves a walkthrough to the team library that the desktop's own parser loads.
 * Screenshots: e2e/artifacts/team/insights-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { HelpRequest, Insights, LibraryItem } from '../../src-shared/team';
import { parseWalkthrough } from '../../src-main/walkthroughs/library';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { RESOLVED_HISTORY } from './expertise-data';
import { api, newTeam, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`insights console test skipped: ${skipReason}`);

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts', 'team');
const HOSTILE_QUESTION = '<img src=x onerror="window.__pwned=1">how do I add a watermark';
const HOSTILE_APP = '<script>window.__pwned=1</script>Calc';
let server: ServerProcess | null = null;
let browser: TestBrowser | null = null;

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

let counter = 0;
async function ask(
  token: string,
  item: { app: string; windowTitle: string; question: string; ocrText: string },
  walkthrough?: { id: string; stepIndex: number },
): Promise<HelpRequest> {
  const response = await api<{ request: HelpRequest }>(server!.url, 'POST', '/api/v1/requests', {
    token,
    body: {
      clientId: `insights-console-${process.pid}-${++counter}`,
      question: item.question,
      context: {
        app: item.app,
        windowTitle: item.windowTitle,
        os: 'linux',
        displayScale: 1,
        ocrText: item.ocrText,
        ...(walkthrough
          ? { walkthrough: { ...walkthrough, title: 'A walkthrough', stepInstruction: 'Choose Print.' } }
          : {}),
      },
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.request;
}

async function act(token: string, id: string, action: 'claim' | 'resolve') {
  const body = action === 'resolve' ? { resolution: 'done' } : {};
  const response = await api(server!.url, 'POST', `/api/v1/requests/${id}/${action}`, { token, body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

describe.skipIf(skipReason)('Insights in the helper console (Chromium)', () => {
  it('shows an empty team, then charts and tables of a seeded history, and saves a walkthrough', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ dataDir: tempDataDir(), console: true });
    const team = await newTeam(server, 'Insights');
    browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
    await browser.context.addInitScript((token) => {
      localStorage.setItem('sidekick.console.token', token);
    }, team.helper.token);
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    await page.getByTestId('nav-insights').click();
    const empty = page.getByTestId('insights-empty');
    await empty.waitFor({ timeout: 60_000 });
    expect(await empty.innerText()).toMatch(/^No requests in the last 30 days yet\./);
    await page.getByTestId('insights-days').selectOption('7');
    await page.getByText('No requests in the last 7 days yet.').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'insights-empty.png') });

    // A history: 30 requests in six apps, two thirds resolved, with known waits per app.
    const history = RESOLVED_HISTORY.slice(0, 60).filter((_, index) => index % 2 === 0);
    const asked: Array<{ request: HelpRequest; resolved: boolean }> = [];
    for (const [index, item] of history.entries()) {
      const request = await ask(team.member.token, item);
      const resolved = index % 3 !== 2;
      await act(team.helper.token, request.id, 'claim');
      if (resolved) await act(team.helper.token, request.id, 'resolve');
      asked.push({ request, resolved });
    }
    // Stuck steps: requests sent from walkthrough steps (one with a hostile app name).
    for (let n = 0; n < 4; n++)
      await ask(
        team.member.token,
        { ...history[0]!, question: 'the print button is not there' },
        { id: 'gnumeric-print-range', stepIndex: 1 },
      );
    await ask(
      team.member.token,
      { ...history[0]!, question: 'where is freeze panes' },
      { id: 'gnumeric-freeze', stepIndex: 0 },
    );
    await ask(team.member.token, { ...history[0]!, app: HOSTILE_APP, question: 'print page numbers please' });
    const db = new Database(join(server.report.data, 'team.sqlite'));
    db.pragma('busy_timeout = 10000');
    try {
      const set = db.prepare(`UPDATE requests SET created_at = ?, claimed_at = ?, resolved_at = ? WHERE id = ?`);
      const base = Date.now() - 3 * 24 * 3600_000;
      const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
      for (const [index, { request, resolved }] of asked.entries()) {
        const wait = 2 + (request.context.app.length % 7) * 3 + (index % 3);
        set.run(at(index * 30), at(index * 30 + wait), resolved ? at(index * 30 + wait * 3 + 10) : null, request.id);
      }
    } finally {
      db.close();
    }
    const now = new Date().toISOString();
    const event = (extra: object) => ({
      clientId: `ev-${process.pid}-${++counter}`,
      at: now,
      app: 'Gnumeric',
      ...extra,
    });
    const posted = await api(server.url, 'POST', '/api/v1/events', {
      token: team.member.token,
      body: {
        events: [
          ...[1, 2, 3].map(() => event({ type: 'no_match', question: 'How do I add a watermark' })),
          event({ type: 'no_match', question: HOSTILE_QUESTION }),
          event({ type: 'no_match', app: 'AbiWord', question: 'split a table cell diagonally' }),
          ...[1, 2, 3].map(() =>
            event({ type: 'walkthrough_abandoned', walkthroughId: 'gnumeric-freeze', stepIndex: 2 }),
          ),
          event({ type: 'walkthrough_completed', walkthroughId: 'gnumeric-freeze', stepIndex: 3 }),
        ],
      },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    const expected = (await api<Insights>(server.url, 'GET', '/api/v1/insights?days=30', { token: team.helper.token }))
      .body;
    expect(expected.apps.length).toBeGreaterThanOrEqual(5);

    await page.getByTestId('insights-days').selectOption('30');
    await page.getByTestId('chart-requests').waitFor({ timeout: 60_000 });
    // Charts are canvases drawn by Chart.js; every number is in the table beside it too.
    for (const id of ['chart-requests', 'chart-minutes', 'chart-stuck-steps']) {
      const chart = page.getByTestId(id);
      expect(await chart.locator('canvas').count(), id).toBe(1);
      expect((await chart.locator('canvas').boundingBox())!.height, id).toBeGreaterThan(100);
    }
    const requestRows = page.getByTestId('chart-requests').locator('tbody tr');
    expect(await requestRows.count()).toBe(expected.apps.length);
    const top = expected.apps[0]!;
    expect(await requestRows.first().innerText()).toBe(`${top.app}\t${top.requests}\t${top.resolved}`);
    const minutesRow = page.getByTestId('chart-minutes').locator('tbody tr').first();
    expect(await minutesRow.innerText()).toBe(
      `${top.app}\t${top.medianMinutesToClaim ?? '–'}\t${top.medianMinutesToResolve ?? '–'}`,
    );
    expect(top.medianMinutesToClaim).toBeGreaterThan(0);
    const stuck = await page.getByTestId('chart-stuck-steps').locator('tbody tr').allInnerTexts();
    expect(stuck.slice(0, 2)).toEqual(['gnumeric-print-range · step 2\t4\t0', 'gnumeric-freeze · step 3\t0\t3']);
    expect(await page.getByTestId('topic').count()).toBeGreaterThan(0);
    const unanswered = await page.getByTestId('unanswered').allInnerTexts();
    expect(unanswered[0]).toMatch(/^How do I add a watermark\tGnumeric\t3\t/);
    // Hostile strings are text: shown as typed, never run or parsed as HTML.
    expect(unanswered.join('\n')).toContain(HOSTILE_QUESTION);
    expect(await page.getByTestId('chart-requests').innerText()).toContain(HOSTILE_APP);
    expect(await page.locator('.insights img, .insights script').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: join(ARTIFACTS, 'insights-page.png') });
    // The page scrolls inside the console; a tall window shows all of it at once.
    await page.setViewportSize({ width: 1400, height: 2600 });
    await page.screenshot({ path: join(ARTIFACTS, 'insights-page-full.png') });
    await page.setViewportSize({ width: 1400, height: 900 });

    // "Write a walkthrough for this" on the most asked unanswered question.
    await page.getByTestId('unanswered').first().getByTestId('unanswered-write').click();
    expect(await page.getByTestId('draft-title').inputValue()).toBe('How do I add a watermark');
    expect(await page.getByTestId('draft-app').inputValue()).toBe('Gnumeric');
    expect(await page.getByTestId('draft-questions').inputValue()).toBe('How do I add a watermark');
    await page.getByTestId('draft-save').click();
    expect(await page.getByTestId('draft-problems').innerText()).toContain('Steps: write at least one step');
    const steps = [
      ['Open the Format menu.', 'Format'],
      ['Choose Page Setup.', 'Page Setup…'],
      ['Open the Header and Footer tab.', 'Header and Footer'],
    ];
    await page.getByTestId('draft-add-step').click();
    for (const [index, [instruction, label]] of steps.entries()) {
      await page.getByTestId('draft-step-instruction').nth(index).fill(instruction!);
      await page.getByTestId('draft-step-target').nth(index).fill(label!);
    }
    await page.getByTestId('draft-step-target').nth(1).fill('x'.repeat(201));
    await page.getByTestId('draft-save').click();
    expect(await page.getByTestId('draft-problems').innerText()).toBe(
      'Step 2, on-screen label: too long (at most 200 characters).',
    );
    await page.getByTestId('draft-step-target').nth(1).fill('Page Setup…');
    await page.screenshot({ path: join(ARTIFACTS, 'insights-write-walkthrough.png') });
    await page.getByTestId('draft-save').click();
    const saved = page.getByTestId('draft-saved');
    await saved.waitFor({ timeout: 60_000 });
    const id = /as (\S+)\./.exec(await saved.innerText())![1]!;

    const library = await api<{ items: LibraryItem[] }>(server.url, 'GET', '/api/v1/library', {
      token: team.member.token,
    });
    const item = library.body.items.find((candidate) => candidate.id === id)!;
    expect(item).toMatchObject({ kind: 'walkthrough', app: 'Gnumeric', deleted: false });
    const parsed = parseWalkthrough(JSON.stringify(item.doc), `${id}.walkthrough.json`);
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.walkthrough).toMatchObject({
      id,
      title: 'How do I add a watermark',
      app: { name: 'Gnumeric', match: ['gnumeric'] },
      questions: ['How do I add a watermark'],
      steps: steps.map(([instruction, text]) => ({ instruction, target: { text } })),
    });
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
