/**
 * Vitest for everything that runs in plain Node or a real browser: unit tests beside the code
 * (`src-*` / `**\/*.test.ts`) and desktop/browser integration suites in `e2e/` (`*.test.ts`).
 * The Electron shell suite lives in `e2e/shell/` and runs under Playwright instead.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['src-*/**/*.test.{ts,tsx}', 'e2e/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'out/**', 'e2e/shell/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for something to happen (a render, a delivery); on a loaded 2-core machine 1 s is too short.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default'],
  },
});
