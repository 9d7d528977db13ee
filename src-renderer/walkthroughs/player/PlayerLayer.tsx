import { sidekick } from '../../common/bridge';
import { PlayerCard } from './PlayerCard';
import { TargetPointer } from './TargetPointer';
import { usePlayer } from './usePlayer';

/**
 * Everything the player draws in the overlay: the pointer on the target and the step card.
 * Mount once inside the overlay (`<PlayerLayer />`); it renders nothing while no walkthrough plays.
 * `inline` puts the card in the flow of its parent (the help panel, whose area takes clicks)
 * instead of the bottom-right corner.
 */
export function PlayerLayer({ inline = false }: { inline?: boolean }) {
  const { view, control } = usePlayer();
  if (!view) return null;
  const box = view.status !== 'finished' ? view.target?.box : null;
  return (
    <>
      {box && view.target && <TargetPointer box={box} label={view.target.text} />}
      <PlayerCard inline={inline} view={view} onControl={control} onAskHuman={() => void sidekick().invoke('overlay:open-window', { window: 'ask-human' })} />
    </>
  );
}
