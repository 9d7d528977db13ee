/**
 * Taking the pixels: the monitor under the window cropped to its visible part (with popups that
 * reach past it), or the window's own pixels.
 */
import { CaptureError, windowVanished } from './errors';
import type { NativeImage, NativeMonitor, NativeScreens, NativeWindow } from './native';
import { area, intersect, union, type Rect } from './rect';
import type { RgbaImage, WindowSummary } from './types';
import { x11PopupsOver } from './desktop';

/** Pixels of a window, where they are on screen, and how many device pixels per screen coordinate. */
export interface Grabbed {
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
    throw windowVanished(summary, error);
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
export async function grabScreenRegion(
  handle: NativeWindow,
  summary: WindowSummary,
  screens: NativeScreens,
): Promise<Grabbed> {
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
    notes.push(
      `the window extends past its monitor; captured the visible ` +
        `${windowOnMonitor.width}x${windowOnMonitor.height} part`,
    );
  }
  return { image: cropRawImage(shot, left, top, width, height), bounds: visible, scale, notes };
}

/** The window's own pixels (popups that are separate windows are not included). */
export async function grabWindowOnly(handle: NativeWindow, summary: WindowSummary): Promise<Grabbed> {
  const image = rawPixels(await handle.captureImage());
  const scale = summary.width > 0 ? image.width / summary.width : 1;
  return {
    image,
    bounds: { x: summary.x, y: summary.y, width: summary.width, height: summary.height },
    scale,
    notes: [],
  };
}
