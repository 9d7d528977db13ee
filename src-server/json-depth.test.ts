import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from './json-depth';

describe('jsonDepthExceeds', () => {
  it('counts nested arrays and objects, not brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ text: '[[[[[[[[[[{{{{{{' }), 2)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ text: 'quote \\" then [[[[[[' }), 1)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(5000) + ']'.repeat(5000), 64)).toBe(true);
  });

  it('agrees with JSON.parse on real documents', () => {
    let value: unknown = 'leaf';
    for (let depth = 1; depth <= 70; depth++) {
      value = depth % 2 ? [value] : { k: value, s: '}]{[' };
      const text = JSON.stringify(value);
      expect(jsonDepthExceeds(text, 64), `depth ${depth}`).toBe(depth > 64);
    }
  });
});
