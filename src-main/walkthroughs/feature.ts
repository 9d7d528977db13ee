/**
 * Walkthroughs as a feature of the app core (listed first in src-main/app/features.ts, so the
 * library answers before the AI): the library/player/recorder IPC handlers and the answer provider.
 * The player re-captures the help session's window by id and re-reads it with the app's warm OCR reader;
 * while the recorder window is open, the hotkey captures for the recording.
 */
import type { SidekickFeature } from '../base/feature';
import { imageBoxToOverlay } from '../base/geometry';
import { captureWindow } from '../capture';
import { WalkthroughService, type WalkthroughServiceOptions, type WindowShot } from './service';

/** Options of the library feature; each defaults to the real thing. */
export interface WalkthroughsFeatureOptions {
  userDir?: string;
  /** The team's synced walkthroughs, loaded read-only beside the person's own. */
  teamDir?: string;
  captureWindow?: (windowId: number) => Promise<WindowShot>;
  /** Shares a question learned for a team walkthrough with the team (the team feature's `learn`). */
  shareLearned?: (id: string, question: string) => Promise<{ ok: true } | { ok: false; problem: string }>;
  /** What the team's opt-in usage sharing may count (no match, a walkthrough finished or closed at step k). */
  onUsage?: WalkthroughServiceOptions['onUsage'];
}

/**
 * The library feature, plus `reload()` for when its folders change behind its back (team sync) and
 * `position()`, where the person is in a playing walkthrough (for "I can't find it").
 */
export type WalkthroughsFeature = SidekickFeature & {
  reload(): void;
  position(): ReturnType<WalkthroughService['position']>;
};

/** The walkthrough library, player and recorder feature. */
export function walkthroughsFeature(options: WalkthroughsFeatureOptions = {}): WalkthroughsFeature {
  let service: WalkthroughService | null = null;
  return {
    name: 'walkthroughs',
    reload: () => service?.reload(),
    position: () => service?.position() ?? null,
    setup(context) {
      service = new WalkthroughService({
        ...(options.userDir ? { userDir: options.userDir } : {}),
        ...(options.teamDir ? { teamDir: options.teamDir } : {}),
        ...(options.shareLearned ? { shareLearned: options.shareLearned } : {}),
        ...(options.onUsage ? { onUsage: options.onUsage } : {}),
        reader: context.reader,
        captureWindow: options.captureWindow ?? ((windowId) => captureWindow(windowId)),
        captureForRecording: () => context.capture(),
        startHelpSession: async () => {
          await context.sessions.start();
        },
        currentTarget: async () => {
          const sessionId = context.sessions.current()?.sessionId;
          const session = sessionId ? await context.sessions.context(sessionId) : null;
          if (!session) return null;
          return { window: session.window, toOverlay: (box, window) => imageBoxToOverlay(box, window, session.frame) };
        },
        sessionScreen: async (sessionId) => {
          const session = await context.sessions.context(sessionId);
          return session ? { app: session.window.app, screen: session.screen } : null;
        },
        emit: (event, payload) => context.emit(event, payload),
        emitLibraryChanged: () => context.emit('walkthroughs:changed', {}),
        emitRecorderCaptured: (result) => context.emit('walkthroughs:record-captured', result),
        log: context.log,
      });
      const ready = service;
      return {
        handlers: ready.handlers(),
        answer: (ask) => ready.answer(ask),
        onHotkey: () => ready.takeHotkey(),
        // A walkthrough belongs to its help session: closing the overlay ends it, so it never reappears over another
        // app.
        onOverlayClose: () => ready.stopPlayer(),
        async dispose() {
          ready.stopPlayer();
        },
      };
    },
  };
}
