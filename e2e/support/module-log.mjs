// `node --import ./e2e/support/module-log.mjs …` appends the URL of every module the ES module loader loads
// to the file in SIDEKICK_MODULE_LOG, one a line: what a process really ran (tsx? TypeScript files?).
// This file is both the `--import` preload (main thread: registers the hooks) and the hooks module
// (the loader's hooks thread, where `initialize` and `load` run).
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

let logFile = '';

if (isMainThread && process.env.SIDEKICK_MODULE_LOG) {
  register(import.meta.url, { data: { file: process.env.SIDEKICK_MODULE_LOG } });
}

/** Receives the log file from `register`. */
export function initialize(data) {
  logFile = data.file;
}

/** Logs each module's URL, then loads it as usual. */
export async function load(url, context, nextLoad) {
  if (logFile) appendFileSync(logFile, `${url}\n`);
  return nextLoad(url, context);
}
