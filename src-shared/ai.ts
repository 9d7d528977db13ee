/**
 * The AI assist contract: settings for an OpenAI-compatible endpoint, the grounding request and
 * answer shapes fixed in DESIGN.md ("AI grounding"), and the events the overlay receives while
 * steps stream in.
 */
import { z } from 'zod';
import { BoxSchema } from './screen';

/** Which kind of OpenAI-compatible server the endpoint is (only changes defaults and auth headers). */
export const AiProviderSchema = z.enum(['openai', 'azure', 'ollama', 'lmstudio', 'llamacpp', 'custom']);
export type AiProvider = z.infer<typeof AiProviderSchema>;

/** Default base URL per provider (Azure needs the resource name filled in). */
export const DEFAULT_BASE_URLS: Record<AiProvider, string> = {
  openai: 'https://api.openai.com/v1',
  azure: 'https://YOUR-RESOURCE.openai.azure.com/openai/v1',
  ollama: 'http://127.0.0.1:11434/v1',
  lmstudio: 'http://127.0.0.1:1234/v1',
  llamacpp: 'http://127.0.0.1:8080/v1',
  custom: 'http://127.0.0.1:8000/v1',
};

/** A user-defined redaction pattern (a regular expression). */
export const CustomPatternSchema = z.object({ pattern: z.string().min(1), label: z.string().optional() });

/** The "AI" section of Settings. The API key is NOT here: it lives in the OS secure store. */
export const AiSettingsSchema = z.object({
  /** Off by default: Sidekick then answers from the library and human help only. */
  enabled: z.boolean().default(false),
  provider: AiProviderSchema.default('openai'),
  baseUrl: z.string().url().or(z.literal('')).default(''),
  model: z.string().default(''),
  /** Send the (redacted) screenshot too; only useful with a vision-capable model. */
  sendImage: z.boolean().default(false),
  /** Stream steps as they arrive (turn off for servers that cannot stream). */
  stream: z.boolean().default(true),
  /** Milliseconds to wait for the answer, and for the next piece of a streamed answer. */
  timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
  idleTimeoutMs: z.number().int().min(500).max(600_000).default(20_000),
  customPatterns: z.array(CustomPatternSchema).default([]),
});
export type AiSettings = z.infer<typeof AiSettingsSchema>;

/** One on-screen text element as the model sees it: box is [x, y, w, h] in image pixels. */
export const GroundingElementSchema = z.object({
  id: z.string(),
  text: z.string(),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type GroundingElement = z.infer<typeof GroundingElementSchema>;

/** One step as the model answers it. `elementId` null = the step has no on-screen target. */
export const ModelStepSchema = z.object({
  instruction: z.string().trim().min(1).max(500),
  elementId: z.string().nullable(),
});
export type ModelStep = z.infer<typeof ModelStepSchema>;

/** The model's whole answer. */
export const ModelAnswerSchema = z.object({ steps: z.array(ModelStepSchema).min(1).max(30) });
export type ModelAnswer = z.infer<typeof ModelAnswerSchema>;

/** JSON schema sent as `response_format` (strict mode), mirroring ModelAnswerSchema. */
export const MODEL_ANSWER_JSON_SCHEMA = {
  type: 'object',
  properties: {
    steps: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          instruction: { type: 'string' },
          elementId: { type: ['string', 'null'] },
        },
        required: ['instruction', 'elementId'],
        additionalProperties: false,
      },
    },
  },
  required: ['steps'],
  additionalProperties: false,
} as const;

/** A step ready for the player: the element it points at (text and box), or null when unlocated. */
export const AiStepSchema = z.object({
  index: z.number().int().nonnegative(),
  instruction: z.string(),
  elementId: z.string().nullable(),
  target: z.object({ text: z.string(), box: BoxSchema }).nullable(),
});
export type AiStep = z.infer<typeof AiStepSchema>;

/** Why an AI request failed, for a message with a next step. */
export const AiFailureCodeSchema = z.enum([
  'not-configured',
  'unreachable',
  'timeout',
  'rate-limited',
  'server-error',
  'auth',
  'model-not-found',
  'bad-request',
  'malformed-answer',
  'cancelled',
]);
export type AiFailureCode = z.infer<typeof AiFailureCodeSchema>;

/** An expected failure of an AI request. */
export const AiFailureSchema = z.object({ code: AiFailureCodeSchema, message: z.string() });
export type AiFailure = z.infer<typeof AiFailureSchema>;

/** A finished AI answer. */
export const AiAnswerSchema = z.object({
  steps: z.array(AiStepSchema),
  model: z.string(),
  /** True when the first answer was malformed and the model was asked once more. */
  repaired: z.boolean(),
  notes: z.array(z.string()),
  timings: z.object({ firstStepMs: z.number().nullable(), totalMs: z.number() }),
});
export type AiAnswer = z.infer<typeof AiAnswerSchema>;

/** What the overlay receives while an answer streams in. */
export const AiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), requestId: z.string(), step: AiStepSchema }),
  /** The answer so far is being replaced (the model is asked again): drop the steps shown. */
  z.object({ type: z.literal('restart'), requestId: z.string(), reason: z.string() }),
  z.object({ type: z.literal('done'), requestId: z.string(), answer: AiAnswerSchema }),
  z.object({ type: z.literal('failed'), requestId: z.string(), failure: AiFailureSchema }),
]);
export type AiEvent = z.infer<typeof AiEventSchema>;

/** Counts of what redaction removed, by kind (never the values). */
export const RedactionSummarySchema = z.record(z.string(), z.number().int());

/** Exactly what an AI request will send, for the "what will be sent" preview. */
export const SendPreviewSchema = z.object({
  endpoint: z.string(),
  model: z.string(),
  app: z.string(),
  title: z.string(),
  question: z.string(),
  elements: z.array(GroundingElementSchema),
  /** PNG data URL of the redacted screenshot, when images are sent. */
  imageDataUrl: z.string().nullable(),
  redacted: RedactionSummarySchema,
  warnings: z.array(z.string()),
});
export type SendPreview = z.infer<typeof SendPreviewSchema>;

/** Result of "Test connection" or of probing for a local Ollama. */
export const ConnectionCheckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), baseUrl: z.string(), models: z.array(z.string()), latencyMs: z.number() }),
  z.object({ ok: z.literal(false), baseUrl: z.string(), message: z.string() }),
]);
export type ConnectionCheck = z.infer<typeof ConnectionCheckSchema>;
