/**
 * The global help hotkey and start-at-login: the shell's side of the core's SystemIntegration.
 */
import { app, globalShortcut } from 'electron';
import type { HotkeyStatus } from '../../src-shared/ipc/settings';
import type { SystemIntegration } from '../app/core';
import { hotkeyLabel as sharedHotkeyLabel } from '../../src-shared/hotkey';

/** Owns the one global shortcut; `onPress` runs the help flow. */
export class GlobalHotkey implements SystemIntegration {
  private status: HotkeyStatus = { hotkey: '', registered: false, problem: 'No hotkey registered yet.' };

  constructor(
    private readonly onPress: () => void,
    private readonly onChange: (status: HotkeyStatus) => void = () => {},
  ) {}

  registerHotkey(accelerator: string): HotkeyStatus {
    if (this.status.registered && this.status.hotkey) globalShortcut.unregister(this.status.hotkey);
    let registered = false;
    let problem: string | null = null;
    try {
      registered = globalShortcut.register(accelerator, this.onPress);
      if (!registered)
        problem =
          `${hotkeyLabel(accelerator)} is already used by another program. ` +
          `Pick another hotkey in Sidekick Settings.`;
    } catch (error) {
      problem =
        `${hotkeyLabel(accelerator)} is not a valid hotkey (${(error as Error).message}). ` +
        `Pick another in Sidekick Settings.`;
    }
    // Wayland: Electron's global shortcuts need the GlobalShortcuts portal (see main.ts); without it register fails.
    if (!registered && process.platform === 'linux' && process.env.XDG_SESSION_TYPE === 'wayland') {
      problem =
        `${problem} On Wayland, global hotkeys need the desktop's ` +
        `GlobalShortcuts portal (GNOME 48+, KDE 5.27+), or an X11 session.`;
    }
    this.status = { hotkey: accelerator, registered, problem };
    this.onChange(this.status);
    return this.status;
  }

  hotkeyStatus(): HotkeyStatus {
    return this.status;
  }

  startAtLoginSupported(): boolean {
    // app.setLoginItemSettings works on macOS and Windows only.
    return process.platform === 'darwin' || process.platform === 'win32';
  }

  setStartAtLogin(enabled: boolean): void {
    app.setLoginItemSettings({ openAtLogin: enabled });
  }

  /** Releases the shortcut (on quit). */
  dispose(): void {
    globalShortcut.unregisterAll();
  }
}

/** An accelerator as a person reads it on this platform ("Ctrl+Alt+H", "⌥⌘H"): the one shared formatter. */
export function hotkeyLabel(accelerator: string, platform: NodeJS.Platform = process.platform): string {
  return sharedHotkeyLabel(accelerator, platform);
}
