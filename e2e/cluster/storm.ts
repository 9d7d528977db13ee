/**
 * Reconnect storm on PostgreSQL: what happens to the survivors when one of three instances dies with a
 * third of the organisation's clients on it.
 *
 *   npx tsx e2e/cluster/storm.ts [--clients 1500] [--teams 20] [--json]
 *
 * A throwaway PostgreSQL and three compiled instances; `--teams` teams, each with helpers holding up to 8
 * live connections, `--clients` connections in all spread over the instances; in every team one
 * request where a writer on a surviving instance posts a message every 200 ms throughout. Then kill -9
 * of instance 0: every client it held reconnects (TeamStream's backoff with jitter) to a survivor and
 * replays what it missed. Prints the time until every client was live again (p50/p99/max per client),
 * whether every client then held every message of its team exactly once, CPU of the survivors, of
 * PostgreSQL and of this load generator (one process holding every client) during the storm,
 * PostgreSQL connections, RSS of the survivors, and the load average.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { percentile } from '../../src-shared/stats';
import { openPgTeamStore } from '../../src-server/store/pg-store';
import { issueInvite } from '../../src-server/team-server';
import { startTestPostgres } from '../support/postgres';
import {
  api,
  joinTeam,
  type RequestReply,
  requestBody,
  rssBytes,
  type ServerProcess,
  startServerProcess,
} from '../team/team-server-process';
import { cpuSeconds, ensureCompiledServer, MAIN, postgresPids } from './bench-support';
import { type Client, client, onInstance, sleep, until } from './cluster-clients';

const { values } = parseArgs({
  options: { clients: { type: 'string' }, teams: { type: 'string' }, json: { type: 'boolean' } },
  strict: true,
});
const CLIENTS = Number(values.clients ?? 1500);
const TEAMS = Number(values.teams ?? 20);
const SOCKETS_PER_HELPER = 8;

async function main() {
  ensureCompiledServer();
  const pg = await startTestPostgres();
  const database = await pg.createDatabase('storm');
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < 3; i++)
      servers.push(await startServerProcess({ database, args: ['--rate', '100000'], command: [MAIN] }));
    const url = servers[1]!.url;
    const store = await openPgTeamStore(database);
    const teams: Array<{ requestId: string; writer: string; helpers: string[] }> = [];
    const perTeam = Math.ceil(CLIENTS / TEAMS);
    try {
      for (let t = 0; t < TEAMS; t++) {
        const team = await store.createTeam(`Storm ${t}`);
        const code = (await issueInvite(store, url, team.id, { role: 'admin', maxUses: 1, expiresInHours: 1 })).code;
        const admin = await joinTeam(url, code, `Admin ${t}`);
        const helpersNeeded = Math.ceil(perTeam / SOCKETS_PER_HELPER);
        const invite = await api<{ code: string }>(url, 'POST', '/api/v1/invites', {
          token: admin.token,
          body: { role: 'helper', maxUses: helpersNeeded + 1 },
        });
        const writer = await joinTeam(url, invite.body.code, `Writer ${t}`);
        const helpers: string[] = [];
        for (let h = 0; h < helpersNeeded; h++)
          helpers.push((await joinTeam(url, invite.body.code, `H${t}-${h}`)).token);
        const member = await api<{ code: string }>(url, 'POST', '/api/v1/invites', {
          token: admin.token,
          body: { role: 'member' },
        });
        const asker = await joinTeam(url, member.body.code, `Asker ${t}`);
        const created = await api<RequestReply>(url, 'POST', '/api/v1/requests', {
          token: asker.token,
          body: requestBody(`storm-request-${t}`),
        });
        if (created.status !== 201) throw new Error(`request failed: ${JSON.stringify(created.body)}`);
        teams.push({ requestId: created.body.request.id, writer: writer.token, helpers });
      }
    } finally {
      await store.close();
    }

    const clients: Array<Client & { team: number; lostAt?: number; backAt?: number }> = [];
    let opened = 0;
    for (let t = 0; t < TEAMS && opened < CLIENTS; t++) {
      for (let k = 0; k < perTeam && opened < CLIENTS; k++, opened++) {
        const token = teams[t]!.helpers[Math.floor(k / SOCKETS_PER_HELPER)]!;
        const c = client(
          `t${t}-${k}`,
          token,
          teams[t]!.requestId,
          onInstance(() => servers, opened),
        );
        clients.push(Object.assign(c, { team: t }));
      }
      await until(`team ${t}'s clients live`, () => clients.every((c) => c.stream.status === 'live'), 120_000);
    }
    process.stderr.write(`storm: ${clients.length} clients live over 3 instances in ${TEAMS} teams\n`);

    // Writers on instance 1 keep every team's request busy before, during and after the storm.
    let writing = true;
    const written: string[][] = teams.map(() => []);
    const writers = teams.map(async (team, t) => {
      for (let n = 0; writing; n++) {
        const clientId = `writer-${t}-${n}`;
        const reply = await api(servers[1]!.url, 'POST', `/api/v1/requests/${team.requestId}/messages`, {
          token: team.writer,
          body: { clientId, kind: 'text', text: clientId },
        });
        if (reply.status === 201) written[t]!.push(clientId);
        await sleep(200);
      }
    });
    await sleep(2000);

    const onKilled = clients.filter((c) => c.connections[c.connections.length - 1] === 0);
    const survivors = [servers[1]!, servers[2]!];
    // PostgreSQL backends of the killed instance end during the storm: count only those still running after.
    const pgBefore = new Map(postgresPids(pg).map((pid) => [pid, cpuSeconds(pid)]));
    const pgUsed = () => postgresPids(pg).reduce((n, pid) => n + cpuSeconds(pid) - (pgBefore.get(pid) ?? 0), 0);
    const cpuBefore = [...survivors.map((s) => cpuSeconds(s.child.pid!)), 0];
    const generatorBefore = process.cpuUsage();
    const killedAt = Date.now();
    await servers[0]!.kill9();
    const backAt = new Map<Client, number>();
    await until(
      'every client live again',
      () => {
        for (const c of onKilled)
          if (!backAt.has(c) && c.stream.status === 'live' && c.connections.length > 1) backAt.set(c, Date.now());
        return backAt.size === onKilled.length;
      },
      300_000,
    );
    const stormSeconds = (Date.now() - killedAt) / 1000;
    const generator = process.cpuUsage(generatorBefore);
    const generatorPercent = Math.round(((generator.user + generator.system) / 1e6 / stormSeconds) * 100);
    const cpuAfter = [...survivors.map((s) => cpuSeconds(s.child.pid!)), pgUsed()];
    const pgConnections = (
      await pg.query<{ n: number }>(database, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [
        'storm',
      ])
    )[0]!.n;
    await sleep(2000);
    writing = false;
    await Promise.all(writers);

    // Every client holds every message of its team's request, once.
    let complete = 0;
    let duplicates = 0;
    const deadline = Date.now() + 60_000;
    for (const c of clients) {
      const expected = written[c.team]!.length;
      while (c.delivered.size < expected && Date.now() < deadline) await sleep(50);
      if (c.delivered.size >= expected) complete++;
      duplicates += [...c.delivered.values()].filter((n) => n > 1).length;
    }
    const waits = [...backAt.values()].map((at) => at - killedAt);
    const result = {
      clients: clients.length,
      teams: TEAMS,
      reconnected: onKilled.length,
      reconnectMs: { p50: percentile(waits, 50), p99: percentile(waits, 99), max: Math.max(...waits) },
      completeClients: complete,
      duplicates,
      messagesWritten: written.reduce((n, w) => n + w.length, 0),
      cpuPercentDuringStorm: cpuAfter.map((after, i) => Math.round(((after - cpuBefore[i]!) / stormSeconds) * 100)),
      generatorCpuPercent: generatorPercent,
      pgConnections,
      survivorRssMb: survivors.map((s) => Math.round(rssBytes(s.child.pid!) / 1024 / 1024)),
      load1: Number(loadavg()[0]!.toFixed(1)),
    };
    for (const c of clients) c.stream.stop();
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else
      process.stdout.write(
        `reconnect storm: ${result.reconnected} of ${result.clients} clients (${TEAMS} teams) lost their instance; ` +
          `live again after p50 ${result.reconnectMs.p50} ms, p99 ${result.reconnectMs.p99} ms, max ` +
          `${result.reconnectMs.max} ms; ${result.completeClients}/${result.clients} clients hold every message ` +
          `(${result.messagesWritten} written), ${result.duplicates} duplicates; CPU % during the storm ` +
          `survivors ${result.cpuPercentDuringStorm.slice(0, 2).join('/')}, PostgreSQL ` +
          `${result.cpuPercentDuringStorm[2]}, this load generator ${result.generatorCpuPercent}; ` +
          `PostgreSQL connections ${result.pgConnections}; survivors' RSS ` +
          `${result.survivorRssMb.join('/')} MB; load ${result.load1}\n`,
      );
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await pg.stop();
  }
}

await main();
process.exit(0);
