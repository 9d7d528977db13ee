/**
 * Recording a walkthrough: each capture of the window is frozen, the person clicks the control
 * on it (snapped to the OCR text there) and accepts or types an instruction; at the end the
 * steps become a `sidekick.walkthrough/1` file with a thumbnail per step, in the user library.
 */
import sharp from 'sharp';
import type { Box, ScreenText, TextElement } from '../../src-shared/screen';
import {
  WALKTHROUGH_FORMAT,
  WalkthroughSchema,
  type Walkthrough,
  type WalkthroughStep,
} from '../../src-shared/walkthrough';
import { saveWalkthrough, LibraryError, type WalkthroughImages } from './library';

/** The text under a click on a frozen capture. */
export interface SnappedTarget {
  text: string;
  box: Box;
}

/** How far (pixels) from a click a label may be and still be taken. */
const SNAP_DISTANCE = 24;
/** A line is taken whole (menu item "Freeze Panes") when it is at most this many words. */
const SHORT_LINE_WORDS = 4;

function distanceToBox(point: { x: number; y: number }, box: Box): number {
  const dx = Math.max(box.x - point.x, 0, point.x - (box.x + box.w));
  const dy = Math.max(box.y - point.y, 0, point.y - (box.y + box.h));
  return Math.hypot(dx, dy);
}

/**
 * Snaps a click to the OCR text there: a short line ("Freeze Panes") when the click is on one,
 * else the word under or nearest the click; null when there is no text within reach.
 */
export function snapToText(screen: ScreenText, point: { x: number; y: number }): SnappedTarget | null {
  const words = screen.elements.filter((e) => e.kind === 'word' && e.text.trim());
  let best: TextElement | null = null;
  let bestDistance = Infinity;
  for (const word of words) {
    const d = distanceToBox(point, word.box);
    if (d < bestDistance) {
      best = word;
      bestDistance = d;
    }
  }
  if (!best || bestDistance > SNAP_DISTANCE) return null;
  const line = best.lineId ? screen.elements.find((e) => e.id === best.lineId && e.kind === 'line') : undefined;
  if (line) {
    const lineWords = words.filter((w) => w.lineId === line.id).sort((a, b) => a.box.x - b.box.x);
    // A line may span several controls (a toolbar): keep the run of words without wide gaps around the click.
    const height = Math.max(...lineWords.map((w) => w.box.h), 1);
    let start = lineWords.indexOf(best);
    let end = start;
    while (start > 0 && lineWords[start]!.box.x - (lineWords[start - 1]!.box.x + lineWords[start - 1]!.box.w) < height)
      start--;
    while (
      end < lineWords.length - 1 &&
      lineWords[end + 1]!.box.x - (lineWords[end]!.box.x + lineWords[end]!.box.w) < height
    )
      end++;
    const run = lineWords.slice(start, end + 1);
    if (run.length > 1 && run.length <= SHORT_LINE_WORDS)
      return { text: run.map((w) => w.text).join(' '), box: unionBoxes(run.map((w) => w.box)) };
  }
  return { text: best.text, box: best.box };
}

function unionBoxes(boxes: Box[]): Box {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.w));
  const bottom = Math.max(...boxes.map((b) => b.y + b.h));
  return { x, y, w: right - x, h: bottom - y };
}

function labelText(target: SnappedTarget): string {
  return target.text.replace(/\s*(\.\.\.|…)$/, '').trim();
}

/** Whether a clicked label is a menu title in the window's menu bar (one word near the top). */
export function isMenuBarLabel(target: SnappedTarget, screen: ScreenText): boolean {
  return target.box.y + target.box.h < Math.min(80, screen.image.height * 0.12) && !/\s/.test(labelText(target));
}

/**
 * The instruction offered for a clicked label: "Open the View menu." in a menu bar; "Choose View ▸
 * Freeze Panes." right after opening a menu (the path people read in manuals); else "Click Freeze Panes."
 */
export function defaultInstruction(
  target: SnappedTarget,
  screen: ScreenText,
  openedMenu: string | null = null,
): string {
  const text = labelText(target);
  if (isMenuBarLabel(target, screen)) return `Open the ${text} menu.`;
  return openedMenu ? `Choose ${openedMenu} ▸ ${text}.` : `Click ${text}.`;
}

/** A captured frame of the window during recording. */
export interface RecordedCapture {
  /** Encoded PNG (or any sharp-readable image) of the window. */
  image: Uint8Array;
  screen: ScreenText;
}

/** One recorded step before saving. */
export interface RecordedStep {
  captureIndex: number;
  target: SnappedTarget | null;
  instruction: string;
}

/** Details asked at the end of a recording. */
export interface RecordingDetails {
  title: string;
  questions?: string[];
  tags?: string[];
  app: { name: string; match?: string[] };
  id?: string;
  author?: string;
}

/** Turns a title into a walkthrough id: `gnumeric-keep-the-header-row-visible`. */
export function idFromTitle(appName: string, title: string): string {
  const slug = `${appName} ${title}`
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || `walkthrough-${Date.now()}`;
}

/** A recording in progress: captures, steps (reorderable), then `finish` and `save`. */
export class RecordingSession {
  readonly captures: RecordedCapture[] = [];
  readonly steps: RecordedStep[] = [];

  /** Adds a frozen capture (one press of the hotkey); returns its index. */
  addCapture(capture: RecordedCapture): number {
    this.captures.push(capture);
    return this.captures.length - 1;
  }

  /** Records a click on capture `captureIndex`: snaps it to text and proposes an instruction. */
  addStepAt(captureIndex: number, point: { x: number; y: number }, instruction?: string): RecordedStep {
    const capture = this.captures[captureIndex];
    if (!capture)
      throw new LibraryError(
        `there is no capture ${captureIndex}; press the record hotkey to capture the window first`,
      );
    const target = snapToText(capture.screen, point);
    const previous = this.steps.at(-1);
    const previousScreen = previous ? this.captures[previous.captureIndex]?.screen : undefined;
    const openedMenu =
      previous?.target && previousScreen && isMenuBarLabel(previous.target, previousScreen)
        ? labelText(previous.target)
        : null;
    const step: RecordedStep = {
      captureIndex,
      target,
      instruction:
        instruction?.trim() || (target ? defaultInstruction(target, capture.screen, openedMenu) : 'Do this step.'),
    };
    this.steps.push(step);
    return step;
  }

  /** Changes a step's instruction or target text. */
  editStep(index: number, change: { instruction?: string; targetText?: string | null }): void {
    const step = this.steps[index];
    if (!step) throw new LibraryError(`there is no step ${index + 1}`);
    if (change.instruction !== undefined) step.instruction = change.instruction.trim() || step.instruction;
    if (change.targetText === null) step.target = null;
    else if (change.targetText !== undefined && step.target)
      step.target = { ...step.target, text: change.targetText.trim() || step.target.text };
  }

  /** Moves a step to a new position. */
  moveStep(from: number, to: number): void {
    if (!this.steps[from] || to < 0 || to >= this.steps.length)
      throw new LibraryError(`cannot move step ${from + 1} to position ${to + 1}`);
    const [step] = this.steps.splice(from, 1);
    this.steps.splice(to, 0, step!);
  }

  /** Deletes a step. */
  deleteStep(index: number): void {
    if (!this.steps[index]) throw new LibraryError(`there is no step ${index + 1}`);
    this.steps.splice(index, 1);
  }

  /** Suggested details from the steps: a title from the last target, a question, the app. */
  suggestDetails(appName: string): RecordingDetails {
    const last = [...this.steps]
      .reverse()
      .find((s) => s.target)
      ?.target?.text.replace(/\s*(\.\.\.|…)$/, '');
    const title = last ? `${last} in ${appName}` : `Walkthrough for ${appName}`;
    return {
      title,
      questions: last ? [`how do I use ${last.toLowerCase()}`] : [],
      app: { name: appName, match: [appName.toLowerCase()] },
    };
  }

  /** Builds the walkthrough and its thumbnails (one PNG per step, cropped around the target). */
  async finish(details: RecordingDetails): Promise<{ walkthrough: Walkthrough; images: WalkthroughImages }> {
    if (this.steps.length === 0)
      throw new LibraryError('the recording has no steps yet: capture the window and click a control first');
    const images: WalkthroughImages = {};
    const steps: WalkthroughStep[] = [];
    for (const [i, step] of this.steps.entries()) {
      const name = `step-${i + 1}.png`;
      const capture = this.captures[step.captureIndex]!;
      images[name] = await thumbnail(capture.image, step.target?.box ?? null);
      const target = step.target ? { text: step.target.text } : null;
      const nextTarget = this.steps[i + 1]?.target;
      const isLast = i === this.steps.length - 1;
      steps.push({
        instruction: step.instruction,
        target,
        // The last step has no next target to watch for: it is done when its control is gone (a menu closed).
        ...(isLast && step.target && !nextTarget ? { doneWhen: { textGone: step.target.text } } : {}),
        image: name,
      });
    }
    const appName = details.app.name.trim();
    const candidate = {
      format: WALKTHROUGH_FORMAT,
      id: details.id ?? idFromTitle(appName, details.title),
      title: details.title.trim(),
      app: { name: appName, match: details.app.match ?? [appName.toLowerCase()] },
      questions: (details.questions ?? []).map((q) => q.trim()).filter(Boolean),
      tags: details.tags ?? [],
      steps,
      ...(details.author ? { author: details.author } : {}),
      updated: new Date().toISOString(),
    };
    const parsed = WalkthroughSchema.safeParse(candidate);
    if (!parsed.success)
      throw new LibraryError(
        `the recording cannot be saved: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      );
    return { walkthrough: parsed.data, images };
  }

  /** Finishes and saves into the user library; returns the file path. */
  async save(libraryDir: string, details: RecordingDetails): Promise<{ path: string; walkthrough: Walkthrough }> {
    const { walkthrough, images } = await this.finish(details);
    return { path: saveWalkthrough(libraryDir, walkthrough, images), walkthrough };
  }
}

/** A PNG at most 480 px wide around `box` (with context), or the whole capture scaled down. */
export async function thumbnail(image: Uint8Array, box: Box | null): Promise<Uint8Array> {
  const source = sharp(image);
  const meta = await source.metadata();
  const width = meta.width ?? 1;
  const height = meta.height ?? 1;
  let pipeline = sharp(image);
  if (box) {
    const margin = 120;
    const left = Math.max(0, Math.floor(box.x - margin * 2));
    const top = Math.max(0, Math.floor(box.y - margin));
    const right = Math.min(width, Math.ceil(box.x + box.w + margin * 2));
    const bottom = Math.min(height, Math.ceil(box.y + box.h + margin));
    if (right > left && bottom > top)
      pipeline = pipeline.extract({ left, top, width: right - left, height: bottom - top });
  }
  return pipeline.resize({ width: 480, withoutEnlargement: true }).png({ compressionLevel: 9 }).toBuffer();
}
