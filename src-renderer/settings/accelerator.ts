/** Turns a key press into an Electron accelerator ("CommandOrControl+Alt+H"), or null for a lone modifier. */
export function acceleratorFromKey(
  event: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
  isMac: boolean,
): string | null {
  const modifiers: string[] = [];
  if (isMac ? event.metaKey : event.ctrlKey) modifiers.push('CommandOrControl');
  if (isMac && event.ctrlKey) modifiers.push('Control');
  if (!isMac && event.metaKey) modifiers.push('Super');
  if (event.altKey) modifiers.push('Alt');
  if (event.shiftKey) modifiers.push('Shift');
  const key = keyName(event);
  if (!key || modifiers.length === 0) return null;
  return [...modifiers, key].join('+');
}

function keyName(event: Pick<KeyboardEvent, 'key' | 'code'>): string | null {
  // event.code is layout-independent for letters and digits (Alt changes event.key on macOS).
  const code = /^Key([A-Z])$/.exec(event.code) ?? /^Digit([0-9])$/.exec(event.code);
  if (code) return code[1]!;
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(event.key)) return event.key;
  const named: Record<string, string> = {
    ' ': 'Space',
    ArrowUp: 'Up',
    ArrowDown: 'Down',
    ArrowLeft: 'Left',
    ArrowRight: 'Right',
    Enter: 'Enter',
    Home: 'Home',
    End: 'End',
    PageUp: 'PageUp',
    PageDown: 'PageDown',
    Insert: 'Insert',
    Delete: 'Delete',
    Backspace: 'Backspace',
  };
  return named[event.key] ?? null;
}
