/**
 * Where the step card goes beside its target, like a tooltip: on the preferred side if it fits on
 * screen and clear of the help panel, else the next side (flip); along that side it slides to stay on
 * screen (shift), and the arrow keeps pointing at the target's centre. Pure geometry in overlay CSS
 * pixels, so it is tested without a browser.
 */
import type { Box } from '../../../src-shared/screen';

/** A side of the target. */
export type Side = 'top' | 'right' | 'bottom' | 'left';

/** Where the card goes: its top-left, the side of the target it is on, and the arrow's offset along its edge. */
export interface CardPlacement {
  side: Side;
  left: number;
  top: number;
  /** Distance from the card's left (top/bottom sides) or top (left/right sides) to the arrow's centre. */
  arrow: number;
}

/** Options of `placeCard`. */
export interface PlaceCardOptions {
  /** Sides to try in order (default: right, left, below, above: beside a menu item, the card leaves the menu free). */
  prefer?: Side[];
  /** Areas the card must not cover (the help panel). */
  avoid?: Box[];
  /** Space between the target and the card (room for the arrow). */
  gap?: number;
  /** Space kept free at the viewport's edges. */
  margin?: number;
}

const ARROW_INSET = 16;

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(value, Math.max(low, high)));
}

/** The card's top-left on one side of the target, slid along that side to stay on screen. */
/** A width and a height. */
type Size = { width: number; height: number };

function onSide(side: Side, target: Box, card: Size, viewport: Size, gap: number, margin: number): Box {
  const cx = target.x + target.w / 2;
  const cy = target.y + target.h / 2;
  if (side === 'right' || side === 'left') {
    const x = side === 'right' ? target.x + target.w + gap : target.x - gap - card.width;
    const y = clamp(cy - card.height / 2, margin, viewport.height - margin - card.height);
    return { x, y, w: card.width, h: card.height };
  }
  const y = side === 'bottom' ? target.y + target.h + gap : target.y - gap - card.height;
  // Below or above: start at the target's left edge (reads naturally under a menu title), slid to fit.
  const x = clamp(Math.min(target.x, cx - ARROW_INSET * 2), margin, viewport.width - margin - card.width);
  return { x, y, w: card.width, h: card.height };
}

function fits(box: Box, viewport: Size, margin: number): boolean {
  const insideX = box.x >= margin && box.x + box.w <= viewport.width - margin;
  return insideX && box.y >= margin && box.y + box.h <= viewport.height - margin;
}

/** The sides tried when the caller has no preference. */
export const DEFAULT_SIDES: Side[] = ['right', 'left', 'bottom', 'top'];

/** Places a card of `card` size beside `target` inside `viewport`. */
export function placeCard(target: Box, card: Size, viewport: Size, options: PlaceCardOptions = {}): CardPlacement {
  const gap = options.gap ?? 14;
  const margin = options.margin ?? 8;
  const sides = options.prefer ?? DEFAULT_SIDES;
  const avoid = options.avoid ?? [];
  const candidates = sides.map((side) => ({ side, box: onSide(side, target, card, viewport, gap, margin) }));
  const onScreen = (c: { box: Box }): boolean => fits(c.box, viewport, margin) && !overlaps(c.box, target);
  const first = candidates[0]!;
  const chosen = candidates.find((c) => onScreen(c) && !avoid.some((a) => overlaps(a, c.box))) ??
    candidates.find(onScreen) ?? {
      // Nothing fits (a target filling the screen): keep the first side, pushed on screen.
      side: first.side,
      box: {
        ...first.box,
        x: clamp(first.box.x, margin, viewport.width - margin - card.width),
        y: clamp(first.box.y, margin, viewport.height - margin - card.height),
      },
    };
  const { side, box } = chosen;
  const along = side === 'top' || side === 'bottom' ? target.x + target.w / 2 - box.x : target.y + target.h / 2 - box.y;
  const length = side === 'top' || side === 'bottom' ? card.width : card.height;
  const arrow = Math.round(clamp(along, ARROW_INSET, length - ARROW_INSET));
  return { side, left: Math.round(box.x), top: Math.round(box.y), arrow };
}
