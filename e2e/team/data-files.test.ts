/**
 * The team server's files on disk, with real `sidekick server` processes: the data folder and
 * team.sqlite are private (0700 / 0600, existing ones tightened), and a zero-byte, foreign,
 * truncated or damaged database is refused at start with advice, never replaced by a new, empty
 * team with a fresh admin invite.
 */
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, newTeam, startServerProcess, tempDataDir } from './team-server-process';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Starts a server that must refuse to start; returns what it printed. */
async function refusedStart(dataDir: string): Promise<string> {
  const error = await startServerProcess({ dataDir }).then(
    async (server) => {
      await server.stop();
      return null;
    },
    (failure: Error) => failure,
  );
  expect(error, 'the server started although its database is not usable').not.toBeNull();
  return error!.message;
}

/** A data folder whose team.sqlite holds a team with some library items (written by a real server). */
let goodDb: string;

beforeAll(async () => {
  const dataDir = tempDataDir();
  const server = await startServerProcess({ dataDir });
  const team = await newTeam(server, 'D');
  for (let i = 0; i < 40; i++) {
    const doc = {
      format: 'sidekick.tip/1',
      id: `tip-${i}`,
      title: `Tip ${i}`,
      body: 'x'.repeat(3000),
      app: { name: 'Gnumeric' },
      labels: ['View'],
    };
    await api(server.url, 'PUT', `/api/v1/library/tip-${i}`, {
      token: team.helper.token,
      body: { baseVersion: 0, doc },
    });
  }
  await server.stop();
  goodDb = join(dataDir, 'team.sqlite');
}, 400_000);

describe('team server data files', () => {
  it('creates the data folder 0700 and team.sqlite 0600, and tightens existing ones', async () => {
    const dataDir = join(tempDataDir(), 'new', 'data');
    const server = await startServerProcess({ dataDir });
    expect(mode(dataDir)).toBe('700');
    expect(mode(join(dataDir, 'team.sqlite'))).toBe('600');
    expect(mode(join(dataDir, 'team.sqlite-wal'))).toBe('600');
    await server.stop();

    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'team.sqlite'), 0o644);
    const again = await startServerProcess({ dataDir });
    expect(mode(dataDir)).toBe('700');
    expect(mode(join(dataDir, 'team.sqlite'))).toBe('600');
    expect(again.stderr()).toMatch(/team\.sqlite was readable by other users \(mode 644\); changed it to 600/);
    await again.stop();
  }, 400_000);

  it('refuses a zero-byte database file instead of starting an empty team', async () => {
    const dataDir = tempDataDir();
    writeFileSync(join(dataDir, 'team.sqlite'), '');
    const message = await refusedStart(dataDir);
    expect(message).toContain(join(dataDir, 'team.sqlite'));
    expect(message).toMatch(/is empty \(0 bytes\).*will not start a new, empty team.*mv "/s);
    expect(message).not.toMatch(/sk_inv_|adminInvites/);
    expect(statSync(join(dataDir, 'team.sqlite')).size).toBe(0);
  }, 400_000);

  it('refuses a file that is not SQLite', async () => {
    const dataDir = tempDataDir();
    writeFileSync(join(dataDir, 'team.sqlite'), 'these are my notes, not a database\n'.repeat(40));
    expect(await refusedStart(dataDir)).toMatch(/is not a SQLite database.*Restore team\.sqlite from a backup/s);
  }, 400_000);

  it('refuses a truncated database file with advice, and leaves it as it was', async () => {
    const dataDir = tempDataDir();
    const file = join(dataDir, 'team.sqlite');
    copyFileSync(goodDb, file);
    truncateSync(file, Math.floor(statSync(goodDb).size / 2));
    const before = readFileSync(file);
    const message = await refusedStart(dataDir);
    expect(message).toContain(file);
    expect(message).toMatch(/is damaged \(.+\).*restore team\.sqlite from your latest backup.*\.recover/s);
    expect(readFileSync(file).equals(before)).toBe(true);
  }, 400_000);

  it('detects damaged pages with quick_check at start', async () => {
    const dataDir = tempDataDir();
    const file = join(dataDir, 'team.sqlite');
    copyFileSync(goodDb, file);
    const pageSize = 4096;
    const pages = Math.floor(statSync(file).size / pageSize);
    expect(pages).toBeGreaterThan(8);
    // Scribble over every third page after the first (the header page stays valid, so SQLite opens it).
    const fd = openSync(file, 'r+');
    for (let page = 2; page < pages; page += 3)
      writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
    closeSync(fd);
    const message = await refusedStart(dataDir);
    expect(message).toMatch(/is damaged \(.+\)/);
    expect(message).not.toMatch(/sk_inv_/);
  }, 400_000);

  it('still starts on a healthy database and keeps its data', async () => {
    const dataDir = join(tempDataDir(), 'copy');
    mkdirSync(dataDir, { mode: 0o700 });
    copyFileSync(goodDb, join(dataDir, 'team.sqlite'));
    const server = await startServerProcess({ dataDir });
    expect(server.report.teams.map((team) => team.name)).toContain('Team D');
    await server.stop();
  }, 400_000);
});
