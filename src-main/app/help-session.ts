/**
 * The help session: on the hotkey, capture the focused window, tell the overlay at once, read
 * the window with OCR (streaming partial results as progress), then answer questions about it
 * and highlight labels on it. Plain Node; the shell and the browser host inject the collaborators.
 *
 * Expected failures (no window, window vanished, permission, corrupt/empty/huge image, no text)
 * become a `problem` on the state the overlay shows; nothing here throws at the shell.
 */
import type { AskResult, HelpProblem, HelpState, Highlight } from '../../src-shared/ipc/overlay';
import type { LocateMatch, ScreenText, WindowInfo } from '../../src-shared/screen';
import type {
  AnswerProvider,
  AskContext,
  FeatureSessions,
  HelpCapture,
  HelpScreenReader,
  SessionContext,
} from '../base/feature';
import { imageBoxToOverlay, windowBoundsToOverlay, type OverlayFrame } from '../base/geometry';

/** Finds one label on a read screen (src-main/screen `locateLabel`). */
export type LocateLabel = (screen: ScreenText, label: string) => LocateMatch | Promise<LocateMatch>;

/** Everything a help session needs from outside. */
export interface HelpSessionCollaborators {
  /** Captures the window that has focus, skipping Sidekick's own windows. */
  capture(): Promise<HelpCapture>;
  reader: HelpScreenReader;
  locate: LocateLabel;
  /** Places (and shows) the overlay for this window; returns its frame in screen coordinates. */
  placeOverlay(window: WindowInfo): OverlayFrame | Promise<OverlayFrame>;
  /** Sends a state to the overlay. */
  publish(state: HelpState): void;
  /** Answer providers tried in order (library, AI); when all return null the person is offered a human. */
  answerProviders?: AnswerProvider[];
  log?(message: string, error?: unknown): void;
}

/** What the overlay says when nothing answers yet. */
export const NO_ANSWER_MESSAGE = 'No walkthrough or AI answer is available yet — ask a human.';

interface ActiveSession {
  state: HelpState;
  capture: HelpCapture | null;
  frame: OverlayFrame | null;
  screen: Promise<ScreenText | null>;
  abort: AbortController;
}

let sessionCounter = 0;

/** Runs one help session at a time; a new hotkey press replaces the previous session. */
export class HelpSessions implements FeatureSessions {
  private active: ActiveSession | null = null;

  constructor(private readonly deps: HelpSessionCollaborators) {}

  /** The current session's state, or null before the first hotkey press. */
  current(): HelpState | null {
    return this.active?.state ?? null;
  }

  /** Starts a session: capture, place the overlay, read. Resolves when reading has finished (or failed). */
  async start(): Promise<HelpState> {
    this.active?.abort.abort();
    const sessionId = `s${Date.now().toString(36)}-${++sessionCounter}`;
    let resolveScreen!: (screen: ScreenText | null) => void;
    const session: ActiveSession = {
      state: {
        sessionId,
        phase: 'capturing',
        window: null,
        progress: { fraction: null, label: 'Capturing the window…' },
        textCount: 0,
        highlights: [],
        problem: null,
      },
      capture: null,
      frame: null,
      screen: new Promise((resolve) => (resolveScreen = resolve)),
      abort: new AbortController(),
    };
    this.active = session;
    this.publish(session);
    try {
      session.capture = await this.deps.capture();
    } catch (error) {
      resolveScreen(null);
      this.fail(session, describeCaptureFailure(error), error);
      return session.state;
    }
    const { window } = session.capture;
    try {
      session.frame = await this.deps.placeOverlay(window);
    } catch (error) {
      resolveScreen(null);
      this.fail(
        session,
        {
          message: 'Sidekick could not open its overlay on this screen.',
          nextStep: 'Try the hotkey again; if it keeps failing, restart Sidekick.',
        },
        error,
      );
      return session.state;
    }
    this.update(session, {
      phase: 'reading',
      window: {
        app: window.app || 'Unknown app',
        title: window.title,
        bounds: windowBoundsToOverlay(window, session.frame),
      },
      progress: { fraction: 0, label: `Reading ${window.app || 'the window'}…` },
    });
    try {
      const screen = await this.deps.reader.read(session.capture.image, {
        windowKey: window.id !== undefined ? `window-${window.id}` : `${window.app}:${window.title}`,
        signal: session.abort.signal,
        onPartial: (partial) => {
          if (this.active !== session || session.state.phase !== 'reading') return;
          const count = partial.elements.filter((e) => e.kind === 'word').length;
          const fraction =
            typeof partial.timings.progress === 'number' ? Math.min(1, Math.max(0, partial.timings.progress)) : null;
          this.update(session, {
            textCount: count,
            progress: { fraction, label: `Reading ${window.app || 'the window'}… ${count} words so far` },
          });
        },
      });
      resolveScreen(screen);
      if (this.active !== session) return session.state;
      const words = screen.elements.filter((e) => e.kind === 'word').length;
      this.update(session, {
        phase: 'ready',
        textCount: words,
        progress: { fraction: 1, label: `Read ${words} words in ${Math.round(screen.timings.totalMs)} ms` },
        problem:
          words === 0
            ? {
                message: `Sidekick found no text in ${window.app || 'this window'}.`,
                nextStep:
                  'Make sure the window is not covered or minimized and press the hotkey again, or ask a human.',
              }
            : null,
      });
    } catch (error) {
      resolveScreen(null);
      if (this.active === session) this.fail(session, describeReadFailure(error), error);
    }
    return session.state;
  }

  /** The session's read window once reading has finished; null for an ended or failed session. */
  async context(sessionId: string): Promise<SessionContext | null> {
    const session = this.sessionById(sessionId);
    if (!session) return null;
    const screen = await session.screen;
    if (!screen || !session.capture || !session.frame || this.active !== session) return null;
    const { window } = session.capture;
    const frame = session.frame;
    return {
      sessionId,
      window,
      screen,
      frame,
      highlight: async (label) => (await this.locateInSession(session, screen, [label])).highlights[0] ?? null,
      toOverlay: (box) => imageBoxToOverlay(box, window, frame),
      image: session.capture.image,
    };
  }

  /** Answers a question about the session's window (waits for reading to finish). */
  async ask(sessionId: string, question: string, options: { skipLibrary?: boolean } = {}): Promise<AskResult> {
    const session = this.sessionById(sessionId);
    if (!session) return staleSession();
    const read = await this.context(sessionId);
    if (!read) {
      if (!this.sessionById(sessionId)) return staleSession();
      return {
        kind: 'problem',
        problem: session.state.problem ?? {
          message: 'The window could not be read.',
          nextStep: 'Press the hotkey again, or ask a human.',
        },
      };
    }
    const context: AskContext = { ...read, question, ...(options.skipLibrary ? { skipLibrary: true } : {}) };
    for (const provider of this.deps.answerProviders ?? []) {
      try {
        const result = await provider(context);
        if (result) return result;
      } catch (error) {
        this.deps.log?.('An answer provider failed', error);
      }
    }
    return { kind: 'none', message: NO_ANSWER_MESSAGE, next: 'ask-human' };
  }

  /** Finds labels on the session's window and highlights the ones found. */
  async locate(sessionId: string, labels: string[]): Promise<{ matches: LocateMatch[]; highlights: Highlight[] }> {
    const session = this.sessionById(sessionId);
    if (!session) return { matches: labels.map((query) => ({ query, text: null, box: null })), highlights: [] };
    const screen = await session.screen;
    if (!screen) return { matches: labels.map((query) => ({ query, text: null, box: null })), highlights: [] };
    return this.locateInSession(session, screen, labels);
  }

  /** Clears highlights and forgets the session (the overlay was closed). */
  close(): void {
    this.active?.abort.abort();
    this.active = null;
  }

  private async locateInSession(
    session: ActiveSession,
    screen: ScreenText,
    labels: string[],
  ): Promise<{ matches: LocateMatch[]; highlights: Highlight[] }> {
    const matches: LocateMatch[] = [];
    for (const label of labels) matches.push(await this.deps.locate(screen, label));
    const highlights: Highlight[] = [];
    if (session.capture && session.frame) {
      matches.forEach((match, index) => {
        if (match.box) {
          highlights.push({
            id: `h${index}-${match.query}`.slice(0, 80),
            box: imageBoxToOverlay(match.box, session.capture!.window, session.frame!),
            label: match.text,
          });
        }
      });
    }
    if (this.active === session) this.update(session, { highlights });
    return { matches, highlights };
  }

  private sessionById(sessionId: string): ActiveSession | null {
    return this.active && this.active.state.sessionId === sessionId ? this.active : null;
  }

  private update(session: ActiveSession, change: Partial<HelpState>): void {
    session.state = { ...session.state, ...change };
    this.publish(session);
  }

  private fail(session: ActiveSession, problem: HelpProblem, error: unknown): void {
    this.deps.log?.(`Help session ${session.state.sessionId} failed: ${problem.message}`, error);
    if (this.active !== session) return;
    this.update(session, { phase: 'failed', problem, progress: { fraction: null, label: problem.message } });
  }

  private publish(session: ActiveSession): void {
    if (this.active !== session) return;
    try {
      this.deps.publish(session.state);
    } catch (error) {
      this.deps.log?.('Could not send the help state to the overlay', error);
    }
  }
}

function staleSession(): AskResult {
  return {
    kind: 'problem',
    problem: {
      message: 'This help session has ended.',
      nextStep: 'Press the hotkey again over the window you need help with.',
    },
  };
}

function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Capture failures in words. CaptureError messages are written for people already. */
export function describeCaptureFailure(error: unknown): HelpProblem {
  const code = errorCode(error);
  if (error instanceof Error && error.name === 'CaptureError') {
    const nextStep =
      code === 'window-vanished'
        ? 'The window closed or was minimized. Bring it back and press the hotkey again.'
        : code === 'permission-denied'
          ? 'Allow screen recording for Sidekick, then press the hotkey again.'
          : 'Fix that, then press the hotkey again — or ask a human.';
    return { message: error.message, nextStep };
  }
  return {
    message: `Sidekick could not capture the window: ${errorMessage(error)}`,
    nextStep: 'Press the hotkey again; if it keeps failing, ask a human.',
  };
}

/** OCR failures in words. ImageError/OcrEngineError messages are written for people already. */
export function describeReadFailure(error: unknown): HelpProblem {
  if (error instanceof Error && error.name === 'ImageError') {
    return {
      message: `The captured image could not be read: ${error.message}`,
      nextStep: 'Press the hotkey again over a visible window, or ask a human.',
    };
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return { message: 'Reading was cancelled.', nextStep: 'Press the hotkey again.' };
  }
  return {
    message: `Sidekick could not read the window: ${errorMessage(error)}`,
    nextStep: 'Press the hotkey again; if it keeps failing, ask a human.',
  };
}
