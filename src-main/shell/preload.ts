/**
 * The preload: exposes `window.sidekick` (see SidekickBridge in src-shared/ipc.ts), a small
 * object that can only invoke the contract's channels and listen to its events. The page never
 * sees `ipcRenderer` or an IPC event. Bundled to one CommonJS file because sandboxed preloads
 * cannot load ES modules or other files.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventChannel, isInvokeChannel, type SidekickBridge } from '../../src-shared/ipc';

const bridge: SidekickBridge = {
  host: 'electron',
  platform: process.platform,
  invoke(channel, request) {
    if (!isInvokeChannel(channel)) return Promise.reject(new Error(`Unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel, request);
  },
  on(event, listener) {
    if (!isEventChannel(event)) throw new Error(`Unknown event ${String(event)}`);
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload as never);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('sidekick', bridge);
