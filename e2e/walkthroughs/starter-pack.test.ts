/**
 * Every starter walkthrough, played on the real application under Xvfb with the same code path
 * the overlay uses: capture the window's screen region (so open menus show) → OCR (one warm
 * reader, incremental per window) → WalkthroughPlayer.feed → click the located target with
 * xdotool → the player must advance by itself (doneWhen / next target appeared) or, for steps
 * with nothing visible to watch, the test presses Next as a person would.
 * Prints "steps located / total" per app and overall.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../../src-shared/walkthrough';
import { captureWindow } from '../../src-main/capture';
import { loadLibrary, starterPackDir } from '../../src-main/walkthroughs/library';
import { WalkthroughPlayer, type PlayerState } from '../../src-main/walkthroughs/player';
import { createScreenReader, type ScreenReader } from '../../src-main/ocr';
import { desktopUnavailableReason, startDesktop, type Desktop } from '../support/desktop';

const unavailable = desktopUnavailableReason();
if (unavailable) console.warn(`starter-pack walkthrough e2e skipped: ${unavailable}`);

const WIDTH = 1100;
const HEIGHT = 720;
const LOCATE_TIMEOUT_MS = 6000;
const ADVANCE_TIMEOUT_MS = 8000;

interface AppUnderTest {
  key: string;
  command: string;
  args: string[];
  windowName: RegExp | string;
}

const APPS: AppUnderTest[] = [
  { key: 'mousepad', command: 'mousepad', args: [], windowName: 'Mousepad' },
  { key: 'gnumeric', command: 'gnumeric', args: [], windowName: 'Gnumeric' },
  { key: 'abiword', command: 'abiword', args: [], windowName: 'Untitled|AbiWord' },
];

const library = loadLibrary({ folder: starterPackDir() });
const totals = { located: 0, steps: 0, walkthroughs: 0, completed: 0 };
const failures: string[] = [];

/** One reading: capture the window region, OCR it, feed the player. */
async function observe(
  reader: ScreenReader,
  windowId: number,
  player: WalkthroughPlayer,
  windowKey: string,
): Promise<PlayerState> {
  const capture = await captureWindow(windowId);
  const screen = await reader.read(capture.image, { windowKey });
  return player.feed(screen, capture.window);
}

/** Plays one walkthrough on the live app; returns how many steps were located and whether it finished. */
async function play(
  desktop: Desktop,
  reader: ScreenReader,
  windowId: number,
  entry: LibraryEntry,
): Promise<{ located: number; finished: boolean; log: string[] }> {
  const w = entry.walkthrough;
  const player = new WalkthroughPlayer(w, { waitNoticeMs: 3000 });
  const log: string[] = [];
  let located = 0;
  let state = player.state;
  while (state.status !== 'finished') {
    const index = state.stepIndex;
    const step = w.steps[index]!;
    // Locate the current target (menus may take a moment to draw).
    const deadline = Date.now() + LOCATE_TIMEOUT_MS;
    state = await observe(reader, windowId, player, w.app.name);
    while (state.stepIndex === index && state.status === 'waiting' && Date.now() < deadline) {
      await sleep(250);
      state = await observe(reader, windowId, player, w.app.name);
    }
    if (state.stepIndex !== index || state.status === 'finished') continue; // advanced by itself already
    if (!state.screenBox || !step.target) {
      log.push(
        `step ${index + 1} "${step.target?.text}" not located${state.notice ? ` (player said: ${state.notice})` : ''}`,
      );
      return { located, finished: false, log };
    }
    located++;
    const x = Math.round(state.screenBox.x + state.screenBox.w / 2);
    const y = Math.round(state.screenBox.y + state.screenBox.h / 2);
    log.push(`step ${index + 1} "${step.target.text}" at ${x},${y}`);
    await desktop.xdotool('mousemove', '--sync', String(x), String(y));
    await desktop.xdotool('click', '1');
    if (state.needsNext) {
      // Nothing on screen tells the player this step is done (a checkbox, a list item): the person presses Next.
      await sleep(400);
      state = player.next();
      continue;
    }
    const advanceBy = Date.now() + ADVANCE_TIMEOUT_MS;
    await sleep(300);
    state = await observe(reader, windowId, player, w.app.name);
    while (state.stepIndex === index && state.status !== 'finished' && Date.now() < advanceBy) {
      await sleep(250);
      state = await observe(reader, windowId, player, w.app.name);
    }
    if (state.stepIndex === index && state.status !== 'finished') {
      log.push(`step ${index + 1}: player did not advance after the click (${state.status})`);
      return { located, finished: false, log };
    }
  }
  return { located, finished: true, log };
}

/** Closes whatever the walkthrough opened (dialogs, menus) and brings the main window back. */
async function reset(desktop: Desktop, windowId: number): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await desktop.xdotool('key', 'Escape').catch(() => '');
    await sleep(250);
  }
  await desktop.focus(windowId).catch(() => undefined);
  await sleep(300);
}

describe.skipIf(unavailable)('starter pack on real applications', () => {
  let reader: ScreenReader;
  // One desktop for every app: the capture library keeps its X connection to the first display it used.
  let desktop: Desktop;

  beforeAll(async () => {
    reader = createScreenReader();
    desktop = await startDesktop({ width: 1280, height: 800 });
    process.env.DISPLAY = desktop.display;
  }, 60_000);

  afterAll(async () => {
    await reader?.close();
    await desktop?.stop();
    if (totals.steps > 0) {
      console.log(
        `starter pack: ${totals.located}/${totals.steps} steps located, ${totals.completed}/${totals.walkthroughs} ` +
          `walkthroughs completed` +
          (failures.length ? `\n  ${failures.join('\n  ')}` : ''),
      );
    }
  });

  for (const app of APPS) {
    const entries = library.entries.filter((e) => e.path.includes(`/${app.key}/`));

    describe(app.key, () => {
      let windowId = 0;
      let pid = 0;

      beforeAll(async () => {
        const launched = await desktop.launch(app.command, app.args, app.windowName, { GTK_THEME: 'Adwaita' });
        windowId = launched.windowId;
        pid = launched.pid;
        await desktop.focus(windowId);
        await desktop.xdotool('windowmove', '--sync', String(windowId), '20', '20');
        await desktop.focus(windowId, { width: WIDTH, height: HEIGHT });
        await sleep(2500);
      }, 60_000);

      afterAll(async () => {
        if (pid) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
          await sleep(500);
        }
      });

      it('has starter walkthroughs', () => {
        expect(entries.length).toBeGreaterThan(2);
      });

      for (const entry of entries) {
        it(`${entry.walkthrough.id}: every step is located and the player advances by itself`, async () => {
          const result = await play(desktop, reader, windowId, entry);
          totals.walkthroughs++;
          totals.steps += entry.walkthrough.steps.length;
          totals.located += result.located;
          if (result.finished) totals.completed++;
          else failures.push(`${entry.walkthrough.id}: ${result.log.at(-1)}`);
          await reset(desktop, windowId);
          expect(result.finished, result.log.join('\n')).toBe(true);
          expect(result.located).toBe(entry.walkthrough.steps.length);
        }, 180_000);
      }
    });
  }
});
