/**
 * The "unseen windows" fixture set (e2e/fixtures/unseen/{blind,dev}) is sane ground truth: every
 * truth file parses, names its image, has at least 10 labels with non-empty names and non-empty
 * boxes inside the image, and whole applications sit in one half only. Recall is not asserted here:
 * that is the benchmark's job (src-main/bench/unseen.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadUnseenHalf, UNSEEN_HALVES } from '../../src-main/bench/unseen';
import { loadScreenFixtures } from '../fixtures/screens/truth';

const halves = UNSEEN_HALVES.map((half) => ({ half, screens: loadUnseenHalf(half) }));

describe('unseen-window fixtures (e2e/fixtures/unseen)', () => {
  it('has both halves with at least 4 applications each and no application in both', () => {
    const apps = halves.map(({ screens }) => new Set(screens.map((s) => s.truth.app)));
    expect(apps[0]!.size).toBeGreaterThanOrEqual(4);
    expect(apps[1]!.size).toBeGreaterThanOrEqual(4);
    expect(apps[0]!.size + apps[1]!.size).toBeGreaterThanOrEqual(8);
    expect([...apps[0]!].filter((app) => apps[1]!.has(app))).toEqual([]);
  });

  it('keeps the set small (a few MB of PNG in all)', () => {
    const bytes = halves.flatMap(({ screens }) => screens).reduce((total, s) => total + statSync(s.imagePath).size, 0);
    expect(bytes).toBeLessThan(4 * 1024 * 1024);
  });

  for (const { half, screens } of halves) {
    for (const screen of screens) {
      it(`${half}/${screen.name}: parses with the shared schema, >= 10 labels, non-empty boxes inside`, async () => {
        expect(existsSync(screen.imagePath), screen.imagePath).toBe(true);
        const { width, height } = await sharp(screen.imagePath).metadata();
        expect(screen.truth.elements.length).toBeGreaterThanOrEqual(10);
        for (const { name, box } of screen.truth.elements) {
          const where = `${JSON.stringify(name)} ${JSON.stringify(box)} in ${width}x${height}`;
          expect(name.trim().length, where).toBeGreaterThan(0);
          expect(box.w, where).toBeGreaterThan(0);
          expect(box.h, where).toBeGreaterThan(0);
          expect(box.x, where).toBeGreaterThanOrEqual(0);
          expect(box.y, where).toBeGreaterThanOrEqual(0);
          expect(box.x + box.w, where).toBeLessThanOrEqual(width);
          expect(box.y + box.h, where).toBeLessThanOrEqual(height);
        }
      });
    }
  }

  it('reads with the screens loader too (one truth format for both sets)', () => {
    for (const { half, screens } of halves) {
      const strict = loadScreenFixtures(dirname(screens[0]!.imagePath));
      expect(
        strict.map((s) => s.name),
        half,
      ).toEqual(screens.map((s) => s.name));
    }
  });
});
