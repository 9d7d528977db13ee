/**
 * The committed ground-truth screenshots are well-formed: every truth file parses and its boxes lie inside its image.
 */
import { existsSync, statSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadScreenFixtures } from '../fixtures/screens/truth';

const fixtures = loadScreenFixtures();

describe('ground-truth screenshots (e2e/fixtures/screens)', () => {
  it('covers the agreed set', () => {
    const names = fixtures.map((f) => f.name);
    for (const name of [
      'gnumeric',
      'gnumeric-view-menu',
      'gnumeric-format-cells',
      'gnumeric-hidpi',
      'mousepad-text',
      'mousepad-dark',
      'abiword',
      'zenity-list',
    ]) {
      expect(names).toContain(name);
    }
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}: image exists, is small, and every box lies inside it`, async () => {
      expect(existsSync(fixture.imagePath), fixture.imagePath).toBe(true);
      expect(statSync(fixture.imagePath).size).toBeLessThan(400 * 1024);
      const { width, height } = await sharp(fixture.imagePath).metadata();
      expect(fixture.truth.elements.length).toBeGreaterThan(5);
      for (const { name, box } of fixture.truth.elements) {
        const where = `${name} ${JSON.stringify(box)} in ${width}x${height}`;
        expect(box.x + box.w, where).toBeLessThanOrEqual(width);
        expect(box.y + box.h, where).toBeLessThanOrEqual(height);
      }
    });
  }
});
