/**
 * The settings JSON Schema as electron-store uses it: electron-store is `conf` with Electron's
 * paths, so conf (with its own Ajv 2020 + formats) stands in for it here, where Electron cannot run.
 */
import Conf from 'conf';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings, SettingsSchema } from '../../src-shared/settings';
import { settingsJsonSchemaProperties } from './settings-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function conf(): { store: Conf<Record<string, unknown>>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-conf-'));
  dirs.push(dir);
  const store = new Conf<Record<string, unknown>>({
    cwd: dir,
    configName: 'settings',
    projectName: 'sidekick-test',
    defaults: defaultSettings(),
    schema: settingsJsonSchemaProperties() as never,
    clearInvalidConfig: true,
  });
  return { store, dir };
}

describe('the electron-store schema of the settings', () => {
  it('compiles, accepts the defaults and round-trips settings', () => {
    const { store } = conf();
    expect(SettingsSchema.parse(store.store)).toEqual(defaultSettings());
    store.set('general', { ...defaultSettings().general, hotkey: 'Alt+Shift+F2' });
    expect(SettingsSchema.parse(store.store).general.hotkey).toBe('Alt+Shift+F2');
  });

  it('refuses a write the schema forbids', () => {
    const { store } = conf();
    expect(() => store.set('general', { hotkey: 42 })).toThrow(/hotkey|type/);
  });

  it('replaces a corrupt file with the defaults instead of stopping the app', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-conf-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'settings.json'), '{ not json');
    const store = new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: 'settings',
      projectName: 'sidekick-test',
      defaults: defaultSettings(),
      schema: settingsJsonSchemaProperties() as never,
      clearInvalidConfig: true,
    });
    expect(SettingsSchema.parse(store.store)).toEqual(defaultSettings());
  });
});
