/**
 * The walkthrough feature's backend, assembled from its parts: the library catalog (library window,
 * suggestions, the answer provider the help session asks first), the player loop (re-reads the
 * window a few times a second while a walkthrough plays) and the recorder; `handlers()` gives the
 * `walkthroughs:*` channels (./ipc.ts). Collaborators (capture, OCR, the overlay's geometry) are
 * passed in, so the same service runs in the Electron shell, behind the browser host, and in tests.
 */
import type { PlayerView, RecorderCaptureResult } from '../../src-shared/ipc/walkthroughs';
import type { ScreenText } from '../../src-shared/screen';
import type { PartialIpcHandlers } from '../base/ipc-dispatch';
import { LibraryCatalog, type LibraryAskContext, type LibraryCatalogOptions } from './catalog';
import { walkthroughsIpcHandlers } from './ipc';
import { userLibraryDir } from './library';
import { PlayerLoop, type PlayerTarget, type ServiceScreenReader, type WindowShot } from './player-loop';
import type { UsageObservation } from '../../src-shared/team';
import type { Walkthrough } from '../../src-shared/walkthrough';
import { RecorderService } from './recorder-service';

export type { LibraryAskContext } from './catalog';
export type { CapturedImage, PlayerTarget, ServiceScreenReader, WindowShot } from './player-loop';

/** What the service needs from outside. */
export interface WalkthroughServiceOptions {
  /** Shares a question learned for a team walkthrough with the team (see LibraryCatalogOptions). */
  shareLearned?: LibraryCatalogOptions['shareLearned'];
  /** The user library folder (default: `userLibraryDir()`). */
  userDir?: string;
  /** The starter pack (default: resources/walkthroughs; null: none). */
  starterDir?: string | null;
  /** The team's synced walkthroughs (read-only), when the person joined a team. */
  teamDir?: string | null;
  reader?: ServiceScreenReader;
  /** Captures a window again by id (the player's re-reads). */
  captureWindow?(windowId: number): Promise<WindowShot>;
  /** The window the current help session is about. */
  currentTarget?(): PlayerTarget | null | Promise<PlayerTarget | null>;
  /** Starts a help session on the window in front (as the hotkey does), for playing from the library window. */
  startHelpSession?: () => Promise<void>;
  /** The app and what was read on screen in a help session (for suggestions). */
  sessionScreen?(sessionId: string): Promise<{ app: string; screen: ScreenText } | null>;
  /** Captures the window being recorded (focused window, Sidekick's own skipped). */
  captureForRecording?(): Promise<WindowShot>;
  emit(event: 'walkthroughs:player-state', payload: PlayerView): void;
  /** Tells the recorder window about a capture the hotkey made. */
  emitRecorderCaptured?(result: RecorderCaptureResult): void;
  emitLibraryChanged?(): void;
  /** Milliseconds between re-reads while a walkthrough plays. */
  intervalMs?: number;
  /**
   * What the team's insights may count (the team feature keeps it only when the person shares usage): a question
   * no library walkthrough matched, and how a library walkthrough ended.
   */
  onUsage?(observation: UsageObservation): void;
  log?(message: string, error?: unknown): void;
}

/** The walkthrough service: build once per app, register `handlers()` on the IPC dispatcher. */
export class WalkthroughService {
  readonly catalog: LibraryCatalog;
  readonly player: PlayerLoop;
  readonly recorder: RecorderService;
  /** Walkthroughs started from the library (not AI plans), whose outcomes the team's insights may count. */
  private readonly fromLibrary = new WeakSet<Walkthrough>();

  constructor(private readonly options: WalkthroughServiceOptions) {
    const userDir = options.userDir ?? userLibraryDir();
    this.catalog = new LibraryCatalog({ ...options, userDir });
    this.player = new PlayerLoop({
      ...options,
      onOutcome: ({ walkthrough, outcome, stepIndex }) => {
        // Only library walkthroughs: an AI plan's id is made from the question, which must not leave unredacted.
        if (!this.fromLibrary.has(walkthrough)) return;
        options.onUsage?.({
          type: outcome === 'completed' ? 'walkthrough_completed' : 'walkthrough_abandoned',
          app: walkthrough.app.name,
          walkthroughId: walkthrough.id,
          stepIndex,
        });
      },
    });
    this.recorder = new RecorderService({ ...options, userDir, onSaved: () => this.catalog.reload() });
  }

  /** Where the person is in a playing walkthrough (for a help request), or null when none plays. */
  position(): ReturnType<PlayerLoop['position']> {
    return this.player.position();
  }

  /** Reloads the library from disk on next use (e.g. after the team library synced) and tells the windows. */
  reload(): void {
    this.catalog.reload();
  }

  /** The help session's answer provider: the best library walkthrough, with its visible targets highlighted. */
  async answer(context: LibraryAskContext) {
    const answer = await this.catalog.answer(context);
    if (answer === null)
      this.options.onUsage?.({ type: 'no_match', app: context.window.app, question: context.question });
    return answer;
  }

  /**
   * Starts playing library walkthrough `id` on the current help session's window; with `newSession`
   * (the library's Play) and no session yet, first captures the window in front as the hotkey does.
   */
  async startPlayer(
    id: string,
    newSession = false,
  ): Promise<{ ok: true; view: PlayerView } | { ok: false; problem: string }> {
    const entry = this.catalog.entry(id);
    if (!entry) return { ok: false, problem: `There is no walkthrough "${id}" in the library.` };
    const start = this.options.startHelpSession;
    if (newSession && start && !(await this.options.currentTarget?.())) await start();
    this.fromLibrary.add(entry.walkthrough);
    return this.player.play(entry.walkthrough);
  }

  /** Stops the player and its re-reading. */
  stopPlayer(): void {
    this.player.stop();
  }

  /** A hotkey press: the recorder takes it while its window is open (true), otherwise help opens. */
  takeHotkey(): boolean {
    return this.recorder.takeHotkey();
  }

  /** Handlers for the `walkthroughs:*` channels, for `IpcDispatcher.register`. */
  handlers<Caller = unknown>(): PartialIpcHandlers<Caller> {
    return walkthroughsIpcHandlers<Caller>(this);
  }
}
