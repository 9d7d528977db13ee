/** Where the help panel goes: beside the captured window if there is room, else inside its top-right corner. */
import type { Box } from '../../src-shared/screen';

/** The panel's width in CSS pixels. */
export const PANEL_WIDTH = 340;
const GAP = 12;
const MARGIN = 8;

/** Top-left of the panel for a window (overlay CSS pixels) in a viewport. */
export function panelPosition(window: Box | null, viewport: { width: number; height: number }, panelHeight: number): { left: number; top: number } {
  const clampTop = (top: number): number => Math.max(MARGIN, Math.min(top, viewport.height - panelHeight - MARGIN));
  if (!window) return { left: Math.max(MARGIN, (viewport.width - PANEL_WIDTH) / 2), top: clampTop(viewport.height / 4) };
  const right = window.x + window.w + GAP;
  if (right + PANEL_WIDTH + MARGIN <= viewport.width) return { left: right, top: clampTop(window.y) };
  const left = window.x - GAP - PANEL_WIDTH;
  if (left >= MARGIN) return { left, top: clampTop(window.y) };
  // No room beside it: inside the window's top-right corner, below its title bar.
  const inside = Math.min(window.x + window.w, viewport.width) - PANEL_WIDTH - GAP;
  return { left: Math.max(MARGIN, inside), top: clampTop(window.y + 48) };
}
