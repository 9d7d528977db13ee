/**
 * Playwright for the packaged Electron shell (`_electron.launch`): tray → hotkey → overlay.
 * Runs where an Electron binary is installed; elsewhere every test skips and says why.
 * Build first is done by the suite itself (`electron-vite build`) when out/ is missing.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './shell',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: './artifacts/playwright',
});
