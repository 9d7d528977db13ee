/**
 * The renderer's access to main: `window.sidekick`, put there by the preload in the app or by the
 * browser host's bridge script. Typed by the one IPC contract in src-shared/ipc.ts.
 */
import type { SidekickBridge } from '../../src-shared/ipc';

declare global {
  interface Window {
    sidekick?: SidekickBridge;
  }
}

/** The bridge, or an error saying the page was opened outside Sidekick. */
export function sidekick(): SidekickBridge {
  const bridge = window.sidekick;
  if (!bridge) throw new Error('This page must be opened by Sidekick (window.sidekick is missing).');
  return bridge;
}

/** A message for a failed invoke, without Electron's "Error invoking remote method" prefix. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '');
}
