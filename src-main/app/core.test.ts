/**
 * The core's IPC handlers through the real dispatcher: settings saved to a real JSON file, a
 * hotkey another program owns refused and rolled back, hostile payloads rejected by the contract.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEY } from '../../src-shared/settings';
import { SimulatedSystem } from './browser-host';
import { IPC } from '../../src-shared/ipc';
import type { SidekickFeature } from '../base/feature';
import { createSidekickCore } from './core';
import { sidekickFeatures } from './features';
import { IpcPayloadError, UnknownChannelError } from '../base/ipc-dispatch';
import { JsonFileSettingsStore } from './settings-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function setup(taken: string[] = [], file?: string, features: SidekickFeature[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-core-'));
  dirs.push(dir);
  const path = file ?? join(dir, 'settings.json');
  const events: string[] = [];
  const system = new SimulatedSystem(new Set(taken));
  const settings = new JsonFileSettingsStore(path);
  const core = createSidekickCore({
    help: {
      capture: () => Promise.reject(new Error('unused')),
      reader: { read: () => Promise.reject(new Error('unused')) },
      locate: (_s, query) => ({ query, text: null, box: null }),
      placeOverlay: () => ({ x: 0, y: 0, width: 1, height: 1 }),
    },
    settings,
    windows: { setOverlayClickThrough() {}, setPanelBounds() {}, closeOverlay() {}, openWindow() {} },
    system,
    features,
    emit: (event) => events.push(event),
  });
  const call = (channel: string, request: unknown) =>
    core.dispatcher.dispatch(channel, request, { window: 'settings' });
  return { core, system, settings, path, events, call };
}

describe('settings through the IPC contract', () => {
  it('registers the default hotkey, saves a new one to disk, and tells every window', async () => {
    const { core, path, events, call, system } = setup();
    expect(core.applySettingsToSystem()).toEqual({ hotkey: DEFAULT_HOTKEY, registered: true, problem: null });
    const result = await call('settings:update', {
      patch: { general: { hotkey: 'CommandOrControl+Shift+F1', startAtLogin: true } },
    });
    expect(result).toMatchObject({
      ok: true,
      view: {
        settings: { general: { hotkey: 'CommandOrControl+Shift+F1', startAtLogin: true, ocrLanguage: 'eng' } },
        hotkey: { registered: true },
      },
    });
    expect((JSON.parse(readFileSync(path, 'utf8')) as { general: { hotkey: string } }).general.hotkey).toBe(
      'CommandOrControl+Shift+F1',
    );
    expect(system.startAtLogin).toBe(true);
    expect(events).toEqual(['settings:changed']);
  });

  it('refuses a hotkey another program owns and keeps the working one', async () => {
    const { core, call, system, settings } = setup(['Alt+Space']);
    core.applySettingsToSystem();
    const result = await call('settings:update', { patch: { general: { hotkey: 'Alt+Space' } } });
    expect(result).toEqual({
      ok: false,
      problem: 'Alt+Space is already used by another program. Pick another hotkey in Sidekick Settings.',
    });
    expect(settings.get().general.hotkey).toBe(DEFAULT_HOTKEY);
    expect(system.hotkeyStatus()).toMatchObject({ hotkey: DEFAULT_HOTKEY, registered: true });
  });

  it('says when the saved hotkey is taken at startup', () => {
    const { core } = setup([DEFAULT_HOTKEY]);
    const status = core.applySettingsToSystem();
    expect(status.registered).toBe(false);
    expect(status.problem).toMatch(/already used by another program/);
    expect(core.settingsView().hotkey.registered).toBe(false);
  });

  it('rejects invalid values with the field at fault, and hostile payloads before any handler', async () => {
    const { call } = setup();
    expect(await call('settings:update', { patch: { general: { hotkey: 'H' } } })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/hotkey/) as unknown,
    });
    expect(await call('settings:update', { patch: { general: { ocrLanguage: '../../etc/passwd' } } })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/ocrLanguage/) as unknown,
    });
    await expect(call('settings:update', { patch: { nosuchsection: {} } })).rejects.toBeInstanceOf(IpcPayloadError);
    await expect(call('settings:update', 'not an object')).rejects.toBeInstanceOf(IpcPayloadError);
    await expect(call('overlay:ask', { sessionId: 's', question: 'x'.repeat(501) })).rejects.toThrow(/overlay:ask/);
    await expect(call('__proto__', {})).rejects.toBeInstanceOf(UnknownChannelError);
  });

  it('sets a malformed settings file aside and starts from defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-core-'));
    dirs.push(dir);
    const path = join(dir, 'settings.json');
    writeFileSync(path, '{"general": {"hotkey": 42}');
    const { settings } = setup([], path);
    expect(settings.get().general.hotkey).toBe(DEFAULT_HOTKEY);
    expect(settings.loadProblem).toMatch(/not valid JSON.*settings\.json\.broken/);
    expect(existsSync(`${path}.broken`)).toBe(true);
  });
});

describe('features', () => {
  it('register their handlers once, and a channel handled twice is a startup error', () => {
    const twice: SidekickFeature = {
      name: 'twice',
      setup: () => ({ handlers: { 'overlay:ask': async () => ({ kind: 'none', message: 'x', next: 'ask-human' }) } }),
    };
    expect(() => setup([], undefined, [twice])).toThrow(/"overlay:ask" already has a handler/);
  });

  it('get the core context and are disposed', async () => {
    let disposed = 0;
    let seen: string[] = [];
    const feature: SidekickFeature = {
      name: 'probe',
      setup: (context) => {
        seen = Object.keys(context).sort();
        return { dispose: () => void disposed++ };
      },
    };
    const { core } = setup([], undefined, [feature]);
    expect(seen).toEqual(['capture', 'emit', 'log', 'reader', 'sessions', 'settings', 'windows']);
    await core.dispose();
    expect(disposed).toBe(1);
  });

  it('are offered a hotkey press in order, and the first that takes it stops it', () => {
    const offered: string[] = [];
    const feature = (name: string, takes: () => boolean): SidekickFeature => ({
      name,
      setup: () => ({
        onHotkey: () => {
          offered.push(name);
          return takes();
        },
      }),
    });
    let recording = false;
    const { core } = setup([], undefined, [feature('recorder', () => recording), feature('other', () => false)]);
    expect(core.takeHotkey()).toBe(false);
    expect(offered).toEqual(['recorder', 'other']);
    recording = true;
    offered.length = 0;
    expect(core.takeHotkey()).toBe(true);
    expect(offered).toEqual(['recorder']);
  });
});

describe('the app as assembled', () => {
  it('handles every channel of the contract once the features in features.ts are set up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-features-'));
    dirs.push(dir);
    const previous = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = dir; // features keep files under $XDG_CONFIG_HOME/sidekick
    try {
      const { core } = setup([], undefined, sidekickFeatures());
      const unhandled = Object.keys(IPC.invoke).filter(
        (channel) => !core.dispatcher.channels().includes(channel as never),
      );
      expect(unhandled, 'channels declared in src-shared/ipc but handled by no feature').toEqual([]);
      await core.dispose();
    } finally {
      if (previous === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = previous;
    }
  });
});
