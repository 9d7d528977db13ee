/**
 * Every `sidekick` command refuses a flag it does not know (the issue: `sidekick server --database …`
 * was silently ignored and started SQLite), naming the flag and the accepted ones, with exit code 2
 * and before doing any work. Runs the real CLI entry in a child process.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src-main/cli/commands';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'src-main/cli/bin.mjs');

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('sidekick refuses unknown flags', () => {
  it.each(COMMANDS.map((entry) => [entry.name, entry] as const))('sidekick %s --bogus-flag', async (name, entry) => {
    const command = await entry.load();
    const result = await cli([name, '--bogus-flag', 'x']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `sidekick ${name}: unknown flag --bogus-flag; accepted flags of "sidekick ${name}":`,
    );
    for (const flag of [...Object.keys(command.flags), 'json', 'help']) expect(result.stderr).toContain(`--${flag}`);
  });

  it('names a misspelt --database instead of starting a SQLite server, and checks values', async () => {
    const misspelt = await cli(['server', '--databse', 'postgres://u@127.0.0.1:1/db', '--port', '0', '--no-console']);
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toMatch(/unknown flag --databse; .*--database <value>/);
    const noValue = await cli(['server', '--port']);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('--port needs a value');
    const valued = await cli(['locate', '--json=yes', 'a.png', 'File']);
    expect(valued.code).toBe(2);
    expect(valued.stderr).toContain('--json takes no value');
    const notPg = await cli(['server', '--no-console', '--port', '0'], { SIDEKICK_DATABASE_URL: 'mysql://root@db/x' });
    expect(notPg.code).toBe(2);
    expect(notPg.stderr).toContain('SIDEKICK_DATABASE_URL must be a PostgreSQL URL');
    const both = await cli(['server', '--data', '/tmp/x', '--database', 'postgres://u@127.0.0.1:1/db']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--data (SQLite folder) and --database (PostgreSQL) are alternatives');
    const proxy = await cli(['server', '--no-console', '--port', '0', '--trust-proxy', '127.0.0.1,10.0.0.0/33']);
    expect(proxy.code).toBe(2);
    expect(proxy.stderr).toContain('--trust-proxy: "10.0.0.0/33" is not an address, a CIDR range');
  });
});
