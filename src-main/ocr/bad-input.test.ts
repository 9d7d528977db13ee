/**
 * Bad input for the reader: each case ends with a clear result (text, an empty result, or an
 * ImageError saying what to do), never a crash or a hang.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScreenTextSchema, type ScreenText } from '../../src-shared/screen';
import { drawTextOnImage } from '../bench/edit-image';
import { defaultFixturesDir, labelRecall, loadTruthScreens } from '../bench/recall';
import { decodeImage, ImageError, type RgbaImage } from './image';
import { createScreenReader, type PipelineScreenReader } from './reader';

const screens = loadTruthScreens(defaultFixturesDir());
const fixture = (name: string) => screens.find((s) => s.name === name)!;
const png = (name: string) => readFileSync(join(defaultFixturesDir(), fixture(name).truth.image));
const texts = (doc: ScreenText) => doc.elements.filter((e) => e.kind === 'word').map((e) => e.text);

async function flat(width: number, height: number, colour: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

describe('ScreenReader on bad input', () => {
  let reader: PipelineScreenReader;
  beforeAll(async () => {
    reader = createScreenReader({ workers: 2 });
    await reader.warm();
  }, 120_000);
  afterAll(async () => {
    await reader.close();
  });

  it('reads a 1x1 image as an empty, valid result', async () => {
    for (const input of [
      await flat(1, 1, '#000000'),
      { width: 1, height: 1, data: new Uint8Array([255, 255, 255, 255]) },
    ]) {
      const doc = await reader.read(input);
      expect(ScreenTextSchema.parse(doc).elements).toEqual([]);
      expect(doc.image).toEqual({ width: 1, height: 1 });
    }
  });

  it('reads all-black and all-white windows as empty results without a whole-page engine pass', async () => {
    for (const colour of ['#000000', '#ffffff']) {
      const doc = await reader.read(await flat(1600, 900, colour));
      expect(doc.elements, colour).toEqual([]);
      expect(doc.timings.jobs, colour).toBe(0);
    }
  });

  it('reads an 8K screenshot at full resolution, boxes in its pixels', async () => {
    const canvas = sharp({ create: { width: 7680, height: 4320, channels: 3, background: '#ffffff' } });
    const big = await canvas
      .composite([{ input: png('gnumeric'), left: 4000, top: 3000 }])
      .png({ compressionLevel: 1 })
      .toBuffer();
    const doc = await reader.read(big);
    expect(doc.image).toEqual({ width: 7680, height: 4320 });
    const shifted = {
      ...fixture('gnumeric').truth,
      elements: fixture('gnumeric').truth.elements.map((e) => ({
        ...e,
        box: { ...e.box, x: e.box.x + 4000, y: e.box.y + 3000 },
      })),
    };
    const recall = labelRecall(doc, shifted, (role) => role !== 'word');
    expect(recall.found / recall.total, recall.missing.join(', ')).toBeGreaterThanOrEqual(0.9);
  }, 300_000);

  it('a capture buffer changed during the read (animation, reused buffer) does not change what is read', async () => {
    const base = await decodeImage(png('gnumeric'));
    const at = { left: Math.round(base.width * 0.3), top: Math.round(base.height * 0.55) };
    const frameA = await drawTextOnImage(base, 'Total 1000', at, { width: 200, height: 20 });
    const frameB = await drawTextOnImage(base, 'Blank', at, { width: 200, height: 20 });
    const buffer: RgbaImage = { width: frameA.width, height: frameA.height, data: frameA.data.slice() };
    const pending = reader.read(buffer, { windowKey: 'animated' });
    buffer.data.set(frameB.data); // the next frame lands in the same buffer before the read finished
    expect(texts(await pending)).toContain('1000');
    // Frames that keep changing between reads of one window: each read shows its own frame.
    const readB = await reader.read(frameB, { windowKey: 'animated' });
    expect(texts(readB)).not.toContain('1000');
    expect(texts(readB)).toContain('Blank');
    expect(texts(await reader.read(frameA, { windowKey: 'animated' }))).toContain('1000');
  }, 120_000);

  it('reads what shows of a window mostly covered by another, and the covering window', async () => {
    const covered = await sharp(png('gnumeric'))
      .composite([{ input: await sharp(png('zenity-list')).resize(1400, 760).png().toBuffer(), left: 150, top: 120 }])
      .png()
      .toBuffer();
    const doc = await reader.read(covered);
    const words = texts(doc);
    // Gnumeric's menu bar is still visible above the cover; the cover's own labels are read too.
    for (const label of ['File', 'Edit', 'View']) expect(words, label).toContain(label);
    expect(doc.elements.length).toBeGreaterThan(10);
  }, 120_000);

  it('refuses a corrupt 8K-sized header with an ImageError rather than allocating it', async () => {
    const header = (await flat(16, 16, '#ffffff')).subarray(0, 40);
    const error = await reader.read(header).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
  });
});
