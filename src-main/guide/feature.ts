/**
 * Walkthroughs as a feature of the app core (listed first in src-main/app/features.ts, so the
 * library answers before the AI): the library/player/recorder IPC handlers and the answer provider.
 * The player re-captures the help session's window by id and re-reads it with the app's warm OCR reader;
 * while the recorder window is open, the hotkey captures for the recording.
 */
import type { SidekickFeature } from '../app/core';
import { imageBoxToOverlay } from '../app/geometry';
import { captureWindow } from '../capture';
import { WalkthroughService, type WindowShot } from './service';

/** The walkthrough library, player and recorder feature. */
export function libraryFeature(options: { userDir?: string; captureWindow?: (windowId: number) => Promise<WindowShot> } = {}): SidekickFeature {
  return {
    name: 'library',
    setup(context) {
      const service = new WalkthroughService({
        ...(options.userDir ? { userDir: options.userDir } : {}),
        reader: context.reader,
        captureWindow: options.captureWindow ?? ((windowId) => captureWindow(windowId)),
        captureForRecording: () => context.capture(),
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
        emitLibraryChanged: () => context.emit('library:changed', {}),
        emitRecorderCaptured: (result) => context.emit('recorder:captured', result),
        log: context.log,
      });
      return {
        handlers: service.handlers(),
        answer: (ask) => service.answer(ask),
        onHotkey: () => service.takeHotkey(),
        async dispose() {
          service.stopPlayer();
        },
      };
    },
  };
}
