/**
 * The one global guard for every webContents (after Signal's permissions and Fiddle's
 * `web-contents-created`): no window.open, no navigation away from our pages, no webviews,
 * every permission request denied, CSP header on dev-server responses too.
 */
import { app, session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, isAppUrl } from './protocol';

/** Installs the guards; call once before any window is created. */
export function setupSecurityGuards(log: (message: string) => void): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      log(`Blocked window.open(${url})`);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) {
        event.preventDefault();
        log(`Blocked navigation to ${url}`);
      }
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`Denied permission request: ${permission}`);
    callback(false);
  });
  defaultSession.setPermissionCheckHandler(() => false);
  // Dev-server (http) responses get the same CSP header as sidekick:// ones.
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (!details.url.startsWith('http')) return callback({});
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [devPolicy()] } });
  });
}

function devPolicy(): string {
  // Vite's dev client needs its websocket and React refresh's inline preamble (development only).
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "connect-src 'self'",
    "connect-src 'self' ws:",
  );
}
