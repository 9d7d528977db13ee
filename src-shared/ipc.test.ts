import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  IPC,
  defineIpcFeature,
  isEventChannel,
  isInvokeChannel,
  mergeIpcFeatures,
  parseIpcPayload,
  type InvokeChannel,
  type InvokeResponse,
} from './ipc';

describe('the IPC contract', () => {
  it('merges every feature and knows its channels', () => {
    expect(isInvokeChannel('overlay:ask')).toBe(true);
    expect(isInvokeChannel('settings:get')).toBe(true);
    expect(isInvokeChannel('toString')).toBe(false);
    expect(isEventChannel('overlay:state')).toBe(true);
    const channel: InvokeChannel = 'overlay:ask';
    // @ts-expect-error an unknown channel is a type error, not a string
    const unknown: InvokeChannel = 'nope:nothing';
    expect(isInvokeChannel(unknown)).toBe(false);
    // Type-level: the response type of a channel is the zod-inferred one.
    const answer: InvokeResponse<'overlay:ask'> = { kind: 'none', message: 'x', next: 'ask-human' };
    expect(IPC.invoke[channel].response.parse(answer)).toEqual(answer);
  });

  it('rejects a channel declared twice and badly named channels', () => {
    const a = defineIpcFeature({
      name: 'a',
      invoke: { 'x:go': { request: z.object({}), response: z.object({}) } },
      events: {},
    });
    const b = defineIpcFeature({
      name: 'b',
      invoke: { 'x:go': { request: z.object({}), response: z.object({}) } },
      events: {},
    });
    expect(() => mergeIpcFeatures(a, b)).toThrow(/declared by both "a" and "b"/);
    expect(() =>
      defineIpcFeature({ name: 'c', invoke: { Bad: { request: z.object({}), response: z.object({}) } }, events: {} }),
    ).toThrow(/feature:action/);
  });

  it('parses payloads into readable errors', () => {
    expect(() =>
      parseIpcPayload('overlay:ask', IPC.invoke['overlay:ask'].request, { sessionId: 's', question: '   ' }),
    ).toThrow(/Type a question first/);
    expect(
      parseIpcPayload('overlay:ask', IPC.invoke['overlay:ask'].request, { sessionId: 's', question: ' where? ' }),
    ).toEqual({ sessionId: 's', question: 'where?' });
  });
});

describe('the contract can load in a sandboxed preload', () => {
  it('imports no Node modules in src-shared (the preload bundles it; it may only require electron)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const root = new URL('.', import.meta.url).pathname;
    const files = (readdirSync(root, { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    const offenders = files.filter((file) =>
      /from ['"](node:|fs|path|os|crypto|child_process)['"]|require\(/.test(
        readFileSync(path.join(root, file), 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
