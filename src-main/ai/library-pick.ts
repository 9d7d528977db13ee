/**
 * AI picks from the library first: before writing a plan of its own, the model is shown the library's
 * best candidates for the app on screen (titles and steps) in one structured call (`json_schema`) and
 * answers with one of their ids or "none". A walkthrough someone wrote and tested beats a generated plan.
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { Walkthrough } from '../../src-shared/walkthrough';
import { redactText } from '../privacy';
import type { AiFailure } from '../../src-shared/ai';
import { describeFailure } from './assistant';
import { createClient, type AiEndpoint } from './endpoint';

/** How many candidates the model is shown. */
export const LIBRARY_PICK_CANDIDATES = 5;

const PICK_SYSTEM_PROMPT = [
  "You match a person's question to a library of step-by-step walkthroughs for the application on their screen.",
  'Each walkthrough has an id, a title and its steps. Choose the walkthrough that does what the person wants,',
  'even when they describe a symptom or use other words. If none of them does it, answer "none".',
  'Answer with JSON only: {"choice": "<id>"} or {"choice": "none"}.',
].join(' ');

/** The result of a pick: a library walkthrough id, none, or why the call failed. */
export type LibraryPick = { ok: true; id: string | null } | { ok: false; failure: AiFailure };

/** The JSON schema of the model's answer: one of the ids, or "none". */
export function libraryPickSchema(ids: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: { choice: { type: 'string', enum: [...ids, 'none'] } },
    required: ['choice'],
    additionalProperties: false,
  };
}

/** Asks the model which candidate (if any) answers the question; one call, no streaming. */
export async function pickFromLibrary(
  endpoint: AiEndpoint,
  request: { question: string; app: string; candidates: readonly Walkthrough[] },
  signal?: AbortSignal,
): Promise<LibraryPick> {
  const candidates = request.candidates.slice(0, LIBRARY_PICK_CANDIDATES);
  if (candidates.length === 0) return { ok: true, id: null };
  const client = createClient(endpoint);
  const library = candidates.map((w) => ({ id: w.id, title: w.title, steps: w.steps.map((s) => s.instruction) }));
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: endpoint.model,
    stream: false,
    messages: [
      { role: 'system', content: PICK_SYSTEM_PROMPT },
      {
        role: 'user',
        content: `Application: ${request.app || 'unknown'}\nQuestion: ${redactText(request.question).text}`,
      },
      { role: 'user', content: JSON.stringify({ walkthroughs: library }) },
    ],
    response_format: {
      type: 'json_schema',
      json_schema: { name: 'sidekick_library_pick', strict: true, schema: libraryPickSchema(library.map((w) => w.id)) },
    },
  };
  let content: string;
  try {
    content = await complete(client, body, signal);
  } catch (error) {
    return { ok: false, failure: describeFailure(error, endpoint, null) };
  }
  const parsed = z.object({ choice: z.string() }).safeParse(parseJson(content));
  const choice = parsed.success ? parsed.data.choice : null;
  // Anything but a known id (including an unusable reply) means "none": the model then writes its own plan.
  return { ok: true, id: choice && library.some((w) => w.id === choice) ? choice : null };
}

async function complete(
  client: OpenAI,
  body: ChatCompletionCreateParamsNonStreaming,
  signal?: AbortSignal,
): Promise<string> {
  try {
    const completion = await client.chat.completions.create(body, { signal });
    return completion.choices[0]?.message?.content ?? '';
  } catch (error) {
    // Endpoints without json_schema (older llama.cpp, some proxies): ask again in plain content.
    if (
      error instanceof OpenAI.APIError &&
      (error.status === 400 || error.status === 422) &&
      /response_format|json_schema|schema/i.test(error.message)
    ) {
      const { response_format: _ignored, ...plain } = body;
      const completion = await client.chat.completions.create(plain, { signal });
      return completion.choices[0]?.message?.content ?? '';
    }
    throw error;
  }
}

function parseJson(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    return JSON.parse(content.slice(start, end + 1));
  } catch {
    return null;
  }
}
