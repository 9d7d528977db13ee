#!/usr/bin/env node
// The one test command (`npm test`): type-check, lint (ESLint, then Prettier --check), then the
// Node/desktop/browser suites (vitest), then the Electron shell suite (Playwright `_electron`, which says
// why it skipped where no Electron binary is installed). Prints one closing line "N passed, N failed" over all stages.
import { spawnSync } from 'node:child_process';

const stages = [
  ['type-check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint: eslint', 'npx', ['eslint', '.']],
  ['lint: prettier --check', 'npx', ['prettier', '--check', '.']],
  [
    'unit, desktop and browser suites',
    'npx',
    ['vitest', 'run', '--config', 'e2e/vitest.config.ts', ...process.argv.slice(2)],
  ],
  ['electron shell suite', 'npx', ['playwright', 'test', '--config', 'e2e/playwright.config.ts']],
];

let failed = 0;
for (const [name, cmd, args] of stages) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`=== ${name}: FAILED (exit ${result.status ?? result.signal})\n`);
  }
}
process.stdout.write(`\nstages: ${stages.length - failed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
