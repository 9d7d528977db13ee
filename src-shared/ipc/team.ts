/**
 * IPC channels of "Ask a human": joining a team, the prefilled request form with its redacted
 * screenshot preview, sending (or keeping in the outbox while the server is unreachable), the live
 * chat, and a helper's pointer shown on the person's window. Also the `team` settings section.
 */
import { z } from 'zod';
import { BoxSchema } from '../screen';
import {
  ChatMessageSchema,
  HelpRequestSchema,
  LibraryIdSchema,
  PointerSchema,
  QueueStatusSchema,
  RequestContextSchema,
  RoleSchema,
  TEAM_LIMITS,
} from '../team';
import { defineIpcFeature } from './contract';

/** Settings → Team. The token itself lives in the OS secret store, never in settings. */
export const TeamSettingsSchema = z.object({
  /** The team server, e.g. http://192.168.1.20:4300 ('' = no team). */
  serverUrl: z.string().max(300).default(''),
  teamName: z.string().max(200).default(''),
  memberName: z.string().max(TEAM_LIMITS.nameChars).default(''),
  role: RoleSchema.nullable().default(null),
  /** Helpers and admins: show a desktop notification when a new request arrives. */
  notifyNewRequests: z.boolean().default(true),
  /**
   * Share anonymous usage with my team (off unless the person turns it on): questions nothing answered
   * (redacted) and the step at which a walkthrough was finished or closed, for the team's insights.
   */
  shareUsage: z.boolean().default(false),
});
export type TeamSettings = z.infer<typeof TeamSettingsSchema>;

/** Connection state as the person sees it. `offline` retries by itself. */
export const TeamConnectionSchema = z.enum(['not-joined', 'connecting', 'live', 'offline', 'unauthorized', 'stopped']);
export type TeamConnection = z.infer<typeof TeamConnectionSchema>;

/** A request kept on this computer until the server is reachable (or refused, with the reason). */
export const OutboxItemSchema = z.object({
  clientId: z.string(),
  question: z.string(),
  queuedAt: z.string(),
  state: z.enum(['queued', 'failed']),
  lastError: z.string().nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItemSchema>;

/** Everything the ask-human window and the chat panel show. */
export const TeamViewSchema = z.object({
  joined: z.boolean(),
  serverUrl: z.string(),
  teamName: z.string(),
  memberName: z.string(),
  role: RoleSchema.nullable(),
  connection: TeamConnectionSchema,
  connectionDetail: z.string(),
  outbox: z.array(OutboxItemSchema),
  /** This person's recent requests, newest first. */
  requests: z.array(HelpRequestSchema),
  /** The request the chat panel shows. */
  activeRequestId: z.string().nullable(),
  /** Where the active request stands while it waits for a helper (null when unknown or no longer open). */
  queue: QueueStatusSchema.nullable(),
});
export type TeamView = z.infer<typeof TeamViewSchema>;

/** The prefilled form: what will be sent, already redacted. */
export const TeamDraftSchema = z.object({
  question: z.string(),
  context: RequestContextSchema,
  /** The redacted screenshot as it would be sent (PNG data URL), or null when there is no capture. */
  screenshot: z
    .object({ dataUrl: z.string(), width: z.number(), height: z.number(), redactedRegions: z.number().int() })
    .nullable(),
  /** How many secrets were replaced in the on-screen text. */
  redactedTexts: z.number().int(),
  notes: z.array(z.string()),
});
export type TeamDraft = z.infer<typeof TeamDraftSchema>;

/** Result of asking: sent, kept in the outbox, or a problem with a next step. */
export const TeamAskResultSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('sent'), request: HelpRequestSchema }),
  z.object({ outcome: z.literal('queued'), clientId: z.string(), message: z.string() }),
  z.object({ outcome: z.literal('problem'), message: z.string() }),
]);
export type TeamAskResult = z.infer<typeof TeamAskResultSchema>;

/** A helper's pointer, mapped onto the person's live window. */
export const TeamPointerSchema = z.object({
  requestId: z.string(),
  messageId: z.string(),
  pointer: PointerSchema,
  label: z.string(),
  /** Where it is on the screen (DIP), or null when the window is no longer known. */
  screenBox: BoxSchema.nullable(),
  /** The same box in the overlay window's CSS pixels (draw it with the overlay's highlights), or null. */
  overlayBox: BoxSchema.nullable(),
});
export type TeamPointer = z.infer<typeof TeamPointerSchema>;

const Problem = z.object({ ok: z.literal(false), problem: z.string() });
const RequestIdSchema = z.string().min(1).max(64);

/** The team feature's channels. */
export const teamIpc = defineIpcFeature({
  name: 'team',
  invoke: {
    'team:get-state': { request: z.object({}), response: TeamViewSchema },
    /** Join with an invite link (http://server/#join=sk_inv_…) and a display name. */
    'team:join': {
      request: z.object({
        invite: z.string().trim().min(8).max(500),
        name: z.string().trim().min(1).max(TEAM_LIMITS.nameChars),
      }),
      response: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), view: TeamViewSchema }), Problem]),
    },
    'team:leave': { request: z.object({}), response: TeamViewSchema },
    /** The prefilled, redacted request for the current help session. */
    'team:draft': {
      request: z.object({ question: z.string().max(TEAM_LIMITS.questionChars).optional() }),
      response: TeamDraftSchema,
    },
    'team:ask': {
      request: z.object({
        question: z.string().trim().min(1, 'Type your question first').max(TEAM_LIMITS.questionChars),
        includeScreenshot: z.boolean(),
      }),
      response: TeamAskResultSchema,
    },
    'team:messages': { request: z.object({ requestId: RequestIdSchema }), response: z.array(ChatMessageSchema) },
    'team:send': {
      request: z.object({ requestId: RequestIdSchema, text: z.string().trim().min(1).max(TEAM_LIMITS.messageChars) }),
      response: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), message: ChatMessageSchema }), Problem]),
    },
    'team:cancel': {
      request: z.object({ requestId: RequestIdSchema }),
      response: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true) }), Problem]),
    },
    /**
     * Makes a team library item a helper sent into the chat available to play (fetched from the server when it has
     * not synced yet); then `walkthroughs:player-start` plays it.
     */
    'team:library-item': {
      request: z.object({ itemId: LibraryIdSchema }),
      response: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), fetched: z.boolean() }), Problem]),
    },
    'team:open-request': { request: z.object({ requestId: RequestIdSchema.nullable() }), response: TeamViewSchema },
  },
  events: {
    'team:state': TeamViewSchema,
    'team:message': ChatMessageSchema,
    'team:pointer': TeamPointerSchema,
  },
});
