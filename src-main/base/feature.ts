/**
 * The feature contract: what a feature of the app core (walkthroughs, ai, team) is given at setup and
 * what it hands back. It lives below the features and the app core, so features import it from here
 * and never from src-main/app or src-main/shell (imports flow shell → app → features → base/shared).
 * The app core (src-main/app/core.ts) implements `FeatureContext`; `src-main/app/features.ts` lists
 * the features.
 */
import type { Walkthrough } from '../../src-shared/walkthrough';
import type { EventChannel, EventPayload } from '../../src-shared/ipc';
import type { AppWindowName, AskResult, HelpState, Highlight } from '../../src-shared/ipc/overlay';
import type { Settings, SettingsPatch } from '../../src-shared/settings';
import type { Box, ScreenText, WindowInfo } from '../../src-shared/screen';
import type { OverlayFrame } from './geometry';
import type { RgbaImage } from './image';
import type { PartialIpcHandlers } from './ipc-dispatch';

/** What a capture gives the session: the window and its pixels (raw, or an encoded image file). */
export interface HelpCapture {
  window: WindowInfo;
  image: RgbaImage | Buffer;
  notes?: string[];
}

/** Reads text off a captured image (src-main/ocr `createScreenReader()`). */
export interface HelpScreenReader {
  read(
    image: RgbaImage | Buffer,
    options?: { windowKey?: string; onPartial?(partial: ScreenText): void; signal?: AbortSignal },
  ): Promise<ScreenText>;
}

/** A read window of a live session, for features (answers, AI previews, the player). */
export interface SessionContext {
  sessionId: string;
  window: WindowInfo;
  screen: ScreenText;
  /** Where the overlay window sits, in screen coordinates. */
  frame: OverlayFrame;
  /** Locates a label, draws its highlight on the overlay and returns it, or null when not on screen. */
  highlight(label: string): Promise<Highlight | null>;
  /** A box in captured-image pixels → overlay CSS pixels. */
  toOverlay(box: Box): Box;
  /** The captured pixels (for a redacted screenshot a person may choose to share). */
  image: RgbaImage | Buffer;
}

/** What an answer provider sees: the question and the read window. */
export interface AskContext extends SessionContext {
  question: string;
  /** The person declined the library's candidates ("None of these"): the library stays out of it. */
  skipLibrary?: boolean;
  /** The library's best few when it had nothing close enough to show; the AI chooses among them first. */
  libraryCandidates?: Walkthrough[];
}

/** Answers a question from the walkthrough library or AI; null when it has nothing. */
export type AnswerProvider = (context: AskContext) => Promise<AskResult | null>;

/** The help sessions as a feature sees them (src-main/app/help-session.ts `HelpSessions`). */
export interface FeatureSessions {
  /** The current session's state, or null before the first hotkey press. */
  current(): HelpState | null;
  /** Starts a session on the window in front, as the hotkey does; resolves when it has been read. */
  start(): Promise<HelpState>;
  /** The read window of a session, or null when it is gone or has no text yet. */
  context(sessionId: string): Promise<SessionContext | null>;
}

/** Read and change settings; listeners hear every saved change. */
export interface SettingsStore {
  get(): Settings;
  /** Validates and saves; the new settings, or the problem in words (nothing saved). */
  update(patch: SettingsPatch): { ok: true; settings: Settings } | { ok: false; problem: string };
  onChange(listener: (settings: Settings) => void): () => void;
}

/** Who sent a request: which of our windows. */
export interface IpcCaller {
  window: string;
}

/** The overlay window and the other windows, as the core drives them. */
export interface WindowControl {
  /** true: clicks pass through the overlay; false: the panel takes them. */
  setOverlayClickThrough(passThrough: boolean): void;
  /** The panel's rectangle and other areas that take clicks (the step card), in overlay CSS pixels. */
  setPanelBounds(box: Box, others: Box[]): void;
  closeOverlay(): void;
  openWindow(name: AppWindowName): void;
}

/** What a feature gets from the core when it is set up. */
export interface FeatureContext {
  sessions: FeatureSessions;
  settings: SettingsStore;
  windows: WindowControl;
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  log: (message: string, error?: unknown) => void;
  /** The app's warm OCR reader, shared so a feature never starts workers of its own. */
  reader: HelpScreenReader;
  /** Captures the focused window as the hotkey does (Sidekick's own windows skipped). */
  capture(): Promise<HelpCapture>;
}

/**
 * A feature of the app core (walkthroughs, ai, team): its IPC handlers and, optionally, an answer
 * provider the ask box tries (in the order features are listed in `src-main/app/features.ts`).
 */
export interface SidekickFeature {
  name: string;
  setup(context: FeatureContext): {
    handlers?: PartialIpcHandlers<IpcCaller>;
    answer?: AnswerProvider;
    /** Called on a hotkey press before a help session starts; true when the feature took the press (e.g. recording). */
    onHotkey?(): boolean;
    /** The overlay was closed (Esc, Close): end what belongs to that help session (a playing walkthrough). */
    onOverlayClose?(): void;
    dispose?(): void | Promise<void>;
  };
}
