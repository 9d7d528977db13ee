#!/usr/bin/env node
// `npm run build:server`: compiles the team server (`sidekick server`) to out/server/main.js with esbuild, so
// production runs `node out/server/main.js server …` with no tsx and no TypeScript at run time. Our code is
// bundled into one ES module; packages stay imports of node_modules (better-sqlite3 is native, pg and fastify
// load as published). The helper console is built separately (`npm run build:console`, into out/console).
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = fileURLToPath(new URL('../out/server', import.meta.url));
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src-main/cli/server-main.ts' },
  outdir,
  bundle: true,
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
process.stdout.write(`built out/server/main.js from ${inputs} modules (${Math.round(bytes / 1024)} KB with its map)\n`);
