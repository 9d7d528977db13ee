import { describe, expect, it } from 'vitest';
import type { ScreenText, TextElement } from '../../src-shared/screen';
import { buildGrounding, locateStep } from './grounding';

function el(
  id: string,
  text: string,
  x: number,
  y: number,
  w: number,
  kind: 'word' | 'line',
  lineId?: string,
  conf = 90,
): TextElement {
  return { id, text, conf, kind, box: { x, y, w, h: 12 }, ...(lineId ? { lineId } : {}) };
}

const screen: ScreenText = {
  image: { width: 800, height: 600 },
  timings: { totalMs: 1 },
  elements: [
    el('l1', 'File Edit View', 0, 2, 120, 'line'),
    el('w1', 'File', 0, 2, 30, 'word', 'l1'),
    el('w2', 'Edit', 45, 2, 30, 'word', 'l1'),
    el('w3', 'View', 90, 2, 30, 'word', 'l1'),
    el('l2', 'This is a long paragraph of document text that nobody clicks on at all, really.', 0, 100, 600, 'line'),
    el('w4', 'This', 0, 100, 30, 'word', 'l2'),
    el('l3', '|', 700, 300, 2, 'line'),
  ],
};

describe('buildGrounding', () => {
  it('sends lines, the words of control rows (not prose), in reading order with stable ids', () => {
    const g = buildGrounding(screen);
    expect(g.elements.map((e) => e.text)).toEqual([
      'File Edit View',
      'File',
      'Edit',
      'View',
      'This is a long paragraph of document text that nobody clicks on at all, really.',
    ]);
    expect(g.elements.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(g.elements[3]).toEqual({ id: 'e4', text: 'View', box: [90, 2, 30, 12] });
    expect(g.omitted).toBe(0);
  });
  it('keeps to the limits, most confident first, and says how many were left out', () => {
    const g = buildGrounding(screen, { maxElements: 2, maxChars: 1000, maxTextLength: 20 });
    expect(g.elements).toHaveLength(2);
    expect(g.omitted).toBe(3);
    expect(g.elements.every((e) => e.text.length <= 20)).toBe(true);
  });
  it('resolves known ids to boxes and leaves unknown ids unlocated', () => {
    const g = buildGrounding(screen);
    expect(locateStep({ instruction: 'Open View.', elementId: 'e4' }, 0, g)).toEqual({
      step: {
        index: 0,
        instruction: 'Open View.',
        elementId: 'e4',
        target: { text: 'View', box: { x: 90, y: 2, w: 30, h: 12 } },
      },
      unknownId: null,
    });
    expect(locateStep({ instruction: 'Click Zoom.', elementId: 'e99' }, 1, g)).toEqual({
      step: { index: 1, instruction: 'Click Zoom.', elementId: null, target: null },
      unknownId: 'e99',
    });
  });
});
