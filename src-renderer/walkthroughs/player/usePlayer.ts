/** The walkthrough playing in the overlay, as pushed by main (`walkthroughs:player-state`), and its buttons. */
import { useCallback, useEffect, useState } from 'react';
import type { PlayerView } from '../../../src-shared/ipc/walkthroughs';
import { sidekick } from '../../common/bridge';

/** The player's view (null when no walkthrough plays) and the step card's actions. */
export function usePlayer(): { view: PlayerView | null; control(action: 'next' | 'back' | 'skip' | 'stop'): void } {
  const [view, setView] = useState<PlayerView | null>(null);
  useEffect(() => sidekick().on('walkthroughs:player-state', (next) => setView(next.status === 'stopped' ? null : next)), []);
  const control = useCallback((action: 'next' | 'back' | 'skip' | 'stop') => {
    void sidekick()
      .invoke('walkthroughs:player-control', { action })
      .then((next) => setView(next && next.status !== 'stopped' ? next : null));
  }, []);
  return { view, control };
}
