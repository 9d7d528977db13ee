/** "Test connection" in Settings, and finding a local Ollama to offer. */
import type { ConnectionCheck } from '../../src-shared/ai';
import { createClient, type AiEndpoint } from './endpoint';
import { describeFailure } from './assistant';

/** Lists the endpoint's models (GET /models) to show that URL and key work. */
export async function testConnection(endpoint: AiEndpoint, timeoutMs = 5000): Promise<ConnectionCheck> {
  const client = createClient({ ...endpoint, timeoutMs, maxRetries: 0 });
  const started = performance.now();
  try {
    const models: string[] = [];
    for await (const model of client.models.list()) models.push(model.id);
    const latencyMs = Math.round(performance.now() - started);
    if (endpoint.model && models.length && !models.includes(endpoint.model)) {
      return {
        ok: false,
        baseUrl: endpoint.baseUrl,
        message:
          `Connected, but model "${endpoint.model}" is not offered. ` + `Available: ${models.slice(0, 10).join(', ')}`,
      };
    }
    return { ok: true, baseUrl: endpoint.baseUrl, models, latencyMs };
  } catch (error) {
    return {
      ok: false,
      baseUrl: endpoint.baseUrl,
      message: describeFailure(error, { ...endpoint, timeoutMs, maxRetries: 0 }, null).message,
    };
  }
}

/** Ollama's default address. */
export const OLLAMA_DEFAULT_URL = 'http://127.0.0.1:11434';

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/**
 * Probes for a local Ollama (GET /api/tags, then /v1/models) with a short timeout; when found,
 * returns its OpenAI-compatible base URL and installed models so Settings can offer it.
 */
export async function detectOllama(origin = OLLAMA_DEFAULT_URL, timeoutMs = 800): Promise<ConnectionCheck> {
  const baseUrl = `${origin.replace(/\/$/, '')}/v1`;
  const started = performance.now();
  try {
    const tags = (await getJson(`${origin}/api/tags`, timeoutMs)) as { models?: { name?: unknown }[] };
    const models = (tags.models ?? []).map((m) => m.name).filter((n): n is string => typeof n === 'string');
    return { ok: true, baseUrl, models, latencyMs: Math.round(performance.now() - started) };
  } catch {
    try {
      const list = (await getJson(`${baseUrl}/models`, timeoutMs)) as { data?: { id?: unknown }[] };
      const models = (list.data ?? []).map((m) => m.id).filter((n): n is string => typeof n === 'string');
      return { ok: true, baseUrl, models, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return {
        ok: false,
        baseUrl,
        message:
          `No Ollama at ${origin} ` +
          `(${(error as Error).name === 'TimeoutError' ? 'no answer' : (error as Error).message}). Install it from ` +
          `ollama.com and run \`ollama pull llama3.2\`, or configure another endpoint.`,
      };
    }
  }
}
