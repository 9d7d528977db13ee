/**
 * The screen model shared by every layer: what OCR read on a window, and where.
 * Boxes are in image (window) pixels, origin top-left.
 */
import { z } from 'zod';

/** An axis-aligned rectangle in pixels. */
export const BoxSchema = z.object({
  x: z.number(),
  y: z.number(),
  w: z.number().nonnegative(),
  h: z.number().nonnegative(),
});
export type Box = z.infer<typeof BoxSchema>;

/** One piece of text OCR found: a word, or a line (phrase) grouping words. */
export const TextElementSchema = z.object({
  id: z.string(),
  text: z.string(),
  /** Recognition confidence, 0..100. */
  conf: z.number(),
  box: BoxSchema,
  kind: z.enum(['word', 'line']),
  /** For a word: the id of the line that holds it. */
  lineId: z.string().optional(),
});
export type TextElement = z.infer<typeof TextElementSchema>;

/** Everything read from one image: the `sidekick ocr --json` document. */
export const ScreenTextSchema = z.object({
  image: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
  elements: z.array(TextElementSchema),
  /** Milliseconds; `totalMs` covers decoding the image through to the located text. */
  timings: z.object({ totalMs: z.number() }).catchall(z.number()),
  /** Human-readable notes, e.g. "image was downscaled from 9000x6000". */
  notes: z.array(z.string()).optional(),
});
export type ScreenText = z.infer<typeof ScreenTextSchema>;

/** The window a capture came from. `bounds` are in screen pixels. */
export const WindowInfoSchema = z.object({
  id: z.number().optional(),
  pid: z.number().optional(),
  app: z.string(),
  title: z.string(),
  bounds: BoxSchema,
  /** Device pixels per logical pixel (2 on a HiDPI display). */
  scale: z.number().positive(),
});
export type WindowInfo = z.infer<typeof WindowInfoSchema>;

/** Result of looking for one label on screen (`sidekick locate`). */
export const LocateMatchSchema = z.union([
  z.object({ query: z.string(), text: z.string(), box: BoxSchema, score: z.number() }),
  z.object({ query: z.string(), text: z.null(), box: z.null() }),
]);
export type LocateMatch = z.infer<typeof LocateMatchSchema>;

/** Where on screen a label is expected, from the walkthrough format's `target.region`. */
export const RegionSchema = z.enum(['top', 'bottom', 'left', 'right', 'dialog']);
export type Region = z.infer<typeof RegionSchema>;
