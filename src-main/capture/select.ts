/** Choosing which window to capture: the focused one unless it is ours, else the topmost other one. */
import type { CaptureTargetReason, CoveredRegion, WindowExclusion, WindowSummary } from './types';

/** True when the window belongs to Sidekick (or anything else the caller excluded). */
export function isExcludedWindow(window: WindowSummary, exclude: WindowExclusion = {}): boolean {
  if (window.pid === process.pid) return true;
  if (exclude.pids?.includes(window.pid)) return true;
  if (exclude.windowIds?.includes(window.id)) return true;
  return (exclude.titles ?? []).some((title) =>
    typeof title === 'string' ? window.title === title : title.test(window.title),
  );
}

/** A window worth capturing: on screen and with an area. */
function isCapturable(window: WindowSummary): boolean {
  return !window.minimized && window.width > 0 && window.height > 0;
}

/**
 * Picks the capture target from the window list: the focused window when it is not excluded,
 * otherwise the topmost capturable window that is not excluded (the one the person was using
 * before Sidekick's own window took focus). Null when there is none.
 */
export function pickCaptureTarget(
  windows: readonly WindowSummary[],
  exclude: WindowExclusion = {},
): { window: WindowSummary; reason: CaptureTargetReason } | null {
  const focused = windows.find((w) => w.focused);
  if (focused && isCapturable(focused) && !isExcludedWindow(focused, exclude))
    return { window: focused, reason: 'focused' };
  const others = windows.filter((w) => isCapturable(w) && !isExcludedWindow(w, exclude)).sort((a, b) => b.z - a.z);
  const top = others[0];
  return top ? { window: top, reason: 'topmost-other' } : null;
}

/**
 * The parts of a capture of `target` (covering screen rectangle `bounds`, `scale` image pixels per
 * screen unit) where other windows stacked above it show, in image pixels.
 */
export function coveredRegions(
  windows: readonly WindowSummary[],
  target: WindowSummary,
  bounds: { x: number; y: number; width: number; height: number },
  scale: number,
  exclude: WindowExclusion = {},
): CoveredRegion[] {
  const regions: CoveredRegion[] = [];
  for (const w of windows) {
    if (w.id === target.id || w.z <= target.z || !isCapturable(w)) continue;
    const left = Math.max(w.x, bounds.x);
    const top = Math.max(w.y, bounds.y);
    const right = Math.min(w.x + w.width, bounds.x + bounds.width);
    const bottom = Math.min(w.y + w.height, bounds.y + bounds.height);
    if (right <= left || bottom <= top) continue;
    regions.push({
      box: {
        x: Math.round((left - bounds.x) * scale),
        y: Math.round((top - bounds.y) * scale),
        w: Math.round((right - left) * scale),
        h: Math.round((bottom - top) * scale),
      },
      windowId: w.id,
      own: isExcludedWindow(w, exclude),
    });
  }
  return regions;
}
