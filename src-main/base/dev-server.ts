/**
 * Whether the renderer pages may come from a Vite dev server. `electron-vite dev` sets
 * ELECTRON_RENDERER_URL (and NODE_ENV_ELECTRON_VITE=development) for the Electron it starts; a
 * packaged or production build must ignore both, or anyone who can set an environment variable could
 * point Sidekick's windows, with their privileged preload bridge, at a page of their own.
 */

/** What the decision looks at: `app.isPackaged` and the process environment. */
export interface DevServerContext {
  isPackaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev server's origin (e.g. `http://localhost:5173`) when the app is unpackaged, started by
 * `electron-vite dev`, and the URL is an http(s) address on this machine; otherwise null.
 */
export function devRendererOrigin(context: DevServerContext): string | null {
  const raw = context.env.ELECTRON_RENDERER_URL;
  if (context.isPackaged || !raw || context.env.NODE_ENV_ELECTRON_VITE !== 'development') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) return null;
  return url.origin;
}
