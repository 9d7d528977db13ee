/**
 * Capture of a real application window: Xvfb + openbox + Gnumeric, captured through the same
 * core the app uses (src-main/capture), read with the app's OCR, and checked against the boxes
 * Gnumeric itself reports over AT-SPI.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Box, ScreenText } from '../../src-shared/screen';
import { captureFocusedWindow, captureWindow, CaptureError, type WindowCapture } from '../../src-main/capture';
import { createScreenReader, type ScreenReader } from '../../src-main/ocr';
import { locateLabel } from '../../src-main/screen';
import type { CaptureResult } from '../../src-main/cli/commands/capture';
import type { TruthElement } from '../fixtures/screens/truth';
import { desktopUnavailableReason, startDesktop, type AppWindow, type Desktop } from '../support/desktop';
import {
  accessibilityUnavailableReason,
  accessibleElements,
  clientOrigin,
  escapeRegExp,
} from '../support/make-fixtures';

const run = promisify(execFile);
const MENUS = ['File', 'Edit', 'View', 'Insert', 'Format', 'Tools', 'Data', 'Help'];
const VIEW_MENU_ITEMS = ['Freeze Panes', 'Full Screen', 'Zoom...'];

const skipReason =
  desktopUnavailableReason() ??
  (['/usr/bin/gnumeric', '/usr/bin/xterm'].find((bin) => !existsSync(bin))
    ? 'gnumeric or xterm is not installed (apt-get install gnumeric xterm)'
    : null) ??
  accessibilityUnavailableReason();
if (skipReason) console.warn(`skipping desktop capture tests: ${skipReason}`);

function center(box: Box): { x: number; y: number } {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
}

/** True when the OCR box's center lies inside the truth box (widget extents), with a little slack. */
function centerInside(ocr: Box, truth: Box, slack = 2): boolean {
  const c = center(ocr);
  return (
    c.x >= truth.x - slack &&
    c.x <= truth.x + truth.w + slack &&
    c.y >= truth.y - slack &&
    c.y <= truth.y + truth.h + slack
  );
}

describe.skipIf(skipReason)('capture of a real Gnumeric window (Xvfb + openbox + AT-SPI)', () => {
  let desktop: Desktop;
  let gnumeric: AppWindow;
  let reader: ScreenReader;

  async function truthFor(shot: WindowCapture): Promise<TruthElement[]> {
    return accessibleElements(desktop, {
      pid: gnumeric.pid,
      title: `^${escapeRegExp(shot.window.title)}$`,
      origin: { x: shot.window.bounds.x, y: shot.window.bounds.y },
      size: { width: shot.image.width, height: shot.image.height },
    });
  }

  function expectLabelsOnTruth(screen: ScreenText, truth: TruthElement[], labels: string[]): void {
    for (const label of labels) {
      const expected = truth.find((e) => e.name === label);
      expect(expected, `AT-SPI lists "${label}"`).toBeDefined();
      const match = locateLabel(screen, label);
      expect(match.box, `OCR found "${label}"`).not.toBeNull();
      expect(
        centerInside(match.box!, expected!.box),
        `"${label}" OCR ${JSON.stringify(match.box)} vs AT-SPI ${JSON.stringify(expected!.box)}`,
      ).toBe(true);
    }
  }

  beforeAll(async () => {
    desktop = await startDesktop({ width: 1920, height: 1080, accessibility: true });
    // The capture library opens one X connection per process, on the display set at first use.
    process.env.DISPLAY = desktop.display;
    gnumeric = await desktop.launch('gnumeric', [], /Gnumeric/);
    await desktop.focus(gnumeric.windowId, { width: 1600, height: 900 });
    await sleep(1000);
    reader = createScreenReader();
  });

  afterAll(async () => {
    await reader?.close();
    await desktop?.stop();
  });

  it('captures the focused window, metadata agreeing with X; finds menu labels where Gnumeric draws them', async () => {
    const shot = await captureFocusedWindow();
    expect(shot.reason).toBe('focused');
    expect(shot.window).toMatchObject({ id: gnumeric.windowId, pid: gnumeric.pid, app: 'Gnumeric', scale: 1 });
    expect(shot.window.title).toMatch(/Gnumeric/);
    const origin = await clientOrigin(desktop, gnumeric.windowId);
    expect(shot.window.bounds).toEqual({ x: origin.x, y: origin.y, w: 1600, h: 900 });
    expect(shot.image).toMatchObject({ width: 1600, height: 900 });
    expect(shot.image.data.length).toBe(1600 * 900 * 4);
    console.log(`capture timings (ms): ${JSON.stringify(shot.timings)}`);

    const truth = await truthFor(shot);
    const screen = await reader.read(shot.image);
    console.log(`OCR of the capture: ${screen.elements.length} elements in ${screen.timings.totalMs} ms`);
    expectLabelsOnTruth(screen, truth, MENUS);
  });

  it('re-reads a window by id cheaply, in both capture modes', async () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const shot = await captureWindow(gnumeric.windowId);
      times.push(shot.timings.totalMs);
      expect(shot.reason).toBe('requested');
    }
    const alone = await captureWindow(gnumeric.windowId, { mode: 'window' });
    expect(alone.image).toMatchObject({ width: 1600, height: 900 });
    console.log(
      `captureWindow x5 (ms): ${times.map((t) => t.toFixed(0)).join(', ')}; ` +
        `window mode ${alone.timings.totalMs.toFixed(0)} ms`,
    );
  });

  it('shows an open menu: the View menu items are in the capture, where AT-SPI puts them', async () => {
    const before = await captureFocusedWindow();
    const view = (await truthFor(before)).find((e) => e.name === 'View')!;
    const { x, y } = center(view.box);
    await desktop.xdotool(
      'mousemove',
      String(before.window.bounds.x + x),
      String(before.window.bounds.y + y),
      'click',
      '1',
    );
    try {
      // Wait until Gnumeric reports the menu items showing (slow machines take a while to map the popup).
      let shot = await captureFocusedWindow();
      let truth = await truthFor(shot);
      for (let i = 0; i < 20 && !truth.some((e) => e.name === 'Freeze Panes'); i++) {
        await sleep(250);
        shot = await captureFocusedWindow();
        truth = await truthFor(shot);
      }
      await sleep(200); // let the popup finish drawing
      shot = await captureFocusedWindow();
      expect(shot.window.id).toBe(gnumeric.windowId);
      const screen = await reader.read(shot.image);
      expectLabelsOnTruth(screen, truth, VIEW_MENU_ITEMS);
      // Captured alone, the window does not include the popup menu.
      const alone = await captureWindow(gnumeric.windowId, { mode: 'window' });
      const aloneScreen = await reader.read(alone.image);
      expect(locateLabel(aloneScreen, 'Freeze Panes').box).toBeNull();
    } finally {
      await desktop.xdotool('key', 'Escape');
      await sleep(300);
    }
  });

  it('widens the capture to a menu that reaches past the bottom of a small window', async () => {
    await desktop.focus(gnumeric.windowId, { width: 700, height: 250 });
    await sleep(500);
    const small = await captureFocusedWindow();
    const edit = (await truthFor(small)).find((e) => e.name === 'Edit')!;
    const { x, y } = center(edit.box);
    await desktop.xdotool(
      'mousemove',
      String(small.window.bounds.x + x),
      String(small.window.bounds.y + y),
      'click',
      '1',
    );
    try {
      let shot = small;
      let truth: TruthElement[] = [];
      for (let i = 0; i < 20 && !truth.some((e) => e.name === 'Preferences...'); i++) {
        await sleep(250);
        shot = await captureFocusedWindow();
        truth = await truthFor(shot);
      }
      await sleep(200);
      shot = await captureFocusedWindow();
      expect(shot.image.height).toBeGreaterThan(small.image.height + 100);
      expect(shot.window.bounds.h * shot.window.scale).toBe(shot.image.height);
      expect(shot.notes.join(' ')).toMatch(/open menu reaches past the window/);
      const screen = await reader.read(shot.image);
      expectLabelsOnTruth(screen, truth, ['Preferences...']);
      const preferences = truth.find((e) => e.name === 'Preferences...')!;
      expect(preferences.box.y).toBeGreaterThan(small.image.height);
    } finally {
      await desktop.xdotool('key', 'Escape');
      await desktop.focus(gnumeric.windowId, { width: 1600, height: 900 });
      await sleep(500);
    }
  });

  it("skips Sidekick's own window (excluded by pid or window id) and captures the app underneath", async () => {
    const own = await desktop.launch(
      'xterm',
      ['-T', 'Sidekick overlay stand-in', '-geometry', '60x10+100+100'],
      'Sidekick overlay stand-in',
    );
    try {
      await desktop.focus(own.windowId);
      const plain = await captureFocusedWindow();
      expect(plain.window.pid).toBe(own.pid);
      expect(plain.window.title).toBe('Sidekick overlay stand-in');

      const byPid = await captureFocusedWindow({ exclude: { pids: [own.pid] } });
      expect(byPid.window.id).toBe(gnumeric.windowId);
      expect(byPid.reason).toBe('topmost-other');
      // The stand-in overlaps Gnumeric: the capture says where its pixels are, in image pixels.
      const [covering] = byPid.covered;
      expect(covering).toMatchObject({ windowId: own.windowId, own: true });
      const origin = byPid.window.bounds;
      const standIn = await clientOrigin(desktop, own.windowId);
      expect(covering!.box.x).toBe(Math.max(0, standIn.x - origin.x));
      expect(covering!.box.y).toBe(Math.max(0, standIn.y - origin.y));
      expect(plain.covered).toEqual([]);
      const byId = await captureFocusedWindow({ exclude: { windowIds: [own.windowId] } });
      expect(byId.window.id).toBe(gnumeric.windowId);
    } finally {
      process.kill(own.pid, 'SIGTERM');
      await desktop.focus(gnumeric.windowId);
    }
  });

  it('never falls back to a window on another workspace', async () => {
    const elsewhere = await desktop.launch(
      'xterm',
      ['-T', 'on workspace 2', '-geometry', '80x24+300+300'],
      'on workspace 2',
    );
    const own = await desktop.launch('xterm', ['-T', 'own window', '-geometry', '40x5+50+50'], 'own window');
    try {
      await desktop.focus(elsewhere.windowId); // stacked above Gnumeric...
      await desktop.xdotool('set_desktop_for_window', String(elsewhere.windowId), '1'); // ...then moved away
      await desktop.focus(own.windowId);
      const shot = await captureFocusedWindow({ exclude: { pids: [own.pid] } });
      expect(shot.window.title).not.toBe('on workspace 2');
      expect(shot.window.id).toBe(gnumeric.windowId);
    } finally {
      process.kill(elsewhere.pid, 'SIGTERM');
      process.kill(own.pid, 'SIGTERM');
      await desktop.focus(gnumeric.windowId);
    }
  });

  it('reports a window that vanished before capture as window-vanished', async () => {
    const doomed = await desktop.launch('xterm', ['-T', 'about to close'], 'about to close');
    process.kill(doomed.pid, 'SIGKILL');
    await sleep(500);
    const error = await captureWindow(doomed.windowId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as CaptureError).code).toBe('window-vanished');
    expect((error as CaptureError).message).toMatch(/try again/i);
    await desktop.focus(gnumeric.windowId);
  });

  it('`sidekick capture --json --out` prints the ocr document plus the window, and writes the PNG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-capture-cli-'));
    try {
      const out = join(dir, 'shot.png');
      const { stdout } = await run('node', ['src-main/cli/bin.mjs', 'capture', '--out', out, '--json'], {
        env: { ...process.env, DISPLAY: desktop.display },
        timeout: 120_000,
        maxBuffer: 1 << 26,
      });
      const doc = JSON.parse(stdout) as CaptureResult;
      expect(doc.window).toMatchObject({ app: 'Gnumeric', bounds: { w: 1600, h: 900 } });
      expect(doc.window.title).toMatch(/Gnumeric/);
      expect(doc.image).toEqual({ width: 1600, height: 900 });
      expect(doc.elements.some((e) => e.text === 'File')).toBe(true);
      expect(doc.timings.captureMs).toBeGreaterThan(0);
      const meta = await sharp(readFileSync(out)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 1600, 900]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`sidekick capture` run in a focused terminal skips that terminal and captures the app under it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-capture-term-'));
    try {
      const out = join(dir, 'capture.json');
      const script =
        `node ${join(process.cwd(), 'src-main/cli/bin.mjs')} ` +
        `capture --no-ocr --json > ${out} 2>${out}.err; sleep 30`;
      const term = await desktop.launch(
        'xterm',
        ['-T', 'terminal running sidekick', '-e', 'sh', '-c', script],
        'terminal running sidekick',
      );
      try {
        await desktop.focus(term.windowId); // openbox focuses new windows anyway; make sure before node has started
        for (let i = 0; i < 300 && !(existsSync(out) && readFileSync(out, 'utf8').trim()); i++) await sleep(100);
        const raw = readFileSync(out, 'utf8');
        expect(raw, readFileSync(`${out}.err`, 'utf8')).not.toBe('');
        const doc = JSON.parse(raw) as CaptureResult;
        expect(doc.window).toMatchObject({ id: gnumeric.windowId, app: 'Gnumeric' });
        expect(doc.capture.reason).toBe('topmost-other');
        expect(doc.elements).toEqual([]);
      } finally {
        process.kill(term.pid, 'SIGTERM');
        await desktop.focus(gnumeric.windowId);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`sidekick capture` on Wayland without X11 says what to do', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' };
    delete env.DISPLAY;
    const failure = await run('node', ['src-main/cli/bin.mjs', 'capture', '--json'], { env, timeout: 60_000 }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(3);
    expect(failure?.stderr).toMatch(/Wayland/);
    expect(failure?.stderr).toMatch(/X11|Xorg/);
  });
});
