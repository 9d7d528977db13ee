import { describe, expect, it } from 'vitest';
import { PANEL_WIDTH, panelPosition } from './panel-position';

const VIEWPORT = { width: 1600, height: 1000 };

describe('where the help panel goes', () => {
  it('beside the window on the right, then the left', () => {
    expect(panelPosition({ x: 100, y: 100, w: 800, h: 600 }, VIEWPORT, 200)).toEqual({ left: 912, top: 100 });
    expect(panelPosition({ x: 700, y: 100, w: 890, h: 600 }, VIEWPORT, 200)).toEqual({
      left: 700 - 12 - PANEL_WIDTH,
      top: 100,
    });
  });

  it('below or above a wide window, inside its bottom-right corner when the screen is full', () => {
    expect(panelPosition({ x: 0, y: 0, w: 1600, h: 700 }, VIEWPORT, 200)).toEqual({
      left: 1600 - PANEL_WIDTH - 8,
      top: 712,
    });
    expect(panelPosition({ x: 0, y: 300, w: 1600, h: 700 }, VIEWPORT, 200)).toEqual({
      left: 1600 - PANEL_WIDTH - 8,
      top: 88,
    });
    const inside = panelPosition({ x: 0, y: 0, w: 1600, h: 1000 }, VIEWPORT, 200);
    expect(inside).toEqual({ left: 1600 - PANEL_WIDTH - 12, top: 1000 - 200 - 12 - 32 });
  });

  it('stays on screen for a tall panel and without a window', () => {
    expect(panelPosition({ x: 100, y: 900, w: 400, h: 80 }, VIEWPORT, 400).top).toBe(1000 - 400 - 8);
    expect(panelPosition(null, VIEWPORT, 200)).toEqual({ left: (1600 - PANEL_WIDTH) / 2, top: 250 });
  });
});
