import { describe, expect, it } from 'vitest';
import { placeCard } from './popover-position';

const SCREEN = { width: 1800, height: 900 };
const CARD = { width: 320, height: 180 };

function inside(p: { left: number; top: number }, viewport = SCREEN, card = CARD): boolean {
  return (
    p.left >= 8 && p.top >= 8 && p.left + card.width <= viewport.width - 8 && p.top + card.height <= viewport.height - 8
  );
}

describe('placeCard', () => {
  it('puts the card beside a menu-bar target, slid on screen, its arrow on the target', () => {
    const view = { x: 105, y: 66, w: 31, h: 12 }; // "View" in Gnumeric's menu bar
    const placed = placeCard(view, CARD, SCREEN);
    expect(placed.side).toBe('right');
    expect(placed.left).toBe(105 + 31 + 14);
    expect(placed.top).toBe(8);
    expect(Math.abs(placed.top + placed.arrow - (view.y + view.h / 2))).toBeLessThanOrEqual(1);
    expect(inside(placed)).toBe(true);
    const below = placeCard(view, CARD, SCREEN, { prefer: ['bottom'] });
    expect(below.top).toBe(66 + 12 + 14);
    expect(Math.abs(below.left + below.arrow - (view.x + view.w / 2))).toBeLessThanOrEqual(1);
  });

  it('puts the card to the right of a menu item, centred on it', () => {
    const item = { x: 126, y: 85, w: 84, h: 12 }; // "Freeze Panes" in the open View menu
    const placed = placeCard(item, CARD, SCREEN);
    expect(placed.side).toBe('right');
    expect(placed.left).toBe(126 + 84 + 14);
    expect(Math.abs(placed.top + placed.arrow - (item.y + item.h / 2))).toBeLessThanOrEqual(1);
  });

  it('flips to the left at the right edge of the screen, and slides down from the top edge', () => {
    const closeButton = { x: 1700, y: 20, w: 60, h: 20 };
    const placed = placeCard(closeButton, CARD, SCREEN, { prefer: ['right', 'left', 'bottom', 'top'] });
    expect(placed.side).toBe('left');
    expect(placed.left + CARD.width).toBeLessThanOrEqual(1700);
    expect(placed.top).toBe(8); // shifted on screen ...
    expect(placed.top + placed.arrow).toBe(30); // ... with the arrow still on the target
    expect(inside(placed)).toBe(true);
  });

  it('flips above a target at the bottom edge', () => {
    const status = { x: 600, y: 870, w: 80, h: 16 };
    const placed = placeCard(status, CARD, SCREEN, { prefer: ['bottom', 'top'] });
    expect(placed.side).toBe('top');
    expect(placed.top + CARD.height).toBeLessThanOrEqual(870);
  });

  it('keeps clear of the help panel when another side fits', () => {
    const panel = { x: 1100, y: 40, w: 360, h: 700 };
    const target = { x: 900, y: 400, w: 60, h: 20 };
    const placed = placeCard(target, CARD, SCREEN, { prefer: ['right', 'left'], avoid: [panel] });
    expect(placed.side).toBe('left');
    const bigCard = { width: 420, height: 180 };
    const squeezed = placeCard({ x: 890, y: 400, w: 60, h: 20 }, bigCard, SCREEN, {
      prefer: ['right'],
      avoid: [panel],
    });
    expect(inside(squeezed, SCREEN, bigCard)).toBe(true); // only one side given and it overlaps: still on screen
  });

  it('never covers the target, even on a small screen', () => {
    const small = { width: 500, height: 400 };
    const target = { x: 150, y: 150, w: 200, h: 30 };
    const placed = placeCard(target, CARD, small);
    const card = { x: placed.left, y: placed.top, w: CARD.width, h: CARD.height };
    const covers =
      card.x < target.x + target.w &&
      target.x < card.x + card.w &&
      card.y < target.y + target.h &&
      target.y < card.y + card.h;
    expect(covers).toBe(false);
    expect(inside(placed, small)).toBe(true);
  });
});
