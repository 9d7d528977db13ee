import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEY } from './settings';
import { hotkeyLabel, trayTooltip } from './hotkey';

describe('hotkeyLabel', () => {
  it('shows the default hotkey as the keys on each platform', () => {
    expect(hotkeyLabel(DEFAULT_HOTKEY, 'linux')).toBe('Ctrl+Alt+H');
    expect(hotkeyLabel(DEFAULT_HOTKEY, 'win32')).toBe('Ctrl+Alt+H');
    expect(hotkeyLabel(DEFAULT_HOTKEY, 'darwin')).toBe('⌥⌘H'); // macOS menus print ⌃⌥⇧⌘ in this order;
  });

  it('orders modifiers the way each platform prints them, whatever the stored order', () => {
    expect(hotkeyLabel('Shift+CommandOrControl+K', 'linux')).toBe('Ctrl+Shift+K');
    expect(hotkeyLabel('Shift+CommandOrControl+K', 'darwin')).toBe('⇧⌘K');
    expect(hotkeyLabel('CommandOrControl+Control+Alt+Shift+F1', 'darwin')).toBe('⌃⌥⇧⌘F1');
    expect(hotkeyLabel('Super+Alt+Space', 'linux')).toBe('Alt+Super+Space');
  });

  it('names keys as the keyboard does', () => {
    expect(hotkeyLabel('CmdOrCtrl+Alt+Up', 'linux')).toBe('Ctrl+Alt+↑');
    expect(hotkeyLabel('Control+Shift+h', 'win32')).toBe('Ctrl+Shift+H');
    expect(hotkeyLabel('', 'linux')).toBe('');
  });

  it('puts the hotkey in the tray tooltip, or says how to get one', () => {
    expect(trayTooltip('Ctrl+Alt+H')).toBe('Sidekick — press Ctrl+Alt+H over any window for help');
    expect(trayTooltip('')).toMatch(/Settings/);
  });
});
