/**
 * IPC channels of AI assist: status and settings helpers (test connection, detect Ollama, the API
 * key kept in the OS secure store), the "what will be sent" preview, cancelling, saving a good
 * answer as a walkthrough, and the streamed steps pushed to the overlay.
 */
import { z } from 'zod';
import { AiProviderSchema, AiAnswerSchema, AiFailureSchema, ConnectionCheckSchema, SendPreviewSchema } from '../ai';
import { WalkthroughSchema } from '../walkthrough';
import { defineIpcFeature } from './contract';
import { AnswerStepSchema } from './overlay';

/** How the API key is kept on this machine. */
export const KeyStorageSchema = z.object({
  /** true when the OS keeps secrets encrypted (Keychain, DPAPI, libsecret/kwallet). */
  secure: z.boolean(),
  /** Electron's name for the store ("keychain", "dpapi", "gnome_libsecret", "basic_text", ...). */
  backend: z.string(),
  /** Said to the person when not secure, before anything is stored. */
  warning: z.string().nullable(),
  hasKey: z.boolean(),
});
export type KeyStorage = z.infer<typeof KeyStorageSchema>;

/** Whether AI answers are on, and if not, why (shown in the overlay and Settings). */
export const AiStatusSchema = z.object({
  enabled: z.boolean(),
  /** Why AI is off or not usable, with the next step. */
  reason: z.string().nullable(),
  endpoint: z.object({ baseUrl: z.string(), model: z.string(), sendImage: z.boolean() }).nullable(),
  keyStorage: KeyStorageSchema,
});
export type AiStatus = z.infer<typeof AiStatusSchema>;

/** Streamed progress of an AI answer in the overlay (boxes already in overlay CSS pixels). */
export const AiProgressSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sending'), sessionId: z.string(), requestId: z.string(), preview: SendPreviewSchema }),
  z.object({ type: z.literal('step'), sessionId: z.string(), requestId: z.string(), step: AnswerStepSchema }),
  z.object({ type: z.literal('restart'), sessionId: z.string(), requestId: z.string(), reason: z.string() }),
  z.object({ type: z.literal('done'), sessionId: z.string(), requestId: z.string(), answer: AiAnswerSchema }),
  z.object({ type: z.literal('failed'), sessionId: z.string(), requestId: z.string(), failure: AiFailureSchema }),
]);
export type AiProgress = z.infer<typeof AiProgressSchema>;

const EndpointDraftSchema = z.object({
  provider: AiProviderSchema,
  baseUrl: z.string().max(500),
  model: z.string().max(200),
  /** A key typed but not saved yet; when absent the stored key is used. */
  apiKey: z.string().max(500).optional(),
});

/** The AI assist feature's channels. */
export const aiIpc = defineIpcFeature({
  name: 'ai',
  invoke: {
    'ai:status': { request: z.object({}), response: AiStatusSchema },
    /** Exactly what asking `question` about the session's window would send (redacted). */
    'ai:preview': {
      request: z.object({ sessionId: z.string().min(1).max(100), question: z.string().trim().min(1).max(500) }),
      response: z.discriminatedUnion('ok', [
        z.object({ ok: z.literal(true), preview: SendPreviewSchema }),
        z.object({ ok: z.literal(false), problem: z.string() }),
      ]),
    },
    'ai:test-connection': { request: EndpointDraftSchema, response: ConnectionCheckSchema },
    'ai:detect-ollama': { request: z.object({}), response: ConnectionCheckSchema },
    /** Stores the API key in the OS secure store; where there is none, only with `allowInsecure`. */
    'ai:set-api-key': {
      request: z.object({ apiKey: z.string().trim().min(1).max(500), allowInsecure: z.boolean().default(false) }),
      response: z.discriminatedUnion('ok', [
        z.object({ ok: z.literal(true), keyStorage: KeyStorageSchema }),
        z.object({ ok: z.literal(false), needsConsent: z.boolean(), message: z.string() }),
      ]),
    },
    'ai:clear-api-key': { request: z.object({}), response: KeyStorageSchema },
    'ai:cancel': { request: z.object({ requestId: z.string().min(1).max(100) }), response: z.object({}) },
    /** Forget the conversation of a session (a new topic). */
    'ai:new-topic': { request: z.object({ sessionId: z.string().min(1).max(100) }), response: z.object({}) },
    /**
     * A finished answer as a `sidekick.walkthrough/1` document (saved with `walkthroughs:save`, played with
     * `walkthroughs:player-start`).
     */
    'ai:as-walkthrough': {
      request: z.object({ requestId: z.string().min(1).max(100) }),
      response: z.discriminatedUnion('ok', [
        z.object({ ok: z.literal(true), walkthrough: WalkthroughSchema }),
        z.object({ ok: z.literal(false), problem: z.string() }),
      ]),
    },
    /** "Save as walkthrough" where the library feature is not running: writes the file directly. */
    'ai:save-walkthrough': {
      request: z.object({ requestId: z.string().min(1).max(100), title: z.string().trim().min(1).max(200).optional() }),
      response: z.discriminatedUnion('ok', [
        z.object({ ok: z.literal(true), id: z.string(), path: z.string() }),
        z.object({ ok: z.literal(false), problem: z.string() }),
      ]),
    },
  },
  events: {
    'ai:progress': AiProgressSchema,
  },
});
