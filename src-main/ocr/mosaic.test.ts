import { describe, expect, it } from 'vitest';
import type { LineWord } from './line-plan';
import { undoubleCaseAlike } from './mosaic';

const word = (text: string, h = 9): LineWord => ({ text, conf: 90, x: 0, y: 0, w: 10, h });

describe('undoubleCaseAlike (letters tesseract doubles in both cases)', () => {
  it('makes a lone doubled letter one letter, its case from its height', () => {
    expect(undoubleCaseAlike([word('Cc', 9)], 10).map((w) => w.text)).toEqual(['C']);
    expect(undoubleCaseAlike([word('xX', 6)], 12).map((w) => w.text)).toEqual(['x']);
    expect(undoubleCaseAlike([word('Zz', 7)], 12).map((w) => w.text)).toEqual(['z']);
  });

  it('drops the small double at the start of a word, but not in words that begin so', () => {
    expect(undoubleCaseAlike([word('Ccimi'), word('Ssnake')], 12).map((w) => w.text)).toEqual(['Cimi', 'Snake']);
    expect(undoubleCaseAlike([word('Oops'), word('Aa'), word('Cc'), word('CCTV')], 12).map((w) => w.text)).toEqual([
      'Oops',
      'Aa',
      'Cc',
      'CCTV',
    ]);
  });

  it('leaves a lone pair alone when the text height is unknown, and other letters always', () => {
    expect(undoubleCaseAlike([word('Cc')], undefined).map((w) => w.text)).toEqual(['Cc']);
    expect(undoubleCaseAlike([word('Aa')], 12).map((w) => w.text)).toEqual(['Aa']);
  });
});
