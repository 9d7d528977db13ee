import type { KeyboardEvent } from 'react';
import type { PlayerView } from '../../../src-shared/ipc/walkthroughs';
import './PlayerCard.css';

/** Props of the step card. */
export interface PlayerCardProps {
  view: PlayerView;
  onControl(action: 'next' | 'back' | 'skip' | 'stop'): void;
  /** "I can't find it": hand over to a human helper. */
  onAskHuman(): void;
  /** In the flow of its parent (the help panel) instead of the bottom-right corner. */
  inline?: boolean;
}

/**
 * The step card: instruction, "Step n of m", Back / Next / Skip / "I can't find it". Keyboard:
 * Tab through the buttons, or ←/→ while the card has focus. It never takes focus by itself, so
 * the application being explained keeps the keyboard.
 */
export function PlayerCard({ view, onControl, onAskHuman, inline = false }: PlayerCardProps) {
  const finished = view.status === 'finished';
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowRight') onControl('next');
    else if (event.key === 'ArrowLeft' && view.canGoBack) onControl('back');
    else if (event.key === 'Escape') onControl('stop');
    else return;
    event.preventDefault();
  };
  return (
    <section className={inline ? 'player-card player-card--inline' : 'player-card'} role="region" aria-label={`Walkthrough: ${view.walkthrough.title}`} onKeyDown={onKeyDown}>
      <header>
        <span className="player-card__title">{view.walkthrough.title}</span>
        <button type="button" className="player-card__close" aria-label="Stop the walkthrough" onClick={() => onControl('stop')}>
          ×
        </button>
      </header>
      {finished ? (
        <p className="player-card__instruction" role="status">
          Done! That was the last step.
        </p>
      ) : (
        <>
          <p className="player-card__progress">
            Step {view.stepIndex + 1} of {view.stepCount}
          </p>
          <p className="player-card__instruction" aria-live="polite">
            {view.instruction}
          </p>
          {view.status === 'waiting' && (
            <p className="player-card__waiting" role="status">
              {view.notice ?? (view.target ? `Looking for “${view.target.text}”…` : '')}
            </p>
          )}
        </>
      )}
      <div className="player-card__buttons">
        {finished ? (
          <button type="button" className="primary" onClick={() => onControl('stop')}>
            Close
          </button>
        ) : (
          <>
            <button type="button" disabled={!view.canGoBack} onClick={() => onControl('back')}>
              Back
            </button>
            <button type="button" className={view.needsNext ? 'primary' : undefined} onClick={() => onControl('next')}>
              {view.stepIndex + 1 === view.stepCount ? 'Done' : 'Next'}
            </button>
            <button type="button" onClick={() => onControl('skip')}>
              Skip
            </button>
            <button type="button" onClick={onAskHuman}>
              I can't find it
            </button>
          </>
        )}
      </div>
    </section>
  );
}
