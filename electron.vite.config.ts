/**
 * Builds the Electron app: main (ESM, dependencies external so native modules and tesseract.js
 * worker files load from node_modules), the preload (one CommonJS file: sandboxed preloads can
 * neither load ES modules nor require other files), and the renderer pages (multi-page React).
 * `rendererPages()` is shared with the browser host, which builds the same pages for Chromium.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('.', import.meta.url));

/** The renderer's root folder. */
export const RENDERER_ROOT = resolve(ROOT, 'src-renderer');

/** The renderer pages: one HTML entry per window. Add a page here when adding a window. */
export function rendererPages(): Record<string, string> {
  return Object.fromEntries(
    ['overlay', 'settings', 'library', 'recorder', 'ask-human', 'welcome'].map((page) => [
      page,
      resolve(RENDERER_ROOT, `${page}.html`),
    ]),
  );
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: { main: resolve(ROOT, 'src-main/shell/main.ts') },
        // Native and worker-file dependencies stay in node_modules (also covered by externalizeDeps).
        external: ['electron', 'tesseract.js', 'node-screenshots', 'better-sqlite3', 'sharp', 'get-windows'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(ROOT, 'src-main/shell/preload.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: RENDERER_ROOT,
    plugins: [react()],
    build: {
      outDir: resolve(ROOT, 'out/renderer'),
      rollupOptions: { input: rendererPages() },
    },
  },
});
