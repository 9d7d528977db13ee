/** What the cluster benchmarks measure about processes and PostgreSQL, and the compiled server they run. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from '../../src-main/cli/compiled.mjs';
import type { TestPostgres } from '../support/postgres';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The compiled team server (`npm run build:server`). */
export const MAIN = join(ROOT, 'out/server/main.js');
const CLK_TCK = 100;

/** Builds out/server/main.js unless it is newer than every source file. */
export function ensureCompiledServer(): void {
  if (buildIsCurrent(MAIN)) return;
  process.stderr.write(
    execFileSync(process.execPath, ['scripts/build-node.mjs', 'server'], { cwd: ROOT, encoding: 'utf8' }),
  );
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0; // exited between listing and reading
  }
}

/** The postmaster and all its backends (processes whose parent is the postmaster). */
export function postgresPids(pg: TestPostgres): number[] {
  const postmaster = Number(readFileSync(join(pg.dir, 'db', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pids = [postmaster];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) pids.push(Number(name));
    } catch {
      // gone
    }
  }
  return pids;
}

/** Transactions committed and rows read in the bench database so far. */
export async function dbCounters(pg: TestPostgres, database: string): Promise<{ xacts: number; rowsRead: number }> {
  const [row] = await pg.query<{ xacts: number; rows_read: number }>(
    database,
    `SELECT xact_commit::int AS xacts, (tup_fetched + tup_returned)::bigint::float8 AS rows_read
     FROM pg_stat_database WHERE datname = current_database()`,
  );
  return { xacts: row!.xacts, rowsRead: row!.rows_read };
}
