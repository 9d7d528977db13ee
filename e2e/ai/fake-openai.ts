/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 for tests (node:http): chat completions as
 * SSE streams or plain JSON, /models, Ollama's /api/tags, and hostile behaviours (errors, a
 * stream that never ends). It records every request it received so tests can assert on them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** The parts of a chat completion request the tests read; the client may send more (kept as is). */
const ChatRequestBodySchema = z.looseObject({
  model: z.string().optional(),
  stream: z.boolean().optional(),
  response_format: z
    .looseObject({ type: z.string(), json_schema: z.looseObject({ name: z.string(), schema: z.unknown() }).optional() })
    .optional(),
  messages: z.array(z.looseObject({ role: z.string(), content: z.unknown() })).optional(),
});

/** The `{"elements": [...]}` message the client sends with a screen. */
const SentElementsSchema = z.object({
  elements: z.array(z.object({ id: z.string(), text: z.string(), box: z.array(z.number()) })),
});

/** A chat completion request body as the tests see it (`{}` when the body was not a JSON object). */
export type ChatRequestBody = z.infer<typeof ChatRequestBodySchema>;

/** One request as the server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: ChatRequestBody;
  raw: string;
  at: number;
}

/** How to answer one chat completion request. */
export type FakeReply =
  /** Assistant content: streamed in small pieces when the request asked for a stream. */
  | { content: string; chunkSize?: number; delayMs?: number; hold?: { atChar: number; until: Promise<void> } }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Sends headers and `partial` content, then never finishes. */
  | { hang: true; partial?: string };

/** A running fake endpoint. */
export interface FakeOpenAI {
  /** Base URL including /v1. */
  baseUrl: string;
  origin: string;
  requests: ReceivedRequest[];
  /** Chat completion requests only. */
  chats(): ReceivedRequest[];
  close(): Promise<void>;
}

function chunk(model: string, delta: Record<string, unknown>, finish: string | null): string {
  const body = {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** Starts the server; `reply` decides each chat completion's answer (n counts from 0). */
export async function startFakeOpenAI(
  reply: (request: ReceivedRequest, n: number) => FakeReply | Promise<FakeReply>,
  models = ['m', 'vision-m'],
): Promise<FakeOpenAI> {
  const requests: ReceivedRequest[] = [];
  const open = new Set<ServerResponse>();
  let chatCount = 0;
  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    open.add(res);
    res.on('close', () => open.delete(res));
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const raw = Buffer.concat(parts).toString('utf8');
    let json: unknown;
    try {
      json = raw ? JSON.parse(raw) : null;
    } catch {
      json = null; // not JSON: `raw` keeps what was sent
    }
    const body = ChatRequestBodySchema.safeParse(json).data ?? {};
    const path = (req.url ?? '/').split('?')[0]!;
    const received: ReceivedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
      raw,
      at: Date.now(),
    };
    requests.push(received);
    if (req.method === 'GET' && path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })),
        }),
      );
      return;
    }
    if (req.method === 'GET' && path === '/api/tags') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ models: models.map((name) => ({ name })) }));
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `no route ${path}` } }));
      return;
    }
    const answer = await reply(received, chatCount++);
    const model = body.model ?? 'm';
    const streaming = body.stream === true;
    if ('status' in answer) {
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(
          JSON.stringify(answer.body ?? { error: { message: `fake error ${answer.status}`, type: 'server_error' } }),
        );
      return;
    }
    if ('hang' in answer) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (answer.partial) res.write(chunk(model, { role: 'assistant', content: answer.partial }, null));
      return; // never ends; closed by close()
    }
    if (!streaming) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: answer.content, refusal: null },
              finish_reason: 'stop',
              logprobs: null,
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const size = answer.chunkSize ?? 16;
    let held = false;
    for (let i = 0; i < answer.content.length; i += size) {
      if (res.destroyed) return;
      if (answer.hold && !held && i >= answer.hold.atChar) {
        held = true;
        await answer.hold.until;
      }
      res.write(
        chunk(
          model,
          i === 0
            ? { role: 'assistant', content: answer.content.slice(i, i + size) }
            : { content: answer.content.slice(i, i + size) },
          null,
        ),
      );
      if (answer.delayMs) await sleep(answer.delayMs);
    }
    res.write(chunk(model, {}, 'stop'));
    res.end('data: [DONE]\n\n');
  }
  const server = createServer((req, res) => {
    // Voided on purpose: a throw in a test's reply stays an unhandled rejection, which vitest reports loudly.
    void respond(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${origin}/v1`,
    origin,
    requests,
    chats: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The elements the client sent in its last user message holding `{"elements": [...]}`. */
export function sentElements(request: ReceivedRequest): { id: string; text: string; box: number[] }[] {
  const messages = request.body.messages ?? [];
  for (const message of [...messages].reverse()) {
    const texts =
      typeof message.content === 'string'
        ? [message.content]
        : Array.isArray(message.content)
          ? (message.content as { type: string; text?: string }[])
              .filter((p) => p.type === 'text')
              .map((p) => p.text ?? '')
          : [];
    for (const text of texts) {
      if (text.startsWith('{"elements"')) return SentElementsSchema.parse(JSON.parse(text)).elements;
    }
  }
  return [];
}

/** The id of the sent element whose text is exactly `label` (or contains it as a word). */
export function idFor(request: ReceivedRequest, label: string): string | null {
  const elements = sentElements(request);
  const exact = elements.find((e) => e.text === label);
  if (exact) return exact.id;
  return elements.find((e) => e.text.split(/\s+/).includes(label))?.id ?? null;
}
