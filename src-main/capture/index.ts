/**
 * Window capture: which window the person was using, and its pixels, on X11, macOS and Windows.
 *
 * Pixels come from `node-screenshots` (xcap). By default the monitor under the window is grabbed
 * and cropped to the window's bounds, so open popup menus (separate override-redirect windows on
 * X11) are in the picture exactly as the person sees them. Plain Node: no electron import.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { WindowInfo } from '../../src-shared/screen';
import { CaptureError, MACOS_SCREEN_RECORDING_HINT } from './errors';
import { captureEnvironmentProblem, partialSessionNote } from './environment';
import { coveredRegions, isExcludedWindow, pickCaptureTarget } from './select';
import type { CaptureMode, CaptureOptions, CaptureTargetReason, CoveredRegion, RgbaImage, WindowCapture, WindowExclusion, WindowSummary } from './types';

export { CaptureError, isCaptureError, type CaptureErrorCode } from './errors';
export { pickCaptureTarget, isExcludedWindow, coveredRegions } from './select';
export { ancestorPids } from './ancestors';
export type * from './types';

type NativeScreens = typeof import('node-screenshots');
type NativeWindow = InstanceType<NativeScreens['Window']>;
type NativeMonitor = InstanceType<NativeScreens['Monitor']>;
type NativeImage = InstanceType<NativeScreens['Image']>;

let nativeScreens: Promise<NativeScreens> | undefined;

/** Loads the native capture binding once; an unsupported OS/CPU becomes a CaptureError. */
function loadNativeScreens(): Promise<NativeScreens> {
  nativeScreens ??= import('node-screenshots').catch((error: unknown) => {
    nativeScreens = undefined;
    throw new CaptureError(
      'unsupported-platform',
      `The screen capture library has no build for ${process.platform}-${process.arch} (${String(error)}). ` +
        'Reinstall Sidekick with `npm install` on this machine.',
      { cause: error },
    );
  });
  return nativeScreens;
}

function assertCaptureEnvironment(): void {
  const problem = captureEnvironmentProblem(process.platform, process.env);
  if (problem) throw problem;
}

/** Reads one native window's metadata; null when it disappeared while being read. */
function summarize(window: NativeWindow): WindowSummary | null {
  try {
    return {
      id: window.id(),
      pid: window.pid(),
      app: window.appName(),
      title: window.title(),
      x: window.x(),
      y: window.y(),
      width: window.width(),
      height: window.height(),
      z: window.z(),
      focused: window.isFocused(),
      minimized: window.isMinimized(),
    };
  } catch {
    return null;
  }
}

interface ListedWindow {
  summary: WindowSummary;
  handle: NativeWindow;
}

async function listNativeWindows(): Promise<ListedWindow[]> {
  assertCaptureEnvironment();
  const { Window } = await loadNativeScreens();
  let handles: NativeWindow[];
  try {
    handles = Window.all();
  } catch (error) {
    throw nativeFailure(error, 'list the open windows');
  }
  const listed: ListedWindow[] = [];
  for (const handle of handles) {
    const summary = summarize(handle);
    if (summary) listed.push({ summary, handle });
  }
  // macOS hides other apps' window titles from processes without Screen Recording permission.
  if (process.platform === 'darwin') {
    const foreign = listed.filter((w) => w.summary.pid !== process.pid);
    if (foreign.length > 0 && foreign.every((w) => w.summary.title === '')) {
      throw new CaptureError('permission-denied', MACOS_SCREEN_RECORDING_HINT);
    }
  }
  return listed;
}

/** Maps an exception from the native library to a CaptureError with a next step. */
function nativeFailure(error: unknown, doing: string): CaptureError {
  const text = error instanceof Error ? error.message : String(error);
  // X11: the native library opens one X connection per process and keeps it; once that display
  // is gone (X server restarted, DISPLAY changed) every call fails with this message.
  if (process.platform === 'linux' && /xcb connection/i.test(text)) {
    return new CaptureError(
      'no-display',
      `Lost the connection to the X display (DISPLAY=${process.env.DISPLAY ?? 'unset'}). Restart Sidekick from inside your desktop session.`,
      { cause: error },
    );
  }
  if (process.platform === 'darwin' && /permission|denied|not authori[sz]ed|TCC/i.test(text)) {
    return new CaptureError('permission-denied', MACOS_SCREEN_RECORDING_HINT, { cause: error });
  }
  return new CaptureError('capture-failed', `Could not ${doing}: ${text}. Try again; if it keeps failing, run \`sidekick capture --json\` and report its output.`, {
    cause: error,
  });
}

/** Lists the top-level windows on screen, topmost first (metadata only, no pixels). */
export async function listWindows(): Promise<WindowSummary[]> {
  const listed = await listNativeWindows();
  return listed.map((w) => w.summary).sort((a, b) => b.z - a.z);
}

/**
 * On X11 some windows (xterm, old toolkits) set only the legacy WM_NAME, which the library does
 * not read; fetch it with xprop for the one window being captured.
 */
async function legacyX11Title(windowId: number): Promise<string> {
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
async function isViewableX11(windowId: number): Promise<boolean> {
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
async function x11PopupsOver(window: Rect): Promise<Rect[]> {
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

function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/**
 * When the library reports no focused window (some window managers, some macOS versions), ask
 * `get-windows` which window is active and match it by id, or by process and position.
 */
async function activeWindowFallback(windows: readonly WindowSummary[]): Promise<WindowSummary | undefined> {
  try {
    const { activeWindow } = await import('get-windows');
    const active = await activeWindow({ accessibilityPermission: false, screenRecordingPermission: false });
    if (!active) return undefined;
    return (
      windows.find((w) => w.id === active.id) ??
      windows.find(
        (w) => w.pid === active.owner.processId && w.x === active.bounds.x && w.y === active.bounds.y && w.width === active.bounds.width,
      ) ??
      windows.find((w) => w.pid === active.owner.processId)
    );
  } catch {
    return undefined;
  }
}

function vanished(summary: WindowSummary | undefined, cause?: unknown): CaptureError {
  const what = summary ? `The window "${summary.title || summary.app}"` : 'The window';
  return new CaptureError(
    'window-vanished',
    `${what} closed or was hidden before Sidekick could capture it. Bring the window you need help with to the front and try again.`,
    cause === undefined ? undefined : { cause },
  );
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function intersect(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

interface Grabbed {
  image: RgbaImage;
  bounds: Rect;
  scale: number;
  notes: string[];
}

/** Copies a rectangle out of RGBA pixels (faster than the native crop, which copies twice). */
export function cropRawImage(source: RgbaImage, left: number, top: number, width: number, height: number): RgbaImage {
  if (left === 0 && top === 0 && width === source.width && height === source.height) return source;
  const data = new Uint8Array(width * height * 4);
  const rowBytes = width * 4;
  for (let row = 0; row < height; row++) {
    const start = ((top + row) * source.width + left) * 4;
    data.set(source.data.subarray(start, start + rowBytes), row * rowBytes);
  }
  return { width, height, data };
}

function rawPixels(image: NativeImage): RgbaImage {
  return { width: image.width, height: image.height, data: image.toRawSync() };
}

function area(rect: Rect | null): number {
  return rect ? rect.width * rect.height : 0;
}

function monitorRect(monitor: NativeMonitor): Rect {
  return { x: monitor.x(), y: monitor.y(), width: monitor.width(), height: monitor.height() };
}

/** The monitor showing most of the window (its "current" monitor first), or null when none does. */
function monitorUnder(handle: NativeWindow, summary: WindowSummary, screens: NativeScreens): NativeMonitor | null {
  let best: NativeMonitor | null = null;
  let bestArea = 0;
  let candidates: NativeMonitor[];
  try {
    candidates = [handle.currentMonitor(), ...screens.Monitor.all()];
  } catch (error) {
    throw vanished(summary, error);
  }
  for (const monitor of candidates) {
    const overlap = area(intersect(summary, monitorRect(monitor)));
    if (overlap > bestArea) {
      best = monitor;
      bestArea = overlap;
    }
  }
  return best;
}

/**
 * The monitor under the window, cropped to the window's visible part. When no monitor the
 * library knows shows the window (X11 "monitors" without their own output, e.g. made with
 * `xrandr --setmonitor`), falls back to the window's own pixels.
 */
async function grabScreenRegion(handle: NativeWindow, summary: WindowSummary, screens: NativeScreens): Promise<Grabbed> {
  const monitor = monitorUnder(handle, summary, screens);
  if (!monitor) {
    if (summary.x + summary.width <= 0 || summary.y + summary.height <= 0) {
      throw new CaptureError(
        'window-offscreen',
        `The window "${summary.title || summary.app}" is not on any screen. Move it onto a monitor and try again.`,
      );
    }
    const alone = await grabWindowOnly(handle, summary);
    alone.notes.push('no monitor reported this window, so it was captured alone: open popup menus may be missing');
    return alone;
  }
  const rect = monitorRect(monitor);
  const notes: string[] = [];
  const [popups, nativeShot] = await Promise.all([x11PopupsOver(summary), monitor.captureImage()]);
  const region = popups.reduce(union, { x: summary.x, y: summary.y, width: summary.width, height: summary.height });
  if (region.width !== summary.width || region.height !== summary.height) {
    notes.push('an open menu reaches past the window, so the capture was widened to include it');
  }
  const visible = intersect(region, rect)!;
  const shot = rawPixels(nativeShot);
  // Device pixels per screen coordinate: 2 on a Retina/HiDPI monitor whose coordinates are logical.
  const scale = rect.width > 0 ? shot.width / rect.width : 1;
  const left = Math.max(0, Math.round((visible.x - rect.x) * scale));
  const top = Math.max(0, Math.round((visible.y - rect.y) * scale));
  const width = Math.min(shot.width - left, Math.round(visible.width * scale));
  const height = Math.min(shot.height - top, Math.round(visible.height * scale));
  const windowOnMonitor = intersect(summary, rect)!;
  if (windowOnMonitor.width !== summary.width || windowOnMonitor.height !== summary.height) {
    notes.push(`the window extends past its monitor; captured the visible ${windowOnMonitor.width}x${windowOnMonitor.height} part`);
  }
  return { image: cropRawImage(shot, left, top, width, height), bounds: visible, scale, notes };
}

/** The window's own pixels (popups that are separate windows are not included). */
async function grabWindowOnly(handle: NativeWindow, summary: WindowSummary): Promise<Grabbed> {
  const image = rawPixels(await handle.captureImage());
  const scale = summary.width > 0 ? image.width / summary.width : 1;
  return { image, bounds: { x: summary.x, y: summary.y, width: summary.width, height: summary.height }, scale, notes: [] };
}

async function captureListed(
  target: ListedWindow,
  all: readonly WindowSummary[],
  exclude: WindowExclusion,
  reason: CaptureTargetReason,
  mode: CaptureMode,
  startedAt: number,
  listMs: number,
): Promise<WindowCapture> {
  const { summary, handle } = target;
  const grabStart = performance.now();
  // X11: windows on other workspaces are listed with a stacking order but are not on screen. Ask
  // X which of the windows stacked above the target are viewable while the pixels are grabbed.
  const above = mode === 'screen-region' && process.platform === 'linux' ? all.filter((w) => w.z > summary.z && w.id !== summary.id).slice(0, 8) : [];
  const viewableAbove = Promise.all(above.map(async (w) => ((await isViewableX11(w.id)) ? w.id : null)));
  let grabbed: Grabbed;
  try {
    grabbed = mode === 'window' ? await grabWindowOnly(handle, summary) : await grabScreenRegion(handle, summary, await loadNativeScreens());
  } catch (error) {
    if (error instanceof CaptureError) throw error;
    const still = await listWindows().catch(() => []);
    if (!still.some((w) => w.id === summary.id)) throw vanished(summary, error);
    throw nativeFailure(error, `capture "${summary.title || summary.app}"`);
  }
  const capturedAt = Date.now();
  const grabMs = performance.now() - grabStart;
  // A screen-region grab succeeds even if the window closed meanwhile: confirm it is still there.
  if (mode === 'screen-region') {
    const still = await listWindows();
    if (!still.some((w) => w.id === summary.id && !w.minimized)) throw vanished(summary);
  }
  const image = grabbed.image;
  const title = summary.title || (await legacyX11Title(summary.id));
  const window: WindowInfo = {
    id: summary.id,
    pid: summary.pid,
    app: summary.app,
    title,
    bounds: { x: grabbed.bounds.x, y: grabbed.bounds.y, w: grabbed.bounds.width, h: grabbed.bounds.height },
    scale: grabbed.scale,
  };
  let covered: CoveredRegion[] = [];
  if (mode === 'screen-region') {
    covered = coveredRegions(all, summary, grabbed.bounds, grabbed.scale, exclude);
    if (process.platform === 'linux' && covered.length) {
      const viewable = new Set(await viewableAbove);
      covered = covered.filter((region) => viewable.has(region.windowId));
    }
  }
  const notes = [...grabbed.notes];
  const sessionNote = partialSessionNote(process.platform, process.env);
  if (sessionNote) notes.push(sessionNote);
  return {
    window,
    image,
    capturedAt,
    mode,
    reason,
    timings: { listMs, grabMs, totalMs: performance.now() - startedAt },
    covered,
    notes,
  };
}

/**
 * Captures the window the person is using: the focused window, or, when that is one of
 * Sidekick's own (see `exclude`; the current process is always excluded), the topmost other one.
 */
export async function captureFocusedWindow(options: CaptureOptions = {}): Promise<WindowCapture> {
  const startedAt = performance.now();
  const listed = await listNativeWindows();
  const summaries = listed.map((w) => w.summary);
  let exclude: WindowExclusion = options.exclude ?? {};
  let picked = pickCaptureTarget(summaries, exclude);
  if (!summaries.some((w) => w.focused)) {
    const active = await activeWindowFallback(summaries);
    if (active && !isExcludedWindow(active, exclude) && !active.minimized) picked = { window: active, reason: 'focused' };
  }
  // X11: windows on another workspace are unmapped without being minimized; never pick those.
  while (picked?.reason === 'topmost-other' && process.platform === 'linux' && !(await isViewableX11(picked.window.id))) {
    exclude = { ...exclude, windowIds: [...(exclude.windowIds ?? []), picked.window.id] };
    picked = pickCaptureTarget(summaries, exclude);
  }
  if (!picked) {
    const sessionNote = partialSessionNote(process.platform, process.env);
    if (sessionNote) throw new CaptureError('wayland-unsupported', `No X11 window to capture. ${sessionNote}`);
    throw new CaptureError(
      'no-focused-window',
      "No window to capture: no application window is open (Sidekick's own windows are skipped). Open or click the window you need help with, then try again.",
    );
  }
  const target = listed.find((w) => w.summary === picked.window)!;
  return captureListed(target, summaries, exclude, picked.reason, options.mode ?? 'screen-region', startedAt, performance.now() - startedAt);
}

/**
 * Captures one window by id again (the walkthrough player re-reads the screen several times a
 * second). `exclude` only marks which covering windows are Sidekick's own in `covered`.
 */
export async function captureWindow(windowId: number, options: { mode?: CaptureMode; exclude?: WindowExclusion } = {}): Promise<WindowCapture> {
  const startedAt = performance.now();
  const listed = await listNativeWindows();
  const target = listed.find((w) => w.summary.id === windowId);
  if (!target || target.summary.minimized) throw vanished(target?.summary);
  return captureListed(
    target,
    listed.map((w) => w.summary),
    options.exclude ?? {},
    'requested',
    options.mode ?? 'screen-region',
    startedAt,
    performance.now() - startedAt,
  );
}

