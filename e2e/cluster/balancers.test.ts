/**
 * The repository's own load-balancer configurations, run for real: three `sidekick server --database
 * postgres://…` instances behind Debian's HAProxy (deploy/haproxy.cfg) and nginx (deploy/nginx.conf),
 * with only the ports (and, for nginx, its log and temp folders) rewritten. Through the balancer:
 * joining, REST, WebSockets spread over the instances, live delivery between clients on different
 * instances, kill -9 of one instance while clients send (they reconnect through the balancer and miss
 * nothing, nothing acknowledged is lost, nothing duplicated), and `--trust-proxy` making the
 * per-address join limit count people rather than the balancer.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src-shared/team';
import { freePort, postgresUnavailableReason, startTestPostgres, type TestPostgres } from '../support/postgres';
import {
  api,
  type RequestReply,
  requestBody,
  seedTeam,
  type ServerProcess,
  startServerProcess,
} from '../team/team-server-process';
import { type Client, client, sleep, until } from './cluster-clients';

const ROOT = join(import.meta.dirname, '..', '..');
const BALANCERS = {
  haproxy: { binary: '/usr/sbin/haproxy', config: 'deploy/haproxy.cfg' },
  nginx: { binary: '/usr/sbin/nginx', config: 'deploy/nginx.conf' },
} as const;
type BalancerName = keyof typeof BALANCERS;

const pgSkip = postgresUnavailableReason();
if (pgSkip) console.warn(`load-balancer tests skipped: ${pgSkip}`);
for (const [name, { binary }] of Object.entries(BALANCERS))
  if (!existsSync(binary)) console.warn(`${name} test skipped: ${binary} is missing (apt-get install ${name})`);

let pg: TestPostgres | null = null;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  if (!pgSkip) pg = await startTestPostgres();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await pg?.stop();
});

/** The repo's config with the instances' and the front end's ports put in, ready to run unprivileged. */
function renderConfig(name: BalancerName, front: number, backends: number[], dir: string): string {
  let text = readFileSync(join(ROOT, BALANCERS[name].config), 'utf8');
  backends.forEach((port, i) => {
    expect(text, `${BALANCERS[name].config} names instance ${i + 1} as 127.0.0.1:${4301 + i}`).toContain(
      `127.0.0.1:${4301 + i}`,
    );
    text = text.replaceAll(`127.0.0.1:${4301 + i}`, `127.0.0.1:${port}`);
  });
  if (name === 'haproxy') {
    expect(text).toMatch(/bind :4300\b/);
    return text.replace(/bind :4300\b/, `bind 127.0.0.1:${front}`);
  }
  expect(text).toMatch(/listen 4300;/);
  // Logs, pid and temp files in the test folder instead of /var (the rest of the file is as shipped).
  return text
    .replace(/listen 4300;/, `listen 127.0.0.1:${front};`)
    .replace(
      /http \{/,
      `http {\n  access_log ${dir}/access.log;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;`,
    );
}

interface Balancer {
  url: string;
  process: ChildProcess;
  log(): string;
}

async function startBalancer(name: BalancerName, front: number, backends: number[]): Promise<Balancer> {
  const dir = mkdtempSync(join(tmpdir(), `sidekick-${name}-`));
  const configPath = join(dir, name === 'haproxy' ? 'haproxy.cfg' : 'nginx.conf');
  writeFileSync(configPath, renderConfig(name, front, backends, dir));
  const args =
    name === 'haproxy'
      ? ['-db', '-f', configPath]
      : ['-p', dir, '-e', `${dir}/error.log`, '-c', configPath, '-g', `daemon off; pid ${dir}/nginx.pid;`];
  const check = spawnSync(BALANCERS[name].binary, name === 'haproxy' ? ['-c', '-f', configPath] : [...args, '-t'], {
    encoding: 'utf8',
  });
  expect(check.status, `${name} accepts the shipped config:\n${check.stdout}${check.stderr}`).toBe(0);
  let output = '';
  const child = spawn(BALANCERS[name].binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cleanups.push(() => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${front}`;
  const log = () => output + (existsSync(`${dir}/error.log`) ? readFileSync(`${dir}/error.log`, 'utf8') : '');
  await until(
    `${name} answers /api/v1/health`,
    async () => (await fetch(`${url}/api/v1/health`).catch(() => null))?.ok === true,
    30_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${log()}`);
  });
  return { url, process: child, log };
}

async function instances(database: string, publicUrl: string): Promise<ServerProcess[]> {
  const args = ['--rate', '1000', '--trust-proxy', '127.0.0.1', '--public-url', publicUrl];
  const first = await startServerProcess({ database, args });
  const rest = await Promise.all([startServerProcess({ database, args }), startServerProcess({ database, args })]);
  const servers = [first, ...rest];
  cleanups.push(() => Promise.all(servers.map((server) => server.stop())).then(() => undefined));
  return servers;
}

/** Established TCP connections from the balancer to each instance's port, read from /proc/net/tcp. */
function connectionsTo(ports: number[]): number[] {
  const rows = ['/proc/net/tcp', '/proc/net/tcp6']
    .filter(existsSync)
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1));
  return ports.map(
    (port) =>
      rows.filter((row) => {
        const [, local, , state] = row.trim().split(/\s+/);
        return state === '01' && local?.endsWith(`:${port.toString(16).toUpperCase().padStart(4, '0')}`);
      }).length,
  );
}

describe.each(Object.keys(BALANCERS) as BalancerName[])('three instances behind %s', (name) => {
  const skip = pgSkip ?? (existsSync(BALANCERS[name].binary) ? null : `${BALANCERS[name].binary} is missing`);

  it.skipIf(skip)(
    'serves join, REST and WebSockets through the balancer; kill -9 of an instance loses nothing',
    async () => {
      const database = await pg!.createDatabase();
      // Invite links point at the balancer: its port is chosen first, it starts once the instances listen.
      const front = await freePort();
      const servers = await instances(database, `http://127.0.0.1:${front}`);
      const ports = servers.map((server) => Number(new URL(server.url).port));
      const balancer = await startBalancer(name, front, ports);
      const invite = servers.flatMap((server) => server.report.adminInvites)[0]!;
      expect(invite.link.startsWith(`${balancer.url}/#join=`)).toBe(true);
      // Set up directly on an instance, so the only connections from the balancer are the WebSockets.
      const direct = servers[0]!.url;
      const team = await seedTeam(direct, invite.code, name);

      // Three requests, requester and helper of each on their own connection through the balancer.
      const viaBalancer = () => ({ url: balancer.url, index: -1 });
      const before = connectionsTo(ports); // the test's own keep-alive connections to the first instance
      const clients: Client[] = [];
      for (let i = 0; i < 3; i++) {
        const created = await api<RequestReply>(direct, 'POST', '/api/v1/requests', {
          token: team.member.token,
          body: requestBody(`${name}-request-${i}`),
        });
        expect(created.status).toBe(201);
        const requestId = created.body.request.id;
        clients.push(client(`member-${i}`, team.member.token, requestId, viaBalancer));
        clients.push(client(`helper-${i}`, team.helper.token, requestId, viaBalancer));
      }
      await until('all clients live through the balancer', () => clients.every((c) => c.stream.status === 'live'));
      const spread = connectionsTo(ports).map((n, i) => n - before[i]!);
      expect(
        spread.filter((n) => n > 0).length,
        `WebSockets spread over the instances: ${spread.join(', ')}`,
      ).toBeGreaterThan(1);
      // Kill the instance holding the most connections: its clients must come back through the balancer.
      const busiest = spread.indexOf(Math.max(...spread));

      let sending = true;
      let counter = 0;
      const inflight: Array<Promise<unknown>> = [];
      const loops = clients.map(async (c) => {
        while (sending) {
          const clientId = `${c.name}-${String(++counter).padStart(6, '0')}`;
          c.sent.push(clientId);
          inflight.push(
            c.stream.send(c.requestId, { clientId, kind: 'text', text: clientId }).then((message: ChatMessage) => {
              c.acked.set(clientId, message.id);
            }),
          );
          await sleep(250);
        }
      });
      await until('some messages acknowledged', () => clients.every((c) => c.acked.size >= 3), 90_000);
      await servers[busiest]!.kill9();
      await until(
        'every client live again through the balancer',
        () => clients.every((c) => c.stream.status === 'live'),
        90_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${balancer.log().slice(-2000)}`);
      });
      const acked = () => clients.reduce((n, c) => n + c.acked.size, 0);
      const afterKill = acked();
      await until('messages flow after the kill', () => acked() > afterKill + 12, 90_000);
      sending = false;
      await Promise.all(loops);
      await Promise.all(inflight);

      // REST through the balancer while one instance is dead: a request, then the per-address join limit.
      const afterDeath = await api<RequestReply>(balancer.url, 'POST', '/api/v1/requests', {
        token: team.member.token,
        body: requestBody(`${name}-after-kill`),
      });
      expect(afterDeath.status).toBe(201);

      // Per-address join limit behind the balancer: one address is limited, another is not.
      const join = (address: string) =>
        fetch(`${balancer.url}/api/v1/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
          body: JSON.stringify({ invite: 'sk_inv_not-a-real-invite', name: 'Guess' }),
        }).then((reply) => reply.status);
      const flood = await Promise.all(Array.from({ length: 240 }, () => join('203.0.113.7')));
      expect(flood.filter((status) => status === 429).length, 'one address flooding is limited').toBeGreaterThan(0);
      expect(await join('203.0.113.8'), 'another address behind the same balancer is not').toBe(403);

      const reconnected = clients.filter((c) => c.connections.length > 1).map((c) => c.name);
      expect(reconnected.length, 'the killed instance had clients, which reconnected').toBeGreaterThan(0);
      for (const c of clients) {
        const rows = await pg!.query<{ id: string; client_id: string }>(
          database,
          'SELECT id, client_id FROM messages WHERE request_id = $1 ORDER BY seq',
          [c.requestId],
        );
        const ids = new Set(rows.map((row) => row.id));
        const texts = rows.filter((row) => !row.client_id.startsWith('sys_')).map((row) => row.client_id);
        expect(new Set(texts).size, 'no duplicates').toBe(texts.length);
        for (const clientId of c.sent)
          expect(rows.find((row) => row.client_id === clientId)?.id).toBe(c.acked.get(clientId));
        await until(`${c.name} received every message of its request`, () => c.delivered.size >= ids.size, 30_000);
        expect(new Set(c.delivered.keys())).toEqual(ids);
        expect(
          [...c.delivered.values()].every((n) => n === 1),
          `${c.name} received each once`,
        ).toBe(true);
      }
      console.log(
        `${name}: 3 instances, connections per instance ${spread.join('/')}, killed #${busiest}, ` +
          `reconnected ${reconnected.length} clients, ` +
          `${clients.reduce((n, c) => n + c.sent.length, 0)} messages, none lost or duplicated`,
      );
      for (const c of clients) c.stream.stop();
    },
    480_000,
  );
});
