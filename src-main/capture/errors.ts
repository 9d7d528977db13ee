/**
 * Expected capture failures, each with a code the UI can branch on and a message that tells a
 * person what to do next.
 */
import type { WindowSummary } from './types';

/** Why a capture could not be made. */
export type CaptureErrorCode =
  | 'no-display'
  | 'wayland-unsupported'
  | 'permission-denied'
  | 'no-focused-window'
  | 'window-vanished'
  | 'window-offscreen'
  | 'unsupported-platform'
  | 'capture-failed';

/** An expected capture failure: `code` for programs, `message` for people. */
export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CaptureError';
  }
}

/** True when `error` is a CaptureError (optionally of one code). */
export function isCaptureError(error: unknown, code?: CaptureErrorCode): error is CaptureError {
  return error instanceof CaptureError && (code === undefined || error.code === code);
}

/** The actionable message for a missing macOS Screen Recording permission. */
export const MACOS_SCREEN_RECORDING_HINT =
  'macOS did not allow Sidekick to read other windows. Open System Settings → Privacy & Security → Screen Recording, ' +
  'turn on Sidekick (or the terminal you run `sidekick` from), then quit and reopen it.';

/** The actionable message for a Wayland session without an X11 capture path. */
export const WAYLAND_HINT =
  'This is a Wayland session, where apps cannot read other windows directly. Log out and pick "GNOME on Xorg" (or ' +
  'another X11 session) at the login screen, or set WaylandEnable=false in /etc/gdm3/custom.conf; apps running under ' +
  'XWayland (DISPLAY set) can be captured, native Wayland windows cannot.';

/** The window closed or was hidden before it could be captured. */
export function windowVanished(summary: WindowSummary | undefined, cause?: unknown): CaptureError {
  const what = summary ? `The window "${summary.title || summary.app}"` : 'The window';
  return new CaptureError(
    'window-vanished',
    `${what} closed or was hidden before Sidekick could capture it. ` +
      `Bring the window you need help with to the front and try again.`,
    cause === undefined ? undefined : { cause },
  );
}
