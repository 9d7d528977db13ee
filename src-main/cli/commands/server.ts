/**
 * `sidekick server [--port N] [--host H] [--data DIR | --database postgres://…]`: runs the team server
 * until Ctrl+C. Prints the URL and, while a team has no admin yet, a first admin invite. With `--json`
 * that startup report is one JSON line on stdout. `--create-team NAME` adds a team (with its admin
 * invite) and exits; it works while the server runs. With PostgreSQL (`--database` or
 * SIDEKICK_DATABASE_URL) any number of instances share one database; startup work (first team, first
 * admin invite, the shared public URL) runs under an advisory lock, so it happens once.
 */
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DisplayNameSchema } from '../../../src-shared/team';
import { ensureConsoleBuilt } from '../../../src-server/console-build';
import { DataFileError } from '../../../src-server/store/data-files';
import {
  describePgUrl,
  isPgUrl,
  openPgTeamStore,
  PgStartupError,
  PgTeamStore,
} from '../../../src-server/store/pg-store';
import { openSqliteTeamStore } from '../../../src-server/store/sqlite-store';
import type { TeamStore } from '../../../src-server/store/team-store';
import { DEFAULT_RATE_LIMIT, issueInvite, startTeamServer } from '../../../src-server/team-server';
import { CliError, intFlag, stringFlag } from '../args';
import type { CliCommand } from '../command';

/** Where the team server keeps its data by default. */
export function defaultServerDataDir(): string {
  return process.env.SIDEKICK_SERVER_DATA ?? join(homedir(), '.sidekick-server');
}

interface StartupReport {
  url: string;
  data: string;
  store: string;
  console: string;
  teams: Array<{ id: string; name: string }>;
  adminInvites: Array<{ team: string; teamId: string; link: string; code: string }>;
  /** Teams without an admin whose first admin invite another instance already printed (PostgreSQL). */
  adminInvitePending: Array<{ team: string; teamId: string }>;
}

/** The PostgreSQL URL from --database or SIDEKICK_DATABASE_URL, or null for SQLite in --data. */
function databaseUrl(value: string | undefined): string | null {
  const url = value ?? process.env.SIDEKICK_DATABASE_URL ?? '';
  if (!url) return null;
  if (!isPgUrl(url)) {
    const from = value === undefined ? 'SIDEKICK_DATABASE_URL' : '--database';
    throw new CliError(
      `${from} must be a PostgreSQL URL like postgres://user:password@host:5432/sidekick, got "${describePgUrl(url)}" (for SQLite use --data DIR)`,
      2,
    );
  }
  return url;
}

/** Opens the store the flags name: PostgreSQL (with retries and a clear failure) or the SQLite file. */
async function openStore(url: string | null, dataDir: string, poolSize: number | undefined): Promise<TeamStore> {
  if (!url) {
    try {
      return openSqliteTeamStore(dataDir);
    } catch (error) {
      // A refused data file (damaged, foreign, unreadable) already says what to do.
      if (error instanceof DataFileError) throw new CliError(error.message);
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_CANTOPEN' || code === 'EACCES') {
        throw new CliError(
          `cannot open the data folder ${dataDir}; check it exists and is writable, or pass --data DIR`,
        );
      }
      throw error;
    }
  }
  try {
    return await openPgTeamStore(url, {
      ...(poolSize ? { poolSize } : {}),
      onRetry: (message) => process.stderr.write(`sidekick server: ${message}\n`),
    });
  } catch (error) {
    if (error instanceof PgStartupError) throw new CliError(error.message, 1);
    throw error;
  }
}

/** A team name checked like every display name (no control or invisible formatting characters). */
function teamName(text: string, flag: string): string {
  const parsed = DisplayNameSchema.safeParse(text);
  if (!parsed.success) throw new CliError(`${flag}: ${parsed.error.issues[0]?.message ?? 'not a valid name'}`, 2);
  return parsed.data;
}

/** proxy-addr's names for address ranges, accepted by `--trust-proxy` besides addresses and CIDR ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `--trust-proxy 127.0.0.1,10.0.0.0/8`: the list, each entry checked so a typo is not silently ignored. */
function trustedProxies(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new CliError('--trust-proxy needs addresses, e.g. --trust-proxy 127.0.0.1', 2);
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!PROXY_RANGE_NAMES.has(entry) && (family === 0 || !bitsOk || extra !== undefined))
      throw new CliError(
        `--trust-proxy: "${entry}" is not an address, a CIDR range (10.0.0.0/8) or one of ` +
          `${[...PROXY_RANGE_NAMES].join(', ')}`,
        2,
      );
  }
  return entries;
}

/** The `sidekick server` command. */
export const serverCommand: CliCommand = {
  name: 'server',
  summary: 'Run the team server (help requests, live chat, shared tips) and its helper console',
  usage: [
    'Usage: sidekick server [--port N] [--host ADDRESS] [--data DIR ' +
      '| --database URL] [--team NAME] [--public-url URL] [--json]',
    '       sidekick server --create-team NAME [--data DIR | --database URL] [--public-url URL] [--json]',
    '',
    '  --port N          port to listen on (default 4300; 0 picks a free one)',
    '  --host ADDRESS    address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN)',
    `  --data DIR        data folder holding team.sqlite (default ${defaultServerDataDir()})`,
    '  --database URL    PostgreSQL instead of SQLite: postgres://user:password@host:5432/db (or SIDEKICK_DATABASE_URL);',
    '                    any number of instances may share it behind a load balancer',
    '  --db-pool N       PostgreSQL connections per instance (default 8, plus one for notifications)',
    '  --team NAME       name of the first team on first start (default "My team")',
    '  --public-url URL  the address people use, for invite links (default the listening address)',
    '  --rate N          per-token limit, calls per second (default 20, bursts of 3x)',
    '  --trust-proxy LIST  load balancers whose X-Forwarded-For is believed, comma-separated addresses or',
    '                    CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8); per-address limits then count people, not it',
    '  --no-console      do not build or serve the helper console',
    '  --create-team NAME  add a team and print its admin invite, then exit',
  ].join('\n'),
  flags: {
    port: 'string',
    host: 'string',
    data: 'string',
    database: 'string',
    'db-pool': 'string',
    team: 'string',
    'public-url': 'string',
    rate: 'string',
    'trust-proxy': 'string',
    'no-console': 'boolean',
    'create-team': 'string',
  },
  async run(args, io) {
    const dataDir = resolve(stringFlag(args, 'data') ?? defaultServerDataDir());
    const pgUrl = databaseUrl(stringFlag(args, 'database'));
    if (pgUrl && stringFlag(args, 'data') !== undefined) {
      throw new CliError('--data (SQLite folder) and --database (PostgreSQL) are alternatives; pass one of them', 2);
    }
    const poolSize = intFlag(args, 'db-pool', 1, 200);
    const publicUrlFlag = stringFlag(args, 'public-url')?.replace(/\/+$/, '');
    if (publicUrlFlag && !/^https?:\/\/[^/]+$/.test(publicUrlFlag))
      throw new CliError(`--public-url must look like http://host:port, got "${publicUrlFlag}"`, 2);

    const newTeam = stringFlag(args, 'create-team');
    if (newTeam !== undefined) {
      const store = await openStore(pgUrl, dataDir, poolSize);
      try {
        const team = await store.createTeam(teamName(newTeam || 'New team', '--create-team'));
        const base = publicUrlFlag ?? `http://127.0.0.1:${intFlag(args, 'port', 0, 65535) ?? 4300}`;
        const invite = await issueInvite(store, base, team.id, { role: 'admin', maxUses: 1, expiresInHours: 24 * 7 });
        return { team, adminInvite: { link: invite.link, code: invite.code } };
      } finally {
        await store.close();
      }
    }

    const port = intFlag(args, 'port', 0, 65535) ?? 4300;
    const host = stringFlag(args, 'host') ?? '127.0.0.1';
    const rate = intFlag(args, 'rate', 1, 100_000);
    const trustProxy = trustedProxies(stringFlag(args, 'trust-proxy'));
    let consoleDir: string | null = null;
    let consoleState = 'disabled (--no-console)';
    if (!args.flags.has('no-console')) {
      try {
        const built = await ensureConsoleBuilt((message) => process.stderr.write(`${message}\n`));
        consoleDir = built.dir;
        consoleState = built.built ? 'built now' : 'up to date';
      } catch (error) {
        consoleState = `build failed: ${error instanceof Error ? error.message : String(error)}`;
        process.stderr.write(
          `sidekick server: the helper console could not be built (${consoleState}); the API still works.\n`,
        );
      }
    }

    const firstTeamName = teamName(stringFlag(args, 'team') ?? 'My team', '--team');
    const store = await openStore(pgUrl, dataDir, poolSize);
    let sharedUrl: string | null = null;
    if (store instanceof PgTeamStore) {
      try {
        sharedUrl = await store.sharedPublicUrl(publicUrlFlag ?? null);
      } catch (error) {
        await store.close();
        if (error instanceof PgStartupError) throw new CliError(error.message, 1);
        throw error;
      }
    }
    let server;
    try {
      server = await startTeamServer({
        dataDir,
        store,
        port,
        host,
        consoleDir,
        ...(publicUrlFlag || sharedUrl ? { publicUrl: (publicUrlFlag ?? sharedUrl)! } : {}),
        rateLimit: rate ? { perSecond: rate, burst: rate * 3 } : DEFAULT_RATE_LIMIT,
        ...(trustProxy ? { trustProxy } : {}),
      });
    } catch (error) {
      await store.close();
      const code = (error as { code?: string }).code;
      if (code === 'EADDRINUSE')
        throw new CliError(
          `port ${port} is already in use; pick another with --port N (or --port 0 for any free port)`,
        );
      throw error;
    }

    const running = server;
    const adminInvites: StartupReport['adminInvites'] = [];
    const adminInvitePending: StartupReport['adminInvitePending'] = [];
    // Shared stores run this under their startup lock, so instances starting together create one team
    // and one first admin invite (the instance that created an invite is the one that prints it).
    const bootstrap = async (): Promise<void> => {
      if ((await store.listTeams()).length === 0) await store.createTeam(firstTeamName);
      const needing =
        store instanceof PgTeamStore ? await store.teamsNeedingAdminInvite() : await store.teamsWithoutAdmin();
      for (const team of needing) {
        const invite = await running.createInvite(team.id, 'admin');
        adminInvites.push({ team: team.name, teamId: team.id, link: invite.link, code: invite.code });
      }
      for (const team of await store.teamsWithoutAdmin()) {
        if (!needing.some((t) => t.id === team.id)) adminInvitePending.push({ team: team.name, teamId: team.id });
      }
    };
    await (store.exclusive ? store.exclusive(bootstrap) : bootstrap());
    const report: StartupReport = {
      url: server.url,
      data: pgUrl ? describePgUrl(pgUrl) : dataDir,
      store: server.store.description,
      console: consoleState,
      teams: await server.store.listTeams(),
      adminInvites,
      adminInvitePending,
    };
    if (io.json) {
      process.stdout.write(JSON.stringify(report) + '\n');
    } else {
      const lines = [
        `Sidekick team server: ${server.url}`,
        `  data: ${report.store}`,
        `  helper console: ${server.url}/ (${consoleState})`,
      ];
      for (const invite of adminInvites)
        lines.push(
          `  first admin invite for "${invite.team}" (open it in a browser, single use, 7 days):`,
          `    ${invite.link}`,
        );
      for (const team of adminInvitePending) {
        lines.push(
          `  "${team.team}" has no admin yet; its first admin invite was printed by the instance that created it`,
        );
      }
      lines.push('Press Ctrl+C to stop.');
      process.stdout.write(lines.join('\n') + '\n');
    }

    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await server.close();
    // The startup report was the one JSON document; leave without printing another.
    process.exit(0);
  },
};
