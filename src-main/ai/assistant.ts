/**
 * Asking an OpenAI-compatible model for grounded steps: redact, build the set-of-marks element
 * list, stream the answer, hand each complete step over as it arrives, validate the whole answer,
 * ask once more when it is malformed or names unknown elements, and report failures clearly.
 */
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ScreenText } from '../../src-shared/screen';
import {
  MODEL_ANSWER_JSON_SCHEMA,
  ModelAnswerSchema,
  ModelStepSchema,
  type ModelAnswer,
  type AiAnswer,
  type AiEvent,
  type AiFailure,
  type AiStep,
  type SendPreview,
} from '../../src-shared/ai';
import { encodePng, type RgbaImage } from '../base/image';
import { redactScreen, redactText } from '../privacy';
import { createClient, type AiEndpoint } from './endpoint';
import { buildGrounding, locateStep, type Grounding, type GroundingLimits } from './grounding';
import { SYSTEM_PROMPT, repairMessage, userMessages, type AskContext } from './prompt';
import { StepObjectScanner, extractJsonDocument } from './stream-steps';

/** What the person asked about, and the screen it is about (not yet redacted). */
export interface AskInput {
  question: string;
  app: string;
  title: string;
  screen: ScreenText;
  /** The screenshot; sent (redacted) only when the endpoint has `sendImage`. */
  image?: RgbaImage | null;
}

/** Per-request options. */
export interface AskOptions {
  onEvent?: (event: AiEvent) => void;
  signal?: AbortSignal;
  requestId?: string;
}

/** An answer or an expected failure. */
export type AiResult = { ok: true; answer: AiAnswer } | { ok: false; failure: AiFailure };

/** A request after redaction and grounding: exactly what will leave the machine. */
export interface PreparedRequest {
  context: AskContext;
  grounding: Grounding;
  preview: SendPreview;
}

/** Redacts the input and builds the element list; the preview shows exactly what will be sent. */
export async function prepareRequest(
  endpoint: AiEndpoint,
  input: AskInput,
  limits?: GroundingLimits,
): Promise<PreparedRequest> {
  const options = { customPatterns: endpoint.customPatterns };
  const redacted = redactScreen(input.screen, endpoint.sendImage ? (input.image ?? null) : null, options);
  const question = redactText(input.question, options);
  const title = redactText(input.title, options);
  const grounding = buildGrounding(redacted.screen, limits);
  const imageDataUrl = redacted.image
    ? `data:image/png;base64,${(await encodePng(redacted.image)).toString('base64')}`
    : null;
  const counts: Record<string, number> = {};
  for (const f of [...redacted.findings, ...question.findings, ...title.findings])
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  const context: AskContext = {
    app: input.app,
    title: title.text,
    question: question.text,
    elements: grounding.elements,
    imageDataUrl,
  };
  return {
    context,
    grounding,
    preview: {
      endpoint: endpoint.baseUrl,
      model: endpoint.model,
      app: context.app,
      title: context.title,
      question: context.question,
      elements: grounding.elements,
      imageDataUrl,
      redacted: counts,
      warnings: [...new Set([...redacted.warnings, ...question.warnings])],
    },
  };
}

class IdleTimeout extends Error {}

/** Maps an SDK or network error to a failure a person can act on. */
export function describeFailure(error: unknown, endpoint: AiEndpoint, timedOut: 'idle' | 'total' | null): AiFailure {
  const where = `the AI endpoint ${endpoint.baseUrl}`;
  if (timedOut === 'idle')
    return {
      code: 'timeout',
      message:
        `${where} stopped answering (nothing received for ${Math.round(endpoint.idleTimeoutMs / 1000)} s). ` +
        `Try again, or choose a faster model in Settings → AI.`,
    };
  if (timedOut === 'total' || error instanceof OpenAI.APIConnectionTimeoutError)
    return {
      code: 'timeout',
      message:
        `${where} did not finish answering within ${Math.round(endpoint.timeoutMs / 1000)} s. ` +
        `Try again, or raise the timeout / choose a faster model in Settings → AI.`,
    };
  if (error instanceof OpenAI.APIUserAbortError) return { code: 'cancelled', message: 'The AI request was cancelled.' };
  if (error instanceof OpenAI.APIConnectionError)
    return {
      code: 'unreachable',
      message:
        `Could not reach ${where}. Check that the server is running (for Ollama: ` +
        `\`ollama serve\`) and the base URL in Settings → AI (or OPENAI_BASE_URL).`,
    };
  if (error instanceof OpenAI.APIError) {
    const tries = endpoint.maxRetries + 1;
    const detail = error.message.replace(/\s+/g, ' ').slice(0, 200);
    if (error.status === 401 || error.status === 403)
      return {
        code: 'auth',
        message:
          `${where} refused the API key (HTTP ${error.status}). ` +
          `Check the key in Settings → AI (or OPENAI_API_KEY).`,
      };
    if (error.status === 404)
      return {
        code: 'model-not-found',
        message:
          `${where} does not know model "${endpoint.model}" or the path (HTTP 404). ` +
          `Use Test connection in Settings → AI to list its models. (${detail})`,
      };
    if (error.status === 429)
      return {
        code: 'rate-limited',
        message:
          `${where} is rate-limiting requests (HTTP 429, tried ${tries} times with backoff). ` +
          `Wait a minute and try again, or check your plan's limits.`,
      };
    if (error.status !== undefined && error.status >= 500)
      return {
        code: 'server-error',
        message:
          `${where} failed with HTTP ${error.status} (tried ${tries} ` +
          `times with backoff). Try again later. (${detail})`,
      };
    return { code: 'bad-request', message: `${where} rejected the request (HTTP ${error.status ?? '?'}): ${detail}` };
  }
  throw error;
}

function isSchemaUnsupported(error: unknown): boolean {
  return (
    error instanceof OpenAI.APIError &&
    (error.status === 400 || error.status === 422) &&
    /response_format|json_schema|schema/i.test(error.message)
  );
}

/** Problems with a complete reply, or null when it is a usable answer. */
function checkAnswer(
  content: string,
  grounding: Grounding,
): { answer: ModelAnswer | null; problem: string | null; unknownIds: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(extractJsonDocument(content));
  } catch {
    const preview = content.trim().slice(0, 60).replace(/\s+/g, ' ');
    return { answer: null, problem: `it was not valid JSON (it began "${preview}")`, unknownIds: [] };
  }
  const parsed = ModelAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`);
    return {
      answer: null,
      problem: `it did not match {"steps": [{"instruction", "elementId"}]} (${issues.join('; ')})`,
      unknownIds: [],
    };
  }
  const unknownIds = parsed.data.steps
    .map((s) => s.elementId)
    .filter((id): id is string => id !== null && !grounding.byId.has(id));
  return {
    answer: parsed.data,
    problem: unknownIds.length
      ? `element ids ${unknownIds.map((id) => `"${id}"`).join(', ')} are not in the elements list`
      : null,
    unknownIds,
  };
}

/**
 * One conversation with the model about the screen: `ask` can be called again for follow-up
 * questions, which see the earlier questions and answers.
 */
export class AiConversation {
  private readonly client: OpenAI;
  private readonly history: ChatCompletionMessageParam[] = [];
  private jsonSchemaSupported = true;

  constructor(
    readonly endpoint: AiEndpoint,
    private readonly limits?: GroundingLimits,
  ) {
    this.client = createClient(endpoint);
  }

  /** Redaction and grounding only: what `ask` would send, for the preview. */
  prepare(input: AskInput): Promise<PreparedRequest> {
    return prepareRequest(this.endpoint, input, this.limits);
  }

  /** Asks for grounded steps; streams `step` events as steps complete and resolves to the whole answer. */
  async ask(input: AskInput | PreparedRequest, options: AskOptions = {}): Promise<AiResult> {
    const requestId = options.requestId ?? randomUUID();
    const emit = (event: AiEvent) => options.onEvent?.(event);
    const started = performance.now();
    let firstStepMs: number | null = null;
    const prepared = 'grounding' in input ? input : await this.prepare(input);
    const { grounding, context } = prepared;
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: SYSTEM_PROMPT },
      ...this.history,
      ...userMessages(context),
    ];
    const notes: string[] = [];
    if (grounding.omitted > 0)
      notes.push(`${grounding.omitted} on-screen texts were left out to fit the model's context.`);

    for (let attempt = 0; attempt < 2; attempt++) {
      let streamed = 0;
      const onStepText = (raw: string) => {
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          return;
        }
        const step = ModelStepSchema.safeParse(json);
        if (!step.success) return;
        if (firstStepMs === null) firstStepMs = performance.now() - started;
        emit({ type: 'step', requestId, step: locateStep(step.data, streamed++, grounding).step });
      };
      let content: string;
      try {
        content = await this.complete(messages, onStepText, options.signal);
      } catch (error) {
        const failure = describeFailure(
          error,
          this.endpoint,
          error instanceof IdleTimeout ? 'idle' : (error as { totalTimeout?: boolean })?.totalTimeout ? 'total' : null,
        );
        emit({ type: 'failed', requestId, failure });
        return { ok: false, failure };
      }
      const checked = checkAnswer(content, grounding);
      const lastAttempt = attempt === 1;
      if (checked.problem && !(lastAttempt && checked.answer)) {
        if (lastAttempt) {
          const failure: AiFailure = {
            code: 'malformed-answer',
            message:
              `The AI model's answer could not be used, even after asking again: ${checked.problem}. ` +
              `Try again, rephrase the question, or choose a more capable model in Settings → AI.`,
          };
          emit({ type: 'failed', requestId, failure });
          return { ok: false, failure };
        }
        emit({
          type: 'restart',
          requestId,
          reason: `The answer could not be used (${checked.problem}); asking the model again.`,
        });
        messages.push({ role: 'assistant', content }, repairMessage(checked.problem));
        continue;
      }
      const answer = checked.answer!;
      if (checked.unknownIds.length)
        notes.push(
          `The model named elements that are not on screen (${checked.unknownIds.join(', ')}); ` +
            `those steps are shown without a highlight.`,
        );
      const steps: AiStep[] = answer.steps.map((s, i) => locateStep(s, i, grounding).step);
      if (firstStepMs === null) firstStepMs = performance.now() - started;
      const result: AiAnswer = {
        steps,
        model: this.endpoint.model,
        repaired: attempt > 0,
        notes,
        timings: { firstStepMs, totalMs: performance.now() - started },
      };
      this.remember(context.question, steps);
      emit({ type: 'done', requestId, answer: result });
      return { ok: true, answer: result };
    }
    throw new Error('unreachable: the repair loop always returns');
  }

  /** Forgets earlier questions (a new topic). */
  reset(): void {
    this.history.length = 0;
  }

  private remember(question: string, steps: AiStep[]): void {
    // Element ids only mean something within one request, so the history keeps the labels instead.
    const summary = steps
      .map((s, i) => `${i + 1}. ${s.instruction}${s.target ? ` [on "${s.target.text}"]` : ''}`)
      .join('\n');
    this.history.push(
      { role: 'user', content: `Earlier question: ${question}` },
      { role: 'assistant', content: `Steps I gave:\n${summary}` },
    );
    if (this.history.length > 12) this.history.splice(0, this.history.length - 12);
  }

  /** One chat completion (streamed or not) with an overall deadline and an idle timeout. */
  private async complete(
    messages: ChatCompletionMessageParam[],
    onStepText: (raw: string) => void,
    signal?: AbortSignal,
  ): Promise<string> {
    const controller = new AbortController();
    let reason: 'idle' | 'total' | null = null;
    const abort = (why: 'idle' | 'total') => {
      reason = why;
      controller.abort();
    };
    const onOuterAbort = () => controller.abort();
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    const deadline = setTimeout(() => abort('total'), this.endpoint.timeoutMs * (this.endpoint.maxRetries + 1) + 1000);
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort('idle'), this.endpoint.idleTimeoutMs);
    };
    const fail = (error: unknown): never => {
      if (reason === 'idle') throw new IdleTimeout();
      if (reason === 'total') throw Object.assign(new Error('total timeout'), { totalTimeout: true });
      throw error;
    };
    try {
      for (;;) {
        const body: ChatCompletionCreateParamsBase = {
          model: this.endpoint.model,
          messages,
          ...(this.jsonSchemaSupported
            ? {
                response_format: {
                  type: 'json_schema',
                  json_schema: {
                    name: 'sidekick_steps',
                    strict: true,
                    schema: MODEL_ANSWER_JSON_SCHEMA,
                  },
                },
              }
            : {}),
        };
        try {
          if (!this.endpoint.stream) {
            const completion = await this.client.chat.completions.create(
              { ...body, stream: false },
              { signal: controller.signal },
            );
            const content = completion.choices[0]?.message?.content ?? '';
            const scanner = new StepObjectScanner();
            for (const raw of scanner.push(content)) onStepText(raw);
            return content;
          }
          const stream = await this.client.chat.completions.create(
            { ...body, stream: true },
            { signal: controller.signal },
          );
          const scanner = new StepObjectScanner();
          touch();
          for await (const chunk of stream) {
            touch();
            const delta = chunk.choices[0]?.delta?.content;
            if (delta) for (const raw of scanner.push(delta)) onStepText(raw);
          }
          // The SDK ends the iteration quietly when the request is aborted mid-stream.
          if (controller.signal.aborted) throw new OpenAI.APIUserAbortError();
          return scanner.received;
        } catch (error) {
          if (this.jsonSchemaSupported && isSchemaUnsupported(error)) {
            // Older llama.cpp builds and some proxies reject json_schema: fall back to plain content.
            this.jsonSchemaSupported = false;
            continue;
          }
          return fail(error);
        }
      }
    } finally {
      clearTimeout(deadline);
      clearTimeout(idle);
      signal?.removeEventListener('abort', onOuterAbort);
    }
  }
}
