/**
 * The walkthrough player as a plain state machine: fed one ScreenText per re-read of the window,
 * it locates the current step's target, advances by itself when the step's `doneWhen` holds or
 * the next step's target appears, and waits quietly (then says so) while the target is not visible.
 * The overlay's step card and highlight render `PlayerState`; nothing here knows about windows.
 */
import type { Box, LocateMatch, ScreenText, WindowInfo } from '../../src-shared/screen';
import type { Walkthrough, WalkthroughStep } from '../../src-shared/walkthrough';
import { isTextVisible, locateLabel, type LocateHints } from '../screen';
import { closeDialogMessage, dialogBlocksStep, findOpenDialog } from './preconditions';

/** What the player is doing. */
export type PlayerStatus = 'showing' | 'waiting' | 'finished' | 'stopped';
/** Why the current step became current. */
export type StepReason = 'start' | 'next' | 'back' | 'skip' | 'done-when' | 'next-target' | 'goto';

/** Everything the step card and the highlight need. */
export interface PlayerState {
  walkthrough: { id: string; title: string };
  status: PlayerStatus;
  stepIndex: number;
  stepCount: number;
  instruction: string;
  /** The current step's target; `box` (image pixels of the last reading) is null while not visible. */
  target: { text: string; box: Box | null } | null;
  /** The target box in screen pixels, when the reading came with its window's bounds. */
  screenBox: Box | null;
  /** How the current step was reached. */
  reason: StepReason;
  /** Milliseconds the target has been out of sight (0 when visible). */
  waitingMs: number;
  /** Shown after a while of waiting: what to do to make the target appear. */
  notice: string | null;
  /**
   * Something on screen in the way of this step (a modal dialog over the window), what to do about
   * it, the control that does it and the controls the card must leave visible (its button row), in
   * image pixels of the last reading; or null.
   */
  blocker: { message: string; box: Box | null; keep: Box | null } | null;
  /** True when the step has no condition the player can see, so the person presses Next. */
  needsNext: boolean;
  canGoBack: boolean;
}

/** Options for a player. */
export interface PlayerOptions {
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
  /** How long to wait quietly before saying the target is not visible. */
  waitNoticeMs?: number;
  /** Locates a label on a screen (defaults to the shared `locateLabel`). */
  locate?: (screen: ScreenText, label: string, hints: LocateHints) => LocateMatch;
  /** Whether a label is visible at all (defaults to the shared `isTextVisible`). */
  visible?: (screen: ScreenText, label: string) => boolean;
}

/** Default pause before "I can't see … yet". */
export const WAIT_NOTICE_MS = 4000;

interface StepMemory {
  /** Set from the first reading of this step: was the next target already visible? */
  nextTargetAtStart: boolean | null;
  doneVisibleAtStart: boolean | null;
  /** `doneWhen.textGone` counts only after the text was seen during this step. */
  goneTextSeen: boolean;
  waitingSince: number | null;
}

/** Plays one walkthrough against successive readings of the window. */
export class WalkthroughPlayer {
  private index = 0;
  private status: PlayerStatus = 'showing';
  private reason: StepReason = 'start';
  private memory: StepMemory = freshMemory();
  private lastScreen: ScreenText | null = null;
  private lastWindow: WindowInfo | null = null;
  private box: Box | null = null;
  private blocker: PlayerState['blocker'] = null;
  private readonly listeners = new Set<(state: PlayerState) => void>();
  private readonly now: () => number;
  private readonly waitNoticeMs: number;
  private readonly locate: NonNullable<PlayerOptions['locate']>;
  private readonly visible: NonNullable<PlayerOptions['visible']>;

  constructor(
    readonly walkthrough: Walkthrough,
    options: PlayerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.waitNoticeMs = options.waitNoticeMs ?? WAIT_NOTICE_MS;
    this.locate = options.locate ?? locateLabel;
    this.visible = options.visible ?? isTextVisible;
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onChange(listener: (state: PlayerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current state. */
  get state(): PlayerState {
    const step = this.step;
    const waitingMs = this.memory.waitingSince === null ? 0 : this.now() - this.memory.waitingSince;
    const done = this.status === 'finished' || this.status === 'stopped';
    return {
      walkthrough: { id: this.walkthrough.id, title: this.walkthrough.title },
      status: this.status,
      stepIndex: this.index,
      stepCount: this.walkthrough.steps.length,
      instruction: step.instruction,
      target: step.target ? { text: step.target.text, box: done ? null : this.box } : null,
      screenBox: done || !this.box || !this.lastWindow ? null : toScreen(this.box, this.lastWindow),
      reason: this.reason,
      waitingMs,
      notice: this.status === 'waiting' && waitingMs >= this.waitNoticeMs ? this.waitNotice() : null,
      blocker: done ? null : this.blocker,
      needsNext: !this.canAdvanceBySight(),
      canGoBack: this.index > 0 && !done,
    };
  }

  /** Takes one reading of the window (and its bounds, to place the highlight on screen). */
  feed(screen: ScreenText, window?: WindowInfo | null): PlayerState {
    if (this.status === 'finished' || this.status === 'stopped') return this.state;
    this.lastScreen = screen;
    if (window) this.lastWindow = window;
    const advanced = this.checkAdvance(screen);
    if (advanced === 'finished') {
      this.status = 'finished';
      this.box = null;
      this.memory.waitingSince = null;
    } else {
      if (advanced) this.moveTo(this.index + 1, advanced, false);
      this.observe(screen);
    }
    return this.emit();
  }

  /** Goes to the next step (the person pressed Next); after the last step, finishes. */
  next(): PlayerState {
    return this.userMove(this.index + 1, 'next');
  }

  /** Goes back one step. */
  back(): PlayerState {
    return this.userMove(Math.max(0, this.index - 1), 'back');
  }

  /** Skips the current step. */
  skip(): PlayerState {
    return this.userMove(this.index + 1, 'skip');
  }

  /** Jumps to a step. */
  goTo(index: number): PlayerState {
    return this.userMove(Math.max(0, Math.min(this.walkthrough.steps.length - 1, Math.trunc(index))), 'goto');
  }

  /** Stops playing (the person closed the card). */
  stop(): PlayerState {
    this.status = 'stopped';
    this.box = null;
    return this.emit();
  }

  private get step(): WalkthroughStep {
    return this.walkthrough.steps[this.index]!;
  }

  private userMove(index: number, reason: StepReason): PlayerState {
    if (this.status === 'stopped') return this.state;
    if (index >= this.walkthrough.steps.length) {
      this.status = 'finished';
      this.box = null;
      this.memory.waitingSince = null;
      return this.emit();
    }
    this.status = 'showing';
    this.moveTo(index, reason, true);
    if (this.lastScreen) this.observe(this.lastScreen);
    return this.emit();
  }

  private moveTo(index: number, reason: StepReason, forgetScreen: boolean): void {
    this.index = index;
    this.reason = reason;
    this.memory = freshMemory();
    this.box = null;
    this.blocker = null;
    // After a manual move the last reading may be stale (the person acted); the next reading sets the baseline.
    if (forgetScreen) this.memory.nextTargetAtStart = null;
  }

  /** Locates the current target on `screen` and records the step's baseline. */
  private observe(screen: ScreenText): void {
    const step = this.step;
    const memory = this.memory;
    const nextTarget = this.walkthrough.steps[this.index + 1]?.target;
    if (memory.nextTargetAtStart === null)
      memory.nextTargetAtStart = nextTarget ? this.visible(screen, nextTarget.text) : false;
    if (memory.doneVisibleAtStart === null)
      memory.doneVisibleAtStart = step.doneWhen?.textVisible ? this.visible(screen, step.doneWhen.textVisible) : false;
    if (step.doneWhen?.textGone && this.visible(screen, step.doneWhen.textGone)) memory.goneTextSeen = true;
    if (!step.target) {
      this.box = null;
      this.blocker = null;
      this.status = 'showing';
      memory.waitingSince = null;
      return;
    }
    const match = this.locate(screen, step.target.text, { near: step.target.near, region: step.target.region });
    this.box = match.box;
    const appName = this.walkthrough.app.name;
    const dialog = findOpenDialog(screen, this.lastWindow, appName);
    const blocks = dialog && dialogBlocksStep(dialog, match.box, screen, this.index === 0);
    this.blocker =
      dialog && blocks
        ? { message: closeDialogMessage(dialog, appName), box: dialog.closeBox, keep: dialog.rowBox }
        : null;
    if (match.box) {
      this.status = 'showing';
      memory.waitingSince = null;
    } else {
      this.status = 'waiting';
      memory.waitingSince ??= this.now();
    }
  }

  /** Whether this reading completes the current step: 'finished' after the last one. */
  private checkAdvance(screen: ScreenText): StepReason | 'finished' | null {
    const step = this.step;
    const memory = this.memory;
    if (memory.nextTargetAtStart === null) return null; // first reading of this step: baseline only
    const last = this.index === this.walkthrough.steps.length - 1;
    const doneWhen = step.doneWhen;
    if (doneWhen) {
      const goneOk =
        doneWhen.textGone === undefined || (memory.goneTextSeen && !this.visible(screen, doneWhen.textGone));
      const visibleOk =
        doneWhen.textVisible === undefined ||
        (!memory.doneVisibleAtStart && this.visible(screen, doneWhen.textVisible));
      if (goneOk && visibleOk) return last ? 'finished' : 'done-when';
    }
    const nextTarget = this.walkthrough.steps[this.index + 1]?.target;
    if (nextTarget && !memory.nextTargetAtStart && this.visible(screen, nextTarget.text)) return 'next-target';
    return null;
  }

  private canAdvanceBySight(): boolean {
    const step = this.step;
    if (step.doneWhen) return true;
    const nextTarget = this.walkthrough.steps[this.index + 1]?.target;
    return !!nextTarget && this.memory.nextTargetAtStart === false;
  }

  private waitNotice(): string {
    const step = this.step;
    const label = step.target?.text ?? '';
    const previous = this.walkthrough.steps[this.index - 1]?.target?.text;
    const hint = previous
      ? ` Did “${previous}” open? You can go Back, or choose “I can't find it” to ask someone.`
      : " Check that the right window is in front, or choose “I can't find it” to ask someone.";
    return `I can't see “${label}” yet.${hint}`;
  }

  private emit(): PlayerState {
    const state = this.state;
    for (const listener of this.listeners) listener(state);
    return state;
  }
}

function freshMemory(): StepMemory {
  return { nextTargetAtStart: null, doneVisibleAtStart: null, goneTextSeen: false, waitingSince: null };
}

/** Maps a box in capture pixels to screen pixels using the window's bounds and scale. */
export function toScreen(box: Box, window: WindowInfo): Box {
  const s = window.scale || 1;
  return { x: window.bounds.x + box.x / s, y: window.bounds.y + box.y / s, w: box.w / s, h: box.h / s };
}
