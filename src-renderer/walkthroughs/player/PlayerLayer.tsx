import { useLayoutEffect, useRef, useState } from 'react';
import type { PlayerView } from '../../../src-shared/ipc/walkthroughs';
import type { Box } from '../../../src-shared/screen';
import { sidekick } from '../../common/bridge';
import { PlayerCard, type PlayerAction } from './PlayerCard';
import { placeCard, type CardPlacement } from './popover-position';
import { SPOTLIGHT_PAD, Spotlight } from './Spotlight';
import { usePlayer } from './usePlayer';

/**
 * Where the step card points: the control to use first (a dialog's Cancel), else the step's target; null when neither
 * is on screen.
 */
export function playerAnchor(
  view: PlayerView,
): { box: Box; label: string; tone: 'target' | 'blocker'; keep: Box | null } | null {
  if (view.status === 'finished' || view.status === 'stopped') return null;
  if (view.blocker?.box)
    return { box: view.blocker.box, label: 'close the dialog', tone: 'blocker', keep: view.blocker.keep };
  if (view.target?.box) return { box: view.target.box, label: view.target.text, tone: 'target', keep: null };
  return null;
}

/** Props of the player layer. */
export interface PlayerLayerProps {
  /** The player (from `usePlayer()`); the layer follows its own when not given. */
  player?: { view: PlayerView | null; control: (action: PlayerAction) => void };
  /** Areas the card keeps clear of (the help panel). */
  avoid?: Box[];
  /** Where the card is drawn, or null when it is not beside a target (for click-through). */
  onCardBox?: (box: Box | null) => void;
  onPointer?: (onCard: boolean) => void;
  /** Inside the overlay the help panel shows the card while no target is visible; alone, the corner does. */
  dockedElsewhere?: boolean;
}

/**
 * Everything the player draws over the screen: the spotlight on the target and the step card beside it,
 * flipping and sliding to stay on screen. Mount once (`<PlayerLayer />`); it renders nothing while no
 * walkthrough plays.
 */
export function PlayerLayer({ player, avoid = [], onCardBox, onPointer, dockedElsewhere = false }: PlayerLayerProps) {
  const own = usePlayer(!player);
  const { view, control } = player ?? own;
  const card = useRef<HTMLElement>(null);
  const [placement, setPlacement] = useState<CardPlacement | null>(null);
  const anchor = view ? playerAnchor(view) : null;
  const anchorKey = anchor ? `${anchor.box.x},${anchor.box.y},${anchor.box.w},${anchor.box.h}` : '';
  const avoidKey = avoid.map((a) => `${a.x},${a.y},${a.w},${a.h}`).join(';');

  useLayoutEffect(() => {
    const element = card.current;
    if (!anchor || !element) {
      setPlacement(null);
      onCardBox?.(null);
      return;
    }
    const place = (): void => {
      const size = { width: element.offsetWidth, height: element.offsetHeight };
      const padded = {
        x: anchor.box.x - SPOTLIGHT_PAD,
        y: anchor.box.y - SPOTLIGHT_PAD,
        w: anchor.box.w + SPOTLIGHT_PAD * 2,
        h: anchor.box.h + SPOTLIGHT_PAD * 2,
      };
      const keep = anchor.keep ? [anchor.keep] : [];
      const next = placeCard(
        padded,
        size,
        { width: window.innerWidth, height: window.innerHeight },
        { avoid: [...avoid, ...keep] },
      );
      setPlacement((current) =>
        current &&
        current.left === next.left &&
        current.top === next.top &&
        current.side === next.side &&
        current.arrow === next.arrow
          ? current
          : next,
      );
      onCardBox?.({ x: next.left, y: next.top, w: size.width, h: size.height });
    };
    place();
    const observer = new ResizeObserver(place);
    observer.observe(element);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the boxes' values, not their identity
  }, [anchorKey, avoidKey, view?.stepIndex, view?.blocker?.message]);

  if (!view) return null;
  const askHuman = (): void => void sidekick().invoke('overlay:open-window', { window: 'ask-human' });
  if (!anchor && dockedElsewhere) return null;
  // One card element in one place of the tree whether it is beside the target or in the corner, so the keyboard stays
  // in it.
  return (
    <>
      {anchor && <Spotlight box={anchor.box} label={anchor.label} tone={anchor.tone} />}
      <PlayerCard
        mode={anchor ? 'anchored' : 'corner'}
        placement={anchor ? placement : null}
        cardRef={card}
        view={view}
        onControl={control}
        onAskHuman={askHuman}
        onPointer={onPointer}
      />
    </>
  );
}
