import type { PlayerView } from '../../../src-shared/ipc/walkthroughs';
import './PlayerSteps.css';

/** The playing walkthrough's steps in the help panel, once, with the current one marked and the done ones ticked. */
export function PlayerSteps({ view }: { view: PlayerView }) {
  const finished = view.status === 'finished';
  return (
    <section className="player-steps" aria-label={`Steps of ${view.walkthrough.title}`}>
      <h2>{view.walkthrough.title}</h2>
      <ol>
        {view.steps.map((instruction, index) => {
          const state = finished || index < view.stepIndex ? 'done' : index === view.stepIndex ? 'current' : 'todo';
          return (
            <li
              key={index}
              className={`player-steps__step player-steps__step--${state}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              <span className="player-steps__mark" aria-hidden="true">
                {state === 'done' ? '✓' : index + 1}
              </span>
              <span>{instruction}</span>
              {state === 'current' && <span className="player-steps__now">now</span>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
