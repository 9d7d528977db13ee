/**
 * Where a helper's pointer goes on the person's live window. The helper points in the shared
 * screenshot's pixels; the screenshot is the captured window image (maybe downscaled before
 * sending), and a captured image pixel (px, py) is the screen point (bounds.x + px / scale,
 * bounds.y + py / scale) — see src-main/app/geometry.ts.
 */
import type { Box, WindowInfo } from '../../src-shared/screen';
import type { Pointer } from '../../src-shared/team';

/** Size of the ring drawn for a point, in screen points. */
export const POINT_MARK_SIZE = 28;

/** A pointer as a box in the captured image's pixels. */
export function pointerToCaptureBox(
  pointer: Pointer,
  shot: { width: number; height: number },
  capture: { width: number; height: number },
): Box {
  const sx = capture.width / shot.width;
  const sy = capture.height / shot.height;
  if (pointer.kind === 'point') return { x: pointer.x * sx, y: pointer.y * sy, w: 0, h: 0 };
  return { x: pointer.x * sx, y: pointer.y * sy, w: pointer.w * sx, h: pointer.h * sy };
}

/**
 * A pointer → a box in screen coordinates (DIP) on the live window. A point becomes a
 * POINT_MARK_SIZE square centred on it. The result is clamped to the window.
 */
export function pointerToScreenBox(
  pointer: Pointer,
  shot: { width: number; height: number },
  capture: { width: number; height: number },
  window: Pick<WindowInfo, 'bounds' | 'scale'>,
): Box {
  const box = pointerToCaptureBox(pointer, shot, capture);
  const scale = window.scale > 0 ? window.scale : 1;
  let x = window.bounds.x + box.x / scale;
  let y = window.bounds.y + box.y / scale;
  let w = box.w / scale;
  let h = box.h / scale;
  if (pointer.kind === 'point') {
    x -= POINT_MARK_SIZE / 2;
    y -= POINT_MARK_SIZE / 2;
    w = POINT_MARK_SIZE;
    h = POINT_MARK_SIZE;
  }
  const right = window.bounds.x + window.bounds.w;
  const bottom = window.bounds.y + window.bounds.h;
  x = Math.max(window.bounds.x, Math.min(x, right - Math.min(w, window.bounds.w)));
  y = Math.max(window.bounds.y, Math.min(y, bottom - Math.min(h, window.bounds.h)));
  return { x: round(x), y: round(y), w: round(Math.min(w, window.bounds.w)), h: round(Math.min(h, window.bounds.h)) };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
