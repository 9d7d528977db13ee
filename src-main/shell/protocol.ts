/**
 * Serves the renderer pages from `sidekick://app/` instead of file:// so every response carries
 * the Content-Security-Policy header (besides the pages' meta tag), IPC senders can be checked
 * by origin, and no page can read arbitrary files. In development (`electron-vite dev`) pages come
 * from the Vite dev server instead.
 */
import { app, net, protocol } from 'electron';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../app/csp';
import { devRendererOrigin } from '../base/dev-server';

/** The scheme and host of our pages. */
export const APP_ORIGIN = 'sidekick://app';

/** The CSP every page gets: our own scripts only, inline styles for positioning, no plugins or frames. */
export { CONTENT_SECURITY_POLICY };

const RENDERER_DIR = join(import.meta.dirname, '../renderer');

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** Must run before `app` is ready: makes `sidekick:` a secure standard scheme. */
export function registerAppScheme(): void {
  // Electron keeps only the last registerSchemesAsPrivileged call: register every scheme here, once.
  protocol.registerSchemesAsPrivileged([
    { scheme: 'sidekick', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

/** After ready: answers `sidekick://app/<file>` from out/renderer, with the CSP header. */
export function serveRendererPages(): void {
  protocol.handle('sidekick', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    const file = normalize(join(RENDERER_DIR, decodeURIComponent(url.pathname)));
    if (!file.startsWith(RENDERER_DIR + sep)) return new Response('Forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    // Module scripts are refused without a JavaScript MIME type; don't rely on the file handler's guess.
    const type = MIME_TYPES[extname(file)];
    if (type) headers.set('Content-Type', type);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** The Vite dev server's origin under `electron-vite dev` only; never in a packaged or production build. */
function devServerOrigin(): string | null {
  return devRendererOrigin({ isPackaged: app.isPackaged, env: process.env });
}

/** The URL of a renderer page, from the dev server in development. */
export function rendererUrl(page: string): string {
  const devServer = devServerOrigin();
  return devServer ? `${devServer}/${page}.html` : `${APP_ORIGIN}/${page}.html`;
}

/** Whether a frame URL is one of our pages. */
export function isAppUrl(url: string): boolean {
  const devServer = devServerOrigin();
  try {
    const origin = new URL(url).origin;
    if (url.startsWith(`${APP_ORIGIN}/`)) return true;
    return !!devServer && origin === devServer;
  } catch {
    return false;
  }
}
