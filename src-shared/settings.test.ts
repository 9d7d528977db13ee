import { describe, expect, it } from 'vitest';
import { applySettingsPatch, defaultSettings, isValidHotkey, SettingsSchema } from './settings';

describe('settings', () => {
  it('accepts Electron accelerators with a modifier and one key', () => {
    for (const ok of ['CommandOrControl+Alt+H', 'Ctrl+Shift+F12', 'Alt+Space', 'Super+Plus', 'CmdOrCtrl+Alt+Up'])
      expect(isValidHotkey(ok), ok).toBe(true);
    for (const bad of ['H', 'Ctrl+', 'Ctrl+Alt', 'Hyper+H', 'Ctrl+HH', '', 'Ctrl++'])
      expect(isValidHotkey(bad), bad).toBe(false);
  });

  it('fills every missing section and field with defaults', () => {
    expect(SettingsSchema.parse({})).toEqual(defaultSettings());
    expect(Object.keys(defaultSettings())).toContain('general');
    expect(SettingsSchema.parse({ general: { ocrLanguage: 'eng+deu' } }).general).toEqual({
      hotkey: 'CommandOrControl+Alt+H',
      ocrLanguage: 'eng+deu',
      startAtLogin: false,
      welcomed: false,
    });
  });

  it('patches some fields and keeps the rest', () => {
    const result = applySettingsPatch(defaultSettings(), { general: { startAtLogin: true } });
    expect(result).toMatchObject({
      ok: true,
      settings: { general: { hotkey: 'CommandOrControl+Alt+H', ocrLanguage: 'eng', startAtLogin: true } },
    });
    expect(applySettingsPatch(defaultSettings(), { general: { hotkey: 'nope' } }).ok).toBe(false);
  });
});
