/** The walkthrough playing in the overlay, as pushed by main (`walkthroughs:player-state`), and its buttons. */
import { useCallback, useEffect, useState } from 'react';
import type { PlayerView } from '../../../src-shared/ipc/walkthroughs';
import { sidekick } from '../../common/bridge';
import type { PlayerAction } from './PlayerCard';

/**
 * The player's view (null when no walkthrough plays) and the step card's actions; `enabled` false listens to nothing.
 */
export function usePlayer(enabled = true): { view: PlayerView | null; control: (action: PlayerAction) => void } {
  const [view, setView] = useState<PlayerView | null>(null);
  useEffect(
    () =>
      enabled
        ? sidekick().on('walkthroughs:player-state', (next) => setView(next.status === 'stopped' ? null : next))
        : undefined,
    [enabled],
  );
  const control = useCallback((action: PlayerAction) => {
    void sidekick()
      .invoke('walkthroughs:player-control', { action })
      .then((next) => setView(next && next.status !== 'stopped' ? next : null));
  }, []);
  return { view, control };
}
