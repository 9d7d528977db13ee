/**
 * IPC channels of the walkthrough features: the library window (browse, search, edit, delete,
 * export), the player card in the overlay (start, Back/Next/Skip/stop, state pushes) and the
 * recorder window (capture, click to add a step, edit, reorder, save).
 */
import { z } from 'zod';
import { BoxSchema } from '../screen';
import { LibraryProblemSchema, WalkthroughOriginSchema, WalkthroughSchema } from '../walkthrough';
import { defineIpcFeature } from './contract';

/** One walkthrough as the library window lists it. */
export const WalkthroughSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  app: z.string(),
  tags: z.array(z.string()),
  steps: z.number().int(),
  origin: WalkthroughOriginSchema,
  readOnly: z.boolean(),
  /** Search score 0..1 when the list answers a query. */
  score: z.number().nullable(),
});
export type WalkthroughSummary = z.infer<typeof WalkthroughSummarySchema>;

/** A failure the window shows in words. */
const ProblemResult = z.object({ ok: z.literal(false), problem: z.string() });

/** The player card's view: the player state with the target placed in overlay CSS pixels. */
export const PlayerViewSchema = z.object({
  walkthrough: z.object({ id: z.string(), title: z.string() }),
  status: z.enum(['showing', 'waiting', 'finished', 'stopped']),
  stepIndex: z.number().int().nonnegative(),
  stepCount: z.number().int().positive(),
  instruction: z.string(),
  /** Every step's instruction, for the list in the help panel. */
  steps: z.array(z.string()),
  target: z.object({ text: z.string(), box: BoxSchema.nullable() }).nullable(),
  notice: z.string().nullable(),
  /**
   * Something in the way of this step (a dialog to close first), the control that clears it, and what the card must not
   * cover.
   */
  blocker: z.object({ message: z.string(), box: BoxSchema.nullable(), keep: BoxSchema.nullable() }).nullable(),
  needsNext: z.boolean(),
  canGoBack: z.boolean(),
});
export type PlayerView = z.infer<typeof PlayerViewSchema>;

/** One recorded step as the recorder window shows it. */
export const RecorderStepViewSchema = z.object({
  captureIndex: z.number().int().nonnegative(),
  instruction: z.string(),
  target: z.object({ text: z.string(), box: BoxSchema }).nullable(),
});

/** The recorder window's view of the recording. */
export const RecorderViewSchema = z.object({
  captures: z.array(z.object({ index: z.number().int(), width: z.number(), height: z.number(), app: z.string() })),
  steps: z.array(RecorderStepViewSchema),
  suggested: z.object({ title: z.string(), questions: z.array(z.string()), appName: z.string() }),
});
export type RecorderView = z.infer<typeof RecorderViewSchema>;

const IdSchema = z.string().min(1).max(100);

/** The walkthrough features' channels. */
/** One capture for the recorder: the frozen picture (data URL) and the recording so far, or why it failed. */
export const RecorderCaptureResultSchema = z.union([
  z.object({ ok: z.literal(true), index: z.number().int(), image: z.string(), view: RecorderViewSchema }),
  ProblemResult,
]);
export type RecorderCaptureResult = z.infer<typeof RecorderCaptureResultSchema>;

export const walkthroughsIpc = defineIpcFeature({
  name: 'walkthroughs',
  invoke: {
    /** Lists the library, ranked by `query` when given, filtered to `app`. */
    'walkthroughs:list': {
      request: z.object({ query: z.string().max(500).optional(), app: z.string().max(100).optional() }),
      response: z.object({
        entries: z.array(WalkthroughSummarySchema),
        problems: z.array(LibraryProblemSchema),
        apps: z.array(z.string()),
        userDir: z.string(),
      }),
    },
    /**
     * Before any question: walkthroughs for the app of the help session, those whose first targets are visible now
     * first.
     */
    'walkthroughs:suggest': {
      request: z.object({ sessionId: z.string().min(1).max(100) }),
      response: z.object({ entries: z.array(WalkthroughSummarySchema) }),
    },
    /** One walkthrough, whole, with its step pictures as data URLs. */
    'walkthroughs:get': {
      request: z.object({ id: IdSchema }),
      response: z.union([
        z.object({
          ok: z.literal(true),
          walkthrough: WalkthroughSchema,
          readOnly: z.boolean(),
          origin: WalkthroughOriginSchema,
          images: z.record(z.string(), z.string()),
        }),
        ProblemResult,
      ]),
    },
    /** Saves an edited walkthrough into the user library (a starter one is saved as the user's copy). */
    'walkthroughs:save': {
      request: z.object({ walkthrough: z.unknown() }),
      response: z.union([z.object({ ok: z.literal(true), id: z.string() }), ProblemResult]),
    },
    /** Deletes a walkthrough from the user library. */
    'walkthroughs:delete': {
      request: z.object({ id: IdSchema }),
      response: z.union([z.object({ ok: z.literal(true) }), ProblemResult]),
    },
    /** A bundle (.zip with images) of the given walkthroughs, base64, for the window to download. */
    'walkthroughs:export': {
      request: z.object({ ids: z.array(IdSchema).min(1).max(500) }),
      response: z.union([z.object({ ok: z.literal(true), fileName: z.string(), base64: z.string() }), ProblemResult]),
    },
    /** Starts playing a walkthrough on the window of the current help session. */
    'walkthroughs:player-start': {
      /** `newSession`: from the library window, with no help session yet: capture the app's window first. */
      request: z.object({ id: IdSchema, newSession: z.boolean().optional() }),
      response: z.union([z.object({ ok: z.literal(true), view: PlayerViewSchema }), ProblemResult]),
    },
    /** Plays a walkthrough that need not be in the library (an AI answer not saved yet). */
    'walkthroughs:player-play': {
      request: z.object({ walkthrough: WalkthroughSchema }),
      response: z.union([z.object({ ok: z.literal(true), view: PlayerViewSchema }), ProblemResult]),
    },
    /** The step card's buttons. */
    'walkthroughs:player-control': {
      request: z.object({ action: z.enum(['next', 'back', 'skip', 'stop']) }),
      response: PlayerViewSchema.nullable(),
    },
    /** Captures the window being recorded (one press of the record hotkey or button). */
    'walkthroughs:record-capture': { request: z.object({}), response: RecorderCaptureResultSchema },
    /** The person clicked at (x, y) in capture pixels: snap to text and add a step. */
    'walkthroughs:record-add-step': {
      request: z.object({
        captureIndex: z.number().int().nonnegative(),
        x: z.number(),
        y: z.number(),
        instruction: z.string().max(2000).optional(),
      }),
      response: z.union([z.object({ ok: z.literal(true), view: RecorderViewSchema }), ProblemResult]),
    },
    /** Edits, moves or deletes a recorded step. */
    'walkthroughs:record-change-step': {
      request: z.object({
        index: z.number().int().nonnegative(),
        instruction: z.string().max(2000).optional(),
        targetText: z.string().max(200).nullable().optional(),
        moveTo: z.number().int().nonnegative().optional(),
        remove: z.boolean().optional(),
      }),
      response: z.union([z.object({ ok: z.literal(true), view: RecorderViewSchema }), ProblemResult]),
    },
    /** Finishes: title, questions and app → a walkthrough file with thumbnails in the user library. */
    'walkthroughs:record-save': {
      request: z.object({
        title: z.string().trim().min(1, 'Give the walkthrough a title').max(200),
        questions: z.array(z.string().max(200)).max(50),
        appName: z.string().trim().min(1).max(100),
      }),
      response: z.union([z.object({ ok: z.literal(true), id: z.string(), path: z.string() }), ProblemResult]),
    },
    /** The person asked `question` and then picked walkthrough `id`: keep the question (redacted) with it. */
    'walkthroughs:learn': {
      request: z.object({ id: IdSchema, question: z.string().trim().min(1).max(2000) }),
      response: z.union([z.object({ ok: z.literal(true), stored: z.string().nullable() }), ProblemResult]),
    },
    /** The questions a walkthrough learned from use. */
    'walkthroughs:learned': {
      request: z.object({ id: IdSchema }),
      response: z.object({ questions: z.array(z.string()) }),
    },
    /** Forgets one learned question. */
    'walkthroughs:forget': {
      request: z.object({ id: IdSchema, question: z.string().min(1).max(500) }),
      response: z.union([z.object({ ok: z.literal(true), questions: z.array(z.string()) }), ProblemResult]),
    },
    /** Throws the recording away and starts a new one. */
    'walkthroughs:record-reset': { request: z.object({}), response: RecorderViewSchema },
    /** The recorder window opened (armed) or closed: while armed, each hotkey press captures for it. */
    'walkthroughs:record-arm': { request: z.object({ armed: z.boolean() }), response: z.object({}) },
  },
  events: {
    /** The player's state changed (a re-read of the window, or a button). */
    'walkthroughs:player-state': PlayerViewSchema,
    /** The library changed on disk (saved, deleted, imported, recorded). */
    'walkthroughs:changed': z.object({}),
    /** A hotkey press captured the window for the recorder (same result as `walkthroughs:record-capture`). */
    'walkthroughs:record-captured': RecorderCaptureResultSchema,
  },
});
