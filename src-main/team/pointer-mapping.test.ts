/** Pointer mapping from the shared screenshot onto the live window, on plain and HiDPI screens. */
import { describe, expect, it } from 'vitest';
import { pointerToScreenBox, POINT_MARK_SIZE } from './pointer-mapping';

describe('pointerToScreenBox', () => {
  const window = { bounds: { x: 100, y: 50, w: 640, h: 400 }, scale: 1 };

  it('maps a box in screenshot pixels to screen points on a scale-1 display', () => {
    expect(
      pointerToScreenBox(
        { kind: 'box', x: 90, y: 6, w: 36, h: 16 },
        { width: 640, height: 400 },
        { width: 640, height: 400 },
        window,
      ),
    ).toEqual({
      x: 190,
      y: 56,
      w: 36,
      h: 16,
    });
  });

  it('centres a ring on a point and keeps it inside the window', () => {
    const box = pointerToScreenBox(
      { kind: 'point', x: 320, y: 200 },
      { width: 640, height: 400 },
      { width: 640, height: 400 },
      window,
    );
    expect(box).toEqual({
      x: 420 - POINT_MARK_SIZE / 2,
      y: 250 - POINT_MARK_SIZE / 2,
      w: POINT_MARK_SIZE,
      h: POINT_MARK_SIZE,
    });
    const corner = pointerToScreenBox(
      { kind: 'point', x: 0, y: 0 },
      { width: 640, height: 400 },
      { width: 640, height: 400 },
      window,
    );
    expect(corner).toMatchObject({ x: 100, y: 50 });
  });

  it('divides by the display scale on HiDPI (device pixels → screen points)', () => {
    const hidpi = { bounds: { x: 200, y: 100, w: 800, h: 600 }, scale: 2 };
    expect(
      pointerToScreenBox(
        { kind: 'box', x: 400, y: 200, w: 100, h: 40 },
        { width: 1600, height: 1200 },
        { width: 1600, height: 1200 },
        hidpi,
      ),
    ).toEqual({
      x: 400,
      y: 200,
      w: 50,
      h: 20,
    });
  });

  it('scales up from a downscaled screenshot to the captured image first', () => {
    const hidpi = { bounds: { x: 0, y: 0, w: 800, h: 600 }, scale: 2 };
    // The 1600x1200 capture was sent as 800x600: screenshot (100, 50) is capture (200, 100), screen (100, 50).
    expect(
      pointerToScreenBox(
        { kind: 'box', x: 100, y: 50, w: 20, h: 10 },
        { width: 800, height: 600 },
        { width: 1600, height: 1200 },
        hidpi,
      ),
    ).toEqual({
      x: 100,
      y: 50,
      w: 20,
      h: 10,
    });
  });
});
