import type { Box } from '../../../src-shared/screen';
import './Spotlight.css';

/** Space between the target's text and the cut-out's edge, in CSS pixels. */
export const SPOTLIGHT_PAD = 6;

/**
 * The spotlight on a step's target: the rest of the screen dimmed, a cut-out around the target and a
 * pulsing ring on its edge (steady under prefers-reduced-motion). Never takes the pointer.
 * `tone` "blocker" marks a control to use first (close a dialog) instead of the step's own target.
 */
export function Spotlight({ box, label, tone = 'target' }: { box: Box; label: string; tone?: 'target' | 'blocker' }) {
  const hole = {
    left: box.x - SPOTLIGHT_PAD,
    top: box.y - SPOTLIGHT_PAD,
    width: box.w + SPOTLIGHT_PAD * 2,
    height: box.h + SPOTLIGHT_PAD * 2,
  };
  return (
    <div className={`player-target player-target--${tone}`} aria-hidden="true" data-label={label}>
      {/* The dim: one full-screen rectangle with the target cut out by a mask (not every Chromium paints a huge
          box-shadow). */}
      <svg className="player-target__dim" width="100%" height="100%">
        <defs>
          <mask id="sidekick-spotlight-cutout">
            <rect width="100%" height="100%" fill="white" />
            <rect x={hole.left} y={hole.top} width={hole.width} height={hole.height} rx={8} fill="black" />
          </mask>
        </defs>
        <rect width="100%" height="100%" mask="url(#sidekick-spotlight-cutout)" />
      </svg>
      <div className="player-target__spot" style={hole} />
      <div className="player-target__ring" style={hole} />
    </div>
  );
}
