/**
 * Runs IPC requests through the contract: the channel must exist, the request is parsed with
 * its zod schema before the handler sees it, and the handler's answer is checked against the
 * response schema (a wrong answer is our bug and fails loudly). Used by the Electron shell
 * (ipcMain.handle) and the browser host (WebSocket) alike.
 */
import {
  IPC,
  IpcPayloadError,
  isInvokeChannel,
  parseIpcPayload,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type IpcHandlers,
} from '../../src-shared/ipc';

/** A set of handlers for some channels, as features register them. */
export type PartialIpcHandlers<Caller> = Partial<IpcHandlers<InvokeChannel, Caller>>;

/** Thrown for a channel nobody handles (a programming error, or a hostile renderer). */
export class UnknownChannelError extends Error {
  constructor(readonly channel: string) {
    super(`No handler for IPC channel "${channel}"`);
    this.name = 'UnknownChannelError';
  }
}

/** A table of handlers that several features fill in, and the one way to call them. */
export class IpcDispatcher<Caller> {
  private readonly handlers = new Map<InvokeChannel, (request: unknown, caller: Caller) => unknown>();

  /** Adds a feature's handlers; registering a channel twice is a startup error. */
  register(handlers: PartialIpcHandlers<Caller>): this {
    for (const [channel, handler] of Object.entries(handlers)) {
      if (!isInvokeChannel(channel)) throw new UnknownChannelError(channel);
      if (this.handlers.has(channel)) throw new Error(`IPC channel "${channel}" already has a handler`);
      if (handler) this.handlers.set(channel, handler as (request: unknown, caller: Caller) => unknown);
    }
    return this;
  }

  /** The channels that have handlers. */
  channels(): InvokeChannel[] {
    return [...this.handlers.keys()];
  }

  /** Parses the request, runs the handler, checks the response. */
  async dispatch(channel: string, rawRequest: unknown, caller: Caller): Promise<unknown> {
    if (!isInvokeChannel(channel)) throw new UnknownChannelError(channel);
    const handler = this.handlers.get(channel);
    if (!handler) throw new UnknownChannelError(channel);
    const spec = IPC.invoke[channel];
    const request = parseIpcPayload(channel, spec.request, rawRequest ?? {});
    const response = await handler(request, caller);
    const checked = spec.response.safeParse(response);
    if (!checked.success)
      throw new Error(`Handler for "${channel}" answered outside its contract: ${checked.error.message}`);
    return checked.data;
  }
}

/**
 * Where main-process code sends events to renderer windows (the shell: webContents.send; the browser host: WebSocket).
 */
export interface EventSink {
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
}

/** Checks an outgoing event against its schema, so the renderer only ever sees contract-shaped data. */
export function checkEventPayload<E extends EventChannel>(event: E, payload: EventPayload<E>): EventPayload<E> {
  return parseIpcPayload(event, IPC.events[event], payload) as EventPayload<E>;
}

export { IpcPayloadError };
