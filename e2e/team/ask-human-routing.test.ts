/**
 * What the person who asked is told about who is asked first, in real Chromium: the ask-human page (browser host
 * over the real app core and team feature) against a real team server process with a seeded history of printing
 * problems solved by two helpers. The waiting line names them and says why, with the time the whole team sees the
 * request; after the admin turns names off it says how many helpers instead. Screenshots: e2e/artifacts/team.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { buildRendererPages, startOverlayHost, type OverlayHost } from '../overlay/overlay-host';
import { teamFeature } from '../../src-main/team/feature';
import type { CreatedInvite, HelpRequest } from '../../src-shared/team';
import { chatTime } from '../../src-shared/clock';
import { renderStuckWindow, WINDOW } from './desktop-fixture';
import { RESOLVED_HISTORY, type ResolvedCase } from './expertise-data';
import { addMember, api, joinTeam, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`ask-human routing test skipped: ${skipReason}`);

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts', 'team');
const FRAME = { x: 0, y: 0, width: 1280, height: 800 };
const QUESTION = 'my sheet prints on too many pages';
let server: ServerProcess | null = null;
let overlay: OverlayHost | null = null;
let browser: TestBrowser | null = null;

afterAll(async () => {
  await browser?.close();
  await overlay?.close();
  await server?.stop();
});

let counter = 0;
async function resolveAs(url: string, askerToken: string, helperToken: string, item: ResolvedCase) {
  const asked = await api<{ request: HelpRequest }>(url, 'POST', '/api/v1/requests', {
    token: askerToken,
    body: {
      clientId: `asker-routing-${process.pid}-${++counter}`,
      question: item.question,
      context: { app: item.app, windowTitle: item.windowTitle, os: 'linux', displayScale: 1, ocrText: item.ocrText },
    },
  });
  expect(asked.status).toBe(201);
  for (const [action, body] of [
    ['claim', {}],
    ['resolve', { resolution: item.resolution }],
  ] as const) {
    const response = await api(url, 'POST', `/api/v1/requests/${asked.body.request.id}/${action}`, {
      token: helperToken,
      body,
    });
    expect(response.status).toBe(200);
  }
}

describe.skipIf(skipReason)('the person who asked sees who is asked first and why (Chromium)', () => {
  it('names the helpers and their reason, then only how many once names are off', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServerProcess({ dataDir: tempDataDir() });
    const url = server.url;
    const admin = await joinTeam(url, server.report.adminInvites[0]!.code, 'Ana Admin');
    const dana = await addMember(url, admin.token, 'helper', 'Dana');
    const sam = await addMember(url, admin.token, 'helper', 'Sam');
    const earlier = await addMember(url, admin.token, 'member', 'Earlier Asker');
    const printing = RESOLVED_HISTORY.filter((item) => item.helper === 'Priya');
    // Dana solved printing problems of all kinds, Sam spreadsheets spread over many pages.
    for (const n of [0, 1, 3, 4]) await resolveAs(url, earlier.token, dana.token, printing[n]!);
    for (const n of [2, 8, 7]) await resolveAs(url, earlier.token, sam.token, printing[n]!);
    const settings = await api(url, 'PATCH', '/api/v1/team/settings', {
      token: admin.token,
      body: { routeToTeamAfterMinutes: 10 },
    });
    expect(settings.status).toBe(200);
    const memberLink = (
      await api<CreatedInvite>(url, 'POST', '/api/v1/invites', { token: admin.token, body: { role: 'member' } })
    ).body.link;

    const rendererDir = await buildRendererPages();
    overlay = await startOverlayHost({
      rendererDir,
      frame: FRAME,
      features: () => [teamFeature({ queuePollMs: 500 })],
    });
    const { snapshot } = await renderStuckWindow();
    const png = await sharp(Buffer.from(snapshot.image!.data), { raw: { width: 640, height: 400, channels: 4 } })
      .png()
      .toBuffer();
    overlay.setCapture(async () => ({ window: WINDOW, image: png }));
    const state = await overlay.core.sessions.start();
    expect(state.phase, state.problem?.message).toBe('ready');
    expect((await overlay.core.sessions.ask(state.sessionId, QUESTION)).kind).toBe('none');

    browser = await launchBrowser({ viewport: { width: 900, height: 700 } });
    const person: Page = await browser.context.newPage();
    await person.goto(overlay.host.url('ask-human'));
    await person.getByTestId('team-invite').waitFor({ timeout: 60_000 });
    await person.getByTestId('team-invite').fill(memberLink);
    await person.getByTestId('team-name').fill('Mia Member');
    await person.getByTestId('team-join').click();
    await person.getByTestId('team-connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => person.getByTestId('ask-question').inputValue(), { timeout: 60_000 }).toBe(QUESTION);
    await person.getByTestId('ask-send').click();
    await person
      .getByTestId('chat-request-state')
      .filter({ hasText: 'Waiting for a helper' })
      .waitFor({ timeout: 60_000 });

    // The request as the helpers see it: who is asked first, and when the whole team is.
    const listed = await api<{ requests: HelpRequest[] }>(url, 'GET', '/api/v1/requests?state=open', {
      token: admin.token,
    });
    const routing = listed.body.requests.find((request) => request.question === QUESTION)!.routing!;
    expect(routing.suggested.map((helper) => helper.member.name)).toEqual(['Sam', 'Dana']);
    const at = chatTime(routing.wholeTeamAt);

    const asking = person.getByTestId('chat-asking');
    await asking.waitFor({ timeout: 60_000 });
    const named = await asking.innerText();
    expect(named).toBe(
      `Asking Sam and Dana first — they solved similar problems about ${routing.topic}; the whole team at ${at}`,
    );
    expect(routing.topic).toMatch(/printer|pages/);
    await person.screenshot({ path: join(ARTIFACTS, 'ask-human-asking-names.png') });

    const off = await api(url, 'PATCH', '/api/v1/team/settings', {
      token: admin.token,
      body: { showHelperNamesToRequester: false },
    });
    expect(off.status).toBe(200);
    await expect
      .poll(() => asking.innerText(), { timeout: 60_000 })
      .toBe(`Asking 2 helpers who solved similar problems about ${routing.topic} first; the whole team at ${at}`);
    expect(await person.locator('body').innerText()).not.toMatch(/\b(Dana|Sam)\b/);
    await person.screenshot({ path: join(ARTIFACTS, 'ask-human-asking-count.png') });
  }, 480_000);
});
