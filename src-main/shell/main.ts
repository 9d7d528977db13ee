/**
 * Sidekick's Electron entry: a single-instance tray app. Each feature has a setup function;
 * everything the app does lives in the plain-Node core (src-main/app) and the capabilities it
 * is given (capture, ocr, screen). This file only wires them to Electron.
 */
import { app, Notification } from 'electron';
import { captureFocusedWindow } from '../capture';
import { createScreenReader, type ScreenReader } from '../ocr';
import { locateLabel } from '../screen';
import { createSidekickCore, type SidekickCore } from '../app/core';
import { bundledResource, resourcesDir, useResourcesDir } from '../base/resources';
import { sidekickFeatures } from '../app/features';
import { createAppSecretStore } from './secrets';
import type { AppWindowName } from '../../src-shared/ipc/overlay';
import type { HotkeyStatus } from '../../src-shared/ipc/settings';
import { GlobalHotkey, hotkeyLabel } from './hotkey';
import { broadcast, setupIpc } from './ipc';
import { registerAppScheme, serveRendererPages } from './protocol';
import { setupSecurityGuards } from './security';
import { ElectronSettingsStore } from './settings-store';
import { setupTray, trayMenuTemplate, type SidekickTray } from './tray';
import { SidekickWindows } from './windows';

/**
 * Test hook: with SIDEKICK_E2E=1, `app.emit(E2E_HELP_EVENT)` does what the hotkey does (Playwright cannot press global
 * keys).
 */
export const E2E_HELP_EVENT = 'sidekick-e2e-help';

/** Longest wait at quit for the features to stop (the team feature's last usage batch takes at most 3 s). */
const QUIT_WAIT_MS = 4000;

function log(message: string, error?: unknown): void {
  const stamp = new Date().toISOString();
  if (error === undefined) console.log(`[sidekick ${stamp}] ${message}`);
  else console.error(`[sidekick ${stamp}] ${message}:`, error);
}

// Wayland: global shortcuts go through the desktop portal (Electron 35+ with this feature).
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-features', 'GlobalShortcutsPortal');

// Installed: icons, OCR model and starter walkthroughs are beside app.asar (electron-builder extraResources).
useResourcesDir(resourcesDir({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath }));
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // A second launch: the first instance focuses itself (see 'second-instance'); this one leaves.
  app.quit();
} else {
  const windows = new SidekickWindows();
  app.on('second-instance', () => windows.focusSomething());
  // A tray app keeps running with no windows open.
  app.on('window-all-closed', () => {});
  process.on('uncaughtException', (error) => log('Unexpected error (Sidekick keeps running)', error));
  process.on('unhandledRejection', (error) => log('Unhandled rejection (Sidekick keeps running)', error));
  app.whenReady().then(
    () => start(windows),
    (error) => log('Electron failed to start', error),
  );
}

function start(windows: SidekickWindows): void {
  setupSecurityGuards(log);
  serveRendererPages();
  if (process.platform === 'darwin') app.dock?.hide();

  const settings = new ElectronSettingsStore();
  let reader: ScreenReader | null = null;
  let readerLanguage = '';
  const screenReader = (): ScreenReader => {
    const language = settings.get().general.ocrLanguage;
    if (!reader || readerLanguage !== language) {
      void reader?.close();
      reader = createScreenReader({ language });
      readerLanguage = language;
    }
    return reader;
  };

  let tray: SidekickTray | null = null;
  let core: SidekickCore | null = null;
  const getHelp = (): void => {
    if (!core) return;
    // While the recorder records, each press captures the window for it instead of opening help.
    if (core.takeHotkey()) return;
    // A press while the overlay is up (and not focused) moves the keyboard into its ask box;
    // otherwise it captures the focused window and starts a new session.
    if (windows.overlayVisible() && !windows.overlayFocused() && core.sessions.current()) {
      windows.focusOverlay();
      return;
    }
    core.sessions.start().catch((error) => log('Help session crashed', error));
  };
  const hotkey = new GlobalHotkey(getHelp, (status) =>
    tray?.setHotkeyLabel(status.registered ? hotkeyLabel(status.hotkey) : ''),
  );

  // The AI API key and the team token live in the OS secure store (safeStorage), never in the settings file.
  const secrets = createAppSecretStore();
  // Helpers who opted in hear about new help requests from the tray app.
  const notify = (title: string, body: string): void => {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  };
  core = createSidekickCore({
    help: {
      capture: async () => {
        const restore = windows.hideOverlayForCapture();
        try {
          return await captureFocusedWindow({ exclude: { pids: [process.pid], titles: ['Sidekick overlay'] } });
        } finally {
          restore();
        }
      },
      reader: { read: (image, options) => screenReader().read(image, options) },
      locate: (screen, label) => locateLabel(screen, label),
      placeOverlay: (window) => windows.placeOverlay(window),
      log,
    },
    features: sidekickFeatures({ secrets, notify }),
    settings,
    windows,
    system: hotkey,
    emit: (event, payload) => broadcast(windows, event, payload),
    log,
  });

  setupIpc(core.dispatcher, windows, log);
  const trayActions = {
    getHelp,
    openWindow: (name: AppWindowName) => void windows.openWindow(name),
    quit: () => app.quit(),
  };
  tray = setupTray(bundledResource('icons', 'tray.png'), '', trayActions);
  const status = core.applySettingsToSystem();
  if (!status.registered) tellHotkeyProblem(status, windows);
  // The first start: a short card says what the hotkey does and what stays on this computer (shown once).
  else if (!settings.get().general.welcomed) void windows.openWindow('welcome');
  windows.overlayWindow(); // created hidden now so the first hotkey press shows it at once
  // Start the OCR workers as soon as the tray is up (they load in their own threads, so the tray and the
  // hotkey are not delayed), so even a hotkey press in the first seconds reads warm.
  setImmediate(() => {
    const warmable = screenReader() as ScreenReader & { warm?: () => Promise<void> };
    warmable.warm?.().catch((error) => log('OCR warm-up failed (the first read will be slower)', error));
  });

  if (process.env.SIDEKICK_E2E === '1') {
    // Test-only hooks for e2e/shell (never set in production): the hotkey's action, and the tray menu.
    (app as unknown as NodeJS.EventEmitter).on(E2E_HELP_EVENT, getHelp);
    Object.assign(globalThis, {
      sidekickE2E: {
        trayMenuLabels: () =>
          trayMenuTemplate(
            hotkey.hotkeyStatus().registered ? hotkeyLabel(hotkey.hotkeyStatus().hotkey) : '',
            trayActions,
          ).map((item) => item.label ?? ''),
        openWindow: (name: AppWindowName) => windows.openWindow(name),
      },
    });
    log('E2E hooks enabled (SIDEKICK_E2E=1)');
  }
  // The first will-quit waits (at most QUIT_WAIT_MS) for the features to finish, e.g. the team feature sending
  // its last usage events, then quits for real; whatever they could not finish is kept on disk for next time.
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    hotkey.dispose();
    let timer: NodeJS.Timeout | undefined;
    void Promise.race([
      Promise.allSettled([core?.dispose(), reader?.close()]),
      new Promise((resolve) => (timer = setTimeout(resolve, QUIT_WAIT_MS))),
    ]).finally(() => {
      clearTimeout(timer);
      app.quit();
    });
  });
  log(`Sidekick is running in the tray; help hotkey ${status.registered ? status.hotkey : 'not registered'}`);
}

/** The hotkey is taken or invalid: say so and open Settings where it can be changed. */
function tellHotkeyProblem(status: HotkeyStatus, windows: SidekickWindows): void {
  log(status.problem ?? 'The help hotkey could not be registered');
  if (Notification.isSupported())
    new Notification({ title: 'Sidekick needs another hotkey', body: status.problem ?? '' }).show();
  windows.openWindow('settings');
}
