/**
 * The player loop: while a walkthrough plays, re-capture the help session's window by id a few
 * times a second, re-read it, feed the WalkthroughPlayer, and push the step card's view (target
 * placed in overlay CSS pixels) to the overlay.
 */
import type { PlayerView } from '../../src-shared/ipc/walkthroughs';
import type { Box, ScreenText, WindowInfo } from '../../src-shared/screen';
import type { Walkthrough } from '../../src-shared/walkthrough';
import type { RgbaImage } from '../base/image';
import { WalkthroughPlayer, type PlayerState } from './player';

/** Pixels as the capture module hands them out, or an encoded image file. */
export type CapturedImage = RgbaImage | Buffer;

/** A capture of a window. */
export interface WindowShot {
  window: WindowInfo;
  image: CapturedImage;
}

/** Reads text off a capture (src-main/ocr `createScreenReader()`). */
export interface ServiceScreenReader {
  read(image: CapturedImage, options?: { windowKey?: string }): Promise<ScreenText>;
}

/** The help session's window, and how to place a box from its capture in the overlay. */
export interface PlayerTarget {
  window: WindowInfo;
  /** Capture pixels of `window` → overlay CSS pixels. */
  toOverlay(box: Box, window: WindowInfo): Box;
}

/** What the loop needs from outside. */
export interface PlayerLoopOptions {
  reader?: ServiceScreenReader;
  /** Captures a window again by id (the player's re-reads). */
  captureWindow?: (windowId: number) => Promise<WindowShot>;
  /** The window the current help session is about. */
  currentTarget?(): PlayerTarget | null | Promise<PlayerTarget | null>;
  emit(event: 'walkthroughs:player-state', payload: PlayerView): void;
  /** Milliseconds between re-reads while a walkthrough plays. */
  intervalMs?: number;
  /** A walkthrough ended: finished (`completed`) or closed before its end (`abandoned`), at `stepIndex`. */
  onOutcome?(outcome: PlayOutcome): void;
  log?(message: string, error?: unknown): void;
}

/** How one playing of a walkthrough ended. */
export interface PlayOutcome {
  walkthrough: Walkthrough;
  outcome: 'completed' | 'abandoned';
  stepIndex: number;
}

/** Plays one walkthrough at a time over the live window. */
export class PlayerLoop {
  private player: WalkthroughPlayer | null = null;
  private target: PlayerTarget | null = null;
  private loop: NodeJS.Timeout | null = null;

  constructor(private readonly options: PlayerLoopOptions) {}

  /** Where the person is in a playing walkthrough (for a help request), or null when none plays. */
  position(): { id: string; title: string; stepIndex: number; stepInstruction: string } | null {
    const state = this.player?.state;
    if (!state || state.status === 'finished' || state.status === 'stopped') return null;
    return { ...state.walkthrough, stepIndex: state.stepIndex, stepInstruction: state.instruction };
  }

  /** Plays a walkthrough on the help session's window, whether or not it is in the library (an AI answer). */
  async play(walkthrough: Walkthrough): Promise<{ ok: true; view: PlayerView } | { ok: false; problem: string }> {
    const target = (await this.options.currentTarget?.()) ?? null;
    if (!target)
      return { ok: false, problem: 'Press the help hotkey over the window first, then start the walkthrough.' };
    this.stop();
    this.target = target;
    const player = new WalkthroughPlayer(walkthrough);
    this.player = player;
    let ended = false;
    player.onChange((state) => {
      // Each playing ends once: finished, or stopped before the end (Close, another walkthrough, the overlay closed).
      if (!ended && (state.status === 'finished' || state.status === 'stopped')) {
        ended = true;
        const outcome = state.status === 'finished' ? 'completed' : 'abandoned';
        this.options.onOutcome?.({ walkthrough, outcome, stepIndex: state.stepIndex });
      }
      this.options.emit('walkthroughs:player-state', this.view(state));
    });
    this.scheduleRead(0);
    return { ok: true, view: this.view(player.state) };
  }

  /** Back / Next / Skip / stop from the step card. */
  control(action: 'next' | 'back' | 'skip' | 'stop'): PlayerView | null {
    const player = this.player;
    if (!player) return null;
    const state =
      action === 'next'
        ? player.next()
        : action === 'back'
          ? player.back()
          : action === 'skip'
            ? player.skip()
            : player.stop();
    if (state.status === 'finished' || state.status === 'stopped') this.stopLoop();
    return this.view(state);
  }

  /** Stops the player and its re-reading. */
  stop(): void {
    this.player?.stop();
    this.player = null;
    this.stopLoop();
  }

  private stopLoop(): void {
    if (this.loop) clearTimeout(this.loop);
    this.loop = null;
  }

  private scheduleRead(delay: number): void {
    this.stopLoop();
    this.loop = setTimeout(() => void this.readOnce(), delay);
  }

  private async readOnce(): Promise<void> {
    const player = this.player;
    const target = this.target;
    const { reader, captureWindow } = this.options;
    if (!player || !target || !reader || !captureWindow || target.window.id === undefined) return;
    try {
      const shot = await captureWindow(target.window.id);
      const screen = await reader.read(shot.image, { windowKey: `window-${target.window.id}` });
      if (this.player !== player) return;
      this.target = { ...target, window: shot.window };
      const state = player.feed(screen, shot.window);
      if (state.status === 'finished' || state.status === 'stopped') return;
    } catch (error) {
      this.options.log?.('Walkthrough re-read failed', error);
    }
    if (this.player === player) this.scheduleRead(this.options.intervalMs ?? 300);
  }

  private view(state: PlayerState): PlayerView {
    const target = this.target;
    const toOverlay = (box: Box | null | undefined): Box | null =>
      box && target ? target.toOverlay(box, target.window) : null;
    const box = toOverlay(state.target?.box);
    return {
      walkthrough: state.walkthrough,
      status: state.status,
      stepIndex: state.stepIndex,
      stepCount: state.stepCount,
      instruction: state.instruction,
      steps: this.player?.walkthrough.steps.map((step) => step.instruction) ?? [state.instruction],
      target: state.target ? { text: state.target.text, box } : null,
      notice: state.notice,
      blocker: state.blocker
        ? { message: state.blocker.message, box: toOverlay(state.blocker.box), keep: toOverlay(state.blocker.keep) }
        : null,
      needsNext: state.needsNext,
      canGoBack: state.canGoBack,
    };
  }
}
