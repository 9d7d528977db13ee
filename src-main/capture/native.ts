/**
 * The native capture library (`node-screenshots`, xcap): loading it, listing windows with their
 * metadata, and turning its exceptions into CaptureErrors with a next step.
 */
import { CaptureError, MACOS_SCREEN_RECORDING_HINT } from './errors';
import { captureEnvironmentProblem } from './environment';
import type { WindowSummary } from './types';

/** The native library's module. */
export type NativeScreens = typeof import('node-screenshots');

/** A native window handle. */
export type NativeWindow = InstanceType<NativeScreens['Window']>;

/** A native monitor handle. */
export type NativeMonitor = InstanceType<NativeScreens['Monitor']>;

/** A native image. */
export type NativeImage = InstanceType<NativeScreens['Image']>;

let nativeScreens: Promise<NativeScreens> | undefined;

/** Loads the native capture binding once; an unsupported OS/CPU becomes a CaptureError. */
export function loadNativeScreens(): Promise<NativeScreens> {
  nativeScreens ??= import('node-screenshots').catch((error: unknown) => {
    nativeScreens = undefined;
    throw new CaptureError(
      'unsupported-platform',
      `The screen capture library has no build for ${process.platform}-${process.arch} (${String(error)}). ` +
        'Reinstall Sidekick with `npm install` on this machine.',
      { cause: error },
    );
  });
  return nativeScreens;
}

function assertCaptureEnvironment(): void {
  const problem = captureEnvironmentProblem(process.platform, process.env);
  if (problem) throw problem;
}

/** Reads one native window's metadata; null when it disappeared while being read. */
function summarize(window: NativeWindow): WindowSummary | null {
  try {
    return {
      id: window.id(),
      pid: window.pid(),
      app: window.appName(),
      title: window.title(),
      x: window.x(),
      y: window.y(),
      width: window.width(),
      height: window.height(),
      z: window.z(),
      focused: window.isFocused(),
      minimized: window.isMinimized(),
    };
  } catch {
    return null;
  }
}

/** A listed window: its metadata and its native handle. */
export interface ListedWindow {
  summary: WindowSummary;
  handle: NativeWindow;
}

/** Every top-level window with its handle (checks the session first). */
export async function listNativeWindows(): Promise<ListedWindow[]> {
  assertCaptureEnvironment();
  const { Window } = await loadNativeScreens();
  let handles: NativeWindow[];
  try {
    handles = Window.all();
  } catch (error) {
    throw nativeFailure(error, 'list the open windows');
  }
  const listed: ListedWindow[] = [];
  for (const handle of handles) {
    const summary = summarize(handle);
    if (summary) listed.push({ summary, handle });
  }
  // macOS hides other apps' window titles from processes without Screen Recording permission.
  if (process.platform === 'darwin') {
    const foreign = listed.filter((w) => w.summary.pid !== process.pid);
    if (foreign.length > 0 && foreign.every((w) => w.summary.title === '')) {
      throw new CaptureError('permission-denied', MACOS_SCREEN_RECORDING_HINT);
    }
  }
  return listed;
}

/** Maps an exception from the native library to a CaptureError with a next step. */
export function nativeFailure(error: unknown, doing: string): CaptureError {
  const text = error instanceof Error ? error.message : String(error);
  // X11: the native library opens one X connection per process and keeps it; once that display
  // is gone (X server restarted, DISPLAY changed) every call fails with this message.
  if (process.platform === 'linux' && /xcb connection/i.test(text)) {
    return new CaptureError(
      'no-display',
      `Lost the connection to the X display (DISPLAY=${process.env.DISPLAY ?? 'unset'}). ` +
        `Restart Sidekick from inside your desktop session.`,
      { cause: error },
    );
  }
  if (process.platform === 'darwin' && /permission|denied|not authori[sz]ed|TCC/i.test(text)) {
    return new CaptureError('permission-denied', MACOS_SCREEN_RECORDING_HINT, { cause: error });
  }
  return new CaptureError(
    'capture-failed',
    `Could not ${doing}: ${text}. Try again; if it keeps failing, ` +
      `run \`sidekick capture --json\` and report its output.`,
    {
      cause: error,
    },
  );
}

/** Lists the top-level windows on screen, topmost first (metadata only, no pixels). */
export async function listWindows(): Promise<WindowSummary[]> {
  const listed = await listNativeWindows();
  return listed.map((w) => w.summary).sort((a, b) => b.z - a.z);
}
