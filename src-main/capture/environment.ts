/** Checks, before touching any native API, that this desktop session can be captured at all. */
import { CaptureError, WAYLAND_HINT } from './errors';

/** The environment variables that decide how a Linux session can be captured. */
export interface SessionEnv {
  DISPLAY?: string;
  WAYLAND_DISPLAY?: string;
  XDG_SESSION_TYPE?: string;
}

/**
 * A CaptureError when no capture path exists (no display, pure Wayland, unsupported OS), or null.
 * Linux needs an X11 display (a real Xorg session or XWayland); macOS and Windows always have one.
 */
export function captureEnvironmentProblem(platform: NodeJS.Platform, env: SessionEnv): CaptureError | null {
  if (platform === 'darwin' || platform === 'win32') return null;
  if (platform !== 'linux') {
    return new CaptureError(
      'unsupported-platform',
      `Window capture is not supported on ${platform}; Sidekick runs on Linux (X11), macOS and Windows.`,
    );
  }
  if (env.DISPLAY) return null;
  if (env.WAYLAND_DISPLAY || env.XDG_SESSION_TYPE === 'wayland')
    return new CaptureError('wayland-unsupported', WAYLAND_HINT);
  return new CaptureError(
    'no-display',
    'No X display to capture: DISPLAY is not set. ' +
      'Run Sidekick inside your desktop session (or set DISPLAY, e.g. DISPLAY=:0).',
  );
}

/** A note for sessions where only some windows can be captured, or null. */
export function partialSessionNote(platform: NodeJS.Platform, env: SessionEnv): string | null {
  if (platform === 'linux' && env.DISPLAY && (env.WAYLAND_DISPLAY || env.XDG_SESSION_TYPE === 'wayland')) {
    return (
      'Wayland session: only apps running under XWayland can be captured; ' +
      'for full support log in with an X11 session.'
    );
  }
  return null;
}
