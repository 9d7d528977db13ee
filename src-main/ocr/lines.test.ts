import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFixturesDir, loadTruthScreens } from '../bench/recall';
import { loadUnseenHalf } from '../bench/unseen';
import { decodeImage, toGray } from './image';
import { detectTextLines } from './lines';

const screens = loadTruthScreens(defaultFixturesDir());
const byName = (name: string) => screens.find((s) => s.name === name)!;

async function grayOf(name: string) {
  return toGray(await decodeImage(readFileSync(join(defaultFixturesDir(), byName(name).truth.image))));
}

function centreInside(
  line: { x: number; y: number; w: number; h: number },
  box: { x: number; y: number; w: number; h: number },
) {
  const cx = line.x + line.w / 2;
  const cy = line.y + line.h / 2;
  return cx >= box.x && cx <= box.x + box.w && cy >= box.y && cy <= box.y + box.h;
}

describe('detectTextLines on real screenshots', () => {
  it('finds one line box on every menu label of Gnumeric, and none taller than text', async () => {
    const gray = await grayOf('gnumeric');
    const { lines } = detectTextLines(gray);
    const menus = byName('gnumeric').truth.elements.filter((e) => e.role === 'menu');
    expect(menus.length).toBeGreaterThanOrEqual(9);
    for (const menu of menus)
      expect(
        lines.some((l) => centreInside(l, menu.box)),
        menu.name,
      ).toBe(true);
    for (const line of lines) expect(line.h).toBeLessThanOrEqual(72);
  });

  it('does not swallow menu-bar labels into an open popup menu or the row headers', async () => {
    const gray = await grayOf('gnumeric-view-menu');
    const { lines } = detectTextLines(gray);
    for (const label of byName('gnumeric-view-menu').truth.elements) {
      expect(
        lines.some((l) => centreInside(l, label.box)),
        label.name,
      ).toBe(true);
    }
  });

  it('finds light-on-dark text (dark theme) as well as dark-on-light', async () => {
    const gray = await grayOf('mousepad-dark');
    const { lines } = detectTextLines(gray);
    const words = byName('mousepad-dark').truth.elements.filter((e) => e.role === 'word');
    const hit = words.filter((w) =>
      lines.some((l) => centreInside(w.box, { x: l.x - 2, y: l.y - 2, w: l.w + 4, h: l.h + 4 })),
    );
    expect(hit.length / words.length).toBeGreaterThan(0.95);
  });

  it('only reports lines inside the requested area', async () => {
    const gray = await grayOf('gnumeric');
    const area = { x: 0, y: 0, w: gray.width, h: 30 };
    const { lines } = detectTextLines(gray, area);
    expect(lines.length).toBeGreaterThanOrEqual(9);
    for (const line of lines) expect(line.y + line.h).toBeLessThanOrEqual(30);
  });

  it('finds a line on every single-letter key of a calculator keypad (an italic "i" too)', async () => {
    const [keypad] = loadUnseenHalf('dev').filter((s) => s.name === 'qalculate-keypad');
    const gray = toGray(await decodeImage(readFileSync(keypad!.imagePath)));
    const { lines } = detectTextLines(gray);
    const keys = keypad!.truth.elements.filter((e) => /^[a-z]$/.test(e.name));
    expect(keys.map((k) => k.name).sort()).toEqual(['e', 'i', 'u', 'x', 'y', 'z']);
    for (const key of keys)
      expect(
        lines.some((l) => centreInside(l, key.box)),
        key.name,
      ).toBe(true);
  });

  it('takes toolbar icons out of the lines and keeps the text beside them', async () => {
    const gray = await grayOf('gnumeric');
    const { lines, icons } = detectTextLines(gray);
    // Gnumeric's first toolbar: new/open/save, print/preview, cut/copy/paste, then the zoom box "100%".
    const groups = [
      { x: 13, y: 31, w: 93, h: 23 },
      { x: 135, y: 32, w: 61, h: 22 },
      { x: 226, y: 31, w: 95, h: 22 },
    ];
    for (const group of groups) {
      expect(lines.filter((l) => centreInside(l, group))).toEqual([]);
      expect(icons.filter((i) => centreInside(i, group)).length).toBeGreaterThan(0);
    }
    expect(lines.some((l) => centreInside(l, { x: 705, y: 30, w: 65, h: 25 }))).toBe(true); // 100%
    const sans = byName('gnumeric').truth.elements.find((e) => e.name === 'Sans')!;
    expect(lines.some((l) => centreInside(l, sans.box))).toBe(true);
  });

  it('keeps big digits when the window shows too little text to know its height (a 2x keypad)', async () => {
    const keys = ['7', '8', '9']
      .map((d, i) => `<text x="${20 + i * 60}" y="48" font-family="sans-serif" font-size="26" fill="#222">${d}</text>`)
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="220" height="70"><rect width="220" height="70" fill="#fafafa"/>${keys}</svg>`;
    const { default: sharp } = await import('sharp');
    const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const gray = toGray({ width: info.width, height: info.height, data: new Uint8Array(data) });
    const { lines, icons } = detectTextLines(gray);
    expect(lines.filter((l) => l.h >= 18)).toHaveLength(3);
    expect(icons).toEqual([]);
  });

  it('finds a greyed-out label whole (a disabled control), not as fragments', async () => {
    const rows = [
      ['Remember window size on closing', '#222'],
      ['Start with this size:', '#bdbdbd'],
      ['Remember window position on closing', '#222'],
      ['Start with side-pane mode', '#222'],
    ];
    const text = rows
      .map(
        ([label, fill], i) =>
          `<text x="20" y="${34 + i * 30}" font-family="sans-serif" font-size="13" fill="${fill}">${label}</text>`,
      )
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="150"><rect width="360" height="150" fill="#ececec"/>${text}</svg>`;
    const { default: sharp } = await import('sharp');
    const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const { lines } = detectTextLines(toGray({ width: info.width, height: info.height, data: new Uint8Array(data) }));
    const faintRow = lines.filter((l) => l.y + l.h > 50 && l.y < 70);
    expect(faintRow).toHaveLength(1);
    expect(faintRow[0]!.x).toBeLessThanOrEqual(22);
    expect(faintRow[0]!.w).toBeGreaterThan(110);
    expect(lines).toHaveLength(4);
  });

  it('finds a frame title crossed by its frame line and a word of touching letters whole, not in slices', async () => {
    const dev = loadUnseenHalf('dev');
    const cases: Array<[string, string]> = [
      ['gtk3-widget-factory', 'Inset'],
      ['gtk3-widget-factory', 'Ridge'],
      ['turtledemo-examples-menu', 'clock'],
    ];
    for (const [name, label] of cases) {
      const screen = dev.find((s) => s.name === name)!;
      const { lines } = detectTextLines(toGray(await decodeImage(readFileSync(screen.imagePath))));
      const box = screen.truth.elements.find((e) => e.name === label && e.role !== 'word')!.box;
      const onLabel = lines.filter((l) => centreInside(l, box));
      expect(onLabel, label).toHaveLength(1);
      // Cap height to baseline at least: an upper or lower slice alone is 5 or 6 px high.
      expect(onLabel[0]!.h, label).toBeGreaterThanOrEqual(9);
    }
  });

  it('finds nothing on a blank image', () => {
    const { lines, regions } = detectTextLines({ width: 200, height: 100, data: new Uint8Array(20000).fill(240) });
    expect(lines).toEqual([]);
    expect(regions).toEqual([]);
  });
});
