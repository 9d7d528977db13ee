/**
 * Wires the IPC contract into Electron: one `ipcMain.handle` per channel the dispatcher knows,
 * dropping requests from unknown senders (not one of our windows, or a frame not on our pages).
 * Events go out with `webContents.send` to our windows.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { EventChannel, EventPayload } from '../../src-shared/ipc';
import type { IpcCaller } from '../base/feature';
import type { IpcDispatcher } from '../base/ipc-dispatch';
import { isAppUrl } from './protocol';
import type { SidekickWindows } from './windows';

/** The error a renderer gets for a refused request (no details about why, on purpose). */
const REFUSED = 'Request refused';

/** Registers a handler for every channel the dispatcher has. */
export function setupIpc(
  dispatcher: IpcDispatcher<IpcCaller>,
  windows: SidekickWindows,
  log: (message: string, error?: unknown) => void,
): void {
  for (const channel of dispatcher.channels()) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, request: unknown) => {
      const caller = trustedCaller(event, windows);
      if (!caller) {
        log(`Dropped IPC "${channel}" from an unknown sender (${event.senderFrame?.url ?? 'no frame'})`);
        throw new Error(REFUSED);
      }
      try {
        return await dispatcher.dispatch(channel, request, caller);
      } catch (error) {
        log(`IPC "${channel}" from ${caller.window} failed`, error);
        throw error;
      }
    });
  }
}

/** The calling window when it is one of ours showing one of our pages, else null. */
export function trustedCaller(event: IpcMainInvokeEvent, windows: SidekickWindows): IpcCaller | null {
  const page = windows.pageOf(BrowserWindow.fromWebContents(event.sender));
  if (!page) return null;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || !isAppUrl(frame.url)) return null;
  return { window: page };
}

/** Sends an event to every window of ours. */
export function broadcast<E extends EventChannel>(windows: SidekickWindows, event: E, payload: EventPayload<E>): void {
  for (const window of windows.all()) {
    if (!window.webContents.isDestroyed()) window.webContents.send(event, payload);
  }
}
