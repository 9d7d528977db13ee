import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { IpcDispatcher } from '../base/ipc-dispatch';
import { ScreenTextSchema, type ScreenText, type WindowInfo } from '../../src-shared/screen';
import type { PlayerView } from '../../src-shared/ipc/walkthroughs';
import { WalkthroughService, type WindowShot } from './service';

const fixture = (name: string) => new URL(`../screen/fixtures/${name}`, import.meta.url);
const SCREENS: Record<string, ScreenText> = {
  view: ScreenTextSchema.parse(JSON.parse(readFileSync(fixture('gnumeric-view-menu.ocr.json'), 'utf8'))),
  closed: ScreenTextSchema.parse(JSON.parse(readFileSync(fixture('gnumeric-page-setup.ocr.json'), 'utf8'))),
};
const WINDOW: WindowInfo = {
  id: 7,
  app: 'Gnumeric',
  title: 'Book1.gnumeric',
  bounds: { x: 10, y: 20, w: 1280, h: 800 },
  scale: 1,
};
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A reader that returns the real OCR of the fixture a "capture" names (the capture's bytes are the name). */
const fixtureReader = {
  read: async (image: unknown) => SCREENS[Buffer.isBuffer(image) ? image.toString() : 'closed']!,
};

function service(extra: Partial<ConstructorParameters<typeof WalkthroughService>[0]> = {}) {
  const userDir = mkdtempSync(join(tmpdir(), 'sidekick-svc-'));
  dirs.push(userDir);
  const views: PlayerView[] = [];
  const svc = new WalkthroughService({ userDir, emit: (_e, view) => views.push(view), intervalMs: 5, ...extra });
  const dispatcher = new IpcDispatcher<unknown>().register(svc.handlers());
  return { svc, views, dispatcher, userDir };
}

describe('library channels', () => {
  it('lists, searches, saves a copy of a starter walkthrough, exports and deletes it', async () => {
    const { dispatcher } = service();
    const all = (await dispatcher.dispatch('walkthroughs:list', {}, null)) as {
      entries: { id: string; origin: string }[];
      apps: string[];
    };
    expect(all.apps).toEqual(['AbiWord', 'Gnumeric', 'Mousepad']);
    const found = (await dispatcher.dispatch('walkthroughs:list', { query: 'cross out words' }, null)) as {
      entries: { id: string; score: number }[];
    };
    expect(found.entries[0]!.id).toBe('abiword-strikethrough');

    const got = (await dispatcher.dispatch('walkthroughs:get', { id: 'gnumeric-zoom' }, null)) as {
      ok: true;
      walkthrough: { steps: { instruction: string }[] };
      readOnly: boolean;
    };
    expect(got.readOnly).toBe(true);
    got.walkthrough.steps[0]!.instruction = 'Open View (edited).';
    expect(await dispatcher.dispatch('walkthroughs:save', { walkthrough: got.walkthrough }, null)).toEqual({
      ok: true,
      id: 'gnumeric-zoom',
    });
    const mine = (await dispatcher.dispatch('walkthroughs:get', { id: 'gnumeric-zoom' }, null)) as {
      readOnly: boolean;
      origin: string;
      walkthrough: { steps: { instruction: string }[] };
    };
    expect(mine).toMatchObject({ readOnly: false, origin: 'user' });
    expect(mine.walkthrough.steps[0]!.instruction).toBe('Open View (edited).');

    const bad = (await dispatcher.dispatch(
      'walkthroughs:save',
      { walkthrough: { ...got.walkthrough, steps: [] } },
      null,
    )) as { ok: false; problem: string };
    expect(bad.problem).toMatch(/^steps:/);

    const exported = (await dispatcher.dispatch(
      'walkthroughs:export',
      { ids: ['gnumeric-zoom', 'abiword-columns'] },
      null,
    )) as { ok: true; base64: string };
    expect(Object.keys(unzipSync(Buffer.from(exported.base64, 'base64'))).sort()).toEqual([
      'abiword-columns/abiword-columns.walkthrough.json',
      'gnumeric-zoom/gnumeric-zoom.walkthrough.json',
    ]);

    expect(await dispatcher.dispatch('walkthroughs:delete', { id: 'gnumeric-zoom' }, null)).toEqual({ ok: true });
    expect(
      ((await dispatcher.dispatch('walkthroughs:get', { id: 'gnumeric-zoom' }, null)) as { origin: string }).origin,
    ).toBe('starter');
    expect(
      ((await dispatcher.dispatch('walkthroughs:delete', { id: 'gnumeric-zoom' }, null)) as { problem: string })
        .problem,
    ).toMatch(/starter pack/);
  });

  it('answers a help-session question with highlights for visible targets', async () => {
    const { svc } = service();
    const result = await svc.answer({
      question: 'keep my header row on screen',
      window: WINDOW,
      screen: SCREENS.view!,
      highlight: async (label) => ({ id: label, label, box: { x: 1, y: 2, w: 3, h: 4 } }),
    });
    expect(result).toMatchObject({ kind: 'steps', source: 'library', walkthroughId: 'gnumeric-freeze-header-row' });
    expect(
      await svc.answer({ question: 'play music', window: WINDOW, screen: SCREENS.view!, highlight: async () => null }),
    ).toBeNull();
  });
});

describe('player loop', () => {
  it('re-reads the window and pushes states until the walkthrough finishes', async () => {
    const sequence = ['closed', 'closed', 'view', 'view', 'closed'];
    let reads = 0;
    const { svc, dispatcher, views } = service({
      reader: fixtureReader,
      captureWindow: async (): Promise<WindowShot> => ({
        window: WINDOW,
        image: Buffer.from(sequence[Math.min(reads++, sequence.length - 1)]!),
      }),
      currentTarget: () => ({ window: WINDOW, toOverlay: (box, window) => ({ ...box, x: box.x + window.bounds.x }) }),
    });
    expect(svc.position()).toBeNull();
    const started = (await dispatcher.dispatch(
      'walkthroughs:player-start',
      { id: 'gnumeric-freeze-header-row' },
      null,
    )) as { ok: true };
    expect(started.ok).toBe(true);
    // Where the person is, for "I can't find it" (attached to the help request).
    expect(svc.position()).toMatchObject({
      id: 'gnumeric-freeze-header-row',
      stepIndex: 0,
      stepInstruction: expect.stringMatching(/View/) as unknown,
    });
    const deadline = Date.now() + 5000;
    while (!views.some((v) => v.status === 'finished') && Date.now() < deadline) await sleep(20);
    expect(views.map((v) => `${v.stepIndex}:${v.status}`)).toEqual(
      expect.arrayContaining(['0:showing', '1:showing', '1:finished']),
    );
    const first = views.find((v) => v.stepIndex === 0 && v.target?.box)!;
    expect(first.target!.box!.x).toBeGreaterThan(10);
    expect(await dispatcher.dispatch('walkthroughs:player-control', { action: 'next' }, null)).toMatchObject({
      status: 'finished',
    });
    expect(svc.position()).toBeNull();
  });

  it('follows the window when it moves: the target box is placed from the latest capture', async () => {
    let reads = 0;
    const moved = (dx: number): WindowInfo => ({ ...WINDOW, bounds: { ...WINDOW.bounds, x: WINDOW.bounds.x + dx } });
    const { dispatcher, views } = service({
      reader: fixtureReader,
      captureWindow: async (): Promise<WindowShot> => ({
        window: moved(reads++ < 2 ? 0 : 300),
        image: Buffer.from('closed'),
      }),
      currentTarget: () => ({ window: WINDOW, toOverlay: (box, window) => ({ ...box, x: box.x + window.bounds.x }) }),
    });
    await dispatcher.dispatch('walkthroughs:player-start', { id: 'gnumeric-freeze-header-row' }, null);
    const deadline = Date.now() + 5000;
    while (reads < 5 && Date.now() < deadline) await sleep(20);
    const xs = [...new Set(views.filter((v) => v.target?.box).map((v) => Math.round(v.target!.box!.x)))];
    expect(xs.length).toBe(2);
    expect(xs[1]! - xs[0]!).toBe(300);
    await dispatcher.dispatch('walkthroughs:player-control', { action: 'stop' }, null);
  });

  it('says what to do when there is no help session', async () => {
    const { dispatcher } = service();
    expect(await dispatcher.dispatch('walkthroughs:player-start', { id: 'gnumeric-zoom' }, null)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/hotkey/) as unknown,
    });
  });
});

describe('recorder channels', () => {
  it('captures, snaps clicks to text, edits, reorders and saves with thumbnails', async () => {
    const png = readFileSync(fixture('gnumeric-view-menu.png'));
    const { dispatcher, userDir } = service({
      reader: { read: async () => SCREENS.view! },
      captureForRecording: async () => ({ window: WINDOW, image: png }),
    });
    const shot = (await dispatcher.dispatch('walkthroughs:record-capture', {}, null)) as {
      ok: true;
      index: number;
      image: string;
    };
    expect(shot.image.startsWith('data:image/png;base64,')).toBe(true);
    const panes = SCREENS.view!.elements.find((e) => e.kind === 'word' && e.text === 'Panes')!.box;
    const view = SCREENS.view!.elements.find((e) => e.kind === 'word' && e.text === 'View')!.box;
    await dispatcher.dispatch(
      'walkthroughs:record-add-step',
      { captureIndex: 0, x: panes.x + 2, y: panes.y + 2 },
      null,
    );
    const added = (await dispatcher.dispatch(
      'walkthroughs:record-add-step',
      { captureIndex: 0, x: view.x + 2, y: view.y + 2 },
      null,
    )) as { view: { steps: { instruction: string }[] } };
    expect(added.view.steps.map((s) => s.instruction)).toEqual(['Click Freeze Panes.', 'Open the View menu.']);
    const moved = (await dispatcher.dispatch('walkthroughs:record-change-step', { index: 1, moveTo: 0 }, null)) as {
      view: { steps: { instruction: string }[]; suggested: { title: string } };
    };
    expect(moved.view.steps[0]!.instruction).toBe('Open the View menu.');
    expect(moved.view.suggested.title).toBe('Freeze Panes in Gnumeric');
    const saved = (await dispatcher.dispatch(
      'walkthroughs:record-save',
      { title: 'Freeze the top row', questions: ['how do I freeze the top row'], appName: 'Gnumeric' },
      null,
    )) as { ok: true; id: string; path: string };
    expect(saved.path.startsWith(userDir)).toBe(true);
    const list = (await dispatcher.dispatch('walkthroughs:list', { query: 'freeze the top row' }, null)) as {
      entries: { id: string }[];
    };
    expect(list.entries.map((e) => e.id)).toContain('gnumeric-freeze-the-top-row');
    expect(
      ((await dispatcher.dispatch('walkthroughs:get', { id: saved.id }, null)) as { images: Record<string, string> })
        .images['step-1.png'],
    ).toMatch(/^data:image\/png/);
  });
});

describe('recorder hotkey', () => {
  it('captures for the recording on a hotkey press only while the recorder window is open', async () => {
    const png = readFileSync(fixture('gnumeric-view-menu.png'));
    let captures = 0;
    const announced: unknown[] = [];
    const { svc, dispatcher } = service({
      reader: { read: async () => SCREENS.view! },
      captureForRecording: async () => {
        captures++;
        return { window: WINDOW, image: png };
      },
      emitRecorderCaptured: (result) => announced.push(result),
    });
    expect(svc.takeHotkey()).toBe(false);
    expect(captures).toBe(0);

    await dispatcher.dispatch('walkthroughs:record-arm', { armed: true }, null);
    expect(svc.takeHotkey()).toBe(true);
    await expect.poll(() => announced.length).toBe(1);
    expect(announced[0]).toMatchObject({
      ok: true,
      index: 0,
      view: { captures: [{ index: 0 }], suggested: { appName: 'Gnumeric' } },
    });
    expect(captures).toBe(1);

    await dispatcher.dispatch('walkthroughs:record-arm', { armed: false }, null);
    expect(svc.takeHotkey()).toBe(false);
    expect(captures).toBe(1);
  });
});
