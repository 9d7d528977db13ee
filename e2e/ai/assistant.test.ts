/**
 * The AI assistant against a real OpenAI-compatible HTTP server on 127.0.0.1: streamed and plain
 * answers, json_schema fallback, repair of malformed and hallucinated answers, timeouts, HTTP
 * 429/500 with retries, a dead endpoint, follow-up questions. The screen is a real screenshot
 * read by the real OCR.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AiConversation, detectOllama, testConnection, type AiEndpoint } from '../../src-main/ai';
import type { AiEvent } from '../../src-shared/ai';
import type { ScreenText } from '../../src-shared/screen';
import {
  idFor,
  sentElements,
  startFakeOpenAI,
  type FakeOpenAI,
  type FakeReply,
  type ReceivedRequest,
} from './fake-openai';
import { readSecretsFixture } from './fixture-screen';
import { PLANTED_SECRETS, compactSecret } from './planted-secrets';

let screen: ScreenText;
let server: FakeOpenAI | null = null;

beforeAll(async () => {
  ({ screen } = await readSecretsFixture());
});

afterEach(async () => {
  await server?.close();
  server = null;
});

function endpointFor(fake: { baseUrl: string }, overrides: Partial<AiEndpoint> = {}): AiEndpoint {
  return {
    provider: 'custom',
    baseUrl: fake.baseUrl,
    apiKey: 'x',
    model: 'm',
    sendImage: false,
    stream: true,
    timeoutMs: 10_000,
    idleTimeoutMs: 3_000,
    maxRetries: 2,
    customPatterns: [],
    ...overrides,
  };
}

/** A well-behaved model: opens the Document menu, then a step without a target. */
function goodAnswer(request: ReceivedRequest): string {
  return JSON.stringify({
    steps: [
      { instruction: 'Open the Document menu.', elementId: idFor(request, 'Document') },
      { instruction: 'Choose "Word Wrap".', elementId: null },
    ],
  });
}

async function ask(
  fake: FakeOpenAI,
  reply: (r: ReceivedRequest, n: number) => FakeReply,
  endpoint: Partial<AiEndpoint> = {},
) {
  const events: AiEvent[] = [];
  const conversation = new AiConversation(endpointFor(fake, endpoint));
  const result = await conversation.ask(
    { question: 'How do I turn on word wrap?', app: 'Mousepad', title: 'customer-notes.txt - Mousepad', screen },
    { onEvent: (e) => events.push(e) },
  );
  return { result, events, conversation };
}

describe('grounded steps from an OpenAI-compatible endpoint', () => {
  it('streams steps as they complete and points them at real on-screen elements', async () => {
    server = await startFakeOpenAI((r) => ({ content: goodAnswer(r), chunkSize: 7, delayMs: 15 }));
    const { result, events } = await ask(server, () => ({ content: '' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const steps = result.answer.steps;
    expect(steps).toHaveLength(2);
    expect(steps[0]!.target?.text).toMatch(/Document/);
    // The Document menu sits in the menu bar, top left of the real screenshot.
    expect(steps[0]!.target!.box.y).toBeLessThan(25);
    expect(steps[1]!.target).toBeNull();
    // Steps arrived one by one before the answer finished.
    expect(events.map((e) => e.type)).toEqual(['step', 'step', 'done']);
    expect(result.answer.timings.firstStepMs!).toBeLessThan(result.answer.timings.totalMs);

    const [request] = server.chats();
    expect(request!.body.model).toBe('m');
    expect(request!.body.stream).toBe(true);
    expect(request!.body.response_format?.type).toBe('json_schema');
    expect(request!.headers.authorization).toBe('Bearer x');
    const elements = sentElements(request!);
    expect(elements.length).toBeGreaterThan(10);
    for (const e of elements)
      expect(e).toEqual({
        id: expect.stringMatching(/^e\d+$/) as unknown,
        text: expect.any(String) as unknown,
        box: [expect.any(Number), expect.any(Number), expect.any(Number), expect.any(Number)],
      });
    expect(new Set(elements.map((e) => e.id)).size).toBe(elements.length);
    const intro = request!.body.messages?.find(
      (m) => m.role === 'user' && typeof m.content === 'string' && m.content.startsWith('Application:'),
    );
    expect(intro?.content).toContain('Mousepad');
    expect(intro?.content).toContain('How do I turn on word wrap?');
    // Nothing secret left the machine.
    const sent = request!.raw.replace(/\s+/g, '').toLowerCase();
    for (const secret of Object.values(PLANTED_SECRETS)) expect(sent).not.toContain(compactSecret(secret));
    expect(request!.raw).toContain('[email]');
  });

  it('works with a non-streaming endpoint', async () => {
    server = await startFakeOpenAI((r) => ({ content: goodAnswer(r) }));
    const { result } = await ask(server, () => ({ content: '' }), { stream: false });
    expect(result.ok && result.answer.steps[0]!.target?.text).toMatch(/Document/);
    expect(server.chats()[0]!.body.stream).toBeFalsy();
  });

  it('falls back to plain content where the endpoint rejects json_schema', async () => {
    server = await startFakeOpenAI((r) =>
      r.body.response_format
        ? { status: 400, body: { error: { message: "response_format type 'json_schema' is not supported" } } }
        : { content: 'Here you go:\n```json\n' + goodAnswer(r) + '\n```' },
    );
    const { result } = await ask(server, () => ({ content: '' }));
    expect(result.ok).toBe(true);
    expect(server.chats().map((r) => Boolean(r.body.response_format))).toEqual([true, false]);
  });

  it('asks once more after prose instead of JSON, and drops the half answer', async () => {
    server = await startFakeOpenAI((r, n) =>
      n === 0 ? { content: 'Sure! First open the Document menu, then pick Word Wrap.' } : { content: goodAnswer(r) },
    );
    const { result, events } = await ask(server, () => ({ content: '' }));
    expect(result.ok && result.answer.repaired).toBe(true);
    expect(events[0]!.type).toBe('restart');
    const second = server.chats()[1]!.body.messages as { role: string; content: string }[];
    expect(second.at(-2)!.role).toBe('assistant');
    expect(second.at(-1)!.content).toMatch(/not valid JSON/);
  });

  it('reports a clear message when the answer is still malformed after one repair', async () => {
    server = await startFakeOpenAI(() => ({ content: '{"steps": [{"instruction": 42, "elementId": true}]}' }));
    const { result, events } = await ask(server, () => ({ content: '' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.code).toBe('malformed-answer');
    expect(result.failure.message).toMatch(/even after asking again.*steps\.0\.instruction/);
    expect(server.chats()).toHaveLength(2);
    expect(events.some((e) => e.type === 'done' || e.type === 'step')).toBe(false);
  });

  it('asks again about invented element ids, then shows such steps unlocated, never guessed', async () => {
    server = await startFakeOpenAI((r) => ({
      content: JSON.stringify({
        steps: [
          { instruction: 'Open the Document menu.', elementId: idFor(r, 'Document') },
          { instruction: 'Click Wrap.', elementId: 'e9999' },
        ],
      }),
    }));
    const { result } = await ask(server, () => ({ content: '' }));
    expect(server.chats()).toHaveLength(2);
    expect(server.chats()[1]!.raw).toContain('e9999');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.answer.steps[1]).toMatchObject({ elementId: null, target: null, instruction: 'Click Wrap.' });
    expect(result.answer.notes.join(' ')).toMatch(/e9999/);
  });

  it('times out a reply that never ends, with a message', async () => {
    server = await startFakeOpenAI(() => ({ hang: true, partial: '{"steps": [' }));
    const started = Date.now();
    const { result } = await ask(server, () => ({ content: '' }), { idleTimeoutMs: 800 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.failure).toMatchObject({
        code: 'timeout',
        message: expect.stringMatching(/stopped answering/) as unknown,
      });
  });

  it('retries HTTP 429 with backoff and then succeeds', async () => {
    server = await startFakeOpenAI((r, n) =>
      n < 2 ? { status: 429, body: { error: { message: 'slow down' } } } : { content: goodAnswer(r) },
    );
    const { result } = await ask(server, () => ({ content: '' }));
    expect(result.ok).toBe(true);
    const times = server.chats().map((r) => r.at);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(300); // ~0.5 s, then ~1 s
    expect(times[2]! - times[1]!).toBeGreaterThan(times[1]! - times[0]! - 150);
  });

  it('gives up on a persistent HTTP 500 with a clear message', async () => {
    server = await startFakeOpenAI(() => ({ status: 500 }));
    const { result } = await ask(server, () => ({ content: '' }), { maxRetries: 1 });
    expect(server.chats()).toHaveLength(2);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.failure).toMatchObject({
        code: 'server-error',
        message: expect.stringMatching(/HTTP 500 \(tried 2 times/) as unknown,
      });
  });

  it('rate limiting that does not stop is reported as such', async () => {
    server = await startFakeOpenAI(() => ({ status: 429, headers: { 'retry-after-ms': '50' } }));
    const { result } = await ask(server, () => ({ content: '' }));
    expect(result.ok || result.failure.code).toBe('rate-limited');
  });

  it('says what to do when nothing listens at the endpoint', async () => {
    const dead = await startFakeOpenAI(() => ({ content: '' }));
    await dead.close();
    const { result } = await ask(dead, () => ({ content: '' }), { maxRetries: 0 });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.failure).toMatchObject({
        code: 'unreachable',
        message: expect.stringMatching(/Could not reach.*running/) as unknown,
      });
  });

  it('keeps the conversation for a follow-up question', async () => {
    server = await startFakeOpenAI((r) => ({ content: goodAnswer(r) }));
    const { conversation } = await ask(server, () => ({ content: '' }));
    const again = await conversation.ask({ question: 'And how do I undo that?', app: 'Mousepad', title: 'x', screen });
    expect(again.ok).toBe(true);
    const messages = server.chats()[1]!.body.messages as { role: string; content: unknown }[];
    const text = JSON.stringify(messages);
    expect(text).toContain('How do I turn on word wrap?');
    expect(text).toContain('Open the Document menu.');
    expect(text).toContain('And how do I undo that?');
  });
});

describe('connection checks', () => {
  it('Test connection lists the models, and flags a model the endpoint does not offer', async () => {
    server = await startFakeOpenAI(() => ({ content: '' }), ['llama3.2', 'm']);
    const ok = await testConnection(endpointFor(server));
    expect(ok).toMatchObject({ ok: true, models: ['llama3.2', 'm'] });
    const missing = await testConnection(endpointFor(server, { model: 'gpt-9' }));
    expect(missing).toMatchObject({ ok: false, message: expect.stringMatching(/"gpt-9" is not offered/) as unknown });
  });

  it('finds an Ollama-like server by its /api/tags, and answers fast when none runs', async () => {
    server = await startFakeOpenAI(() => ({ content: '' }), ['llama3.2:latest']);
    expect(await detectOllama(server.origin)).toMatchObject({
      ok: true,
      baseUrl: `${server.origin}/v1`,
      models: ['llama3.2:latest'],
    });
    const started = Date.now();
    const none = await detectOllama('http://127.0.0.1:9');
    expect(none.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
