/**
 * Probe of the PostgreSQL store's write path alone (no HTTP, no WebSocket): N concurrent postMessage
 * calls, printing messages/s, writes per group commit and the time per group.
 *
 *   npx tsx e2e/cluster/store-probe.ts [--messages 2000] [--concurrency 64]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { hashSecret } from '../../src-server/secrets';
import { openPgTeamStore } from '../../src-server/store/pg-store';
import { isRefusal } from '../../src-server/store/team-store';
import { startTestPostgres } from '../support/postgres';

const { values } = parseArgs({
  options: { messages: { type: 'string' }, concurrency: { type: 'string' } },
  strict: true,
});
const MESSAGES = Number(values.messages ?? 2000);
const CONCURRENCY = Number(values.concurrency ?? 64);

/** CPU seconds of a process.cpuUsage() difference. */
function cpuOf(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

const pg = await startTestPostgres();
try {
  const store = await openPgTeamStore(await pg.createDatabase('probe'));
  const team = await store.createTeam('Probe');
  await store.createInvite(team.id, {
    role: 'admin',
    codeHash: hashSecret('probe-code'),
    maxUses: 1,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const joined = await store.redeemInvite(hashSecret('probe-code'), 'Probe admin', hashSecret('probe-token'));
  if (!joined.ok) throw new Error('join failed');
  const caller = { team, member: joined.member };
  const context = { app: 'Probe', windowTitle: 'Probe', os: 'linux' as const, displayScale: 1, ocrText: '' };
  const { request } = await store.createRequest(caller, {
    clientId: 'probe',
    question: 'Probe?',
    context,
    screenshot: null,
  });
  let sent = 0;
  const commitsBefore = { ...store.commitStats };
  const started = performance.now();
  const cpu = process.cpuUsage();
  async function worker(): Promise<void> {
    while (sent < MESSAGES) {
      const clientId = `probe-${++sent}`;
      const posted = await store.postMessage(caller, request.id, { clientId, kind: 'text', text: clientId });
      if (isRefusal(posted)) throw new Error(posted.message);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const commits = store.commitStats.commits - commitsBefore.commits;
  const writes = store.commitStats.writes - commitsBefore.writes;
  process.stdout.write(
    `${MESSAGES} messages, ${CONCURRENCY} concurrent: ${Math.round(MESSAGES / seconds)} msg/s, ${commits} commits, ` +
      `${(writes / commits).toFixed(1)} writes per commit, ${((1000 * seconds) / commits).toFixed(1)} ms per commit, ` +
      `this process ${Math.round((cpuOf(process.cpuUsage(cpu)) / seconds) * 100)} % CPU; ` +
      `load ${loadavg()[0]!.toFixed(2)}\n`,
  );
  await store.close();
} finally {
  await pg.stop();
}
