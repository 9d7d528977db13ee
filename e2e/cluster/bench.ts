/**
 * Team-server benchmark on PostgreSQL with 1, 2 and 3 real instances on this machine:
 *
 *   npx tsx e2e/cluster/bench.ts [--instances 1,2,3] [--rates 50,100,200,400,800] [--seconds 6] [--json]
 *
 * For each instance count: a throwaway PostgreSQL, N `sidekick server --database` processes, 8 request
 * pairs (requester and helper on different instances) sending over WebSockets at a stepped offered
 * rate. Per step: messages/s acknowledged, ack latency p50/p99, live delivery latency to the other
 * person (usually through another instance) p99. "Held" is the highest rate whose ack p99 <= 100 ms
 * and which was delivered in full. Also: concurrent WebSocket clients, idle and loaded RSS per
 * instance, PostgreSQL connections in use. The load generator runs on the same 2 cores.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { TeamStream, type WebSocketLike } from '../../src-shared/team';
import { startTestPostgres } from '../support/postgres';
import {
  addMember,
  api,
  requestBody,
  type RequestReply,
  seedTeam,
  type ServerProcess,
  startServerProcess,
} from '../team/team-server-process';

const { values } = parseArgs({
  options: {
    instances: { type: 'string' },
    rates: { type: 'string' },
    seconds: { type: 'string' },
    json: { type: 'boolean' },
  },
  strict: true,
});
const INSTANCES = (values.instances ?? '1,2,3').split(',').map(Number);
const RATES = (values.rates ?? '50,100,200,400,800').split(',').map(Number);
const SECONDS = Number(values.seconds ?? 6);
const PAIRS = 8;

function rss(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Step {
  offered: number;
  ackedPerSec: number;
  ackP50: number;
  ackP99: number;
  deliverP99: number;
  delivered: boolean;
}

async function runInstances(count: number) {
  const pg = await startTestPostgres();
  const database = await pg.createDatabase('bench');
  const servers: ServerProcess[] = [];
  try {
    servers.push(await startServerProcess({ database, args: ['--rate', '100000'] }));
    for (let i = 1; i < count; i++) servers.push(await startServerProcess({ database, args: ['--rate', '100000'] }));
    const url = servers[0]!.url;
    const team = await seedTeam(url, servers[0]!.report.adminInvites[0]!.code, 'B');
    const sentAt = new Map<string, number>();
    const deliveredAt = new Map<string, number>();
    const streams: Array<{ stream: TeamStream; requestId: string; other: string }> = [];
    for (let i = 0; i < PAIRS; i++) {
      const member = await addMember(url, team.admin.token, 'member', `M${i}`);
      const helper = await addMember(url, team.admin.token, 'helper', `H${i}`);
      const created = await api<RequestReply>(url, 'POST', '/api/v1/requests', {
        token: member.token,
        body: requestBody(`bench-request-${i}`),
      });
      const requestId = created.body.request.id;
      for (const [token, home, self] of [
        [member.token, i, 'm'],
        [helper.token, i + 1, 'h'],
      ] as const) {
        const target = servers[home % servers.length]!;
        const stream = new TeamStream({
          serverUrl: target.url,
          token,
          createSocket: (socketUrl) => new WebSocket(socketUrl) as unknown as WebSocketLike,
          onEvent: (event) => {
            // The other person's messages: time from send to live delivery here.
            if (
              event.type === 'message' &&
              event.message.requestId === requestId &&
              !event.message.clientId.startsWith(`${self}-${i}-`)
            ) {
              deliveredAt.set(event.message.clientId, Date.now());
            }
          },
        });
        stream.start();
        streams.push({ stream, requestId, other: `${self}-${i}` });
      }
    }
    while (streams.some((s) => s.stream.status !== 'live')) await sleep(20);
    await sleep(1000);
    const idleRss = servers.map((server) => rss(server.child.pid!));
    const steps: Step[] = [];
    let loadedRss: number[] = idleRss;
    let pgConnections = 0;
    let counter = 0;
    for (const rate of RATES) {
      const latencies: number[] = [];
      const ids: string[] = [];
      const started = Date.now();
      const interval = 1000 / rate;
      const pending: Array<Promise<void>> = [];
      let next = started;
      while (Date.now() - started < SECONDS * 1000) {
        const s = streams[counter % streams.length]!;
        const clientId = `${s.other}-${String(++counter).padStart(8, '0')}`;
        const at = Date.now();
        sentAt.set(clientId, at);
        ids.push(clientId);
        pending.push(
          s.stream
            .send(s.requestId, { clientId, kind: 'text', text: `load ${counter}` })
            .then(() => void latencies.push(Date.now() - at)),
        );
        next += interval;
        const wait = next - Date.now();
        if (wait > 0) await sleep(wait);
      }
      const sentSeconds = (Date.now() - started) / 1000;
      loadedRss = servers.map((server) => rss(server.child.pid!));
      pgConnections =
        (
          await pg.query<{ n: number }>(
            database,
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'bench'`,
          )
        )[0]!.n - 1;
      await Promise.all(pending);
      const deadline = Date.now() + 10_000;
      while (ids.some((id) => !deliveredAt.has(id)) && Date.now() < deadline) await sleep(50);
      const delivery = ids
        .filter((id) => deliveredAt.has(id))
        .map((id) => deliveredAt.get(id)! - sentAt.get(id)!)
        .sort((a, b) => a - b);
      latencies.sort((a, b) => a - b);
      const step: Step = {
        offered: rate,
        ackedPerSec: Math.round(ids.length / sentSeconds),
        ackP50: pct(latencies, 50),
        ackP99: pct(latencies, 99),
        deliverP99: pct(delivery, 99),
        delivered: delivery.length === ids.length,
      };
      steps.push(step);
      process.stderr.write(`  ${count} instance(s), offered ${rate}/s: ${JSON.stringify(step)}\n`);
      if (step.ackP99 > 100 || !step.delivered) break;
    }
    for (const s of streams) s.stream.stop();
    const held = steps.filter((s) => s.ackP99 <= 100 && s.delivered).map((s) => s.ackedPerSec);
    return {
      instances: count,
      heldMsgPerSec: held.length ? Math.max(...held) : 0,
      webSocketClients: streams.length,
      idleRssMb: idleRss,
      loadedRssMb: loadedRss,
      pgConnections,
      steps,
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await pg.stop();
  }
}

process.on('unhandledRejection', (error) => {
  process.stderr.write(`bench: ${String(error)}\n`);
  process.exitCode = 1;
});
const results = [];
for (const count of INSTANCES) results.push(await runInstances(count));
if (values.json) {
  process.stdout.write(JSON.stringify(results) + '\n');
} else {
  for (const r of results) {
    process.stdout.write(
      `${r.instances} instance(s): held ${r.heldMsgPerSec} msg/s (ack p99 <= 100 ms), ` +
        `${r.webSocketClients} WebSocket clients, RSS idle ${r.idleRssMb.join('/')} MB, ` +
        `loaded ${r.loadedRssMb.join('/')} MB, PostgreSQL connections ${r.pgConnections}\n`,
    );
    for (const s of r.steps) {
      process.stdout.write(
        `    offered ${s.offered}/s: ${s.ackedPerSec}/s acked, ack p50 ${s.ackP50} ms p99 ${s.ackP99} ms, ` +
          `delivery p99 ${s.deliverP99} ms${s.delivered ? '' : ' (incomplete)'}\n`,
      );
    }
  }
}
process.exit(0);
