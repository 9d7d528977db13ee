/**
 * The browser host's boundary on a real HTTP/WebSocket server on 127.0.0.1: pages get the bridge
 * and the CSP, files outside the renderer folder are refused, only same-origin sockets may call
 * the core, and a handler's error comes back as a rejected invoke, not a dead connection.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBrowserHost, type BrowserHost } from './browser-host';

let dir: string;
let host: BrowserHost;
const calls: Array<{ channel: string; request: unknown; page: string }> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sidekick-host-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(
    join(dir, 'renderer/overlay.html'),
    '<!doctype html><html><head></head><body><script type="module" src="/assets/a.js"></script></body></html>',
  );
  writeFileSync(join(dir, 'secret.txt'), 'not for pages');
  host = await startBrowserHost({
    rendererDir: join(dir, 'renderer'),
    dispatch: async (channel, body, page) => {
      calls.push({ channel, request: body, page });
      if (channel === 'overlay:ask') throw new Error('Invalid payload on IPC channel "overlay:ask"');
      return { echoed: body };
    },
  });
});

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    // A raw request, so "../" reaches the server unnormalized.
    const req = request(`${host.origin}/`, { path }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/__sidekick/ipc?page=overlay`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function invoke(
  ws: WebSocket,
  id: number,
  channel: string,
  body: unknown,
): Promise<{ id: number; ok: boolean; response?: unknown; error?: string }> {
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      // ws hands text frames over as one Buffer (no binaryType set).
      const message = JSON.parse((data as Buffer).toString('utf8')) as {
        id: number;
        ok: boolean;
        response?: unknown;
        error?: string;
      };
      if (message.id === id) resolve(message);
    });
    ws.send(JSON.stringify({ id, channel, request: body }));
  });
}

describe('the browser host', () => {
  it('serves pages with the bridge first and the CSP header', async () => {
    const page = await get('/overlay.html');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.body).toMatch(/<script src="\/__sidekick\/bridge.js"><\/script>\s*<script type="module"/);
    const bridge = await get('/__sidekick/bridge.js');
    expect(bridge.body).toContain("Object.defineProperty(window, 'sidekick'");
  });

  it('refuses files outside the renderer folder and unknown files', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await get(path);
      expect([403, 404], path).toContain(response.status);
      expect(response.body).not.toContain('not for pages');
    }
    expect((await get('/..%2fsecret.txt')).status).toBe(403);
    expect((await get('/missing.html')).status).toBe(404);
  });

  it('lets same-origin pages invoke the core and refuses other origins', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow();
    const ws = await connect(host.origin);
    expect(await invoke(ws, 1, 'settings:get', {})).toEqual({ id: 1, ok: true, response: { echoed: {} } });
    expect(calls.at(-1)).toEqual({ channel: 'settings:get', request: {}, page: 'overlay' });
    expect(await invoke(ws, 2, 'overlay:ask', { question: 1 })).toEqual({
      id: 2,
      ok: false,
      error: 'Invalid payload on IPC channel "overlay:ask"',
    });
    ws.send('not json at all');
    expect(await invoke(ws, 3, 'settings:get', { again: true })).toMatchObject({ id: 3, ok: true });
    ws.close();
  });
});
