/**
 * `npm start` / `npm run dev` without Electron's program (as on this machine, installed with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1): scripts/start.mjs says what happened and the one command that fixes it.
 * Runs the real `npm start` here, then the launcher in a scratch project holding a copy of the electron package,
 * where the printed command is run for real and a stand-in program shows the launcher handing over to electron-vite.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ELECTRON_PACKAGE = join(ROOT, 'node_modules/electron');
const ELECTRON_MANIFEST = JSON.parse(readFileSync(join(ELECTRON_PACKAGE, 'package.json'), 'utf8')) as {
  version: string;
};
const ELECTRON_VERSION = ELECTRON_MANIFEST.version;
const ELECTRON_INSTALLED = existsSync(join(ELECTRON_PACKAGE, 'path.txt'));
const NETWORK_ERROR = /ENOTFOUND|EAI_AGAIN|getaddrinfo|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|socket hang up/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

type EnvChanges = Record<string, string | undefined>;

/** Runs a command to completion with exactly the given environment changes (undefined removes a variable). */
function run(command: string, args: string[], cwd: string, changes: EnvChanges = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete env[name];
  return new Promise((resolve, reject) => {
    // Windows runs npm through npm.cmd, which needs a shell.
    const child = spawn(command, args, { cwd, env, shell: process.platform === 'win32' && command === 'npm' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The command the launcher says to run (the indented line after "Fix it with this one command"). */
function fixCommand(stderr: string): string {
  const match = /Fix it with this one command, then run .+ again:\n\n {4}(.+)\n/.exec(stderr);
  if (!match) throw new Error(`no fix command in:\n${stderr}`);
  return match[1]!;
}

const skipDownload = { ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_EXEC_PATH: undefined };
const allowDownload = { ELECTRON_SKIP_BINARY_DOWNLOAD: undefined, ELECTRON_EXEC_PATH: undefined };

test.skipIf(ELECTRON_INSTALLED)('npm start in this repository explains the missing Electron program', async () => {
  const result = await run('npm', ['start'], ROOT, allowDownload);
  expect(result.code).toBe(1);
  expect(result.stderr).not.toContain('Electron uninstall');
  const said = `Sidekick cannot start: Electron ${ELECTRON_VERSION} is installed without its program`;
  expect(result.stderr).toContain(said);
  expect(fixCommand(result.stderr)).toBe('node node_modules/electron/install.js');
  // It stops before electron-vite builds anything.
  expect(result.stdout).not.toMatch(/building|vite v/i);
});

if (ELECTRON_INSTALLED) console.log('Electron is installed here: skipping the real `npm start` case');

// The scratch project runs shell-script stand-ins for Electron and the POSIX form of the fix command.
const POSIX = process.platform !== 'win32';
if (!POSIX) console.log('Skipping the scratch-project launcher tests on Windows: they run POSIX shell scripts');

describe.skipIf(!POSIX)('the launcher in a scratch project', () => {
  let project = '';
  /** The scratch project's environment: its own Electron download cache, packages found through the repository. */
  let base: Record<string, string | undefined> = {};

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'sidekick-start-'));
    const electron = join(project, 'node_modules/electron');
    mkdirSync(electron, { recursive: true });
    for (const file of ['package.json', 'index.js', 'install.js', 'checksums.json', 'cli.js']) {
      copyFileSync(join(ELECTRON_PACKAGE, file), join(electron, file));
    }
    mkdirSync(join(project, 'scripts'));
    copyFileSync(join(ROOT, 'scripts/start.mjs'), join(project, 'scripts/start.mjs'));
    const manifest = { name: 'scratch', private: true, main: 'out/main/main.js' };
    writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest)}\n`);
    mkdirSync(join(project, 'out/main'), { recursive: true });
    writeFileSync(join(project, 'out/main/main.js'), '// the built app would be here\n');
    // install.js needs @electron/get and the launcher electron-vite: both from the repository's node_modules.
    base = { NODE_PATH: join(ROOT, 'node_modules'), electron_config_cache: join(project, 'cache') };
  });

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  test('with ELECTRON_SKIP_BINARY_DOWNLOAD still set, the fix clears it (the installer alone skips)', async () => {
    const result = await run(process.execPath, ['scripts/start.mjs', 'dev'], project, { ...base, ...skipDownload });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD is set (it still is in this shell)');
    expect(result.stderr).toContain('then run npm run dev again');
    const fix = fixCommand(result.stderr);
    expect(fix).toBe('ELECTRON_SKIP_BINARY_DOWNLOAD= node node_modules/electron/install.js');
    // Why the variable must be cleared: with it set, Electron's installer exits 0 and downloads nothing.
    const installer = ['node_modules/electron/install.js'];
    const unchanged = await run(process.execPath, installer, project, { ...base, ...skipDownload });
    expect(unchanged.code).toBe(0);
    expect(existsSync(join(project, 'node_modules/electron/path.txt'))).toBe(false);
    // The printed command really starts Electron's download: here it fails for want of network, with a network error.
    const fixed = await run('sh', ['-c', fix], project, { ...base, ...skipDownload });
    const downloaded = existsSync(join(project, 'node_modules/electron/path.txt'));
    if (downloaded) expect(fixed.code).toBe(0);
    else expect(`${fixed.code} ${fixed.stderr}`).toMatch(NETWORK_ERROR);
  }, 180_000);

  test('once the program is in place, it hands over to electron-vite, which starts it', async () => {
    // What install.js leaves behind: dist/<program>, dist/version and path.txt. The program is a stand-in here.
    const electron = join(project, 'node_modules/electron');
    mkdirSync(join(electron, 'dist'), { recursive: true });
    writeFileSync(join(electron, 'dist/electron'), '#!/bin/sh\necho "stand-in electron started with: $*"\n');
    chmodSync(join(electron, 'dist/electron'), 0o755);
    writeFileSync(join(electron, 'dist/version'), `v${ELECTRON_VERSION}`);
    writeFileSync(join(electron, 'path.txt'), 'electron');
    try {
      const launch = ['scripts/start.mjs', 'preview', '--skipBuild'];
      const started = await run(process.execPath, launch, project, { ...base, ...allowDownload });
      expect(started.stderr).not.toContain('Sidekick cannot start');
      expect(started.stdout).toContain('stand-in electron started with: .');
      expect(started.code).toBe(0);
      // A program from another Electron version is caught too.
      writeFileSync(join(electron, 'dist/version'), 'v1.0.0');
      const stale = await run(process.execPath, launch, project, { ...base, ...allowDownload });
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain(`the electron package is ${ELECTRON_VERSION} but its program is 1.0.0`);
      expect(fixCommand(stale.stderr)).toBe('node node_modules/electron/install.js');
    } finally {
      rmSync(join(electron, 'dist'), { recursive: true, force: true });
      rmSync(join(electron, 'path.txt'), { force: true });
    }
  }, 120_000);

  test('an ELECTRON_EXEC_PATH that points nowhere is named, and a missing mode is a usage error', async () => {
    const missing = join(project, 'no-such-electron');
    const launch = ['scripts/start.mjs', 'preview'];
    const result = await run(process.execPath, launch, project, { ...base, ELECTRON_EXEC_PATH: missing });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`ELECTRON_EXEC_PATH is set to ${missing}, which does not exist.`);
    expect(fixCommand(result.stderr)).toBe('unset ELECTRON_EXEC_PATH');
    const usage = await run(process.execPath, ['scripts/start.mjs'], project, base);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: node scripts/start.mjs preview|dev');
  });
});
