/**
 * The building blocks of Sidekick's one typed IPC contract (after GitHub Desktop's ipc-shared.ts).
 *
 * A feature declares its channels in `src-shared/ipc/<feature>.ts` with `defineIpcFeature`:
 * - `invoke`: renderer → main request/response channels, each a zod schema for the request
 *   (parsed in main before any handler sees it) and a zod schema for the response (its type
 *   is what the renderer's `invoke` resolves to; `z.custom<T>()` is fine for a bare type);
 * - `events`: main → renderer pushes, each a zod schema for the payload.
 * `src-shared/ipc.ts` merges every feature into one map with `mergeIpcFeatures`.
 *
 * Channel names are `<feature>:<action>` in kebab case, e.g. `overlay:ask`.
 */
import { z } from 'zod';

/** One renderer → main request/response channel. */
export interface InvokeChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
}

/** A feature's invoke channels by name. */
export type InvokeChannelSpecs = Record<string, InvokeChannelSpec>;
/** A feature's main → renderer events by name (payload schema). */
export type EventChannelSpecs = Record<string, z.ZodType>;

/** A feature's slice of the IPC contract. */
export interface IpcFeature<
  I extends InvokeChannelSpecs = InvokeChannelSpecs,
  E extends EventChannelSpecs = EventChannelSpecs,
> {
  name: string;
  invoke: I;
  events: E;
}

const CHANNEL_NAME = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;

/** Declares one feature's channels; checks the `<feature>:<action>` naming at load time. */
export function defineIpcFeature<I extends InvokeChannelSpecs, E extends EventChannelSpecs>(
  feature: IpcFeature<I, E>,
): IpcFeature<I, E> {
  for (const name of [...Object.keys(feature.invoke), ...Object.keys(feature.events)]) {
    if (!CHANNEL_NAME.test(name))
      throw new Error(
        `IPC channel "${name}" of feature "${feature.name}" must look like "feature:action" (lower-case, kebab-case)`,
      );
  }
  return feature;
}

type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;
type Flatten<T> = { [K in keyof T]: T[K] };

/** Merges features into one contract; a channel name declared twice is a load-time error. */
export function mergeIpcFeatures<const F extends readonly IpcFeature[]>(
  ...features: F
): {
  invoke: Flatten<UnionToIntersection<F[number]['invoke']>>;
  events: Flatten<UnionToIntersection<F[number]['events']>>;
} {
  const invoke: InvokeChannelSpecs = {};
  const events: EventChannelSpecs = {};
  const owner = new Map<string, string>();
  for (const feature of features) {
    for (const [kind, source, target] of [
      ['invoke', feature.invoke, invoke],
      ['event', feature.events, events],
    ] as const) {
      for (const [name, spec] of Object.entries(source)) {
        const previous = owner.get(name);
        if (previous)
          throw new Error(`IPC ${kind} channel "${name}" is declared by both "${previous}" and "${feature.name}"`);
        owner.set(name, feature.name);
        (target as Record<string, unknown>)[name] = spec;
      }
    }
  }
  return { invoke, events } as never;
}

/** A channel payload failed its schema: what was wrong, field by field. */
export class IpcPayloadError extends Error {
  constructor(
    readonly channel: string,
    readonly issues: string,
  ) {
    super(`Invalid payload on IPC channel "${channel}": ${issues}`);
    this.name = 'IpcPayloadError';
  }
}

/** Parses an untrusted payload with a channel's schema, throwing IpcPayloadError with readable issues. */
export function parseIpcPayload<S extends z.ZodType>(channel: string, schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw new IpcPayloadError(channel, z.prettifyError(result.error).replace(/\n/g, '; '));
  return result.data;
}
