/**
 * Where the help panel goes: beside the captured window (right, then left) if there is room,
 * else below or above it, else inside its bottom-right corner (away from the menus and toolbars
 * that walkthroughs point at).
 */
import type { Box } from '../../src-shared/screen';

/** The panel's width in CSS pixels. */
export const PANEL_WIDTH = 340;
const GAP = 12;
const MARGIN = 8;

/** Top-left of the panel for a window (overlay CSS pixels) in a viewport. */
export function panelPosition(
  window: Box | null,
  viewport: { width: number; height: number },
  panelHeight: number,
): { left: number; top: number } {
  const clampTop = (top: number): number => Math.max(MARGIN, Math.min(top, viewport.height - panelHeight - MARGIN));
  if (!window)
    return { left: Math.max(MARGIN, (viewport.width - PANEL_WIDTH) / 2), top: clampTop(viewport.height / 4) };
  const right = window.x + window.w + GAP;
  if (right + PANEL_WIDTH + MARGIN <= viewport.width) return { left: right, top: clampTop(window.y) };
  const left = window.x - GAP - PANEL_WIDTH;
  if (left >= MARGIN) return { left, top: clampTop(window.y) };
  const alignedLeft = Math.max(
    MARGIN,
    Math.min(window.x + window.w - PANEL_WIDTH, viewport.width - PANEL_WIDTH - MARGIN),
  );
  const below = window.y + window.h + GAP;
  if (below + panelHeight + MARGIN <= viewport.height) return { left: alignedLeft, top: below };
  const above = window.y - GAP - panelHeight;
  if (above >= MARGIN) return { left: alignedLeft, top: above };
  // No room outside: inside the window's bottom-right corner, above its status bar.
  const insideLeft = Math.min(window.x + window.w, viewport.width) - PANEL_WIDTH - GAP;
  const insideTop = Math.min(window.y + window.h, viewport.height) - panelHeight - GAP - 32;
  return { left: Math.max(MARGIN, insideLeft), top: clampTop(insideTop) };
}
