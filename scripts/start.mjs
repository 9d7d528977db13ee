#!/usr/bin/env node
// @ts-check
/**
 * `npm start` / `npm run dev`: checks that Electron's program is installed, then runs
 * `electron-vite preview|dev`. Without this check electron-vite prints only "Error: Electron uninstall".
 * npm installs the `electron` package without its program when ELECTRON_SKIP_BINARY_DOWNLOAD is set or
 * the download fails; then this prints what happened and the one command that downloads it, and exits 1.
 *
 *   node scripts/start.mjs preview|dev [electron-vite options...]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const MODES = ['preview', 'dev'];
const require = createRequire(import.meta.url);

/**
 * Where electron-vite will look for Electron's program, the same way it does (ELECTRON_EXEC_PATH, else the
 * electron package's path.txt), and what is wrong with it.
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ ok: true, executable: string } | { ok: false, problem: string, fix: string }}
 */
function findElectron(env) {
  const shell = process.platform === 'win32' ? 'powershell' : 'posix';
  if (env.ELECTRON_EXEC_PATH) {
    if (existsSync(env.ELECTRON_EXEC_PATH)) return { ok: true, executable: env.ELECTRON_EXEC_PATH };
    return {
      ok: false,
      problem: `Sidekick cannot start: ELECTRON_EXEC_PATH is set to ${env.ELECTRON_EXEC_PATH}, which does not exist.`,
      fix: shell === 'powershell' ? 'Remove-Item Env:ELECTRON_EXEC_PATH' : 'unset ELECTRON_EXEC_PATH',
    };
  }
  let packageJson;
  try {
    packageJson = require.resolve('electron/package.json');
  } catch {
    const problem = 'Sidekick cannot start: the electron package is not installed (node_modules/electron is missing).';
    return { ok: false, problem, fix: 'npm install' };
  }
  const packageDir = dirname(packageJson);
  const version = JSON.parse(readFileSync(packageJson, 'utf8')).version;
  const installer = relative(process.cwd(), join(packageDir, 'install.js')).split('\\').join('/');
  // install.js exits at once, downloading nothing, while ELECTRON_SKIP_BINARY_DOWNLOAD is set (to anything non-empty).
  const skipping = Boolean(env.ELECTRON_SKIP_BINARY_DOWNLOAD);
  const download = `node ${installer}`;
  const fix = !skipping
    ? download
    : shell === 'powershell'
      ? `$env:ELECTRON_SKIP_BINARY_DOWNLOAD=''; ${download}`
      : `ELECTRON_SKIP_BINARY_DOWNLOAD= ${download}`;
  const why = skipping
    ? 'npm skipped its download because ELECTRON_SKIP_BINARY_DOWNLOAD is set (it still is in this shell).'
    : 'npm skipped or could not finish its download (ELECTRON_SKIP_BINARY_DOWNLOAD was set, or there was no network).';
  const missing = (/** @type {string} */ file) =>
    `Sidekick cannot start: Electron ${version} is installed without its program ` +
    `(${relative(process.cwd(), file)} is missing).\n${why}`;
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { ok: false, problem: missing(pathFile), fix };
  const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(executable)) return { ok: false, problem: missing(executable), fix };
  const versionFile = join(packageDir, 'dist', 'version');
  const installed = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim().replace(/^v/, '') : version;
  if (installed !== version) {
    const problem = `Sidekick cannot start: the electron package is ${version} but its program is ${installed}.`;
    return { ok: false, problem, fix: download };
  }
  return { ok: true, executable };
}

function main() {
  const [mode, ...rest] = process.argv.slice(2);
  if (!mode || !MODES.includes(mode)) {
    process.stderr.write(`Usage: node scripts/start.mjs ${MODES.join('|')} [electron-vite options]\n`);
    process.exit(2);
  }
  const electron = findElectron(process.env);
  if (!electron.ok) {
    const again = mode === 'dev' ? 'npm run dev' : 'npm start';
    const howToFix = `Fix it with this one command, then run ${again} again:\n\n    ${electron.fix}\n`;
    process.stderr.write(`${electron.problem}\n\n${howToFix}\n`);
    process.exit(1);
  }
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const child = spawn(process.execPath, [cli, mode, ...rest], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_EXEC_PATH: electron.executable },
  });
  // Pass a stop request on and exit with electron-vite (Ctrl+C already reaches the whole process group).
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();
