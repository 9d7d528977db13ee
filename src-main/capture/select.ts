/** Choosing which window to capture: the focused one unless it is ours, else the topmost other one. */
import type { CaptureTargetReason, WindowExclusion, WindowSummary } from './types';

/** True when the window belongs to Sidekick (or anything else the caller excluded). */
export function isExcludedWindow(window: WindowSummary, exclude: WindowExclusion = {}): boolean {
  if (window.pid === process.pid) return true;
  if (exclude.pids?.includes(window.pid)) return true;
  if (exclude.windowIds?.includes(window.id)) return true;
  return (exclude.titles ?? []).some((title) => (typeof title === 'string' ? window.title === title : title.test(window.title)));
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
  if (focused && isCapturable(focused) && !isExcludedWindow(focused, exclude)) return { window: focused, reason: 'focused' };
  const others = windows.filter((w) => isCapturable(w) && !isExcludedWindow(w, exclude)).sort((a, b) => b.z - a.z);
  const top = others[0];
  return top ? { window: top, reason: 'topmost-other' } : null;
}
