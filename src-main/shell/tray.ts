/**
 * The tray icon and its menu: the way into every Sidekick feature.
 */
import { Menu, Tray, nativeImage } from 'electron';
import type { AppWindowName } from '../../src-shared/ipc/overlay';
import { trayTooltip } from '../../src-shared/hotkey';

/** What the tray menu does; injected so the menu can be rebuilt when the hotkey changes. */
export interface TrayActions {
  getHelp(): void;
  openWindow(name: AppWindowName): void;
  quit(): void;
}

/** The tray and a way to refresh its menu. */
export interface SidekickTray {
  setHotkeyLabel(label: string): void;
  destroy(): void;
}

/** The tray menu's items; a function so it can be checked without Electron. */
export function trayMenuTemplate(hotkeyLabel: string, actions: TrayActions): Electron.MenuItemConstructorOptions[] {
  return [
    { label: hotkeyLabel ? `Get help now (${hotkeyLabel})` : 'Get help now', click: () => actions.getHelp() },
    { label: 'Ask a human', click: () => actions.openWindow('ask-human') },
    { type: 'separator' },
    { label: 'Walkthrough library', click: () => actions.openWindow('library') },
    { label: 'Record a walkthrough', click: () => actions.openWindow('recorder') },
    { type: 'separator' },
    { label: 'Settings', click: () => actions.openWindow('settings') },
    { label: 'Quit', role: 'quit', click: () => actions.quit() },
  ];
}

/** Creates the tray icon from `iconPath`. */
export function setupTray(iconPath: string, hotkeyLabel: string, actions: TrayActions): SidekickTray {
  const image = nativeImage.createFromPath(iconPath);
  // macOS: a template image follows the menu bar's light/dark appearance.
  if (process.platform === 'darwin') image.setTemplateImage(true);
  const tray = new Tray(image);
  const build = (label: string): void => {
    tray.setToolTip(trayTooltip(label));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(label, actions)));
  };
  build(hotkeyLabel);
  // Windows: a left click opens help at once, like the hotkey (the context menu is on right click).
  if (process.platform === 'win32') tray.on('click', () => actions.getHelp());
  return {
    setHotkeyLabel: build,
    destroy: () => tray.destroy(),
  };
}
