import { useCallback, useEffect, useRef, useState } from 'react';
import type { HelpState } from '../../src-shared/ipc/overlay';
import type { Box } from '../../src-shared/screen';
import { errorText, sidekick } from '../common/bridge';
import { PlayerLayer } from '../walkthroughs/player/PlayerLayer';
import { usePlayer } from '../walkthroughs/player/usePlayer';
import { HelpPanel, type AnswerView } from './HelpPanel';
import { HighlightLayer } from './HighlightLayer';

function sameBox(a: Box | null, b: Box | null): boolean {
  return a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h);
}

/** The overlay: follows the help session's state and sends the person's actions to main. */
export function OverlayApp() {
  const [state, setState] = useState<HelpState | null>(null);
  const [answer, setAnswer] = useState<AnswerView>({ status: 'idle' });
  const [panelBox, setPanelBox] = useState<Box | null>(null);
  const [cardBox, setCardBox] = useState<Box | null>(null);
  const player = usePlayer();
  // States of a session the person closed can still be in flight from main; they must not reopen the panel.
  const closedSession = useRef<string | null>(null);

  useEffect(() => {
    const bridge = sidekick();
    const unsubscribe = bridge.on('overlay:state', (next) => {
      if (next.sessionId === closedSession.current) return;
      setState((previous) => {
        if (previous?.sessionId !== next.sessionId) setAnswer({ status: 'idle' });
        return next;
      });
    });
    bridge.invoke('overlay:get-state', {}).then(
      (current) =>
        current && current.sessionId !== closedSession.current && setState((previous) => previous ?? current),
      () => {},
    );
    return unsubscribe;
  }, []);

  const close = useCallback(() => {
    void sidekick().invoke('overlay:close', {});
    setState((current) => {
      if (current) closedSession.current = current.sessionId;
      return null;
    });
    setAnswer({ status: 'idle' });
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);

  const ask = useCallback(
    async (question: string, options: { skipLibrary?: boolean } = {}) => {
      if (!state) return;
      setAnswer({ status: 'asking' });
      try {
        const skip = options.skipLibrary ? { skipLibrary: true } : {};
        const result = await sidekick().invoke('overlay:ask', { sessionId: state.sessionId, question, ...skip });
        setAnswer({ status: 'answered', question, result });
      } catch (error) {
        setAnswer({ status: 'error', message: errorText(error) });
      }
    },
    [state],
  );

  const setPointerOnPanel = useCallback((onPanel: boolean) => {
    void sidekick().invoke('overlay:set-click-through', { passThrough: !onPanel });
  }, []);

  // Main lets clicks through everywhere but the panel and the step card beside its target.
  useEffect(() => {
    if (panelBox)
      void sidekick().invoke('overlay:set-panel-bounds', { box: panelBox, others: cardBox ? [cardBox] : [] });
  }, [panelBox, cardBox]);
  const onPanelBounds = useCallback(
    (box: Box) => setPanelBox((current) => (sameBox(current, box) ? current : box)),
    [],
  );
  const onCardBox = useCallback(
    (box: Box | null) => setCardBox((current) => (sameBox(current, box) ? current : box)),
    [],
  );

  if (!state) return null;
  const playing = player.view !== null;
  return (
    <div className="overlay">
      {/* While a walkthrough plays, its spotlight is the one thing drawn on the window. */}
      <HighlightLayer
        window={playing ? null : (state.window?.bounds ?? null)}
        highlights={playing ? [] : state.highlights}
      />
      <PlayerLayer
        player={player}
        avoid={panelBox ? [panelBox] : []}
        onCardBox={onCardBox}
        onPointer={setPointerOnPanel}
        dockedElsewhere
      />
      <HelpPanel
        state={state}
        answer={answer}
        player={player}
        onAsk={(question, options) => void ask(question, options)}
        onClose={close}
        onAskHuman={() => void sidekick().invoke('overlay:open-window', { window: 'ask-human' })}
        onPointerOnPanel={setPointerOnPanel}
        onPanelBounds={onPanelBounds}
      />
    </div>
  );
}
