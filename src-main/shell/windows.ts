/**
 * Sidekick's windows: one factory for their options (security preferences in one place), the
 * overlay (transparent, frameless, on top, click-through outside the panel, kept out of our own
 * captures) and the page windows (settings, library, recorder, ask a human).
 */
import { BrowserWindow, screen, type BrowserWindowConstructorOptions, type Rectangle } from 'electron';
import { join } from 'node:path';
import type { AppWindowName } from '../../src-shared/ipc/overlay';
import type { Box, WindowInfo } from '../../src-shared/screen';
import type { OverlayFrame } from '../base/geometry';
import { rendererUrl } from './protocol';

/** The renderer pages, one per window (src-renderer/<page>.html). */
export type RendererPage = 'overlay' | AppWindowName;

const PRELOAD_PATH = join(import.meta.dirname, '../preload/preload.cjs');

const PAGE_TITLES: Record<AppWindowName, string> = {
  settings: 'Sidekick Settings',
  library: 'Sidekick — Walkthrough library',
  recorder: 'Sidekick — Record a walkthrough',
  'ask-human': 'Sidekick — Ask a human',
  welcome: 'Welcome to Sidekick',
};

/** Window sizes by page (width × height in DIP). */
const PAGE_SIZES: Partial<Record<AppWindowName, { width: number; height: number }>> = {
  settings: { width: 560, height: 520 },
  welcome: { width: 480, height: 460 },
};

/** The one factory for window options: every window gets the same locked-down web preferences. */
export function windowOptions(
  page: RendererPage,
  extra: BrowserWindowConstructorOptions = {},
): BrowserWindowConstructorOptions {
  return {
    show: false,
    backgroundColor: page === 'overlay' ? '#00000000' : '#f6f7f9',
    ...extra,
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // The overlay must keep painting while it is not focused.
      backgroundThrottling: page !== 'overlay',
    },
  };
}

/** Our windows by page; `pageOf` tells which page a webContents belongs to (for IPC sender checks). */
export class SidekickWindows {
  private overlay: BrowserWindow | null = null;
  private readonly pages = new Map<AppWindowName, BrowserWindow>();
  /** Areas of the overlay that take clicks: the panel, then the step card beside its target. */
  private panel: Box[] = [];
  private pointerPoll: NodeJS.Timeout | null = null;
  private passThrough = true;

  /** The page a window shows, or null when it is not one of ours. */
  pageOf(window: BrowserWindow | null): RendererPage | null {
    if (!window || window.isDestroyed()) return null;
    if (window === this.overlay) return 'overlay';
    for (const [name, candidate] of this.pages) if (candidate === window) return name;
    return null;
  }

  /** Every live window of ours. */
  all(): BrowserWindow[] {
    return [this.overlay, ...this.pages.values()].filter((w): w is BrowserWindow => !!w && !w.isDestroyed());
  }

  /** The overlay window, created hidden on first use. */
  overlayWindow(): BrowserWindow {
    if (this.overlay && !this.overlay.isDestroyed()) return this.overlay;
    const overlay = new BrowserWindow(
      windowOptions('overlay', {
        title: 'Sidekick overlay',
        transparent: true,
        frame: false,
        resizable: false,
        movable: false,
        minimizable: false,
        maximizable: false,
        fullscreenable: false,
        skipTaskbar: true,
        hasShadow: false,
        alwaysOnTop: true,
        // Not focusable until the person clicks the panel, so the helped app keeps focus.
        focusable: false,
      }),
    );
    overlay.setAlwaysOnTop(true, 'screen-saver');
    overlay.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
    // Windows and macOS: keep the overlay out of every screen capture, ours included.
    // Linux has no such API; the shell hides the overlay while capturing instead (see main.ts).
    overlay.setContentProtection(true);
    overlay.setIgnoreMouseEvents(true, { forward: true });
    overlay.on('closed', () => (this.overlay = null));
    void overlay.loadURL(rendererUrl('overlay'));
    this.overlay = overlay;
    return overlay;
  }

  /** Puts the overlay over the display that holds `window` and shows it without taking focus. */
  placeOverlay(window: WindowInfo): OverlayFrame {
    const overlay = this.overlayWindow();
    const rect: Rectangle = {
      x: Math.round(window.bounds.x),
      y: Math.round(window.bounds.y),
      width: Math.max(1, Math.round(window.bounds.w)),
      height: Math.max(1, Math.round(window.bounds.h)),
    };
    // The capture module reports bounds in screen coordinates; on Windows those are physical pixels.
    const dipRect = process.platform === 'win32' ? screen.screenToDipRect(null, rect) : rect;
    const display = screen.getDisplayMatching(dipRect);
    if (Math.abs(display.scaleFactor - window.scale) > 0.01) {
      // Highlights assume the capture's scale is the display's; say so when they disagree (e.g. X11 with Xft.dpi
      // scaling).
      console.warn(
        `[sidekick] capture scale ${window.scale} differs from display ` +
          `${display.id} scale ${display.scaleFactor}; highlights may be offset`,
      );
    }
    overlay.setBounds(display.bounds);
    this.setOverlayClickThrough(true);
    overlay.showInactive();
    this.startPointerPoll();
    const frame = display.bounds;
    const origin = process.platform === 'win32' ? screen.dipToScreenRect(null, frame) : frame;
    return { x: origin.x, y: origin.y, width: origin.width, height: origin.height };
  }

  /** true: clicks fall through to the app below; false: the panel is under the pointer and takes them. */
  setOverlayClickThrough(passThrough: boolean): void {
    const overlay = this.overlay;
    if (!overlay || overlay.isDestroyed()) return;
    this.passThrough = passThrough;
    overlay.setIgnoreMouseEvents(passThrough, { forward: true });
    // Typing into the ask box needs keyboard focus: focusable once the pointer is on the panel, and it
    // stays focusable while it has focus (moving the mouse away must not cut off typing).
    if (!passThrough) overlay.setFocusable(true);
    else if (!overlay.isFocused()) overlay.setFocusable(false);
  }

  /** Where the panel is, and the other areas that take clicks (the step card), in overlay CSS pixels. */
  setPanelBounds(box: Box, others: Box[] = []): void {
    this.panel = [box, ...others];
  }

  /**
   * Linux: `setIgnoreMouseEvents(true, { forward: true })` does not forward mouse moves there
   * (forwarding exists on macOS and Windows only), so the panel would never see the pointer
   * arrive. Poll the pointer instead and let clicks through everywhere but the panel.
   */
  private startPointerPoll(): void {
    if (process.platform !== 'linux' || this.pointerPoll) return;
    this.pointerPoll = setInterval(() => {
      const overlay = this.overlay;
      if (!overlay || overlay.isDestroyed() || !overlay.isVisible()) {
        this.stopPointerPoll();
        return;
      }
      if (this.panel.length === 0) return;
      const point = screen.getCursorScreenPoint();
      const origin = overlay.getBounds();
      const x = point.x - origin.x;
      const y = point.y - origin.y;
      const onPanel = this.panel.some(
        (area) => x >= area.x && x <= area.x + area.w && y >= area.y && y <= area.y + area.h,
      );
      if (onPanel === this.passThrough) this.setOverlayClickThrough(!onPanel);
    }, 50);
  }

  private stopPointerPoll(): void {
    if (this.pointerPoll) clearInterval(this.pointerPoll);
    this.pointerPoll = null;
  }

  /** Whether the overlay has keyboard focus. */
  overlayFocused(): boolean {
    return !!this.overlay && !this.overlay.isDestroyed() && this.overlay.isFocused();
  }

  /** Gives the overlay keyboard focus (the person pressed the hotkey to type a question). */
  focusOverlay(): void {
    const overlay = this.overlay;
    if (!overlay || overlay.isDestroyed()) return;
    overlay.setFocusable(true);
    overlay.focus();
  }

  /** Hides the overlay (Esc, close button). */
  closeOverlay(): void {
    const overlay = this.overlay;
    if (!overlay || overlay.isDestroyed()) return;
    overlay.setFocusable(false);
    overlay.hide();
    this.stopPointerPoll();
    this.panel = [];
  }

  /** Whether the overlay is on screen. */
  overlayVisible(): boolean {
    return !!this.overlay && !this.overlay.isDestroyed() && this.overlay.isVisible();
  }

  /** Hides the overlay for a capture on platforms without content protection; returns how to restore it. */
  hideOverlayForCapture(): () => void {
    if (process.platform === 'win32' || process.platform === 'darwin' || !this.overlayVisible()) return () => {};
    this.overlay!.hide();
    return () => {
      if (this.overlay && !this.overlay.isDestroyed()) this.overlay.showInactive();
    };
  }

  /** Opens (or focuses) a page window. */
  openWindow(name: AppWindowName): BrowserWindow {
    const existing = this.pages.get(name);
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    }
    const window = new BrowserWindow(
      windowOptions(name, {
        title: PAGE_TITLES[name],
        ...(PAGE_SIZES[name] ?? { width: 820, height: 640 }),
        autoHideMenuBar: true,
      }),
    );
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => this.pages.delete(name));
    void window.loadURL(rendererUrl(name));
    this.pages.set(name, window);
    return window;
  }

  /** Brings forward whatever the person was using (second launch). */
  focusSomething(): void {
    const window = [...this.pages.values()].find((w) => !w.isDestroyed());
    if (window) {
      window.show();
      window.focus();
    } else {
      this.openWindow('settings');
    }
  }
}
