/**
 * The team server wire protocol (`sidekick.team/1`): every REST body and response and every
 * WebSocket message between the desktop app, the helper console and the team server.
 * Both sides parse with these schemas; request bodies are strict (unknown fields are an error).
 * Documented for people in docs/api.md.
 */
import { z } from 'zod';
import { WalkthroughSchema } from './walkthrough';

/** Protocol version, sent in `GET /api/v1/health`. */
export const TEAM_PROTOCOL = 'sidekick.team/1';

/** Size limits the server enforces; clients check them first to give the clearest error. */
export const TEAM_LIMITS = {
  /** Learned questions: newest kept per library item, and characters per question. */
  learnedPerItem: 50,
  learnedQuestionChars: 200,
  /** Largest JSON body for POST /requests (holds the base64 screenshot). */
  requestBodyBytes: 12 * 1024 * 1024,
  /** Largest decoded screenshot. */
  screenshotBytes: 8 * 1024 * 1024,
  /** Largest JSON body for every other endpoint. */
  bodyBytes: 512 * 1024,
  /** Largest WebSocket frame. */
  wsFrameBytes: 64 * 1024,
  questionChars: 2000,
  messageChars: 4000,
  ocrTextChars: 50_000,
  nameChars: 80,
  /** Largest library document, serialized. */
  libraryDocBytes: 256 * 1024,
  /** Deepest nesting of arrays/objects in a JSON body or WebSocket message. */
  jsonDepth: 64,
  /** Live WebSocket connections one member may hold at once (desktop, console tabs). */
  socketsPerMember: 8,
  /** Unsent bytes the server queues for one WebSocket before closing it as a slow reader. */
  wsBufferedBytes: 2 * 1024 * 1024,
} as const;

/**
 * Characters a name must not contain: controls (NUL, newlines), format characters (bidi overrides
 * U+202A–202E and isolates U+2066–2069, zero-width spaces and joiners, BOM, soft hyphen), line and
 * paragraph separators, private-use and lone surrogates. They make one person look like another.
 */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]/u;

/** Describes the first hidden character of a text (`U+202E at position 3`), or null when there is none. */
export function hiddenCharacter(text: string): string | null {
  const match = HIDDEN_CHARACTERS.exec(text);
  if (!match) return null;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} at position ${[...text.slice(0, match.index)].length + 1}`;
}

/** A person's or team's name as others see it: trimmed, NFC, 1-80 visible characters, no hidden characters. */
export const DisplayNameSchema = z
  .string()
  .trim()
  .normalize('NFC')
  .min(1)
  .max(TEAM_LIMITS.nameChars)
  .superRefine((name, context) => {
    const found = hiddenCharacter(name);
    if (found) {
      context.addIssue({
        code: 'custom',
        message:
          `names must not contain control or invisible formatting ` +
          `characters (found ${found}); type the name again`,
      });
    }
  });

/** Roles: members ask, helpers answer every request of the team, admins also manage the team. */
export const RoleSchema = z.enum(['member', 'helper', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** Ids the server makes: a prefix and url-safe random characters. */
const ServerIdSchema = z.string().regex(/^[a-z]{1,4}_[A-Za-z0-9_-]{6,40}$/, 'not a Sidekick id');
/** An id the client makes once per request or message so resending it never duplicates it. */
export const ClientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientId must be 8-64 characters of A-Z a-z 0-9 _ -');

/** Ids of library items (walkthroughs and tips): lowercase slugs, as in file names. */
export const LibraryIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'library ids are lowercase slugs: a-z 0-9 . _ - (at most 100)');

/** A point or a box in the screenshot's pixel coordinates. */
const PointSchema = z.strictObject({ x: z.number().finite(), y: z.number().finite() });
const RectSchema = z.strictObject({
  x: z.number().finite(),
  y: z.number().finite(),
  w: z.number().finite().nonnegative(),
  h: z.number().finite().nonnegative(),
});

/** A helper pointing at the screenshot: a point or a box, in screenshot pixels (origin top-left). */
export const PointerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('point'), ...PointSchema.shape }),
  z.strictObject({ kind: z.literal('box'), ...RectSchema.shape }),
]);
export type Pointer = z.infer<typeof PointerSchema>;

/** The team as its members see it. */
export const TeamSchema = z.object({ id: z.string(), name: z.string() });
export type Team = z.infer<typeof TeamSchema>;

/** A person in a team. */
export const MemberSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  createdAt: z.string(),
  revoked: z.boolean(),
});
export type Member = z.infer<typeof MemberSchema>;

/** Who wrote or did something, as shown next to it. */
export const PersonRefSchema = z.object({ id: z.string(), name: z.string(), role: RoleSchema });
export type PersonRef = z.infer<typeof PersonRefSchema>;

// ---------------------------------------------------------------- invites and membership

/** POST /api/v1/join: redeem an invite for a token (the only unauthenticated write). */
export const JoinBodySchema = z.strictObject({
  invite: z.string().min(8).max(200),
  name: DisplayNameSchema,
});
export type JoinBody = z.infer<typeof JoinBodySchema>;

/** Response of POST /api/v1/join. The token is shown once; the server keeps only its hash. */
export const JoinResultSchema = z.object({ token: z.string(), member: MemberSchema, team: TeamSchema });
export type JoinResult = z.infer<typeof JoinResultSchema>;

/** GET /api/v1/me. */
export const MeSchema = z.object({ member: MemberSchema, team: TeamSchema });
export type Me = z.infer<typeof MeSchema>;

/** POST /api/v1/invites (admins). */
export const CreateInviteBodySchema = z.strictObject({
  role: RoleSchema,
  maxUses: z.number().int().min(1).max(1000).default(1),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
});
export type CreateInviteBody = z.input<typeof CreateInviteBodySchema>;

/** An invite without its secret. */
export const InviteSchema = z.object({
  id: z.string(),
  role: RoleSchema,
  maxUses: z.number(),
  uses: z.number(),
  expiresAt: z.string(),
  revoked: z.boolean(),
  createdAt: z.string(),
});
export type Invite = z.infer<typeof InviteSchema>;

/** Response of POST /api/v1/invites: the code is shown once. `link` opens the console's join page. */
export const CreatedInviteSchema = z.object({ invite: InviteSchema, code: z.string(), link: z.string() });
export type CreatedInvite = z.infer<typeof CreatedInviteSchema>;

/** PATCH /api/v1/members/:id (admins). */
export const UpdateMemberBodySchema = z.strictObject({ role: RoleSchema });

// ---------------------------------------------------------------- help requests

/** Where the person is stuck: a walkthrough and the step they are on. */
export const WalkthroughPositionSchema = z.strictObject({
  id: z.string().max(200),
  title: z.string().max(300),
  stepIndex: z.number().int().min(0),
  stepInstruction: z.string().max(1000).optional(),
});

/** What the desktop knows about the person's screen when they ask. Texts are redacted before sending. */
export const RequestContextSchema = z.strictObject({
  app: z.string().max(200),
  windowTitle: z.string().max(500),
  os: z.string().max(100),
  displayScale: z.number().positive().max(8),
  ocrText: z.string().max(TEAM_LIMITS.ocrTextChars),
  walkthrough: WalkthroughPositionSchema.nullable().optional(),
});
export type RequestContext = z.infer<typeof RequestContextSchema>;

/** A redacted screenshot of the window, sent only with the person's consent. */
export const ScreenshotUploadSchema = z.strictObject({
  mime: z.enum(['image/png', 'image/jpeg']),
  width: z.number().int().min(1).max(16384),
  height: z.number().int().min(1).max(16384),
  /** Base64 of the image bytes (no data: prefix). */
  dataBase64: z
    .string()
    .max(Math.ceil((TEAM_LIMITS.screenshotBytes * 4) / 3) + 4, 'screenshot is larger than 8 MB')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'dataBase64 must be plain base64'),
});
export type ScreenshotUpload = z.infer<typeof ScreenshotUploadSchema>;

/** POST /api/v1/requests. Sending the same clientId again returns the first request (outbox resends). */
export const CreateRequestBodySchema = z.strictObject({
  clientId: ClientIdSchema,
  question: z.string().trim().min(1).max(TEAM_LIMITS.questionChars),
  context: RequestContextSchema,
  screenshot: ScreenshotUploadSchema.optional(),
});
export type CreateRequestBody = z.infer<typeof CreateRequestBodySchema>;

/** open → claimed → resolved | cancelled (open may also be cancelled). */
export const RequestStateSchema = z.enum(['open', 'claimed', 'resolved', 'cancelled']);
export type RequestState = z.infer<typeof RequestStateSchema>;

/**
 * One helper a new request is sent to first, with why: `reasons` for helpers, `askerReason` for the person who
 * asked (it quotes no one else's question).
 */
export const RoutedHelperSchema = z.object({
  member: PersonRefSchema,
  reasons: z.array(z.string()),
  /** Why, in words the person who asked may see: "solved 4 similar problems about printer and pages". */
  askerReason: z.string(),
});
export type RoutedHelper = z.infer<typeof RoutedHelperSchema>;

/**
 * Who a request goes to first, stamped when it is created: its top suggested helpers until `wholeTeamAt`,
 * then the whole team (clients decide by the clock, so no server timer is needed). `suggested` is empty and
 * `wholeTeamAt` is the asking time when the team has no history like it (`message` says why). Sent to
 * helpers and admins only; the person who asked reads `GET /requests/:id/queue` instead.
 */
export const RoutingSchema = z.object({
  suggested: z.array(RoutedHelperSchema),
  wholeTeamAt: z.string(),
  /** The asker's own words the suggested helpers' past requests share ("printer and pages"), or ''. */
  topic: z.string(),
  message: z.string().optional(),
});
export type Routing = z.infer<typeof RoutingSchema>;

/** Whether an open request is for this helper now: routed to them, or the whole team's turn has come. */
export function isRequestForMe(
  request: { routing?: Routing | null | undefined },
  memberId: string,
  now: number = Date.now(),
): boolean {
  const routing = request.routing;
  if (!routing) return true;
  if (routing.suggested.some((helper) => helper.member.id === memberId)) return true;
  return now >= Date.parse(routing.wholeTeamAt);
}

/** A help request as both sides see it. */
export const HelpRequestSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  state: RequestStateSchema,
  question: z.string(),
  context: RequestContextSchema,
  screenshot: z.object({ mime: z.string(), width: z.number(), height: z.number(), bytes: z.number() }).nullable(),
  requester: PersonRefSchema,
  claimedBy: PersonRefSchema.nullable(),
  resolution: z.string().nullable(),
  /** Sequence number of the newest message of this request (0 when none). */
  lastMessageSeq: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Who it goes to first (helpers and admins see it; absent for requests from before routing and for members). */
  routing: RoutingSchema.nullable().optional(),
});
export type HelpRequest = z.infer<typeof HelpRequestSchema>;

/**
 * GET /api/v1/requests/:id/queue: what a person waiting for a helper is shown. `position` is the place among
 * the team's open requests (1 = next; null once claimed, resolved or cancelled); `helpersOnline` counts
 * helpers and admins with the console or app connected to this server instance, the asker excluded;
 * `typicalWaitMinutes` is the median time the team's last `sampleSize` claimed requests waited (null until
 * there are at least 3 of them).
 */
export const QueueStatusSchema = z.object({
  requestId: z.string(),
  state: RequestStateSchema,
  position: z.number().int().min(1).nullable(),
  helpersOnline: z.number().int().min(0),
  typicalWaitMinutes: z.number().min(0).nullable(),
  sampleSize: z.number().int().min(0),
  /**
   * Who is asked first and why (`name` null when the admin turned names off for people who ask); empty when
   * the request went to the whole team at once. Optional: older servers do not send it.
   */
  asking: z.array(z.object({ name: z.string().nullable(), reason: z.string() })).optional(),
  /** The asker's words those helpers' past problems share ("printer and pages"), or ''. */
  askingAbout: z.string().optional(),
  /** When the whole team sees the request (null: no routing for it). */
  wholeTeamAt: z.string().nullable().optional(),
});
export type QueueStatus = z.infer<typeof QueueStatusSchema>;

/** POST /api/v1/library/:id/questions: a question a person asked before picking this item (already redacted). */
export const LearnQuestionBodySchema = z.strictObject({
  question: z
    .string()
    .trim()
    .min(1, 'question must not be empty')
    .max(TEAM_LIMITS.learnedQuestionChars)
    .refine((text) => hiddenCharacter(text) === null, {
      message: 'question must not contain control or invisible characters',
    }),
});

/** GET /api/v1/library/questions: every learned question of the team's library, newest first per item. */
export const LearnedQuestionsSchema = z.object({ items: z.record(z.string(), z.array(z.string())) });
export type LearnedQuestionsList = z.infer<typeof LearnedQuestionsSchema>;

/** POST /api/v1/requests/:id/resolve. */
export const ResolveBodySchema = z.strictObject({
  resolution: z.string().trim().max(TEAM_LIMITS.messageChars).optional(),
});
/** POST /api/v1/requests/:id/claim and /cancel take an empty object (or no body). */
export const EmptyBodySchema = z.strictObject({});

/** GET /api/v1/requests?state=open&limit=50. */
export const ListRequestsQuerySchema = z.strictObject({
  state: RequestStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// ---------------------------------------------------------------- chat

/** A chat line or a pointer, as sent by a client (REST body or inside a WebSocket `send`). */
export const PostMessageBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    clientId: ClientIdSchema,
    kind: z.literal('text'),
    text: z.string().trim().min(1).max(TEAM_LIMITS.messageChars),
  }),
  z.strictObject({
    clientId: ClientIdSchema,
    kind: z.literal('pointer'),
    pointer: PointerSchema,
    text: z.string().trim().max(TEAM_LIMITS.messageChars).optional(),
  }),
  /** A walkthrough or tip of the team library sent into the chat (helpers and admins); the server fills it in. */
  z.strictObject({
    clientId: ClientIdSchema,
    kind: z.literal('library'),
    itemId: LibraryIdSchema,
  }),
]);
export type PostMessageBody = z.infer<typeof PostMessageBodySchema>;

/** The library item a `library` chat message carries: a walkthrough to play, or a tip (its text is the message's). */
export const ChatLibraryRefSchema = z.object({
  id: LibraryIdSchema,
  kind: z.enum(['tip', 'walkthrough']),
  title: z.string(),
  app: z.string(),
});
export type ChatLibraryRef = z.infer<typeof ChatLibraryRefSchema>;

/** A stored chat message. `seq` counts from 1 within its request; `system` lines record state changes. */
export const ChatMessageSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  requestId: z.string(),
  seq: z.number().int().positive(),
  author: PersonRefSchema,
  kind: z.enum(['text', 'pointer', 'system', 'library']),
  /** For a `library` message: a tip's text, or the walkthrough's title. */
  text: z.string(),
  pointer: PointerSchema.nullable(),
  /** Set on `library` messages only. */
  library: ChatLibraryRefSchema.nullable().optional(),
  createdAt: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** GET /api/v1/requests/:id/messages?after=N. */
export const ListMessagesQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

// ---------------------------------------------------------------- shared library (tips and walkthroughs)

/** A short tip pinned to an app and the on-screen labels it is about (often a resolved request). */
export const TipDocSchema = z.strictObject({
  format: z.literal('sidekick.tip/1'),
  id: LibraryIdSchema,
  title: z.string().trim().min(1).max(300),
  body: z.string().max(TEAM_LIMITS.messageChars * 4),
  app: z.strictObject({ name: z.string().max(200), match: z.array(z.string().max(200)).max(20).optional() }),
  /** On-screen labels the tip is about: shown when these are visible. */
  labels: z.array(z.string().trim().min(1).max(200)).max(50),
  questions: z.array(z.string().max(500)).max(50).optional(),
  /** The help request it came from. */
  fromRequest: z.string().max(64).optional(),
  author: z.string().max(200).optional(),
  updated: z.string().max(64).optional(),
});
export type TipDoc = z.infer<typeof TipDocSchema>;

/**
 * A walkthrough file (`sidekick.walkthrough/1`), checked with the walkthrough library's own schema (unknown fields
 * kept).
 */
export const LibraryWalkthroughDocSchema = WalkthroughSchema;

/** Anything the team library holds. */
export const LibraryDocSchema = z.discriminatedUnion('format', [TipDocSchema, LibraryWalkthroughDocSchema]);
export type LibraryDoc = z.infer<typeof LibraryDocSchema>;

/** PUT /api/v1/library/:id: save with the version you edited (0 for a new item). */
export const SaveLibraryItemBodySchema = z.strictObject({
  baseVersion: z.number().int().min(0),
  doc: LibraryDocSchema,
});
export type SaveLibraryItemBody = z.infer<typeof SaveLibraryItemBodySchema>;

/** DELETE /api/v1/library/:id?baseVersion=N. */
export const DeleteLibraryItemQuerySchema = z.strictObject({ baseVersion: z.coerce.number().int().min(1) });

/** GET /api/v1/library?after=N: items changed after team sequence N (0 = everything). */
export const ListLibraryQuerySchema = z.strictObject({ after: z.coerce.number().int().min(0).default(0) });

/** A library item with its version. A deleted item is kept as a tombstone (`deleted: true`, `doc: null`). */
export const LibraryItemSchema = z.object({
  id: z.string(),
  kind: z.enum(['tip', 'walkthrough']),
  version: z.number().int().positive(),
  doc: LibraryDocSchema.nullable(),
  app: z.string(),
  labels: z.array(z.string()),
  deleted: z.boolean(),
  updatedBy: PersonRefSchema,
  /** Who created the item: members may change or delete only their own items (null: unknown, older server data). */
  createdBy: PersonRefSchema.nullable().optional(),
  updatedAt: z.string(),
  /** Team sequence number of the change that produced this version. */
  seq: z.number().int(),
});
export type LibraryItem = z.infer<typeof LibraryItemSchema>;

/** Response of GET /api/v1/library. */
export const LibraryListSchema = z.object({ items: z.array(LibraryItemSchema), seq: z.number().int() });

/** 409 body of PUT/DELETE /api/v1/library/:id: nothing was changed; `current` is what the server holds. */
export const LibraryConflictSchema = z.object({
  error: z.object({ code: z.literal('version_conflict'), message: z.string() }),
  current: LibraryItemSchema,
});
export type LibraryConflict = z.infer<typeof LibraryConflictSchema>;

// ---------------------------------------------------------------- who knows what, and where the team gets stuck

/** One helper suggested for a request: best first, with readable reasons. */
export const SuggestionSchema = z.object({
  member: PersonRefSchema,
  score: z.number(),
  reasons: z.array(z.string()),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

/** One walkthrough or tip of the team library that may answer a request: best first, with a readable reason. */
export const LibraryMatchSchema = z.object({
  id: LibraryIdSchema,
  kind: z.enum(['tip', 'walkthrough']),
  title: z.string(),
  app: z.string(),
  /** Steps of a walkthrough (1 for a tip). */
  steps: z.number().int(),
  /** A tip's text (null for a walkthrough). */
  text: z.string().nullable(),
  /** Relevance, comparable within one answer (the desktop search's score). */
  score: z.number(),
  /** 0..1: how sure the search is (as on the desktop: 0.5 and up plays, from 0.25 "Did you mean…"). */
  confidence: z.number(),
  /** Why it matched, in words: the question's words it matched and where, what of it is on screen. */
  reason: z.string(),
});
export type LibraryMatch = z.infer<typeof LibraryMatchSchema>;

/** GET /api/v1/requests/:id/matches. `message` says why the list is empty (no library, nothing close). */
export const LibraryMatchesSchema = z.object({ matches: z.array(LibraryMatchSchema), message: z.string().optional() });
export type LibraryMatches = z.infer<typeof LibraryMatchesSchema>;

/** GET /api/v1/requests/:id/suggestions. `message` says why the list is empty (no history, nothing similar). */
export const SuggestionsSchema = z.object({ suggestions: z.array(SuggestionSchema), message: z.string().optional() });
export type Suggestions = z.infer<typeof SuggestionsSchema>;

// ---------------------------------------------------------------- team settings and the people directory

/** Longest time only the suggested helpers see a new request before the whole team does. */
export const MAX_ROUTE_TO_TEAM_MINUTES = 24 * 60;

/** A team's settings (admins change them). */
export const TeamSettingsSchema = z.object({
  /** Minutes only the top suggested helpers are notified before the whole team is; 0 = everyone at once. */
  routeToTeamAfterMinutes: z.number().int().min(0).max(MAX_ROUTE_TO_TEAM_MINUTES),
  /** Whether the person who asked sees the names of the helpers asked first (else only how many). */
  showHelperNamesToRequester: z.boolean(),
});
export type TeamSettings = z.infer<typeof TeamSettingsSchema>;

/** What a team has until an admin changes it. */
export const DEFAULT_TEAM_SETTINGS: TeamSettings = { routeToTeamAfterMinutes: 5, showHelperNamesToRequester: true };

/** GET and PATCH /api/v1/team/settings. `updatedBy` is null for defaults (and for members). */
export const TeamSettingsAnswerSchema = z.object({
  settings: TeamSettingsSchema,
  updatedAt: z.string().nullable(),
  updatedBy: PersonRefSchema.nullable(),
});
export type TeamSettingsAnswer = z.infer<typeof TeamSettingsAnswerSchema>;

/** PATCH /api/v1/team/settings (admins): any of the settings; the others keep their value. */
export const UpdateTeamSettingsBodySchema = z
  .strictObject({
    routeToTeamAfterMinutes: z
      .number({ message: 'routeToTeamAfterMinutes must be a whole number of minutes' })
      .int('routeToTeamAfterMinutes must be a whole number of minutes')
      .min(0, 'routeToTeamAfterMinutes must be 0 (everyone at once) or more')
      .max(MAX_ROUTE_TO_TEAM_MINUTES, `routeToTeamAfterMinutes must be at most ${MAX_ROUTE_TO_TEAM_MINUTES} (a day)`)
      .optional(),
    showHelperNamesToRequester: z.boolean({ message: 'showHelperNamesToRequester must be true or false' }).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: 'send at least one setting: routeToTeamAfterMinutes or showHelperNamesToRequester',
  });
export type UpdateTeamSettingsBody = z.infer<typeof UpdateTeamSettingsBodySchema>;

/** GET /api/v1/people?q=…: who knows what (helpers, admins). */
export const PeopleQuerySchema = z.strictObject({ q: z.string().trim().max(200).default('') });

/** One person of the directory: what they solved and wrote; `score` is the match to `q` (null without q). */
export const PersonProfileSchema = z.object({
  member: PersonRefSchema,
  solved: z.number().int(),
  apps: z.array(z.object({ app: z.string(), solved: z.number().int() })),
  /** A few questions they solved: the best matches to q, else the newest. */
  examples: z.array(z.string()),
  written: z.object({ tips: z.number().int(), walkthroughs: z.number().int(), titles: z.array(z.string()) }),
  score: z.number().nullable(),
});
export type PersonProfile = z.infer<typeof PersonProfileSchema>;

/** Response of GET /api/v1/people. */
export const PeopleSchema = z.object({ q: z.string(), people: z.array(PersonProfileSchema) });
export type People = z.infer<typeof PeopleSchema>;

/** Most usage events in one POST /api/v1/events. */
export const USAGE_EVENTS_PER_BATCH = 100;

/**
 * One anonymous usage event from the desktop (opt-in, redacted before sending): a question no walkthrough
 * or tip matched, a walkthrough abandoned at step `stepIndex`, or a walkthrough completed.
 */
export const UsageEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    clientId: ClientIdSchema,
    type: z.literal('no_match'),
    at: z.string().datetime(),
    app: z.string().max(200),
    question: z.string().trim().min(1).max(TEAM_LIMITS.learnedQuestionChars),
  }),
  z.strictObject({
    clientId: ClientIdSchema,
    type: z.enum(['walkthrough_abandoned', 'walkthrough_completed']),
    at: z.string().datetime(),
    app: z.string().max(200),
    walkthroughId: z.string().min(1).max(200),
    stepIndex: z.number().int().min(0).max(1000),
  }),
]);
export type UsageEvent = z.infer<typeof UsageEventSchema>;

/** What the desktop observed, before it is stamped (`clientId`, `at`), redacted and queued as a UsageEvent. */
export type UsageObservation =
  | { type: 'no_match'; app: string; question: string }
  | { type: 'walkthrough_abandoned' | 'walkthrough_completed'; app: string; walkthroughId: string; stepIndex: number };

/** POST /api/v1/events: `teamId`, when sent, must be the caller's team (a desktop signed in elsewhere is refused). */
export const UsageEventsBodySchema = z.strictObject({
  teamId: z.string().max(64).optional(),
  events: z.array(UsageEventSchema).min(1).max(USAGE_EVENTS_PER_BATCH),
});
export type UsageEventsBody = z.infer<typeof UsageEventsBodySchema>;

/** GET /api/v1/insights?days=N. */
export const InsightsQuerySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(3650).default(30) });

/** A cluster of similar questions: its words, how many, and a few examples. */
export const InsightTopicSchema = z.object({ label: z.string(), requests: z.number(), examples: z.array(z.string()) });

/** Response of GET /api/v1/insights. Minutes are null where there is nothing to take the median of. */
export const InsightsSchema = z.object({
  days: z.number(),
  since: z.string(),
  apps: z.array(
    z.object({
      app: z.string(),
      requests: z.number(),
      resolved: z.number(),
      medianMinutesToClaim: z.number().nullable(),
      medianMinutesToResolve: z.number().nullable(),
      topics: z.array(InsightTopicSchema),
    }),
  ),
  stuckSteps: z.array(
    z.object({ walkthroughId: z.string(), stepIndex: z.number(), requests: z.number(), abandoned: z.number() }),
  ),
  walkthroughs: z.array(z.object({ walkthroughId: z.string(), completed: z.number(), abandoned: z.number() })),
  unanswered: z.array(z.object({ question: z.string(), app: z.string(), count: z.number(), lastAt: z.string() })),
});
export type Insights = z.infer<typeof InsightsSchema>;

// ---------------------------------------------------------------- errors

/** Every 4xx/5xx body. `code` is stable for programs, `message` is for people. */
export const ApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), retryAfterMs: z.number().optional() }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

// ---------------------------------------------------------------- live stream (WebSocket /api/v1/stream)

/** One change in a team, in team sequence order. Each client receives only what it may read. */
export const TeamEventSchema = z.discriminatedUnion('type', [
  z.object({ seq: z.number().int(), type: z.literal('request'), request: HelpRequestSchema }),
  z.object({ seq: z.number().int(), type: z.literal('message'), message: ChatMessageSchema }),
  z.object({ seq: z.number().int(), type: z.literal('library'), item: LibraryItemSchema }),
]);
export type TeamEvent = z.infer<typeof TeamEventSchema>;

/** Client → server over the WebSocket. The first message must be `hello`. */
export const StreamClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    token: z.string().min(8).max(200),
    /** The last team sequence number this client has seen; everything after it is replayed. */
    afterSeq: z.number().int().min(0).default(0),
  }),
  z.strictObject({ type: z.literal('send'), requestId: ServerIdSchema, message: PostMessageBodySchema }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type StreamClientMessage = z.input<typeof StreamClientMessageSchema>;

/** Server → client over the WebSocket. */
export const StreamServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), member: MemberSchema, team: TeamSchema, seq: z.number().int() }),
  z.object({ type: z.literal('event'), event: TeamEventSchema }),
  /** Replay of missed events is complete; live events follow. */
  z.object({ type: z.literal('synced'), seq: z.number().int() }),
  /**
   * The hello's `afterSeq` is ahead of the server (it was restored from a backup): forget the
   * position and what was derived from it; every event from 0 is replayed next, then `synced`.
   */
  z.object({ type: z.literal('reset'), seq: z.number().int(), message: z.string() }),
  /** A `send` was committed to disk; `message` is the stored message (also broadcast as an event). */
  z.object({ type: z.literal('ack'), clientId: z.string(), message: ChatMessageSchema }),
  z.object({
    type: z.literal('error'),
    code: z.string(),
    message: z.string(),
    clientId: z.string().optional(),
    retryAfterMs: z.number().optional(),
  }),
  z.object({ type: z.literal('pong') }),
]);
export type StreamServerMessage = z.infer<typeof StreamServerMessageSchema>;

/**
 * WebSocket close codes the server uses (4000-4999 are application codes; docs/api.md has the table).
 * Only `unauthorized` is final: clients reconnect after every other code, with backoff and jitter.
 */
export const STREAM_CLOSE = {
  /** Reconnect now: the member's role changed, a new connection gets the new view. */
  reconnect: 4000,
  /** The first message was not a valid hello (a client bug). */
  badMessage: 4400,
  /** Token unknown, revoked or the membership revoked: final, join again with a new invite. */
  unauthorized: 4401,
  /** No hello within 30 s. */
  helloTimeout: 4408,
  /** This member already holds `socketsPerMember` live connections. */
  tooManySockets: 4409,
  /** More than `wsBufferedBytes` waited to be sent: the client does not read fast enough. */
  slowReader: 4413,
  /** Too many connection attempts with this token (or with unknown tokens from this address). */
  rateLimited: 4429,
  /** A frame larger than `wsFrameBytes`. */
  tooLarge: 1009,
} as const;

/** Whether a client should reconnect after a close code (everything but revocation). */
export function isRetryableClose(code: number): boolean {
  return code !== STREAM_CLOSE.unauthorized;
}

/** The delay a close reason asks for ("… retry in 1200 ms"), or 0. */
export function retryDelayFromReason(reason: string): number {
  const match = /retry in (\d+) ms/.exec(reason);
  return match ? Math.min(Number(match[1]), 60_000) : 0;
}

/** Parses an invite link (`http://host:port/#join=CODE`) or a bare code into server URL and code. */
export function parseInviteLink(text: string): { serverUrl: string | null; code: string } | null {
  const trimmed = text.trim();
  if (/^sk_inv_[A-Za-z0-9_-]{8,}$/.test(trimmed)) return { serverUrl: null, code: trimmed };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  const match = /(?:^|[#&?])join=(sk_inv_[A-Za-z0-9_-]{8,})/.exec(url.hash || url.search);
  if (!match) return null;
  return { serverUrl: `${url.protocol}//${url.host}`, code: match[1]! };
}

// ---------------------------------------------------------------- live stream client (browser and Node)

/** The part of a WebSocket the stream client uses (browser WebSocket and the `ws` package both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** Connection state shown to people: `offline` means retrying by itself. */
export type StreamStatus = 'connecting' | 'live' | 'offline' | 'unauthorized' | 'stopped';

/** A chat message send that failed for good (not retried). */
export class StreamSendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Options of a TeamStream. */
export interface TeamStreamOptions {
  /** Server base URL (http://host:port); the stream uses ws://host:port/api/v1/stream. */
  serverUrl: string;
  token: string;
  createSocket(url: string): WebSocketLike;
  /** Resume after this team sequence number (the last one seen before). */
  afterSeq?: number;
  onEvent(event: TeamEvent): void;
  onStatus?(status: StreamStatus, detail: string): void;
  /**
   * The server's history is behind this client's position (restored from a backup): everything
   * derived from earlier events should be dropped; events from 0 are replayed next.
   */
  onReset?(serverSeq: number): void;
  /** Reconnect delays: starts at minMs, doubles to maxMs; each wait is randomized (jitter). */
  backoff?: { minMs: number; maxMs: number };
}

/** The WebSocket URL of a team server. */
export function streamUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/api/v1/stream`;
}

/**
 * Live team stream with the protocol's delivery rules: reconnects by itself, resumes after the last
 * sequence number it saw (so missed events are replayed), drops events it already delivered, and
 * resends unacknowledged chat messages with their original clientId until the server acks them
 * (the server stores each clientId once, so a resend never duplicates a message).
 */
export class TeamStream {
  private socket: WebSocketLike | null = null;
  private stopped = false;
  private retryMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Whether this connection already reset the client's position. */
  private resetDone = false;
  private readonly pending = new Map<
    string,
    {
      requestId: string;
      body: PostMessageBody;
      resolve(message: ChatMessage): void;
      reject(error: Error): void;
      sent: boolean;
    }
  >();
  /** Highest team sequence number delivered to onEvent. */
  lastSeq: number;
  status: StreamStatus = 'connecting';

  constructor(private readonly options: TeamStreamOptions) {
    this.lastSeq = options.afterSeq ?? 0;
    this.retryMs = options.backoff?.minMs ?? 250;
  }

  /** Connects (and keeps reconnecting until stop()). */
  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Closes the connection for good; pending sends are rejected. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close(1000, 'client stopped');
    this.socket = null;
    for (const [clientId, entry] of this.pending) {
      entry.reject(
        new StreamSendError('stopped', 'the connection was closed before the server acknowledged this message'),
      );
      this.pending.delete(clientId);
    }
    this.setStatus('stopped', 'stopped');
  }

  /** Sends a chat message; resolves with the stored message once the server committed it. */
  send(requestId: string, body: PostMessageBody): Promise<ChatMessage> {
    return new Promise((resolve, reject) => {
      this.pending.set(body.clientId, { requestId, body, resolve, reject, sent: false });
      if (this.status === 'live') this.transmit(body.clientId);
    });
  }

  /** Number of messages sent but not yet acknowledged. */
  get unacknowledged(): number {
    return this.pending.size;
  }

  private transmit(clientId: string): void {
    const entry = this.pending.get(clientId);
    if (!entry || !this.socket) return;
    entry.sent = true;
    this.socket.send(JSON.stringify({ type: 'send', requestId: entry.requestId, message: entry.body }));
  }

  private setStatus(status: StreamStatus, detail: string): void {
    this.status = status;
    this.options.onStatus?.(status, detail);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setStatus(this.status === 'offline' ? 'offline' : 'connecting', 'connecting');
    let socket: WebSocketLike;
    try {
      socket = this.options.createSocket(streamUrl(this.options.serverUrl));
    } catch (error) {
      this.scheduleReconnect(error instanceof Error ? error.message : String(error));
      return;
    }
    this.socket = socket;
    this.resetDone = false;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'hello', token: this.options.token, afterSeq: this.lastSeq }));
    };
    socket.onmessage = (event) => this.onMessage(String(event.data));
    socket.onerror = () => {};
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      for (const entry of this.pending.values()) entry.sent = false;
      if (this.stopped) return;
      if (!isRetryableClose(event.code)) {
        this.setStatus('unauthorized', event.reason || 'the server refused this token');
        return;
      }
      if (event.code === STREAM_CLOSE.reconnect) this.retryMs = this.options.backoff?.minMs ?? 250;
      this.scheduleReconnect(
        event.reason || `connection closed (${event.code})`,
        retryDelayFromReason(event.reason ?? ''),
      );
    };
  }

  /**
   * Waits and reconnects: a random delay between half and all of the current backoff (so clients
   * dropped together do not come back together), at least what the server asked for; then doubles it.
   */
  private scheduleReconnect(detail: string, atLeastMs = 0): void {
    if (this.stopped) return;
    const delay = Math.max(atLeastMs, this.retryMs * (0.5 + Math.random() * 0.5));
    this.setStatus('offline', `${detail}; retrying in ${Math.round(delay)} ms`);
    this.timer = setTimeout(() => this.connect(), delay);
    this.retryMs = Math.min(this.retryMs * 2, this.options.backoff?.maxMs ?? 5000);
  }

  /** Forgets the position: the server's history ends before it (a restore); it replays from 0. */
  private reset(serverSeq: number): void {
    if (this.resetDone) return;
    this.resetDone = true;
    this.lastSeq = 0;
    this.options.onReset?.(serverSeq);
  }

  private onMessage(text: string): void {
    let parsed: StreamServerMessage;
    try {
      parsed = StreamServerMessageSchema.parse(JSON.parse(text));
    } catch {
      return; // A newer server may send message types this client does not know.
    }
    switch (parsed.type) {
      case 'welcome':
        // A server whose history ends before our position was restored from a backup.
        if (parsed.seq < this.lastSeq) this.reset(parsed.seq);
        break;
      case 'reset':
        this.reset(parsed.seq);
        break;
      case 'event':
        if (parsed.event.seq > this.lastSeq) {
          this.lastSeq = parsed.event.seq;
          this.options.onEvent(parsed.event);
        }
        break;
      case 'synced':
        this.retryMs = this.options.backoff?.minMs ?? 250;
        this.lastSeq = Math.max(this.lastSeq, parsed.seq);
        this.setStatus('live', 'connected');
        for (const clientId of this.pending.keys()) this.transmit(clientId);
        break;
      case 'ack': {
        const entry = this.pending.get(parsed.clientId);
        if (entry) {
          this.pending.delete(parsed.clientId);
          entry.resolve(parsed.message);
        }
        break;
      }
      case 'error': {
        const entry = parsed.clientId ? this.pending.get(parsed.clientId) : undefined;
        if (!entry) break;
        if (parsed.code === 'rate_limited' || parsed.code === 'internal') {
          const clientId = parsed.clientId!;
          setTimeout(() => {
            if (this.status === 'live') this.transmit(clientId);
          }, parsed.retryAfterMs ?? 1000);
        } else {
          this.pending.delete(parsed.clientId!);
          entry.reject(new StreamSendError(parsed.code, parsed.message));
        }
        break;
      }
      case 'pong':
        break;
    }
  }
}

/** A new clientId for a request or message. */
export function newClientId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
