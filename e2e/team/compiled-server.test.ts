/**
 * The team server as it runs in production: `npm run build:server` compiles it to out/server/main.js,
 * and plain `node out/server/main.js server …` starts it with no tsx and no TypeScript file loaded.
 * A module log (every URL the ES module loader loads) is the evidence; the same log of the tsx CLI
 * shows tsx and .ts files, so the check can fail. The idle RSS is printed (the target, ≤ 100 MB, is a
 * number for the report, not a threshold here: memory on a loaded shared machine is not a test).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TEAM_PROTOCOL } from '../../src-shared/team';
import { api, rssBytes, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'out/server/main.js');
const MODULE_LOG = join(ROOT, 'e2e/support/module-log.mjs');

/** The module URLs a process loaded, from its log. */
function loadedModules(logFile: string): string[] {
  return readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
}

const ranTsx = (url: string): boolean => url.includes('/node_modules/tsx/');
const isTypeScript = (url: string): boolean => url.startsWith('file:') && /\.[cm]?tsx?$/.test(url);

let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
});

describe('the compiled team server', () => {
  it('builds, starts from out/server/main.js without tsx, answers /health and has its RSS read', async () => {
    const built = execFileSync(process.execPath, ['scripts/build-node.mjs', 'server'], { cwd: ROOT, encoding: 'utf8' });
    expect(built).toMatch(/built out\/server\/main\.js/);
    expect(existsSync(MAIN)).toBe(true);

    const logFile = join(tempDataDir(), 'modules.log');
    server = await startServerProcess({
      dataDir: tempDataDir(),
      command: ['--import', MODULE_LOG, MAIN],
      env: { SIDEKICK_MODULE_LOG: logFile },
    });
    const health = await api(server.url, 'GET', '/api/v1/health');
    expect(health).toEqual({ status: 200, body: { ok: true, protocol: TEAM_PROTOCOL } });
    // It is the whole server, not only /health: a team with its first admin invite exists.
    expect(server.report.adminInvites).toHaveLength(1);

    const modules = loadedModules(logFile);
    expect(modules).toContain(pathToFileURL(MAIN).href);
    expect(modules.filter(ranTsx)).toEqual([]);
    expect(modules.filter(isTypeScript)).toEqual([]);

    const rss = rssBytes(server.child.pid!);
    expect(rss).toBeGreaterThan(0);
    console.log(`compiled team server (SQLite) RSS after start: ${(rss / 1024 / 1024).toFixed(1)} MB`);
  });

  it('the same module log of the tsx CLI shows tsx and TypeScript files (the check above can fail)', () => {
    const logFile = join(tempDataDir(), 'modules.log');
    execFileSync(process.execPath, ['--import', MODULE_LOG, 'src-main/cli/bin.mjs', 'server', '--help'], {
      cwd: ROOT,
      env: { ...process.env, SIDEKICK_MODULE_LOG: logFile, SIDEKICK_TSX: '1' },
      encoding: 'utf8',
    });
    const modules = loadedModules(logFile);
    expect(modules.filter(ranTsx).length).toBeGreaterThan(0);
    expect(modules.filter(isTypeScript).length).toBeGreaterThan(0);
  });
});
