/**
 * Capture geometry on an X screen split into two monitors (xrandr --setmonitor) and for windows
 * partly off screen: bounds and pixels must stay consistent. Own file (own process) because the
 * capture library keeps one X connection per process.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFocusedWindow, type RgbaImage } from '../../src-main/capture';
import { desktopUnavailableReason, startDesktop, type Desktop } from '../support/desktop';

const run = promisify(execFile);
const skipReason =
  desktopUnavailableReason() ??
  (!existsSync('/usr/bin/xterm') ? 'xterm is not installed (apt-get install xterm)' : null) ??
  (!existsSync('/usr/bin/xrandr') ? 'xrandr is not installed (apt-get install x11-xserver-utils)' : null);
if (skipReason) console.warn(`skipping multi-monitor capture tests: ${skipReason}`);

/** Fraction of pixels that are pure black (what an uncaptured area looks like under Xvfb). */
function blackShare(image: RgbaImage): number {
  let black = 0;
  for (let i = 0; i < image.data.length; i += 4)
    if (image.data[i] === 0 && image.data[i + 1] === 0 && image.data[i + 2] === 0) black++;
  return black / (image.width * image.height);
}

describe.skipIf(skipReason)('capture geometry across monitors (Xvfb 3200x900 split in two)', () => {
  let desktop: Desktop;

  beforeAll(async () => {
    desktop = await startDesktop({ width: 3200, height: 900 });
    process.env.DISPLAY = desktop.display;
    await run('xrandr', ['--setmonitor', 'LEFT', '1600/423x900/238+0+0', 'screen'], { env: desktop.env });
    await run('xrandr', ['--setmonitor', 'RIGHT', '1600/423x900/238+1600+0', 'none'], { env: desktop.env });
  });

  afterAll(async () => {
    await desktop?.stop();
  });

  async function xtermAt(title: string, geometry: string) {
    const term = await desktop.launch('xterm', ['-T', title, '-bg', 'white', '-geometry', geometry], title);
    await desktop.focus(term.windowId);
    return term;
  }

  it('crops the left monitor to a window on it', async () => {
    const term = await xtermAt('left window', '80x20+100+100');
    const shot = await captureFocusedWindow();
    expect(shot.window.id).toBe(term.windowId);
    expect(shot.notes).toEqual([]);
    expect([shot.image.width, shot.image.height]).toEqual([shot.window.bounds.w, shot.window.bounds.h]);
    expect(blackShare(shot.image)).toBeLessThan(0.05);
    process.kill(term.pid);
  });

  it('captures a window on the second monitor (one the library has no output for) by itself, with a note', async () => {
    const term = await xtermAt('right window', '80x20+1800+100');
    const shot = await captureFocusedWindow();
    expect(shot.window.id).toBe(term.windowId);
    expect(shot.window.bounds.x).toBeGreaterThan(1600);
    expect([shot.image.width, shot.image.height]).toEqual([shot.window.bounds.w, shot.window.bounds.h]);
    expect(shot.notes.join(' ')).toMatch(/captured alone/);
    expect(blackShare(shot.image)).toBeLessThan(0.05);
    process.kill(term.pid);
  });

  it('clips a window hanging off the top-left corner to its visible part', async () => {
    const term = await xtermAt('hanging window', '80x20-0-0');
    await desktop.xdotool('windowmove', '--sync', String(term.windowId), '-200', '-100');
    const shot = await captureFocusedWindow();
    expect(shot.window.id).toBe(term.windowId);
    expect(shot.window.bounds.x).toBe(0);
    expect(shot.window.bounds.y).toBe(0);
    expect([shot.image.width, shot.image.height]).toEqual([shot.window.bounds.w, shot.window.bounds.h]);
    expect(shot.notes.join(' ')).toMatch(/extends past its monitor/);
    expect(blackShare(shot.image)).toBeLessThan(0.05);
    process.kill(term.pid);
  });
});
