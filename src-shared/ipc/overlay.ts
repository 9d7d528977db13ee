/**
 * IPC channels of the help overlay: the help session's state pushed to the overlay, the ask
 * box, highlights of located labels, click-through toggling and closing, and opening Sidekick's
 * other windows.
 *
 * Geometry: every box sent to the overlay renderer is in the overlay window's CSS pixels (DIP,
 * origin at the overlay window's top-left). The core converts from captured-image pixels.
 */
import { z } from 'zod';
import { BoxSchema, LocateMatchSchema } from '../screen';
import { defineIpcFeature } from './contract';

/** Where a help session is. */
export const HelpPhaseSchema = z.enum(['capturing', 'reading', 'ready', 'failed']);
export type HelpPhase = z.infer<typeof HelpPhaseSchema>;

/** The captured window as the overlay shows it. */
export const OverlayWindowSchema = z.object({
  app: z.string(),
  title: z.string(),
  /** The window's rectangle in overlay CSS pixels. */
  bounds: BoxSchema,
});
export type OverlayWindow = z.infer<typeof OverlayWindowSchema>;

/** A box drawn over the captured window. */
export const HighlightSchema = z.object({
  id: z.string(),
  /** In overlay CSS pixels. */
  box: BoxSchema,
  /** What the box points at (the on-screen label), for its accessible name. */
  label: z.string(),
});
export type Highlight = z.infer<typeof HighlightSchema>;

/** A problem the overlay shows in words, with what to do next. */
export const HelpProblemSchema = z.object({
  message: z.string(),
  nextStep: z.string(),
});
export type HelpProblem = z.infer<typeof HelpProblemSchema>;

/** Everything the overlay shows for one help session. */
export const HelpStateSchema = z.object({
  sessionId: z.string(),
  phase: HelpPhaseSchema,
  window: OverlayWindowSchema.nullable(),
  progress: z.object({
    /** 0..1, or null while the amount of work is unknown. */
    fraction: z.number().min(0).max(1).nullable(),
    label: z.string(),
  }),
  /** How many words and lines OCR has read so far. */
  textCount: z.number().int().nonnegative(),
  highlights: z.array(HighlightSchema),
  problem: HelpProblemSchema.nullable(),
});
export type HelpState = z.infer<typeof HelpStateSchema>;

/** A step of an answer, its target located on screen when found. */
export const AnswerStepSchema = z.object({
  index: z.number().int().nonnegative(),
  instruction: z.string(),
  target: z.object({ text: z.string(), highlight: HighlightSchema.nullable() }).nullable(),
});
export type AnswerStep = z.infer<typeof AnswerStepSchema>;

/** A library walkthrough search ranked for a question ("Did you mean…"). */
export const AskCandidateSchema = z.object({ id: z.string(), title: z.string(), app: z.string(), score: z.number() });
export type AskCandidate = z.infer<typeof AskCandidateSchema>;

/**
 * The answer to a question: steps from the library or AI, close walkthroughs to choose from ("Did you
 * mean…"), or nothing yet (ask a human).
 */
export const AskResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('steps'),
    source: z.enum(['library', 'ai']),
    title: z.string(),
    walkthroughId: z.string().nullable(),
    steps: z.array(AnswerStepSchema),
  }),
  z.object({
    kind: z.literal('candidates'),
    message: z.string(),
    /** Best first: walkthroughs for the app on screen that may be what the person means. */
    candidates: z.array(AskCandidateSchema).min(1).max(5),
  }),
  z.object({
    kind: z.literal('none'),
    message: z.string(),
    /** What the overlay offers instead. */
    next: z.literal('ask-human'),
  }),
  z.object({ kind: z.literal('problem'), problem: HelpProblemSchema }),
]);
export type AskResult = z.infer<typeof AskResultSchema>;

/** Sidekick's windows that can be opened from the tray or the overlay. */
export const AppWindowNameSchema = z.enum(['settings', 'library', 'recorder', 'ask-human', 'welcome']);
export type AppWindowName = z.infer<typeof AppWindowNameSchema>;

const SessionIdSchema = z.string().min(1).max(100);

/** The overlay feature's channels. */
export const overlayIpc = defineIpcFeature({
  name: 'overlay',
  invoke: {
    /** The current session's state (the overlay asks on load; later states arrive as `overlay:state`). */
    'overlay:get-state': { request: z.object({}), response: HelpStateSchema.nullable() },
    /** Ask a question about the captured window. */
    'overlay:ask': {
      request: z.object({
        sessionId: SessionIdSchema,
        question: z.string().trim().min(1, 'Type a question first').max(500),
        /** The person said "None of these" to the library's candidates: go on to the AI or a human. */
        skipLibrary: z.boolean().optional(),
      }),
      response: AskResultSchema,
    },
    /** Find labels on the captured window and highlight them. */
    'overlay:locate': {
      request: z.object({ sessionId: SessionIdSchema, labels: z.array(z.string().min(1).max(200)).min(1).max(20) }),
      response: z.object({ matches: z.array(LocateMatchSchema), highlights: z.array(HighlightSchema) }),
    },
    /** The pointer entered (`false`) or left (`true`) the panel: clicks pass through outside it. */
    'overlay:set-click-through': { request: z.object({ passThrough: z.boolean() }), response: z.object({}) },
    /**
     * Where the panel is, and any other area that takes clicks (the step card beside its target), in overlay
     * CSS pixels, so main can let clicks through everywhere else (Linux polls the pointer).
     */
    'overlay:set-panel-bounds': {
      request: z.object({ box: BoxSchema, others: z.array(BoxSchema).max(4).optional() }),
      response: z.object({}),
    },
    /**
     * Does what the help hotkey does: capture the window in front and open the overlay ("Try it now" on the first-run
     * card).
     */
    'overlay:start-help': { request: z.object({}), response: z.object({}) },
    /** Close the overlay (Esc, close button). */
    'overlay:close': { request: z.object({}), response: z.object({}) },
    /** Open another Sidekick window (settings, ask a human...). */
    'overlay:open-window': { request: z.object({ window: AppWindowNameSchema }), response: z.object({}) },
  },
  events: {
    'overlay:state': HelpStateSchema,
  },
});
