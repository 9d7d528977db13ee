/** Where the Electron binary is, or why the Electron suite cannot run here. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The Electron executable (`require('electron')` is its path in Node), or null. */
export function electronBinaryPath(): string | null {
  try {
    const path = require('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Why the Electron suite cannot run here, or null. */
export function electronUnavailableReason(): string | null {
  try {
    const path = require('electron') as unknown;
    if (typeof path !== 'string') return 'require("electron") did not return a path to the Electron binary';
    if (!existsSync(path))
      return (
        `the Electron binary is not installed (${path} is missing; it was installed with ` +
        `ELECTRON_SKIP_BINARY_DOWNLOAD=1 — run "node node_modules/electron/install.js" where downloads work)`
      );
    return null;
  } catch (error) {
    return (
      `the Electron binary is not installed (${(error as Error).message.split('\n')[0]}; installs here use ` +
      `ELECTRON_SKIP_BINARY_DOWNLOAD=1 — run "node node_modules/electron/install.js" where downloads work)`
    );
  }
}
