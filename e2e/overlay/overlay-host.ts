/**
 * Test support: builds the renderer pages with Vite (the same entries electron-vite builds) and
 * starts the browser host over a real Sidekick core: real OCR (src-main/ocr), real label locating
 * (src-main/screen), a JSON settings file, and a capture that hands over a real screenshot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { RENDERER_ROOT, rendererPages } from '../../electron.vite.config';
import { startBrowserHost, SimulatedSystem, type BrowserHost } from '../../src-main/app/browser-host';
import { createSidekickCore, type SidekickCore } from '../../src-main/app/core';
import type { SidekickFeature } from '../../src-main/base/feature';
import type { OverlayFrame } from '../../src-main/base/geometry';
import type { HelpCapture } from '../../src-main/base/feature';
import { JsonFileSettingsStore } from '../../src-main/app/settings-store';
import { createScreenReader, type ScreenReader } from '../../src-main/ocr';
import { locateLabel } from '../../src-main/screen';
import type { AppWindowName } from '../../src-shared/ipc/overlay';

/** Builds src-renderer into a fresh folder; returns it. */
export async function buildRendererPages(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'sidekick-renderer-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    root: RENDERER_ROOT,
    plugins: [react()],
    build: { outDir, emptyOutDir: true, rollupOptions: { input: rendererPages() }, minify: false },
  });
  return outDir;
}

/** What the core asked of the windows, for assertions. */
export interface WindowCalls {
  clickThrough: boolean[];
  panel: { x: number; y: number; w: number; h: number } | null;
  /** Other areas that take clicks (the step card beside its target). */
  others: { x: number; y: number; w: number; h: number }[];
  closed: number;
  opened: AppWindowName[];
}

/** A host over a real core. */
export interface OverlayHost {
  host: BrowserHost;
  core: SidekickCore;
  windows: WindowCalls;
  system: SimulatedSystem;
  /** Replaces what the next "hotkey press" captures. */
  setCapture(capture: () => Promise<HelpCapture>): void;
  close(): Promise<void>;
}

/** Starts the host; `frame` is where the overlay window sits in screen coordinates. */
export async function startOverlayHost(options: {
  rendererDir: string;
  frame: OverlayFrame;
  takenHotkeys?: string[];
  reader?: ScreenReader;
  /** The app's features (`sidekickFeatures()`); none by default, so only help and settings answer. */
  features?: () => SidekickFeature[];
}): Promise<OverlayHost> {
  const settingsDir = mkdtempSync(join(tmpdir(), 'sidekick-settings-'));
  // Features keep files under $XDG_CONFIG_HOME/sidekick: a private one per host, never the real one.
  const previousConfigHome = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = join(settingsDir, 'config');
  const reader = options.reader ?? createScreenReader();
  const windows: WindowCalls = { clickThrough: [], panel: null, others: [], closed: 0, opened: [] };
  const system = new SimulatedSystem(new Set(options.takenHotkeys ?? []));
  let capture: () => Promise<HelpCapture> = () => Promise.reject(new Error('no capture set'));
  let host: BrowserHost | null = null;
  const core = createSidekickCore({
    help: {
      capture: () => capture(),
      reader,
      locate: (screen, label) => locateLabel(screen, label),
      placeOverlay: () => options.frame,
    },
    features: options.features?.() ?? [],
    settings: new JsonFileSettingsStore(join(settingsDir, 'settings.json')),
    windows: {
      setOverlayClickThrough: (passThrough) => windows.clickThrough.push(passThrough),
      setPanelBounds: (box, others) => {
        windows.panel = box;
        windows.others = others;
      },
      closeOverlay: () => windows.closed++,
      openWindow: (name) => windows.opened.push(name),
    },
    system,
    emit: (event, payload) => host?.emit(event, payload),
  });
  core.applySettingsToSystem();
  host = await startBrowserHost({
    rendererDir: options.rendererDir,
    dispatch: (channel, request, page) => core.dispatcher.dispatch(channel, request, { window: page }),
  });
  const started = host;
  return {
    host: started,
    core,
    windows,
    system,
    setCapture(next) {
      capture = next;
    },
    async close() {
      await started.close();
      await core.dispose();
      if (!options.reader) await reader.close();
      if (previousConfigHome === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = previousConfigHome;
      rmSync(settingsDir, { recursive: true, force: true });
    },
  };
}
