/**
 * The recorder window's backend: while the window is open (armed) each hotkey press captures the
 * focused window for the recording; a click on a frozen capture adds a step; steps are edited,
 * moved or removed; saving writes a walkthrough with thumbnails into the user library.
 */
import sharp from 'sharp';
import type { RecorderCaptureResult, RecorderView } from '../../src-shared/ipc/walkthroughs';
import type { ScreenText } from '../../src-shared/screen';
import { encodePng } from '../base/image';
import { libraryProblem } from './library';
import type { CapturedImage, WindowShot } from './player-loop';
import { RecordingSession } from './recorder';

/** What the recorder needs from outside. */
export interface RecorderServiceOptions {
  /** Where a finished recording is saved. */
  userDir: string;
  reader?: { read(image: CapturedImage, options?: { windowKey?: string }): Promise<ScreenText> };
  /** Captures the window being recorded (focused window, Sidekick's own skipped). */
  captureForRecording?: () => Promise<WindowShot>;
  /** Tells the recorder window about a capture the hotkey made. */
  emitRecorderCaptured?(result: RecorderCaptureResult): void;
  /** A recording was saved into the library. */
  onSaved(): void;
  log?(message: string, error?: unknown): void;
}

async function toPng(image: CapturedImage): Promise<Buffer> {
  if (Buffer.isBuffer(image)) return sharp(image).png().toBuffer();
  return encodePng(image);
}

/** One recording at a time, for the recorder window. */
export class RecorderService {
  private recording = new RecordingSession();
  private recordingApp = '';
  /** The recorder window is open, so hotkey presses capture for it. */
  private armed = false;

  constructor(private readonly options: RecorderServiceOptions) {}

  /** The recorder window opened (true) or closed (false). */
  arm(armed: boolean): void {
    this.armed = armed;
  }

  /**
   * A hotkey press while the recorder window is open: capture the window for the recording
   * (and tell the recorder window) instead of opening help. False when not recording.
   */
  takeHotkey(): boolean {
    if (!this.armed) return false;
    void this.capture().then(
      (result) => this.options.emitRecorderCaptured?.(result),
      (error) => this.options.log?.('Recorder capture failed', error),
    );
    return true;
  }

  /** Captures the recorded window, reads it, and returns the frozen picture. */
  async capture(): Promise<RecorderCaptureResult> {
    const { captureForRecording, reader } = this.options;
    if (!captureForRecording || !reader)
      return { ok: false, problem: 'Recording is not available here (no screen capture).' };
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
    return { ok: true, index, image: `data:image/png;base64,${png.toString('base64')}`, view: this.view() };
  }

  /** Adds a step where the person clicked on a frozen capture. */
  addStep(
    captureIndex: number,
    point: { x: number; y: number },
    instruction?: string,
  ): { ok: true; view: RecorderView } | { ok: false; problem: string } {
    try {
      this.recording.addStepAt(captureIndex, point, instruction);
      return { ok: true, view: this.view() };
    } catch (error) {
      return libraryProblem(error);
    }
  }

  /** Edits, moves or removes a recorded step. */
  changeStep(change: {
    index: number;
    instruction?: string;
    targetText?: string | null;
    moveTo?: number;
    remove?: boolean;
  }): { ok: true; view: RecorderView } | { ok: false; problem: string } {
    try {
      if (change.remove) this.recording.deleteStep(change.index);
      else {
        if (change.instruction !== undefined || change.targetText !== undefined)
          this.recording.editStep(change.index, { instruction: change.instruction, targetText: change.targetText });
        if (change.moveTo !== undefined) this.recording.moveStep(change.index, change.moveTo);
      }
      return { ok: true, view: this.view() };
    } catch (error) {
      return libraryProblem(error);
    }
  }

  /** Saves the recording into the user library and starts a fresh one. */
  async save(details: {
    title: string;
    questions: string[];
    appName: string;
  }): Promise<{ ok: true; id: string; path: string } | { ok: false; problem: string }> {
    try {
      const { path, walkthrough } = await this.recording.save(this.options.userDir, {
        title: details.title,
        questions: details.questions,
        app: { name: details.appName },
      });
      this.reset();
      this.options.onSaved();
      return { ok: true, id: walkthrough.id, path };
    } catch (error) {
      return libraryProblem(error);
    }
  }

  /** Throws the current recording away. */
  reset(): RecorderView {
    this.recording = new RecordingSession();
    this.recordingApp = '';
    return this.view();
  }

  private view(): RecorderView {
    const suggested = this.recording.suggestDetails(this.recordingApp || 'App');
    return {
      captures: this.recording.captures.map((c, index) => ({
        index,
        width: c.screen.image.width,
        height: c.screen.image.height,
        app: this.recordingApp,
      })),
      steps: this.recording.steps.map((s) => ({
        captureIndex: s.captureIndex,
        instruction: s.instruction,
        target: s.target,
      })),
      suggested: { title: suggested.title, questions: suggested.questions ?? [], appName: this.recordingApp },
    };
  }
}
