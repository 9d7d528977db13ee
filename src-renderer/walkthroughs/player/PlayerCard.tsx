import { useEffect, useRef, type CSSProperties, type FocusEvent, type KeyboardEvent, type Ref } from 'react';
import type { PlayerView } from '../../../src-shared/ipc/walkthroughs';
import type { CardPlacement } from './popover-position';
import './PlayerCard.css';

/**
 * Whether the keyboard was in a step card. The card moves (beside the target, into the panel) as steps
 * change, which remounts it; the same walkthrough's card mounted while this holds takes the focus back,
 * so ←/→ keep working. Holds the walkthrough's id; a new walkthrough's card never takes focus.
 */
let keyboardInCard: string | null = null;

/** The step card's buttons. */
export type PlayerAction = 'next' | 'back' | 'skip' | 'stop';

/** Props of the step card. */
export interface PlayerCardProps {
  view: PlayerView;
  onControl: (action: PlayerAction) => void;
  /** "I can't find it": hand over to a human helper. */
  onAskHuman: () => void;
  /**
   * Where the card is: beside its target with an arrow (`anchored`, needs `placement`), in the flow of
   * the help panel while the target is not on screen (`docked`), or in the screen's corner (`corner`).
   */
  mode?: 'anchored' | 'docked' | 'corner';
  placement?: CardPlacement | null;
  cardRef?: Ref<HTMLElement>;
  /** The pointer entered (true) or left (false) the card (it takes clicks; the rest of the overlay does not). */
  onPointer?: (onCard: boolean) => void;
}

/**
 * The step card: "Step n of m", the instruction (after what must happen first, e.g. close a dialog),
 * Back / Next / Skip / "I can't find it". Keyboard: Tab through the buttons, or ←/→ while the card has
 * focus; Esc stops. It never takes focus by itself, so the application being explained keeps the keyboard.
 */
export function PlayerCard({
  view,
  onControl,
  onAskHuman,
  mode = 'corner',
  placement = null,
  cardRef,
  onPointer,
}: PlayerCardProps) {
  const finished = view.status === 'finished';
  const buttons = useRef<HTMLDivElement>(null);
  // The walkthrough this card was mounted for: the effect below runs once, on mount.
  const mountedFor = useRef(view.walkthrough.id);
  useEffect(() => {
    if (keyboardInCard !== mountedFor.current || (document.activeElement && document.activeElement !== document.body))
      return;
    buttons.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, []);
  const onFocus = (): void => {
    keyboardInCard = view.walkthrough.id;
  };
  const onBlur = (event: FocusEvent): void => {
    if (!event.currentTarget.contains(event.relatedTarget)) keyboardInCard = null;
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowRight') onControl('next');
    else if (event.key === 'ArrowLeft' && view.canGoBack) onControl('back');
    else if (event.key === 'Escape') onControl('stop');
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  const style: CSSProperties | undefined =
    mode === 'anchored'
      ? placement
        ? { left: placement.left, top: placement.top }
        : { left: 0, top: 0, visibility: 'hidden' }
      : undefined;
  const last = view.stepIndex + 1 === view.stepCount;
  return (
    <section
      ref={cardRef}
      className={`player-card player-card--${mode}${placement ? ` player-card--${placement.side}` : ''}`}
      style={style}
      role="region"
      aria-label={`Walkthrough: ${view.walkthrough.title}`}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      onBlur={onBlur}
      onMouseEnter={() => onPointer?.(true)}
      onMouseLeave={() => onPointer?.(false)}
    >
      {mode === 'anchored' && placement && (
        <span
          className={`player-card__arrow player-card__arrow--${placement.side}`}
          style={
            placement.side === 'top' || placement.side === 'bottom'
              ? { left: placement.arrow }
              : { top: placement.arrow }
          }
          aria-hidden="true"
        />
      )}
      <header>
        <span className="player-card__progress">
          {finished ? view.walkthrough.title : `Step ${view.stepIndex + 1} of ${view.stepCount}`}
        </span>
        <button
          type="button"
          className="player-card__close"
          aria-label="Stop the walkthrough"
          title="Stop the walkthrough (Esc)"
          onClick={() => onControl('stop')}
        >
          ×
        </button>
      </header>
      {finished ? (
        <p className="player-card__instruction" role="status">
          Done! That was the last step.
        </p>
      ) : (
        <>
          {view.blocker && (
            <p className="player-card__blocker" role="alert">
              {view.blocker.message}
            </p>
          )}
          <p className="player-card__instruction" aria-live="polite">
            {view.blocker ? <span className="player-card__then">Then: </span> : null}
            {view.instruction}
          </p>
          {view.status === 'waiting' && !view.blocker && (
            <p className="player-card__waiting" role="status">
              {view.notice ?? (view.target ? `Looking for “${view.target.text}” on your screen…` : '')}
            </p>
          )}
        </>
      )}
      <div className="player-card__buttons" ref={buttons}>
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
              {last ? 'Done' : 'Next'}
            </button>
            <button type="button" onClick={() => onControl('skip')}>
              Skip
            </button>
            <button type="button" className="player-card__help" onClick={onAskHuman}>
              I can't find it
            </button>
          </>
        )}
      </div>
    </section>
  );
}
