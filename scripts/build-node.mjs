#!/usr/bin/env node
// Compiles a Node entry of Sidekick with esbuild, so it runs with no tsx and no TypeScript at run time:
//   node scripts/build-node.mjs server   (`npm run build:server`) → out/server/main.js, the team server alone:
//                                        `node out/server/main.js server …`, without the other commands' code
//   node scripts/build-node.mjs cli      (`npm run build:cli`) → out/cli/main.js, every `sidekick` command;
//                                        src-main/cli/bin.mjs uses it while it is newer than every source file
// Our code is bundled; packages stay imports of node_modules (better-sqlite3 and sharp are native, pg and
// fastify load as published). The helper console is built separately (`npm run build:console`, into out/console).
import { rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const TARGETS = {
  server: { entry: 'src-main/cli/server-main.ts', splitting: false },
  // Split so each command's code (OCR, capture, the server) loads only when that command runs.
  cli: { entry: 'src-main/cli/main.ts', splitting: true },
};
// `--outdir <dir>` builds elsewhere (tests build a private copy while other processes run out/cli).
const [name, flag, outArg] = process.argv.slice(2);
const target = TARGETS[name];
if (!target) {
  process.stderr.write(`usage: node scripts/build-node.mjs ${Object.keys(TARGETS).join('|')}\n`);
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir =
  flag === '--outdir' && outArg ? resolve(root, outArg) : fileURLToPath(new URL(`../out/${name}`, import.meta.url));
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: target.entry },
  outdir,
  bundle: true,
  splitting: target.splitting,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
const inputs = Object.keys(result.metafile.inputs).length;
process.stdout.write(
  `built ${relative(root, outdir)}/main.js from ${inputs} modules (${Math.round(bytes / 1024)} KB with maps)\n`,
);
