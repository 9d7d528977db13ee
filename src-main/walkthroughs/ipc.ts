/** The `walkthroughs:*` channel handlers (library window, player card, recorder window) over a WalkthroughService. */
import type { PlayerView } from '../../src-shared/ipc/walkthroughs';
import type { PartialIpcHandlers } from '../base/ipc-dispatch';
import type { LibraryCatalog } from './catalog';
import type { PlayerLoop } from './player-loop';
import type { RecorderService } from './recorder-service';

/** The parts of the walkthrough feature the channels reach (WalkthroughService in ./service.ts). */
export interface WalkthroughParts {
  catalog: LibraryCatalog;
  player: PlayerLoop;
  recorder: RecorderService;
  /** Plays library walkthrough `id` on the current help session's window. */
  startPlayer(
    id: string,
    newSession?: boolean,
  ): Promise<{ ok: true; view: PlayerView } | { ok: false; problem: string }>;
}

/** Handlers of the `walkthroughs:*` channels, for `IpcDispatcher.register`. */
export function walkthroughsIpcHandlers<Caller>(service: WalkthroughParts): PartialIpcHandlers<Caller> {
  const { catalog, player, recorder } = service;
  return {
    'walkthroughs:list': ({ query, app }) => catalog.list(query, app),
    'walkthroughs:suggest': ({ sessionId }) => catalog.suggestForSession(sessionId),
    'walkthroughs:get': ({ id }) => catalog.get(id),
    'walkthroughs:save': ({ walkthrough }) => catalog.save(walkthrough),
    'walkthroughs:delete': ({ id }) => catalog.remove(id),
    'walkthroughs:export': ({ ids }) => catalog.exportBundle(ids),
    'walkthroughs:player-start': ({ id, newSession }) => service.startPlayer(id, newSession),
    'walkthroughs:player-play': ({ walkthrough }) => player.play(walkthrough),
    'walkthroughs:player-control': ({ action }) => player.control(action),
    'walkthroughs:record-capture': () => recorder.capture(),
    'walkthroughs:record-add-step': ({ captureIndex, x, y, instruction }) =>
      recorder.addStep(captureIndex, { x, y }, instruction),
    'walkthroughs:record-change-step': (change) => recorder.changeStep(change),
    'walkthroughs:record-save': (details) => recorder.save(details),
    'walkthroughs:record-reset': () => recorder.reset(),
    'walkthroughs:learn': ({ id, question }) => catalog.learn(id, question),
    'walkthroughs:learned': ({ id }) => ({ questions: catalog.learnedQuestions(id) }),
    'walkthroughs:forget': ({ id, question }) => catalog.forget(id, question),
    'walkthroughs:record-arm': ({ armed }) => {
      recorder.arm(armed);
      return {};
    },
  };
}
