/**
 * Where AI requests go: built from Settings (desktop app, key from the OS secure store) or from
 * the environment (command line: OPENAI_BASE_URL, OPENAI_API_KEY, SIDEKICK_AI_MODEL).
 */
import OpenAI from 'openai';
import { DEFAULT_BASE_URLS, type AiProvider, type AiSettings } from '../../src-shared/ai';
import type { CustomPattern } from '../privacy';

/** Everything needed to talk to one OpenAI-compatible endpoint. */
export interface AiEndpoint {
  provider: AiProvider;
  baseUrl: string;
  apiKey: string;
  model: string;
  sendImage: boolean;
  stream: boolean;
  timeoutMs: number;
  idleTimeoutMs: number;
  /** Retries on HTTP 408/409/429/5xx and connection errors, with exponential backoff. */
  maxRetries: number;
  customPatterns: CustomPattern[];
}

/** An endpoint, or why AI is off. */
export type EndpointResult = { ok: true; endpoint: AiEndpoint } | { ok: false; reason: string };

/** The message shown wherever AI is off. */
export const AI_OFF_MESSAGE =
  'AI answers are off: Sidekick answers from the walkthrough library and human help only. Turn AI on in Settings → ' +
  'AI (or set OPENAI_BASE_URL, OPENAI_API_KEY and SIDEKICK_AI_MODEL for the command line).';

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return !/^(0|false|no|off)$/i.test(value);
}

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Reads the command-line configuration from the environment. */
export function endpointFromEnv(env: NodeJS.ProcessEnv = process.env): EndpointResult {
  const baseUrl = env.OPENAI_BASE_URL?.trim();
  const model = env.SIDEKICK_AI_MODEL?.trim();
  const apiKey = env.OPENAI_API_KEY?.trim() ?? '';
  if (!model) {
    return {
      ok: false,
      reason:
        baseUrl || apiKey
          ? 'SIDEKICK_AI_MODEL is not set: name the model to use, e.g. SIDEKICK_AI_MODEL=gpt-4o-mini or llama3.2'
          : AI_OFF_MESSAGE,
    };
  }
  const url = baseUrl || DEFAULT_BASE_URLS.openai;
  try {
    new URL(url);
  } catch {
    return { ok: false, reason: `OPENAI_BASE_URL "${url}" is not a URL, e.g. http://127.0.0.1:11434/v1` };
  }
  return {
    ok: true,
    endpoint: {
      provider: /\.openai\.azure\.com/.test(url) ? 'azure' : url === DEFAULT_BASE_URLS.openai ? 'openai' : 'custom',
      baseUrl: url,
      apiKey,
      model,
      sendImage: flag(env.SIDEKICK_AI_SEND_IMAGE) ?? false,
      stream: flag(env.SIDEKICK_AI_STREAM) ?? true,
      timeoutMs: positiveInt(env.SIDEKICK_AI_TIMEOUT_MS) ?? 60_000,
      idleTimeoutMs: positiveInt(env.SIDEKICK_AI_IDLE_TIMEOUT_MS) ?? 20_000,
      maxRetries: positiveInt(env.SIDEKICK_AI_MAX_RETRIES) ?? 2,
      customPatterns: [],
    },
  };
}

/** Builds the endpoint from the Settings "AI" section and the key read from the secure store. */
export function endpointFromSettings(settings: AiSettings, apiKey: string | null): EndpointResult {
  if (!settings.enabled) return { ok: false, reason: AI_OFF_MESSAGE };
  if (!settings.model)
    return {
      ok: false,
      reason:
        'No AI model is chosen: pick one in Settings → AI (Test connection lists the models the endpoint offers).',
    };
  const baseUrl = settings.baseUrl || DEFAULT_BASE_URLS[settings.provider];
  if (settings.provider === 'azure' && baseUrl.includes('YOUR-RESOURCE'))
    return { ok: false, reason: 'Fill in your Azure OpenAI resource name in the base URL (Settings → AI).' };
  if ((settings.provider === 'openai' || settings.provider === 'azure') && !apiKey)
    return {
      ok: false,
      reason:
        `An API key is needed for ${settings.provider === 'azure' ? 'Azure OpenAI' : 'OpenAI'}: ` +
        `add it in Settings → AI.`,
    };
  return {
    ok: true,
    endpoint: {
      provider: settings.provider,
      baseUrl,
      apiKey: apiKey ?? '',
      model: settings.model,
      sendImage: settings.sendImage,
      stream: settings.stream,
      timeoutMs: settings.timeoutMs,
      idleTimeoutMs: settings.idleTimeoutMs,
      maxRetries: 2,
      customPatterns: settings.customPatterns,
    },
  };
}

/** An OpenAI SDK client for the endpoint (Azure gets its `api-key` header; local servers need no key). */
export function createClient(endpoint: AiEndpoint): OpenAI {
  return new OpenAI({
    baseURL: endpoint.baseUrl,
    // Local servers (Ollama, LM Studio, llama.cpp) ignore the key, but the SDK requires one.
    apiKey: endpoint.apiKey || 'not-needed',
    timeout: endpoint.timeoutMs,
    maxRetries: endpoint.maxRetries,
    ...(endpoint.provider === 'azure' ? { defaultHeaders: { 'api-key': endpoint.apiKey } } : {}),
  });
}
