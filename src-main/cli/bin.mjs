#!/usr/bin/env node
// `sidekick` command entry: the compiled CLI when it is current (`npm run build:cli`), else the TypeScript
// sources through tsx, so it works right after `npm install` and always runs what the sources say.
import { pathToFileURL } from 'node:url';
import { compiledCli } from './compiled.mjs';

const compiled = compiledCli();
let main;
if (compiled) {
  ({ main } = await import(pathToFileURL(compiled).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
