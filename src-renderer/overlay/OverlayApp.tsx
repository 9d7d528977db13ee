import { useCallback, useEffect, useState } from 'react';
import type { HelpState } from '../../src-shared/ipc/overlay';
import type { Box } from '../../src-shared/screen';
import { errorText, sidekick } from '../common/bridge';
import { HelpPanel, type AnswerView } from './HelpPanel';
import { HighlightLayer } from './HighlightLayer';

/** The overlay: follows the help session's state and sends the person's actions to main. */
export function OverlayApp() {
  const [state, setState] = useState<HelpState | null>(null);
  const [answer, setAnswer] = useState<AnswerView>({ status: 'idle' });

  useEffect(() => {
    const bridge = sidekick();
    const unsubscribe = bridge.on('overlay:state', (next) => {
      setState((previous) => {
        if (previous?.sessionId !== next.sessionId) setAnswer({ status: 'idle' });
        return next;
      });
    });
    bridge.invoke('overlay:get-state', {}).then((current) => current && setState((previous) => previous ?? current), () => {});
    return unsubscribe;
  }, []);

  const close = useCallback(() => {
    void sidekick().invoke('overlay:close', {});
    setState(null);
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

  const setPanelBounds = useCallback((box: Box) => {
    void sidekick().invoke('overlay:set-panel-bounds', { box });
  }, []);

  if (!state) return null;
  return (
    <div className="overlay">
      <HighlightLayer window={state.window?.bounds ?? null} highlights={state.highlights} />
      <HelpPanel
        state={state}
        answer={answer}
        onAsk={ask}
        onClose={close}
        onAskHuman={() => void sidekick().invoke('overlay:open-window', { window: 'ask-human' })}
        onPointerOnPanel={setPointerOnPanel}
        onPanelBounds={setPanelBounds}
      />
    </div>
  );
}
