/**
 * The walkthrough file format `sidekick.walkthrough/1` (one `*.walkthrough.json` per walkthrough,
 * optional images beside it). Objects are "loose": fields this version does not know survive a
 * load/save round-trip, so newer files are not damaged by older Sidekicks.
 * Limits keep hostile files (huge strings, thousands of steps) out.
 */
import { z } from 'zod';
import { RegionSchema } from './screen';

/** The format tag every walkthrough file carries. */
export const WALKTHROUGH_FORMAT = 'sidekick.walkthrough/1';
/** File name ending of a walkthrough file. */
export const WALKTHROUGH_FILE_SUFFIX = '.walkthrough.json';

/** Hard limits on a walkthrough file, checked before and during parsing. */
export const WALKTHROUGH_LIMITS = {
  fileBytes: 512 * 1024,
  steps: 100,
  questions: 100,
  tags: 30,
  shortText: 200,
  longText: 2000,
  imageBytes: 4 * 1024 * 1024,
} as const;

const shortText = z.string().trim().min(1).max(WALKTHROUGH_LIMITS.shortText);
const longText = z.string().trim().min(1).max(WALKTHROUGH_LIMITS.longText);

/** A walkthrough id: also its file name, so only safe characters. */
export const WalkthroughIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,99}$/,
    'must be 1-100 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
  )
  .refine((id) => !id.includes('..'), 'must not contain ".."');

/** An image file name beside the walkthrough: a plain file name, never a path. */
export const ImageNameSchema = z
  .string()
  .max(120)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*\.(png|jpg|jpeg|webp)$/i,
    'must be a plain image file name like "step-1.png" (no folders)',
  )
  .refine((name) => !name.includes('..'), 'must not contain ".."');

/** What a step points at: the label as it appears on screen, disambiguated by a nearby label or a region. */
export const StepTargetSchema = z.looseObject({
  text: shortText,
  near: shortText.optional(),
  region: RegionSchema.optional(),
});
export type StepTarget = z.infer<typeof StepTargetSchema>;

/** A condition on what is visible that completes a step by itself. */
export const DoneWhenSchema = z
  .looseObject({
    textVisible: shortText.optional(),
    textGone: shortText.optional(),
  })
  .refine((d) => d.textVisible !== undefined || d.textGone !== undefined, 'needs "textVisible" or "textGone"');
export type DoneWhen = z.infer<typeof DoneWhenSchema>;

/** One step: an instruction, optionally a target on screen, a completion condition and a picture. */
export const WalkthroughStepSchema = z.looseObject({
  instruction: longText,
  target: StepTargetSchema.nullable().optional(),
  doneWhen: DoneWhenSchema.optional(),
  image: ImageNameSchema.optional(),
});
export type WalkthroughStep = z.infer<typeof WalkthroughStepSchema>;

/** The application a walkthrough is for; `match` holds lower-case substrings of app/window names. */
export const WalkthroughAppSchema = z.looseObject({
  name: shortText,
  match: z.array(shortText).max(20).default([]),
});
export type WalkthroughApp = z.infer<typeof WalkthroughAppSchema>;

/** A whole walkthrough file. */
export const WalkthroughSchema = z.looseObject({
  format: z.literal(WALKTHROUGH_FORMAT),
  id: WalkthroughIdSchema,
  title: shortText,
  app: WalkthroughAppSchema,
  questions: z.array(shortText).max(WALKTHROUGH_LIMITS.questions).default([]),
  tags: z.array(z.string().trim().min(1).max(50)).max(WALKTHROUGH_LIMITS.tags).default([]),
  steps: z.array(WalkthroughStepSchema).min(1).max(WALKTHROUGH_LIMITS.steps),
  author: shortText.optional(),
  updated: z.string().max(40).optional(),
});
export type Walkthrough = z.infer<typeof WalkthroughSchema>;

/** Where a loaded walkthrough came from. */
export const WalkthroughOriginSchema = z.enum(['user', 'team', 'starter', 'folder']);
export type WalkthroughOrigin = z.infer<typeof WalkthroughOriginSchema>;

/** A walkthrough as the library holds it: the file content plus where it lives. */
export const LibraryEntrySchema = z.object({
  walkthrough: WalkthroughSchema,
  path: z.string(),
  origin: WalkthroughOriginSchema,
  /** Starter-pack files are read-only: copy to the user library to edit. */
  readOnly: z.boolean(),
});
export type LibraryEntry = z.infer<typeof LibraryEntrySchema>;

/** A file that could not be loaded: its path, the field at fault ("" for the whole file) and why. */
export const LibraryProblemSchema = z.object({
  path: z.string(),
  field: z.string(),
  message: z.string(),
});
export type LibraryProblem = z.infer<typeof LibraryProblemSchema>;

/** The answer to "how do I …" (`sidekick guide --json`): steps from the library, the AI, or none. */
export const GuideAnswerSchema = z.object({
  source: z.enum(['library', 'ai', 'none']),
  walkthrough: z.object({ id: z.string(), title: z.string() }).nullable(),
  steps: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      instruction: z.string(),
      target: z
        .object({
          text: z.string(),
          box: z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() }).nullable(),
        })
        .nullable(),
    }),
  ),
  /** Which app the answer assumed and how Sidekick knew (`--app`, the focused window, the screenshot's text). */
  app: z.object({ name: z.string().nullable(), source: z.enum(['flag', 'window', 'screen-text', 'none']) }).optional(),
  /** Ranked library walkthroughs, best first, up to 5 (the chosen one first when there is one). */
  candidates: z.array(z.object({ id: z.string(), title: z.string(), app: z.string(), score: z.number() })).optional(),
  /** 0..1: how sure search is of its best match. */
  confidence: z.number().min(0).max(1).optional(),
  /** Why an AI answer failed (a configured endpoint that did not answer). */
  reason: z.string().optional(),
});
export type GuideAnswer = z.infer<typeof GuideAnswerSchema>;

/** Formats a zod issue path as a field name: `steps[2].target.text`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
