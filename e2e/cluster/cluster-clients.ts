/**
 * Clients of several team-server instances for the cluster tests: a TeamStream whose every (re)connect
 * goes to a chosen live instance (or through a load balancer), recording what it sent, what was
 * acknowledged and what it received.
 */
import WebSocket from 'ws';
import { TeamStream, type WebSocketLike } from '../../src-shared/team';
import type { ServerProcess } from '../team/team-server-process';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export interface Client {
  name: string;
  requestId: string;
  stream: TeamStream;
  sent: string[];
  acked: Map<string, string>;
  delivered: Map<string, number>;
  statuses: string[];
  /** Instance index each connection went to. */
  connections: number[];
}

/** Where a client's next connection goes: a URL, and which instance that is (-1: a load balancer). */
export type Target = () => { url: string; index: number };

/** Every (re)connect goes to one of the instances still alive, preferring `home`. */
export function onInstance(servers: () => ServerProcess[], home: number): Target {
  return () => {
    const alive = servers().filter((server) => server.child.exitCode === null && server.child.signalCode === null);
    const target = alive[home % alive.length]!;
    return { url: target.url, index: servers().indexOf(target) };
  };
}

/** A TeamStream that connects where `target` says each time, recording what it sends, gets acked and receives. */
export function client(name: string, token: string, requestId: string, target: Target): Client {
  const record: Client = {
    name,
    requestId,
    sent: [],
    acked: new Map(),
    delivered: new Map(),
    statuses: [],
    connections: [],
    stream: null as never,
  };
  record.stream = new TeamStream({
    serverUrl: target().url,
    token,
    backoff: { minMs: 100, maxMs: 1000 },
    createSocket: () => {
      const { url, index } = target();
      record.connections.push(index);
      return new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/stream`, {
        handshakeTimeout: 30_000,
      }) as unknown as WebSocketLike;
    },
    onStatus: (status, detail) => record.statuses.push(`${status}:${detail}`),
    onEvent: (event) => {
      // Helpers see every request of the team: count only this client's request ('' counts all).
      if (event.type === 'message' && (!requestId || event.message.requestId === requestId))
        record.delivered.set(event.message.id, (record.delivered.get(event.message.id) ?? 0) + 1);
    },
  });
  record.stream.start();
  return record;
}
