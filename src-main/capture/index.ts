/**
 * Window capture: which window the person was using, and its pixels, on X11, macOS and Windows.
 *
 * Pixels come from `node-screenshots` (xcap). By default the monitor under the window is grabbed
 * and cropped to the window's bounds, so open popup menus (separate override-redirect windows on
 * X11) are in the picture exactly as the person sees them. Plain Node: no electron import.
 * Parts: native.ts (the library, window list), grab.ts (pixels), desktop.ts (X11 queries, active
 * window fallback), select.ts (which window), rect.ts, errors.ts, environment.ts, types.ts.
 */
import type { WindowInfo } from '../../src-shared/screen';
import { activeWindowFallback, isViewableX11, legacyX11Title } from './desktop';
import { CaptureError, windowVanished } from './errors';
import { partialSessionNote } from './environment';
import { grabScreenRegion, grabWindowOnly, type Grabbed } from './grab';
import { listNativeWindows, listWindows, loadNativeScreens, nativeFailure, type ListedWindow } from './native';
import { coveredRegions, isExcludedWindow, pickCaptureTarget } from './select';
import type {
  CaptureMode,
  CaptureOptions,
  CaptureTargetReason,
  CoveredRegion,
  WindowCapture,
  WindowExclusion,
  WindowSummary,
} from './types';

export { CaptureError, isCaptureError, type CaptureErrorCode } from './errors';
export { pickCaptureTarget, isExcludedWindow, coveredRegions } from './select';
export { ancestorPids } from './ancestors';
export { cropRawImage } from './grab';
export { listWindows } from './native';
export type * from './types';

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
  const above =
    mode === 'screen-region' && process.platform === 'linux'
      ? all.filter((w) => w.z > summary.z && w.id !== summary.id).slice(0, 8)
      : [];
  const viewableAbove = Promise.all(above.map(async (w) => ((await isViewableX11(w.id)) ? w.id : null)));
  let grabbed: Grabbed;
  try {
    grabbed =
      mode === 'window'
        ? await grabWindowOnly(handle, summary)
        : await grabScreenRegion(handle, summary, await loadNativeScreens());
  } catch (error) {
    if (error instanceof CaptureError) throw error;
    const still = await listWindows().catch(() => []);
    if (!still.some((w) => w.id === summary.id)) throw windowVanished(summary, error);
    throw nativeFailure(error, `capture "${summary.title || summary.app}"`);
  }
  const capturedAt = Date.now();
  const grabMs = performance.now() - grabStart;
  // A screen-region grab succeeds even if the window closed meanwhile: confirm it is still there.
  if (mode === 'screen-region') {
    const still = await listWindows();
    if (!still.some((w) => w.id === summary.id && !w.minimized)) throw windowVanished(summary);
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
    if (active && !isExcludedWindow(active, exclude) && !active.minimized)
      picked = { window: active, reason: 'focused' };
  }
  // X11: windows on another workspace are unmapped without being minimized; never pick those.
  while (
    picked?.reason === 'topmost-other' &&
    process.platform === 'linux' &&
    !(await isViewableX11(picked.window.id))
  ) {
    exclude = { ...exclude, windowIds: [...(exclude.windowIds ?? []), picked.window.id] };
    picked = pickCaptureTarget(summaries, exclude);
  }
  if (!picked) {
    const sessionNote = partialSessionNote(process.platform, process.env);
    if (sessionNote) throw new CaptureError('wayland-unsupported', `No X11 window to capture. ${sessionNote}`);
    throw new CaptureError(
      'no-focused-window',
      `No window to capture: no application window is open (Sidekick's own windows are skipped). ` +
        `Open or click the window you need help with, then try again.`,
    );
  }
  const target = listed.find((w) => w.summary === picked.window)!;
  return captureListed(
    target,
    summaries,
    exclude,
    picked.reason,
    options.mode ?? 'screen-region',
    startedAt,
    performance.now() - startedAt,
  );
}

/**
 * Captures one window by id again (the walkthrough player re-reads the screen several times a
 * second). `exclude` only marks which covering windows are Sidekick's own in `covered`.
 */
export async function captureWindow(
  windowId: number,
  options: { mode?: CaptureMode; exclude?: WindowExclusion } = {},
): Promise<WindowCapture> {
  const startedAt = performance.now();
  const listed = await listNativeWindows();
  const target = listed.find((w) => w.summary.id === windowId);
  if (!target || target.summary.minimized) throw windowVanished(target?.summary);
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
