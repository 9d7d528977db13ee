/** Shapes the capture module hands out: pixels, which window they came from, and how long it took. */
import type { Box, WindowInfo } from '../../src-shared/screen';
import type { RgbaImage } from '../base/image';

export type { RgbaImage };

/** Windows that must never be captured (Sidekick's own overlay and panels). */
export interface WindowExclusion {
  /** Process ids whose windows are skipped (the current process is always skipped). */
  pids?: number[];
  /** Native window ids (X11 window id, CGWindowID, HWND) to skip. */
  windowIds?: number[];
  /** Window titles to skip: exact strings or patterns. */
  titles?: Array<string | RegExp>;
}

/**
 * How pixels are taken.
 * - `screen-region` (default): the monitor under the window, cropped to the window's bounds, so
 *   popup menus and tooltips (separate override-redirect windows on X11) appear as the person sees them.
 * - `window`: the window's own pixels only (cheaper on some systems, but open menus are missing).
 */
export type CaptureMode = 'screen-region' | 'window';

/** Options for `captureFocusedWindow`. */
export interface CaptureOptions {
  exclude?: WindowExclusion;
  mode?: CaptureMode;
}

/** Why this window was chosen. */
export type CaptureTargetReason = 'focused' | 'topmost-other' | 'requested';

/** Milliseconds spent in each phase; `totalMs` covers listing windows through to RGBA pixels. */
export interface CaptureTimings {
  listMs: number;
  /** Grabbing the pixels, cropping included. */
  grabMs: number;
  totalMs: number;
}

/** One capture: the window (bounds in screen coordinates) and its pixels. */
export interface WindowCapture {
  window: WindowInfo;
  /** Pixels of `window.bounds`; image pixel (px, py) is screen point (bounds.x + px / scale, bounds.y + py / scale). */
  image: RgbaImage;
  /** Epoch milliseconds when the pixels were grabbed. */
  capturedAt: number;
  mode: CaptureMode;
  reason: CaptureTargetReason;
  timings: CaptureTimings;
  /**
   * Parts of the image where another window stacked above the target shows (screen-region mode),
   * in image pixels; `own` when that window is excluded (Sidekick's overlay). Text read there does
   * not belong to the target window.
   */
  covered: CoveredRegion[];
  /** Things a person may need to know, e.g. "window extends past its monitor; captured the visible part". */
  notes: string[];
}

/** A part of a capture covered by another window. */
export interface CoveredRegion {
  box: Box;
  windowId: number;
  own: boolean;
}

/** What the window list reports about one top-level window, before any pixels are read. */
export interface WindowSummary {
  id: number;
  pid: number;
  app: string;
  title: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Stacking order: higher is closer to the viewer. */
  z: number;
  focused: boolean;
  minimized: boolean;
}
