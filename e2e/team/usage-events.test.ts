/**
 * Opt-in usage events from the desktop, end to end: the real app core behind the browser host with the app's
 * real features (walkthrough library and player, team), a real team server process, and Settings → Team in
 * real Chromium. Off (the default): a question nothing answers and a closed walkthrough leave nothing on disk
 * and nothing reaches the server. On: the question (an e-mail address redacted), a finished and a closed
 * walkthrough arrive in GET /api/v1/insights without saying who sent them. Server down: kept on disk and
 * delivered when it is back. Off again: nothing kept. Screenshot: e2e/artifacts/team/usage-sharing-settings.png.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { sidekickFeatures } from '../../src-main/app/features';
import type { CreatedInvite, Insights } from '../../src-shared/team';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { buildRendererPages, startOverlayHost, type OverlayHost } from '../overlay/overlay-host';
import { renderStuckWindow, until, WINDOW } from './desktop-fixture';
import { api, joinTeam, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`usage events test skipped: ${skipReason}`);

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts', 'team');
let server: ServerProcess | null = null;
let overlay: OverlayHost | null = null;
let browser: TestBrowser | null = null;

afterAll(async () => {
  await browser?.close();
  await overlay?.close();
  await server?.stop();
});

describe.skipIf(skipReason)('opt-in usage events from the desktop (real core, real server)', () => {
  it('sends nothing while off; on: redacted, anonymous, kept through an outage; off again: nothing kept', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const dataDir = tempDataDir();
    server = await startServerProcess({ dataDir });
    const port = server.port;
    const admin = await joinTeam(server.url, server.report.adminInvites[0]!.code, 'Ana Admin');
    const invite = await api<CreatedInvite>(server.url, 'POST', '/api/v1/invites', {
      token: admin.token,
      body: { role: 'member' },
    });

    const rendererDir = await buildRendererPages();
    overlay = await startOverlayHost({
      rendererDir,
      frame: { x: 0, y: 0, width: 1280, height: 800 },
      // The app's own feature list and wiring; only the batching is quick (a batch of 3 events, or every 0.5 s).
      features: () =>
        sidekickFeatures({ usage: { flushMs: 500, batchSize: 3, minBackoffMs: 200, maxBackoffMs: 1000 } }),
    });
    const host = overlay;
    const queueFile = join(process.env.XDG_CONFIG_HOME!, 'sidekick', 'team', 'usage-events.json');
    const queued = (): Array<Record<string, unknown>> =>
      existsSync(queueFile)
        ? (JSON.parse(readFileSync(queueFile, 'utf8')) as { events: Array<Record<string, unknown>> }).events
        : [];
    const { snapshot } = await renderStuckWindow();
    const png = await sharp(Buffer.from(snapshot.image!.data), { raw: { width: 640, height: 400, channels: 4 } })
      .png()
      .toBuffer();
    host.setCapture(async () => ({ window: WINDOW, image: png }));
    const invoke = (channel: string, request: object) =>
      host.core.dispatcher.dispatch(channel, request, { window: 'overlay' });
    const joined = (await invoke('team:join', { invite: invite.body.link, name: 'Mia Member' })) as { ok: boolean };
    expect(joined.ok).toBe(true);
    const state = await host.core.sessions.start();
    expect(state.phase, state.problem?.message).toBe('ready');
    const unanswerable = async (question: string) => {
      const answer = await host.core.sessions.ask(state.sessionId, question);
      expect(answer.kind, JSON.stringify(answer)).toBe('none');
    };
    const play = async (steps: Array<'next' | 'stop'>) => {
      const started = (await invoke('walkthroughs:player-start', { id: 'gnumeric-freeze-header-row' })) as {
        ok: boolean;
      };
      expect(started.ok, JSON.stringify(started)).toBe(true);
      for (const action of steps) await invoke('walkthroughs:player-control', { action });
    };
    const insights = async () =>
      (await api<Insights>(server!.url, 'GET', '/api/v1/insights?days=1', { token: admin.token })).body;

    // Off by default: nothing is recorded, so nothing can ever be sent.
    expect(host.core.settings.get().team.shareUsage).toBe(false);
    await unanswerable('how do I fax the zebra ledger to off@example.org');
    await play(['stop']);
    expect(queued()).toEqual([]);
    expect(existsSync(queueFile)).toBe(false);

    // Settings → Team: the person turns it on.
    browser = await launchBrowser({ viewport: { width: 680, height: 900 } });
    const page = await browser.context.newPage();
    await page.goto(host.host.url('settings'));
    const checkbox = page.getByTestId('share-usage');
    await checkbox.waitFor({ timeout: 60_000 });
    expect(await checkbox.isChecked()).toBe(false);
    expect(await page.getByLabel('Share anonymous usage with my team').count()).toBe(1);
    await checkbox.check();
    await until(() => host.core.settings.get().team.shareUsage, 'the setting saved');
    await page.getByText('Share anonymous usage with my team').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'usage-sharing-settings.png'), fullPage: true });

    // On: a question nothing answers (with an e-mail address), a finished and a closed walkthrough: one batch.
    await unanswerable('how do I fax the zebra ledger to ana@example.org');
    await play(['next', 'next']);
    await play(['next', 'stop']);
    const arrived = await until(async () => {
      const current = await insights();
      return current.unanswered.length && current.walkthroughs.length ? current : null;
    }, 'the events in insights');
    expect(arrived.unanswered).toEqual([
      {
        question: 'how do I fax the zebra ledger to [email]',
        app: 'Gnumeric',
        count: 1,
        lastAt: expect.any(String) as unknown,
      },
    ]);
    expect(arrived.walkthroughs).toEqual([{ walkthroughId: 'gnumeric-freeze-header-row', completed: 1, abandoned: 1 }]);
    expect(arrived.stuckSteps).toEqual([
      { walkthroughId: 'gnumeric-freeze-header-row', stepIndex: 1, requests: 0, abandoned: 1 },
    ]);
    const wire = JSON.stringify(arrived);
    expect(wire).not.toContain('ana@example.org');
    expect(wire).not.toContain('off@example.org'); // recorded while off: never sent
    const members = await api<{ members: Array<{ id: string; name: string }> }>(server.url, 'GET', '/api/v1/members', {
      token: admin.token,
    });
    const mia = members.body.members.find((member) => member.name === 'Mia Member')!;
    expect(wire).not.toContain(mia.id); // nobody is named in the insights
    expect(wire).not.toContain(mia.name);
    await until(() => queued().length === 0, 'the queue emptied after the acknowledgement');

    // The server goes down: the event stays on disk, and is delivered once the server is back.
    await server.stop();
    await unanswerable('how do I fax the zebra ledger while the server sleeps');
    expect(queued()).toMatchObject([
      { type: 'no_match', question: 'how do I fax the zebra ledger while the server sleeps' },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a few failed sends with backoff
    expect(queued()).toHaveLength(1);
    server = await startServerProcess({ dataDir, port });
    await until(
      async () => (await insights()).unanswered.some((u) => u.question.includes('while the server sleeps')),
      'the kept event delivered after the outage',
    );
    await until(() => queued().length === 0, 'the queue emptied after the outage');

    // Off again: nothing is kept.
    await page.reload();
    await page.getByTestId('share-usage').uncheck();
    await until(() => !host.core.settings.get().team.shareUsage, 'the setting saved off');
    await unanswerable('how do I fax the zebra ledger after opting out');
    await play(['stop']);
    expect(queued()).toEqual([]);
    expect((await insights()).unanswered.map((u) => u.question)).toEqual(
      expect.not.arrayContaining([expect.stringContaining('after opting out')]),
    );
  }, 600_000);
});
