#!/usr/bin/env node
// The one test command (`npm test`): type-check, the full lint (eslint.config.js: typescript-eslint's type-checked
// rules, React hooks, import cycles and layers, lines <= 120), Prettier's check, then the Node/desktop/browser
// suites (vitest), then the Electron shell suite (Playwright `_electron`, which says why it skipped where no
// Electron binary is installed). Prints one closing line "N passed, N failed" over all stages.
import { spawnSync } from 'node:child_process';

const stages = [
  ['type-check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  // eslint.config.js holds the structural rules too (import cycles, layers, electron only in the shell).
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
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
