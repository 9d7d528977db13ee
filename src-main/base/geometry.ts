/**
 * Where things go on the overlay. A capture's image pixel (px, py) is the screen point
 * (bounds.x + px / scale, bounds.y + py / scale) (see src-main/capture/types.ts); the overlay
 * window covers `frame` in those same screen coordinates and its CSS pixels are screen points.
 */
import type { Box, WindowInfo } from '../../src-shared/screen';

/** The overlay window's rectangle in screen coordinates (DIP). */
export interface OverlayFrame {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A box in captured-image pixels → overlay CSS pixels. */
export function imageBoxToOverlay(
  box: Box,
  window: Pick<WindowInfo, 'bounds' | 'scale'>,
  frame: Pick<OverlayFrame, 'x' | 'y'>,
): Box {
  const scale = window.scale > 0 ? window.scale : 1;
  return {
    x: round(window.bounds.x + box.x / scale - frame.x),
    y: round(window.bounds.y + box.y / scale - frame.y),
    w: round(box.w / scale),
    h: round(box.h / scale),
  };
}

/** The captured window's rectangle → overlay CSS pixels. */
export function windowBoundsToOverlay(window: Pick<WindowInfo, 'bounds'>, frame: Pick<OverlayFrame, 'x' | 'y'>): Box {
  const { x, y, w, h } = window.bounds;
  return { x: round(x - frame.x), y: round(y - frame.y), w: round(w), h: round(h) };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
