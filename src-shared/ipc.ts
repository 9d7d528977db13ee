/**
 * Sidekick's one IPC contract: every channel between renderer and main, merged from the
 * per-feature files in `src-shared/ipc/`. Main handles them with `registerIpcHandlers`
 * (src-main/shell/ipc.ts), the preload exposes them as `window.sidekick`, the browser host
 * bridges them over WebSocket.
 *
 * Add a feature: create `src-shared/ipc/<feature>.ts` exporting `<feature>Ipc = defineIpcFeature({...})`,
 * then import it here and add it to the `mergeIpcFeatures(...)` call (one line each).
 */
import type { z } from 'zod';
import { mergeIpcFeatures } from './ipc/contract';
import { overlayIpc } from './ipc/overlay';
import { settingsIpc } from './ipc/settings';
import { aiIpc } from './ipc/ai';
import { teamIpc } from './ipc/team';
import { walkthroughsIpc } from './ipc/walkthroughs';

export * from './ipc/contract';

/** Every channel of the app. */
export const IPC = mergeIpcFeatures(overlayIpc, settingsIpc, aiIpc, teamIpc, walkthroughsIpc);

/** Renderer → main channel names. */
export type InvokeChannel = Extract<keyof typeof IPC.invoke, string>;
/** Main → renderer event names. */
export type EventChannel = Extract<keyof typeof IPC.events, string>;
/** The request a channel takes (after parsing). */
export type InvokeRequest<C extends InvokeChannel> = z.infer<(typeof IPC.invoke)[C]['request']>;
/** The request as the renderer writes it (before defaults/transforms). */
export type InvokeRequestInput<C extends InvokeChannel> = z.input<(typeof IPC.invoke)[C]['request']>;
/** What a channel resolves to. */
export type InvokeResponse<C extends InvokeChannel> = z.infer<(typeof IPC.invoke)[C]['response']>;
/** The payload of an event. */
export type EventPayload<E extends EventChannel> = z.infer<(typeof IPC.events)[E]>;

/** Whether a string names an invoke channel of the contract. */
export function isInvokeChannel(name: string): name is InvokeChannel {
  return Object.hasOwn(IPC.invoke, name);
}

/** Whether a string names an event of the contract. */
export function isEventChannel(name: string): name is EventChannel {
  return Object.hasOwn(IPC.events, name);
}

/**
 * The object the preload (and the browser host's bridge) puts on `window.sidekick`.
 * Listeners get only the payload, never the IPC event; `on` returns the unsubscribe function.
 */
export interface SidekickBridge {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequestInput<C>): Promise<InvokeResponse<C>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** `electron` in the app, `browser` in the browser host. */
  host: 'electron' | 'browser';
  platform: string;
}

/** Server-side handlers for some channels: each gets the parsed request and the caller. */
export type IpcHandlers<C extends InvokeChannel = InvokeChannel, Caller = unknown> = {
  [K in C]: (request: InvokeRequest<K>, caller: Caller) => Promise<InvokeResponse<K>> | InvokeResponse<K>;
};
