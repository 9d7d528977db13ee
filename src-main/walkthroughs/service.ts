/**
 * The walkthrough features behind IPC: library window handlers, the player loop that re-reads the
 * window a few times a second while a walkthrough plays, the recorder, and the answer provider the
 * help session asks first. Collaborators (capture, OCR, the overlay's geometry) are passed in, so the
 * same service runs in the Electron shell, behind the browser host, and in tests.
 */
import sharp from 'sharp';
import type { AskResult, Highlight } from '../../src-shared/ipc/overlay';
import type { PlayerView, RecorderCaptureResult, RecorderView, WalkthroughSummary } from '../../src-shared/ipc/walkthroughs';
import type { Box, ScreenText, WindowInfo } from '../../src-shared/screen';
import { formatFieldPath, WalkthroughSchema, type LibraryEntry, type Walkthrough } from '../../src-shared/walkthrough';
import { deleteWalkthrough, exportWalkthroughs, LibraryError, loadLibrary, readWalkthroughImages, saveWalkthrough, userLibraryDir, type Library } from './library';
import { WalkthroughPlayer, type PlayerState } from './player';
import { RecordingSession } from './recorder';
import { WalkthroughIndex, walkthroughMatchesApp } from './search';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Pixels as the capture module hands them out, or an encoded image file. */
export type CapturedImage = { width: number; height: number; data: Uint8Array } | Buffer;

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

/** What the service needs from outside. */
export interface WalkthroughServiceOptions {
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
  log?(message: string, error?: unknown): void;
}

/** What a help-session answer provider gets (see src-main/app/help-session.ts `AskContext`). */
export interface LibraryAskContext {
  question: string;
  window: WindowInfo;
  screen: ScreenText;
  highlight(label: string): Promise<Highlight | null>;
}

function problem(error: unknown): { ok: false; problem: string } {
  if (error instanceof LibraryError) return { ok: false, problem: error.message };
  throw error;
}

async function toPng(image: CapturedImage): Promise<Buffer> {
  if (Buffer.isBuffer(image)) return sharp(image).png().toBuffer();
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } }).png().toBuffer();
}

/** The walkthrough service: build once per app, register `handlers` on the IPC dispatcher. */
export class WalkthroughService {
  private library: Library | null = null;
  private index: WalkthroughIndex | null = null;
  private player: WalkthroughPlayer | null = null;
  private playerTarget: PlayerTarget | null = null;
  private loop: NodeJS.Timeout | null = null;
  private recording = new RecordingSession();
  private recordingApp = '';
  /** The recorder window is open, so hotkey presses capture for it. */
  private recorderArmed = false;
  private readonly userDir: string;

  constructor(private readonly options: WalkthroughServiceOptions) {
    this.userDir = options.userDir ?? userLibraryDir();
  }

  /** The loaded library (reloaded after every change). */
  load(): Library {
    if (!this.library) {
      this.library = loadLibrary({ userDir: this.userDir, teamDir: this.options.teamDir ?? null, starterDir: this.options.starterDir });
      this.index = new WalkthroughIndex(this.library.entries);
      for (const p of this.library.problems) this.options.log?.(`Walkthrough skipped: ${p.path} ${p.field}: ${p.message}`);
    }
    return this.library;
  }

  /** The search index over the loaded library. */
  searchIndex(): WalkthroughIndex {
    this.load();
    return this.index!;
  }

  /** Where the person is in a playing walkthrough (for a help request), or null when none plays. */
  position(): { id: string; title: string; stepIndex: number; stepInstruction: string } | null {
    const state = this.player?.state;
    if (!state || state.status === 'finished' || state.status === 'stopped') return null;
    return { ...state.walkthrough, stepIndex: state.stepIndex, stepInstruction: state.instruction };
  }

  /** Reloads from disk on next use (e.g. after the team library synced) and tells the windows. */
  reload(): void {
    this.changed();
  }

  private changed(): void {
    this.library = null;
    this.index = null;
    this.options.emitLibraryChanged?.();
  }

  private entry(id: string): LibraryEntry | undefined {
    return this.load().entries.find((e) => e.walkthrough.id === id);
  }

  /** The help session's answer provider: the best library walkthrough, with its visible targets highlighted. */
  async answer(context: LibraryAskContext): Promise<AskResult | null> {
    const { hit } = this.searchIndex().best(context.question, { app: context.window.app, screen: context.screen });
    if (!hit) return null;
    const w = hit.entry.walkthrough;
    const steps = [];
    for (const [index, step] of w.steps.entries()) {
      const highlight = step.target ? await context.highlight(step.target.text) : null;
      steps.push({ index, instruction: step.instruction, target: step.target ? { text: step.target.text, highlight } : null });
    }
    return { kind: 'steps', source: 'library', title: w.title, walkthroughId: w.id, steps };
  }

  /** Suggestions for the app in front before any question. */
  suggest(app: string | null, screen: ScreenText | null, limit = 5): WalkthroughSummary[] {
    return this.searchIndex()
      .suggest({ app, screen }, limit)
      .map((h) => this.summary(h.entry, h.score));
  }

  private summary(e: LibraryEntry, score: number | null): WalkthroughSummary {
    const w = e.walkthrough;
    return { id: w.id, title: w.title, app: w.app.name, tags: w.tags, steps: w.steps.length, origin: e.origin, readOnly: e.readOnly, score };
  }

  // ---- player ----

  /** Starts playing `id` on the current help session's window. */
  async startPlayer(id: string): Promise<{ ok: true; view: PlayerView } | { ok: false; problem: string }> {
    const entry = this.entry(id);
    if (!entry) return { ok: false, problem: `There is no walkthrough "${id}" in the library.` };
    return this.play(entry.walkthrough);
  }

  /** Plays a walkthrough on the help session's window, whether or not it is in the library (an AI answer). */
  async play(walkthrough: Walkthrough): Promise<{ ok: true; view: PlayerView } | { ok: false; problem: string }> {
    const target = (await this.options.currentTarget?.()) ?? null;
    if (!target) return { ok: false, problem: 'Press the help hotkey over the window first, then start the walkthrough.' };
    this.stopPlayer();
    this.playerTarget = target;
    const player = new WalkthroughPlayer(walkthrough);
    this.player = player;
    player.onChange((state) => this.options.emit('walkthroughs:player-state', this.view(state)));
    this.scheduleRead(0);
    return { ok: true, view: this.view(player.state) };
  }

  /** Back / Next / Skip / stop from the step card. */
  control(action: 'next' | 'back' | 'skip' | 'stop'): PlayerView | null {
    const player = this.player;
    if (!player) return null;
    const state = action === 'next' ? player.next() : action === 'back' ? player.back() : action === 'skip' ? player.skip() : player.stop();
    if (state.status === 'finished' || state.status === 'stopped') this.stopLoop();
    return this.view(state);
  }

  /** Stops the player and its re-reading. */
  stopPlayer(): void {
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
    const target = this.playerTarget;
    const { reader, captureWindow } = this.options;
    if (!player || !target || !reader || !captureWindow || target.window.id === undefined) return;
    try {
      const shot = await captureWindow(target.window.id);
      const screen = await reader.read(shot.image, { windowKey: `window-${target.window.id}` });
      if (this.player !== player) return;
      this.playerTarget = { ...target, window: shot.window };
      const state = player.feed(screen, shot.window);
      if (state.status === 'finished' || state.status === 'stopped') return;
    } catch (error) {
      this.options.log?.('Walkthrough re-read failed', error);
    }
    if (this.player === player) this.scheduleRead(this.options.intervalMs ?? 300);
  }

  private view(state: PlayerState): PlayerView {
    const target = this.playerTarget;
    const box = state.target?.box && target ? target.toOverlay(state.target.box, target.window) : null;
    return {
      walkthrough: state.walkthrough,
      status: state.status,
      stepIndex: state.stepIndex,
      stepCount: state.stepCount,
      instruction: state.instruction,
      target: state.target ? { text: state.target.text, box } : null,
      notice: state.notice,
      needsNext: state.needsNext,
      canGoBack: state.canGoBack,
    };
  }

  // ---- recorder ----

  private recorderView(): RecorderView {
    const suggested = this.recording.suggestDetails(this.recordingApp || 'App');
    return {
      captures: this.recording.captures.map((c, index) => ({ index, width: c.screen.image.width, height: c.screen.image.height, app: this.recordingApp })),
      steps: this.recording.steps.map((s) => ({ captureIndex: s.captureIndex, instruction: s.instruction, target: s.target })),
      suggested: { title: suggested.title, questions: suggested.questions ?? [], appName: this.recordingApp },
    };
  }

  /**
   * A hotkey press while the recorder window is open: capture the window for the recording
   * (and tell the recorder window) instead of opening help. False when not recording.
   */
  takeHotkey(): boolean {
    if (!this.recorderArmed) return false;
    void this.recordCapture().then(
      (result) => this.options.emitRecorderCaptured?.(result),
      (error) => this.options.log?.('Recorder capture failed', error),
    );
    return true;
  }

  /** Captures the recorded window, reads it, and returns the frozen picture. */
  async recordCapture(): Promise<RecorderCaptureResult> {
    const { captureForRecording, reader } = this.options;
    if (!captureForRecording || !reader) return { ok: false, problem: 'Recording is not available here (no screen capture).' };
    let shot: WindowShot;
    try {
      shot = await captureForRecording();
    } catch (error) {
      return { ok: false, problem: `Could not capture the window: ${(error as Error).message}` };
    }
    const png = await toPng(shot.image);
    const screen = await reader.read(png, { windowKey: `record-${shot.window.id ?? shot.window.title}` });
    if (!this.recordingApp) this.recordingApp = shot.window.app;
    const index = this.recording.addCapture({ image: png, screen });
    return { ok: true, index, image: `data:image/png;base64,${png.toString('base64')}`, view: this.recorderView() };
  }

  /** Adds a step where the person clicked on a frozen capture. */
  recordStep(captureIndex: number, point: { x: number; y: number }, instruction?: string): { ok: true; view: RecorderView } | { ok: false; problem: string } {
    try {
      this.recording.addStepAt(captureIndex, point, instruction);
      return { ok: true, view: this.recorderView() };
    } catch (error) {
      return problem(error);
    }
  }

  /** Edits, moves or removes a recorded step. */
  changeStep(change: { index: number; instruction?: string; targetText?: string | null; moveTo?: number; remove?: boolean }): { ok: true; view: RecorderView } | { ok: false; problem: string } {
    try {
      if (change.remove) this.recording.deleteStep(change.index);
      else {
        if (change.instruction !== undefined || change.targetText !== undefined) this.recording.editStep(change.index, { instruction: change.instruction, targetText: change.targetText });
        if (change.moveTo !== undefined) this.recording.moveStep(change.index, change.moveTo);
      }
      return { ok: true, view: this.recorderView() };
    } catch (error) {
      return problem(error);
    }
  }

  /** Saves the recording into the user library and starts a fresh one. */
  async saveRecording(details: { title: string; questions: string[]; appName: string }): Promise<{ ok: true; id: string; path: string } | { ok: false; problem: string }> {
    try {
      const { path, walkthrough } = await this.recording.save(this.userDir, { title: details.title, questions: details.questions, app: { name: details.appName } });
      this.resetRecording();
      this.changed();
      return { ok: true, id: walkthrough.id, path };
    } catch (error) {
      return problem(error);
    }
  }

  /** Throws the current recording away. */
  resetRecording(): RecorderView {
    this.recording = new RecordingSession();
    this.recordingApp = '';
    return this.recorderView();
  }

  // ---- IPC ----

  /** Handlers for the walkthrough channels, for `IpcDispatcher.register`. */
  handlers() {
    return {
      'walkthroughs:list': ({ query, app }: { query?: string; app?: string }) => {
        const library = this.load();
        const apps = [...new Set(library.entries.map((e) => e.walkthrough.app.name))].sort();
        let entries: WalkthroughSummary[];
        if (query?.trim()) {
          entries = this.searchIndex()
            .search(query, { app: app ?? null }, 50)
            .filter((h) => !app || walkthroughMatchesApp(h.entry.walkthrough, app))
            .map((h) => this.summary(h.entry, h.score));
        } else {
          entries = library.entries
            .filter((e) => !app || walkthroughMatchesApp(e.walkthrough, app))
            .map((e) => this.summary(e, null))
            .sort((a, b) => a.app.localeCompare(b.app) || a.title.localeCompare(b.title));
        }
        return { entries, problems: library.problems, apps, userDir: this.userDir };
      },
      'walkthroughs:suggest': async ({ sessionId }: { sessionId: string }) => {
        const read = await this.options.sessionScreen?.(sessionId);
        return { entries: read ? this.suggest(read.app, read.screen) : [] };
      },
      'walkthroughs:get': ({ id }: { id: string }) => {
        const entry = this.entry(id);
        if (!entry) return { ok: false as const, problem: `There is no walkthrough "${id}".` };
        const images: Record<string, string> = {};
        for (const [name, bytes] of Object.entries(readWalkthroughImages(entry))) images[name] = `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;
        return { ok: true as const, walkthrough: entry.walkthrough, readOnly: entry.readOnly, origin: entry.origin, images };
      },
      'walkthroughs:save': ({ walkthrough }: { walkthrough: unknown }) => {
        const parsed = WalkthroughSchema.safeParse(walkthrough);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          return { ok: false as const, problem: `${formatFieldPath(issue.path) || 'walkthrough'}: ${issue.message}` };
        }
        try {
          const existing = this.entry(parsed.data.id);
          const images = existing ? readWalkthroughImages(existing) : {};
          const steps = parsed.data.steps.map((s) => (s.image && !(s.image in images) ? { ...s, image: undefined } : s));
          saveWalkthrough(this.userDir, { ...parsed.data, steps, updated: new Date().toISOString() }, images);
          this.changed();
          return { ok: true as const, id: parsed.data.id };
        } catch (error) {
          return problem(error);
        }
      },
      'walkthroughs:delete': ({ id }: { id: string }) => {
        const entry = this.entry(id);
        if (!entry) return { ok: false as const, problem: `There is no walkthrough "${id}".` };
        try {
          deleteWalkthrough(entry, this.userDir);
          this.changed();
          return { ok: true as const };
        } catch (error) {
          return problem(error);
        }
      },
      'walkthroughs:export': ({ ids }: { ids: string[] }) => {
        const entries = this.load().entries.filter((e) => ids.includes(e.walkthrough.id));
        const dir = mkdtempSync(join(tmpdir(), 'sidekick-export-'));
        try {
          const file = join(dir, 'walkthroughs.zip');
          exportWalkthroughs(entries, file);
          const fileName = entries.length === 1 ? `${entries[0]!.walkthrough.id}.zip` : `sidekick-walkthroughs-${entries.length}.zip`;
          return { ok: true as const, fileName, base64: readFileSync(file).toString('base64') };
        } catch (error) {
          return problem(error);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      'walkthroughs:player-start': ({ id }: { id: string }) => this.startPlayer(id),
      'walkthroughs:player-play': ({ walkthrough }: { walkthrough: Walkthrough }) => this.play(walkthrough),
      'walkthroughs:player-control': ({ action }: { action: 'next' | 'back' | 'skip' | 'stop' }) => this.control(action),
      'walkthroughs:record-capture': () => this.recordCapture(),
      'walkthroughs:record-add-step': ({ captureIndex, x, y, instruction }: { captureIndex: number; x: number; y: number; instruction?: string }) => this.recordStep(captureIndex, { x, y }, instruction),
      'walkthroughs:record-change-step': (change: { index: number; instruction?: string; targetText?: string | null; moveTo?: number; remove?: boolean }) => this.changeStep(change),
      'walkthroughs:record-save': (details: { title: string; questions: string[]; appName: string }) => this.saveRecording(details),
      'walkthroughs:record-reset': () => this.resetRecording(),
      'walkthroughs:record-arm': ({ armed }: { armed: boolean }) => {
        this.recorderArmed = armed;
        return {};
      },
    };
  }
}
