import type { Highlight } from '../../src-shared/ipc/overlay';
import type { Box } from '../../src-shared/screen';
import './HighlightLayer.css';

const PAD = 4;

/** Boxes drawn over the captured window; never takes the pointer. */
export function HighlightLayer({ window, highlights }: { window: Box | null; highlights: Highlight[] }) {
  return (
    <div className="highlight-layer" aria-hidden={highlights.length === 0}>
      {window && (
        <div className="captured-window" style={{ left: window.x, top: window.y, width: window.w, height: window.h }} />
      )}
      {highlights.map((highlight) => (
        <div
          key={highlight.id}
          className="highlight"
          role="img"
          aria-label={`Here: ${highlight.label}`}
          data-label={highlight.label}
          style={{
            left: highlight.box.x - PAD,
            top: highlight.box.y - PAD,
            width: highlight.box.w + 2 * PAD,
            height: highlight.box.h + 2 * PAD,
          }}
        />
      ))}
    </div>
  );
}
