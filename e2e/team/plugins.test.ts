/**
 * What the Fastify plugins of the team server do, on a real server listening on 127.0.0.1 (in this
 * process, so a burst is not slowed by another process starting): @fastify/rate-limit limits invite
 * redemptions per address with the API's 429 shape, and @fastify/helmet sends the security headers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOIN_RATE_LIMIT, type RunningTeamServer, startTeamServer } from '../../src-server/team-server';

let server: RunningTeamServer;
beforeAll(async () => {
  server = await startTeamServer({ dataDir: mkdtempSync(join(tmpdir(), 'sidekick-plugins-')), port: 0 });
});
afterAll(async () => {
  await server?.close();
});

/** One join attempt with an invite code that does not exist. */
async function joinAttempt(i: number): Promise<Response> {
  return fetch(`${server.url}/api/v1/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ invite: `sk_inv_unknown-code-${i}`, name: `Guess ${i}` }),
  });
}

describe('team server plugins', () => {
  it('limits invite redemptions per address: 429 rate_limited with Retry-After once the window is used', async () => {
    // Waves of twice the window's allowance at once, until one is refused: a loaded machine may serve a wave
    // slower than the window, so keep going (bounded) instead of assuming how fast the server is.
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let wave = 0; wave < 10 && !limited; wave++) {
      const responses = await Promise.all(
        Array.from({ length: 2 * JOIN_RATE_LIMIT.max }, (_, i) => joinAttempt(wave * 1000 + i)),
      );
      statuses.push(...responses.map((response) => response.status));
      limited = responses.find((response) => response.status === 429);
    }
    expect(statuses.filter((status) => status === 403).length).toBeGreaterThanOrEqual(JOIN_RATE_LIMIT.max);
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited!.headers.get('x-ratelimit-limit')).toBeNull();
    const body = (await limited!.json()) as { error: { code: string; message: string; retryAfterMs: number } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/too many invite redemptions from your address; retry in \d+ ms/);
    expect(body.error.retryAfterMs).toBeGreaterThan(0);
    // Other routes are not limited by it.
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
  });

  it('sends the security headers on API answers and pages, and leaves HSTS to the TLS proxy', async () => {
    for (const path of ['/api/v1/health', '/']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });
});
