import { useCallback, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { Box } from '../../src-shared/screen';
import type { AskResult, HelpState } from '../../src-shared/ipc/overlay';
import type { PlayerView } from '../../src-shared/ipc/walkthroughs';
import { PANEL_WIDTH, panelPosition } from './panel-position';
import { AiAnswerPanel } from '../ai/AiAnswerPanel';
import { PlayerCard, type PlayerAction } from '../walkthroughs/player/PlayerCard';
import { playerAnchor } from '../walkthroughs/player/PlayerLayer';
import { PlayerSteps } from '../walkthroughs/player/PlayerSteps';
import { StartWalkthroughButton } from '../walkthroughs/player/StartWalkthroughButton';
import { DidYouMean, Suggestions } from '../walkthroughs/player/Suggestions';
import './HelpPanel.css';

/** What the ask box shows under the question. */
export type AnswerView =
  | { status: 'idle' }
  | { status: 'asking' }
  | { status: 'answered'; question: string; result: AskResult }
  | { status: 'error'; message: string };

/** Props of the help panel. */
export interface HelpPanelProps {
  state: HelpState;
  answer: AnswerView;
  /** The walkthrough playing, if any: the panel then lists its steps (the card sits beside the target). */
  player: { view: PlayerView | null; control: (action: PlayerAction) => void };
  /** `skipLibrary`: the person declined the library's candidates ("None of these"). */
  onAsk: (question: string, options?: { skipLibrary?: boolean }) => void;
  onClose: () => void;
  onAskHuman: () => void;
  /** The pointer entered (true) or left (false) the panel. */
  onPointerOnPanel: (onPanel: boolean) => void;
  /** The panel moved or changed size (overlay CSS pixels). */
  onPanelBounds: (box: Box) => void;
}

/** The progress line: what is happening now, in words (the failure itself is said once, in the problem box). */
function progressText(state: HelpState): string {
  if (state.phase === 'failed') return '';
  if (state.phase === 'ready') return `Read ${state.textCount} words on screen`;
  return state.progress.label;
}

/**
 * The floating panel: which window, reading progress, the ask box and the answer, or the playing walkthrough's steps.
 */
export function HelpPanel({
  state,
  answer,
  player,
  onAsk,
  onClose,
  onAskHuman,
  onPointerOnPanel,
  onPanelBounds,
}: HelpPanelProps) {
  const panel = useRef<HTMLElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [question, setQuestion] = useState('');
  const [position, setPosition] = useState({ left: 0, top: 0 });

  // Placed from its real height, and again whenever that changes (an answer, a step card), so it never runs off screen.
  const place = useCallback(() => {
    const element = panel.current;
    if (!element) return;
    const next = panelPosition(
      state.window?.bounds ?? null,
      { width: window.innerWidth, height: window.innerHeight },
      element.offsetHeight,
    );
    setPosition((current) => (current.left === next.left && current.top === next.top ? current : next));
    const rect = element.getBoundingClientRect();
    onPanelBounds({
      x: Math.floor(next.left),
      y: Math.floor(next.top),
      w: Math.ceil(rect.width),
      h: Math.ceil(rect.height),
    });
  }, [state.window, onPanelBounds]);

  useLayoutEffect(() => {
    place();
    const element = panel.current;
    if (!element) return;
    const observer = new ResizeObserver(place);
    observer.observe(element);
    window.addEventListener('resize', place);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', place);
    };
  }, [place]);

  useLayoutEffect(() => {
    input.current?.focus();
  }, [state.sessionId]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (question.trim()) onAsk(question.trim());
  };

  const busy = state.phase === 'capturing' || state.phase === 'reading';
  const appName = state.window?.app ?? 'Sidekick';
  const view = player.view;
  // "Ask a human" is offered once: by the answer when nothing fits, by "I can't find it" while playing, else in the
  // footer.
  const answerOffersHuman = !view && answer.status === 'answered' && answer.result.kind === 'none';
  const progress = progressText(state);
  return (
    <section
      ref={panel}
      className="help-panel"
      role="dialog"
      aria-label={`Sidekick help for ${appName}`}
      style={{ left: position.left, top: position.top, width: PANEL_WIDTH }}
      onMouseEnter={() => onPointerOnPanel(true)}
      onMouseLeave={() => onPointerOnPanel(false)}
    >
      <header className="help-panel__header">
        <div className="help-panel__titles">
          <h1 className="help-panel__app">{state.window ? state.window.app : 'Sidekick'}</h1>
          {state.window?.title && (
            <p className="help-panel__title" title={state.window.title}>
              {state.window.title}
            </p>
          )}
        </div>
      </header>

      <div className="help-panel__body">
        <div className={`help-panel__progress help-panel__progress--${state.phase}`} role="status" aria-live="polite">
          {busy &&
            (state.progress.fraction === null ? (
              <progress aria-label="Reading the window" />
            ) : (
              <progress aria-label="Reading the window" max={1} value={state.progress.fraction} />
            ))}
          {progress && <span className="help-panel__progress-label">{progress}</span>}
        </div>

        {state.problem && (
          <div className="help-panel__problem" role="alert">
            <strong>{state.problem.message}</strong>
            <span>{state.problem.nextStep}</span>
          </div>
        )}

        {view ? (
          <>
            <PlayerSteps view={view} />
            {!playerAnchor(view) && (
              <PlayerCard mode="docked" view={view} onControl={player.control} onAskHuman={onAskHuman} />
            )}
          </>
        ) : (
          <>
            <form className="help-panel__ask" onSubmit={submit}>
              <label htmlFor="sidekick-question">What do you want to do?</label>
              <div className="help-panel__ask-row">
                <input
                  id="sidekick-question"
                  ref={input}
                  type="text"
                  autoComplete="off"
                  maxLength={500}
                  placeholder="e.g. how do I freeze the top row"
                  value={question}
                  onChange={(event) => setQuestion(event.target.value)}
                />
                <button type="submit" className="primary" disabled={!question.trim() || answer.status === 'asking'}>
                  Ask
                </button>
              </div>
            </form>
          </>
        )}
        {/* Stays mounted while a walkthrough plays, so the AI answer (and "Save as walkthrough") is there after. */}
        <div hidden={!!view}>
          <AiAnswerPanel sessionId={state.sessionId} question={question} />
        </div>
        {!view && (
          <>
            {answer.status === 'idle' && <Suggestions sessionId={state.sessionId} ready={state.phase === 'ready'} />}

            <AnswerBlock
              answer={answer}
              onAskHuman={onAskHuman}
              onNoneOfThese={(asked) => onAsk(asked, { skipLibrary: true })}
            />
          </>
        )}
      </div>

      <footer className="help-panel__footer">
        {!answerOffersHuman && !view && (
          <button type="button" onClick={onAskHuman}>
            Ask a human
          </button>
        )}
        <button type="button" onClick={onClose} aria-keyshortcuts="Escape">
          Close (Esc)
        </button>
      </footer>
    </section>
  );
}

interface AnswerBlockProps {
  answer: AnswerView;
  onAskHuman: () => void;
  /** "None of these": ask `question` again without the library. */
  onNoneOfThese: (question: string) => void;
}

function AnswerBlock({ answer, onAskHuman, onNoneOfThese }: AnswerBlockProps) {
  if (answer.status === 'idle') return null;
  if (answer.status === 'asking')
    return (
      <p className="help-panel__answer" role="status">
        Looking for an answer…
      </p>
    );
  if (answer.status === 'error') {
    return (
      <p className="help-panel__answer help-panel__answer--problem" role="alert">
        {answer.message}
      </p>
    );
  }
  const { result } = answer;
  if (result.kind === 'candidates') {
    return (
      <DidYouMean
        question={answer.question}
        message={result.message}
        candidates={result.candidates}
        onNoneOfThese={() => onNoneOfThese(answer.question)}
      />
    );
  }
  if (result.kind === 'none') {
    return (
      <div className="help-panel__answer" role="status">
        <p>{result.message}</p>
        <button type="button" className="primary" onClick={onAskHuman}>
          Ask a human
        </button>
      </div>
    );
  }
  if (result.kind === 'problem') {
    return (
      <div className="help-panel__answer help-panel__answer--problem" role="alert">
        <strong>{result.problem.message}</strong> {result.problem.nextStep}
      </div>
    );
  }
  return (
    <div className="help-panel__answer" role="status">
      <h2>{result.title}</h2>
      <ol>
        {result.steps.map((step) => (
          <li key={step.index}>
            {step.instruction}
            {step.target && !step.target.highlight && (
              <em className="help-panel__later">
                {step.index === 0
                  ? ` (“${step.target.text}” is not on screen right now)`
                  : ' (shows up after the step before)'}
              </em>
            )}
          </li>
        ))}
      </ol>
      {result.source === 'library' && result.walkthroughId && (
        <StartWalkthroughButton walkthroughId={result.walkthroughId} />
      )}
    </div>
  );
}
