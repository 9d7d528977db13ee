import type { Box } from '../../../src-shared/screen';
import './PlayerCard.css';

/** Padding around the target, in CSS pixels. */
const PAD = 6;

/** The highlight on the step's target: a spotlight outline plus a pointer arrow, at the OCR box (overlay CSS pixels). */
export function TargetPointer({ box, label }: { box: Box; label: string }) {
  return (
    <div className="player-target" aria-hidden="true" data-label={label}>
      <div className="player-target__spot" style={{ left: box.x - PAD, top: box.y - PAD, width: box.w + PAD * 2, height: box.h + PAD * 2 }} />
      <div className="player-target__pointer" style={{ left: box.x + box.w / 2 - 12, top: box.y + box.h + PAD + 2 }}>
        ▲
      </div>
    </div>
  );
}
