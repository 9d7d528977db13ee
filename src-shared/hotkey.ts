/**
 * The help hotkey as a person reads it. Settings store an Electron accelerator
 * ("CommandOrControl+Alt+H"); every place that shows the hotkey (Settings, the tray, the first-run
 * card, the overlay) shows it through `hotkeyLabel`: "Ctrl+Alt+H" on Linux and Windows, "⌥⌘H" on macOS
 * (Apple's ⌃⌥⇧⌘ order).
 */

/** macOS modifier symbols, in the order macOS menus print them (⌃⌥⇧⌘). */
const MAC_SYMBOLS: Record<string, string> = {
  control: '⌃',
  ctrl: '⌃',
  alt: '⌥',
  option: '⌥',
  altgr: '⌥',
  shift: '⇧',
  command: '⌘',
  cmd: '⌘',
  super: '⌘',
  meta: '⌘',
};
const MAC_ORDER = ['⌃', '⌥', '⇧', '⌘'];
/** Linux and Windows names, in the order their menus print them. */
const PC_NAMES: Record<string, string> = {
  control: 'Ctrl',
  ctrl: 'Ctrl',
  alt: 'Alt',
  option: 'Alt',
  altgr: 'AltGr',
  shift: 'Shift',
  super: 'Super',
  meta: 'Super',
  command: 'Super',
  cmd: 'Super',
};
const PC_ORDER = ['Ctrl', 'Alt', 'AltGr', 'Shift', 'Super'];
/** Keys whose accelerator name is not what the keyboard says. */
const KEY_NAMES: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  space: 'Space',
  plus: '+',
  esc: 'Esc',
  escape: 'Esc',
  return: 'Enter',
};

/** An accelerator as a person reads it on `platform` ("darwin", "linux", "win32"): "Ctrl+Alt+H", "⌥⌘H". */
export function hotkeyLabel(accelerator: string, platform: string): string {
  const mac = platform === 'darwin';
  const parts = accelerator.split('+').filter(Boolean);
  if (parts.length === 0) return '';
  const key = parts[parts.length - 1]!;
  const modifiers = new Set<string>();
  for (const part of parts.slice(0, -1)) {
    const lower = part.toLowerCase();
    if (lower === 'commandorcontrol' || lower === 'cmdorctrl') modifiers.add(mac ? '⌘' : 'Ctrl');
    else modifiers.add((mac ? MAC_SYMBOLS[lower] : PC_NAMES[lower]) ?? part);
  }
  const order = mac ? MAC_ORDER : PC_ORDER;
  const sorted = [...modifiers].sort((a, b) => rank(order, a) - rank(order, b));
  const keyText = KEY_NAMES[key.toLowerCase()] ?? (key.length === 1 ? key.toUpperCase() : key);
  return mac ? [...sorted, keyText].join('') : [...sorted, keyText].join('+');
}

function rank(order: string[], modifier: string): number {
  const index = order.indexOf(modifier);
  return index === -1 ? order.length : index;
}

/** The tray icon's tooltip: what Sidekick is and how to call it. */
export function trayTooltip(label: string): string {
  if (!label) return 'Sidekick — choose Settings to pick a help hotkey';
  return `Sidekick — press ${label} over any window for help`;
}
