/**
 * The browser host: serves the built renderer pages to a real browser and bridges the same IPC
 * handlers the Electron shell uses over a WebSocket. The page gets a `window.sidekick` object of
 * the same shape as the preload's (SidekickBridge), from `/__sidekick/bridge.js`, so the overlay,
 * settings and feature pages run unchanged against the real core — in Chromium under Playwright,
 * or in any browser during development.
 *
 * Only same-origin WebSocket connections are accepted (the browser's stand-in for the shell's
 * sender check), requests are parsed with the contract's schemas by the dispatcher, and pages get
 * the same CSP header and meta tag as in the app.
 */
import { hotkeyLabel } from '../../src-shared/hotkey';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventChannel, EventPayload } from '../../src-shared/ipc';
import type { HotkeyStatus } from '../../src-shared/ipc/settings';
import { CONTENT_SECURITY_POLICY } from './csp';

/** Runs one request through the core (IpcDispatcher.dispatch with a caller). */
export type HostDispatch = (channel: string, request: unknown, page: string) => Promise<unknown>;

/** Options for the host. */
export interface BrowserHostOptions {
  /** A built renderer folder (vite build of src-renderer): `<page>.html` and `assets/`. */
  rendererDir: string;
  dispatch: HostDispatch;
  /** 0 (default) picks a free port on 127.0.0.1. */
  port?: number;
  log?(message: string, error?: unknown): void;
}

/** A running host. */
export interface BrowserHost {
  origin: string;
  /** The URL of a page, e.g. `url('overlay')`. */
  url(page: string, query?: Record<string, string>): string;
  /** Sends an event to every connected page. */
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  /** An image shown under the overlay at the captured window's place (`?backdrop=1`), like the real desktop. */
  setBackdrop(png: Buffer | null): void;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Starts the host on 127.0.0.1. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const rendererDir = normalize(options.rendererDir);
  let backdrop: Buffer | null = null;
  const sockets = new Set<WebSocket>();
  const server = createServer((request, response) => {
    serve(request, response).catch((error) => {
      options.log?.(`Browser host failed on ${request.url}`, error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal error');
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://host');
    const headers = {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    };
    if (request.method !== 'GET') {
      response.writeHead(405, headers).end();
      return;
    }
    if (url.pathname === '/__sidekick/bridge.js') {
      response
        .writeHead(200, { ...headers, 'content-type': MIME['.js'] })
        .end(BRIDGE_SCRIPT.replace('__PLATFORM__', JSON.stringify(process.platform)));
      return;
    }
    if (url.pathname === '/__sidekick/backdrop.png') {
      if (!backdrop) response.writeHead(404, headers).end();
      else response.writeHead(200, { ...headers, 'content-type': 'image/png' }).end(backdrop);
      return;
    }
    const file = normalize(join(rendererDir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(rendererDir + sep)) {
      response.writeHead(403, headers).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      response.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end(`Not found: ${url.pathname}`);
      return;
    }
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    if (extname(file) === '.html') {
      // The bridge goes first so `window.sidekick` exists before the page's module runs (as with a preload).
      const html = body
        .toString('utf8')
        .replace(/<script/, '<script src="/__sidekick/bridge.js"></script>\n    <script');
      response.writeHead(200, { ...headers, 'content-type': type }).end(html);
      return;
    }
    response.writeHead(200, { ...headers, 'content-type': type }).end(body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const origin = request.headers.origin;
    const expected = `http://${request.headers.host}`;
    if (new URL(request.url ?? '/', 'http://host').pathname !== '/__sidekick/ipc' || origin !== expected) {
      options.log?.(`Browser host refused a WebSocket from ${origin ?? 'no origin'}`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    sockets.add(ws);
    const page = new URL(request.url ?? '/', 'http://host').searchParams.get('page') ?? 'unknown';
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      // ws hands text frames over as one Buffer (no binaryType set).
      void answer(ws, page, (data as Buffer).toString());
    });
  });

  async function answer(ws: WebSocket, page: string, text: string): Promise<void> {
    let message: { id?: unknown; channel?: unknown; request?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.id !== 'number' || typeof message.channel !== 'string') return;
    try {
      const response = await options.dispatch(message.channel, message.request, page);
      ws.send(JSON.stringify({ id: message.id, ok: true, response }));
    } catch (error) {
      options.log?.(`IPC "${message.channel}" from ${page} failed`, error);
      ws.send(
        JSON.stringify({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url(page, query = {}) {
      const search = new URLSearchParams(query).toString();
      return `${origin}/${page}.html${search ? `?${search}` : ''}`;
    },
    emit(event, payload) {
      const text = JSON.stringify({ event, payload });
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    setBackdrop(png) {
      backdrop = png;
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * `window.sidekick` for the browser: the SidekickBridge shape over one WebSocket. Requests sent
 * before the socket opens wait for it. With `?backdrop=1`, the captured image is drawn under the
 * overlay at the captured window's place, so screenshots look like the desktop.
 */
const BRIDGE_SCRIPT = `(() => {
  'use strict';
  const page = location.pathname.replace(/^\\//, '').replace(/\\.html$/, '');
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/__sidekick/ipc?page=' + encodeURIComponent(page));
  const opened = new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('The Sidekick browser host is not reachable')), {
      once: true,
    });
  });
  const pending = new Map();
  const listeners = new Map();
  let nextId = 1;
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(message.data);
    if (typeof data.id === 'number') {
      const waiter = pending.get(data.id);
      pending.delete(data.id);
      if (waiter) data.ok ? waiter.resolve(data.response) : waiter.reject(new Error(data.error));
    } else if (typeof data.event === 'string') {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('The Sidekick browser host closed the connection'));
    pending.clear();
  });
  const bridge = Object.freeze({
    host: 'browser',
    platform: __PLATFORM__,
    async invoke(channel, request) {
      await opened;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, channel, request }));
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = (payload) => listener(payload);
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  });
  Object.defineProperty(window, 'sidekick', { value: bridge, writable: false, configurable: false });
  if (new URLSearchParams(location.search).get('backdrop') === '1') {
    const image = document.createElement('img');
    image.alt = '';
    image.id = 'sidekick-backdrop';
    image.style.cssText = 'position:fixed;z-index:-1;pointer-events:none;display:none';
    document.documentElement.style.background = '#3b4252';
    document.addEventListener('DOMContentLoaded', () => document.body.prepend(image));
    bridge.on('overlay:state', (state) => {
      if (!state.window) return;
      const b = state.window.bounds;
      image.src = '/__sidekick/backdrop.png?session=' + encodeURIComponent(state.sessionId);
      image.style.left = b.x + 'px'; image.style.top = b.y + 'px';
      image.style.width = b.w + 'px'; image.style.height = b.h + 'px';
      image.style.display = 'block';
    });
  }
})();
`;

/**
 * The system side of the core in a browser, where there is no global hotkey or login item:
 * registration always works except for accelerators listed as taken, which behave like a
 * hotkey another program owns (`globalShortcut.register` returning false).
 */
export class SimulatedSystem {
  private status: HotkeyStatus = { hotkey: '', registered: false, problem: 'No hotkey registered yet.' };
  startAtLogin = false;

  constructor(private readonly takenHotkeys: ReadonlySet<string> = new Set()) {}

  registerHotkey(accelerator: string): HotkeyStatus {
    const taken = this.takenHotkeys.has(accelerator);
    this.status = {
      hotkey: accelerator,
      registered: !taken,
      problem: taken
        ? `${hotkeyLabel(accelerator, process.platform)} is already used by another program. Pick another hotkey in ` +
          `Sidekick Settings.`
        : null,
    };
    return this.status;
  }

  hotkeyStatus(): HotkeyStatus {
    return this.status;
  }

  startAtLoginSupported(): boolean {
    return true;
  }

  setStartAtLogin(enabled: boolean): void {
    this.startAtLogin = enabled;
  }
}
