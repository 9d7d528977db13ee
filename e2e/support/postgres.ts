/**
 * A throwaway PostgreSQL server per test run: Debian's PostgreSQL binaries, `initdb` in a temp folder
 * (as the `postgres` user when the tests run as root), a random port on 127.0.0.1, the socket in the
 * temp folder, password authentication over TCP. `stop()` does `pg_ctl -m immediate stop` and removes
 * the folder. Never touches a system-wide cluster.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** A running throwaway PostgreSQL. */
export interface TestPostgres {
  port: number;
  dir: string;
  user: string;
  password: string;
  /** URL of the `postgres` database as the superuser. */
  adminUrl: string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Runs SQL in a database (URL) and returns the rows. */
  query<T = Record<string, unknown>>(url: string, sql: string, params?: unknown[]): Promise<T[]>;
  /** Stops the server at once (like a crash), keeping its data. */
  crash(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** The server log so far. */
  log(): string;
  /** Immediate stop and removal of the data folder. */
  stop(): Promise<void>;
}

/** The folder holding Debian's PostgreSQL binaries, or null. */
export function postgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(base, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0]!, 'bin') : null;
}

/** Why PostgreSQL tests cannot run here, or null when the binaries are installed. */
export function postgresUnavailableReason(): string | null {
  if (!postgresBinDir()) return 'PostgreSQL is not installed (apt-get install postgresql; .ci/run does this)';
  if (process.getuid?.() === 0) {
    try {
      const users = readFileSync('/etc/passwd', 'utf8').split('\n');
      if (!users.some((line) => line.startsWith('postgres:'))) throw new Error('no postgres user');
    } catch {
      return (
        'tests run as root but there is no "postgres" user to run initdb as ' +
        '(apt-get install postgresql creates it)'
      );
    }
  }
  return null;
}

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function postgresIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error('no postgres user');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Starts a throwaway PostgreSQL; call `stop()` when done. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(postgresUnavailableReason() ?? 'PostgreSQL missing');
  const ids = postgresIds();
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-pg-'));
  const dataDir = join(dir, 'db');
  const logFile = join(dir, 'server.log');
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(dir, 'pwfile'), password + '\n');
  if (ids) {
    chownSync(dir, ids.uid, ids.gid);
    chownSync(join(dir, 'pwfile'), ids.uid, ids.gid);
  }
  const asPostgres = (program: string, args: string[]) =>
    ids ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args]) : run(join(bin, program), args);
  await asPostgres('initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    `--pwfile=${join(dir, 'pwfile')}`,
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  let port = 0;
  const start = async (): Promise<void> => {
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on`;
    await asPostgres('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '120', 'start']);
  };
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (error) {
      if (attempt >= 3) {
        throw new Error(`PostgreSQL did not start: ${String(error)}\n${readLog(logFile)}`, { cause: error });
      }
    }
  }
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  let stopped = false;
  let databases = 0;
  const query = async <T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  return {
    port,
    dir,
    user: 'postgres',
    password,
    adminUrl,
    async createDatabase(name) {
      const db = name ?? `sidekick_${process.pid}_${++databases}`;
      await query(adminUrl, `CREATE DATABASE "${db}"`);
      return adminUrl.replace(/\/postgres$/, `/${db}`);
    },
    query,
    async crash() {
      await asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    },
    start,
    log: () => readLog(logFile),
    async stop() {
      if (stopped) return;
      stopped = true;
      await asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
