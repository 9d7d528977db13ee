/**
 * A walkthrough or tip a helper sent into the chat from the team library: a walkthrough plays on the person's
 * window with "Play on my screen" (fetched from the team server first when it has not synced yet); a tip shows its
 * text.
 */
import { useState } from 'react';
import type { ChatMessage } from '../../../src-shared/team';
import { errorText, sidekick } from '../../common/bridge';

type PlayState = { step: 'idle' } | { step: 'busy' } | { step: 'playing' } | { step: 'problem'; problem: string };

/** The Play button's words in each state: after a problem (offline, deleted) it offers another try. */
const BUTTON_LABELS: Record<PlayState['step'], string> = {
  idle: '▶ Play on my screen',
  busy: 'Starting…',
  playing: '▶ Play again',
  problem: '▶ Try again',
};

/** Props of LibraryCard: a `library` chat message. */
export interface LibraryCardProps {
  message: ChatMessage;
}

/** The card of a `library` chat message. */
export function LibraryCard({ message }: LibraryCardProps) {
  const item = message.library;
  const [state, setState] = useState<PlayState>({ step: 'idle' });
  if (!item) return <>{message.text}</>;

  const play = async (): Promise<void> => {
    setState({ step: 'busy' });
    try {
      const bridge = sidekick();
      const ready = await bridge.invoke('team:library-item', { itemId: item.id });
      if (!ready.ok) return setState({ step: 'problem', problem: ready.problem });
      // The library window's Play: on the help session's window, or the window in front when there is none.
      const started = await bridge.invoke('walkthroughs:player-start', { id: item.id, newSession: true });
      setState(started.ok ? { step: 'playing' } : { step: 'problem', problem: started.problem });
    } catch (error) {
      setState({ step: 'problem', problem: errorText(error) });
    }
  };

  const walkthrough = item.kind === 'walkthrough';
  return (
    <div className="chat-card" data-testid="chat-library-card" data-kind={item.kind} data-id={item.id}>
      <span>
        <b>{message.author.name}</b> sent you {walkthrough ? 'a walkthrough' : 'a tip'}
        {item.app ? ` for ${item.app}` : ''}:
      </span>
      <strong className="chat-card-title">{item.title}</strong>
      {walkthrough ? (
        <button
          type="button"
          className="primary"
          data-testid="chat-library-play"
          disabled={state.step === 'busy'}
          onClick={() => void play()}
        >
          {BUTTON_LABELS[state.step]}
        </button>
      ) : (
        <p className="chat-card-text" data-testid="chat-library-tip">
          {message.text}
        </p>
      )}
      {state.step === 'playing' && (
        <p className="chat-card-note" role="status" data-testid="chat-library-status">
          Playing on your screen: follow the steps beside your app.
        </p>
      )}
      {state.step === 'problem' && (
        <p role="alert" className="chat-problem" data-testid="chat-library-problem">
          {state.problem}
        </p>
      )}
    </div>
  );
}
