/**
 * `sidekick server [--port N] [--host H] [--data DIR]`: runs the team server until Ctrl+C.
 * Prints the URL and, while a team has no admin yet, a first admin invite. With `--json` that
 * startup report is one JSON line on stdout. `--create-team NAME` adds a team (with its admin
 * invite) to the data folder and exits; it works while the server runs.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DisplayNameSchema } from '../../../src-shared/team';
import { ensureConsoleBuilt } from '../../../src-server/console-build';
import { DataFileError } from '../../../src-server/store/data-files';
import { openSqliteTeamStore } from '../../../src-server/store/sqlite-store';
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
}

/** Opens the SQLite store, turning a refused data file into a plain error message. */
function openStore(dataDir: string) {
  try {
    return openSqliteTeamStore(dataDir);
  } catch (error) {
    if (error instanceof DataFileError) throw new CliError(error.message);
    throw error;
  }
}

/** A team name checked like every display name (no control or invisible formatting characters). */
function teamName(text: string, flag: string): string {
  const parsed = DisplayNameSchema.safeParse(text);
  if (!parsed.success) throw new CliError(`${flag}: ${parsed.error.issues[0]?.message ?? 'not a valid name'}`, 2);
  return parsed.data;
}

/** The `sidekick server` command. */
export const serverCommand: CliCommand = {
  name: 'server',
  summary: 'Run the team server (help requests, live chat, shared tips) and its helper console',
  usage: [
    'Usage: sidekick server [--port N] [--host ADDRESS] [--data DIR] [--team NAME] [--public-url URL] [--json]',
    '       sidekick server --create-team NAME [--data DIR] [--public-url URL] [--json]',
    '',
    '  --port N          port to listen on (default 4300; 0 picks a free one)',
    '  --host ADDRESS    address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN)',
    `  --data DIR        data folder holding team.sqlite (default ${defaultServerDataDir()})`,
    '  --team NAME       name of the first team on first start (default "My team")',
    '  --public-url URL  the address people use, for invite links (default the listening address)',
    '  --rate N          per-token limit, calls per second (default 20, bursts of 3x)',
    '  --no-console      do not build or serve the helper console',
    '  --create-team NAME  add a team and print its admin invite, then exit',
  ].join('\n'),
  async run(args, io) {
    const dataDir = resolve(stringFlag(args, 'data') ?? defaultServerDataDir());
    const publicUrlFlag = stringFlag(args, 'public-url')?.replace(/\/+$/, '');
    if (publicUrlFlag && !/^https?:\/\/[^/]+$/.test(publicUrlFlag)) throw new CliError(`--public-url must look like http://host:port, got "${publicUrlFlag}"`, 2);

    const newTeam = stringFlag(args, 'create-team');
    if (newTeam !== undefined) {
      const store = openStore(dataDir);
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
    let consoleDir: string | null = null;
    let consoleState = 'disabled (--no-console)';
    if (!args.flags.has('no-console')) {
      try {
        const built = await ensureConsoleBuilt((message) => process.stderr.write(`${message}\n`));
        consoleDir = built.dir;
        consoleState = built.built ? 'built now' : 'up to date';
      } catch (error) {
        consoleState = `build failed: ${error instanceof Error ? error.message : String(error)}`;
        process.stderr.write(`sidekick server: the helper console could not be built (${consoleState}); the API still works.\n`);
      }
    }

    const firstTeamName = teamName(stringFlag(args, 'team') ?? 'My team', '--team');
    let server;
    try {
      server = await startTeamServer({
        dataDir,
        port,
        host,
        consoleDir,
        ...(publicUrlFlag ? { publicUrl: publicUrlFlag } : {}),
        rateLimit: rate ? { perSecond: rate, burst: rate * 3 } : DEFAULT_RATE_LIMIT,
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use; pick another with --port N (or --port 0 for any free port)`);
      if (code === 'SQLITE_CANTOPEN') throw new CliError(`cannot open the data folder ${dataDir}; check it exists and is writable, or pass --data DIR`);
      if (error instanceof DataFileError) throw new CliError(error.message);
      throw error;
    }

    if ((await server.store.listTeams()).length === 0) await server.store.createTeam(firstTeamName);
    const adminInvites: StartupReport['adminInvites'] = [];
    for (const team of await server.store.teamsWithoutAdmin()) {
      const invite = await server.createInvite(team.id, 'admin');
      adminInvites.push({ team: team.name, teamId: team.id, link: invite.link, code: invite.code });
    }
    const report: StartupReport = {
      url: server.url,
      data: dataDir,
      store: server.store.description,
      console: consoleState,
      teams: await server.store.listTeams(),
      adminInvites,
    };
    if (io.json) {
      process.stdout.write(JSON.stringify(report) + '\n');
    } else {
      const lines = [`Sidekick team server: ${server.url}`, `  data: ${report.store}`, `  helper console: ${server.url}/ (${consoleState})`];
      for (const invite of adminInvites) lines.push(`  first admin invite for "${invite.team}" (open it in a browser, single use, 7 days):`, `    ${invite.link}`);
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
