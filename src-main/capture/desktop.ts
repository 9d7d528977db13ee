/**
 * What the desktop knows beyond the capture library: X11 legacy titles, whether a window is viewable,
 * open popup menus over a window, and the active window when the library reports none focused.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { intersect, type Rect } from './rect';
import type { WindowSummary } from './types';

/**
 * On X11 some windows (xterm, old toolkits) set only the legacy WM_NAME, which the library does
 * not read; fetch it with xprop for the one window being captured.
 */
export async function legacyX11Title(windowId: number): Promise<string> {
  if (process.platform !== 'linux') return '';
  try {
    const { stdout } = await promisify(execFile)('xprop', ['-id', String(windowId), 'WM_NAME'], { timeout: 1000 });
    const match = /=\s*"((?:[^"\\]|\\.)*)"/.exec(stdout);
    return match ? match[1]!.replace(/\\(.)/g, '$1') : '';
  } catch {
    return '';
  }
}

/** X11: true when the window is mapped and viewable (on the current workspace, not iconified). */
export async function isViewableX11(windowId: number): Promise<boolean> {
  try {
    const { stdout } = await promisify(execFile)('xwininfo', ['-id', String(windowId)], { timeout: 1000 });
    return /Map State:\s+IsViewable/.test(stdout);
  } catch {
    return true; // xwininfo missing or failed: keep the window rather than capture nothing
  }
}

/**
 * X11: open popups (menus, combo lists, tooltips: mapped override-redirect windows) that overlap
 * `window`, so a menu reaching past the window's edge is captured whole. Empty elsewhere.
 */
export async function x11PopupsOver(window: Rect): Promise<Rect[]> {
  if (process.platform !== 'linux') return [];
  const exec = promisify(execFile);
  let tree: string;
  try {
    tree = (await exec('xwininfo', ['-root', '-children'], { timeout: 1000 })).stdout;
  } catch {
    return [];
  }
  const candidates: Array<{ id: string; rect: Rect }> = [];
  for (const line of tree.split('\n')) {
    const match = /^\s+(0x[0-9a-f]+)\s.*\s(\d+)x(\d+)\S*\s+\+(-?\d+)\+(-?\d+)\s*$/.exec(line);
    if (!match) continue;
    const rect = { x: Number(match[4]), y: Number(match[5]), width: Number(match[2]), height: Number(match[3]) };
    if (rect.width > 1 && rect.height > 1 && intersect(rect, window)) candidates.push({ id: match[1]!, rect });
  }
  const popups = await Promise.all(
    candidates.slice(0, 12).map(async ({ id, rect }) => {
      try {
        const { stdout } = await exec('xwininfo', ['-id', id], { timeout: 1000 });
        return /Map State:\s+IsViewable/.test(stdout) && /Override Redirect State:\s+yes/.test(stdout) ? rect : null;
      } catch {
        return null;
      }
    }),
  );
  return popups.filter((rect): rect is Rect => rect !== null);
}

/**
 * When the library reports no focused window (some window managers, some macOS versions), ask
 * `get-windows` which window is active and match it by id, or by process and position.
 */
export async function activeWindowFallback(windows: readonly WindowSummary[]): Promise<WindowSummary | undefined> {
  try {
    const { activeWindow } = await import('get-windows');
    const active = await activeWindow({ accessibilityPermission: false, screenRecordingPermission: false });
    if (!active) return undefined;
    return (
      windows.find((w) => w.id === active.id) ??
      windows.find(
        (w) =>
          w.pid === active.owner.processId &&
          w.x === active.bounds.x &&
          w.y === active.bounds.y &&
          w.width === active.bounds.width,
      ) ??
      windows.find((w) => w.pid === active.owner.processId)
    );
  } catch {
    return undefined;
  }
}
