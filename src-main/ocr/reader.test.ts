import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScreenTextSchema, type ScreenText } from '../../src-shared/screen';
import { drawTextOnImage } from '../bench/edit-image';
import { defaultFixturesDir, labelRecall, loadTruthScreens } from '../bench/recall';
import { OcrEngineError } from './engine';
import { decodeImage, ImageError } from './image';
import { createScreenReader, type PipelineScreenReader } from './reader';

const screens = loadTruthScreens(defaultFixturesDir());
const fixture = (name: string) => screens.find((s) => s.name === name)!;
const png = (name: string) => readFileSync(join(defaultFixturesDir(), fixture(name).truth.image));

function words(doc: ScreenText): string[] {
  return doc.elements.filter((e) => e.kind === 'word').map((e) => e.text);
}

describe('ScreenReader on real screenshots', () => {
  let reader: PipelineScreenReader;
  beforeAll(async () => {
    reader = createScreenReader({ workers: 2 });
    await reader.warm();
  });
  afterAll(async () => {
    await reader.close();
  });

  it('locates the Gnumeric menus and status labels on their elements, as a valid ScreenText', async () => {
    const doc = await reader.read(png('gnumeric'));
    expect(ScreenTextSchema.parse(doc)).toBeTruthy();
    expect(doc.image).toEqual({ width: 1600, height: 900 });
    const result = labelRecall(doc, fixture('gnumeric').truth);
    expect(result.missing).toEqual([]);
    const lineIds = new Set(doc.elements.filter((e) => e.kind === 'line').map((e) => e.id));
    for (const element of doc.elements) {
      expect(element.conf).toBeGreaterThanOrEqual(0);
      expect(element.conf).toBeLessThanOrEqual(100);
      expect(element.box.x + element.box.w).toBeLessThanOrEqual(1600);
      expect(element.box.y + element.box.h).toBeLessThanOrEqual(900);
      if (element.kind === 'word') expect(lineIds.has(element.lineId!)).toBe(true);
    }
    expect(doc.timings.totalMs).toBeGreaterThan(0);
    expect(doc.timings.linesRecognized).toBe(doc.timings.linesDetected);
  });

  it("reads a spreadsheet's column headers as one capital each (C, O, S come back doubled as Cc, Oo, Ss)", async () => {
    const doc = await reader.read(png('gnumeric'));
    // The column-header row of the sheet: lone letters A..S between the formula bar and row 1.
    const headers = doc.elements
      .filter((e) => e.kind === 'line' && e.box.y > 170 && e.box.y < 185 && e.box.x > 80)
      .map((e) => e.text);
    expect(headers).toEqual(expect.arrayContaining(['A', 'B', 'C', 'D', 'E', 'O', 'S']));
    expect(headers.filter((h) => /^(.)\1$/i.test(h))).toEqual([]);
  });

  it('reads a dark-theme window and a HiDPI window', async () => {
    const dark = await reader.read(png('mousepad-dark'));
    expect(labelRecall(dark, fixture('mousepad-dark').truth).recall).toBeGreaterThan(0.95);
    const hidpi = await reader.read(png('gnumeric-hidpi'));
    expect(labelRecall(hidpi, fixture('gnumeric-hidpi').truth).recall).toBeGreaterThanOrEqual(11 / 12);
  });

  it('re-reads nothing when the window did not change, and only the edited line after an edit', async () => {
    const base = await decodeImage(png('gnumeric'));
    const first = await reader.read(base, { windowKey: 'gnumeric-edit' });
    const detected = first.timings.linesDetected!;
    expect(first.timings.linesRecognized).toBe(detected);

    const again = await reader.read({ ...base, data: base.data.slice() }, { windowKey: 'gnumeric-edit' });
    expect(again.timings.linesRecognized).toBe(0);
    expect(again.timings.linesReused).toBe(detected);
    expect(words(again)).toEqual(words(first));

    const edited = await drawTextOnImage(
      base,
      'Quarterly total 4821',
      { left: 300, top: 400 },
      { width: 260, height: 22 },
    );
    const after = await reader.read(edited, { windowKey: 'gnumeric-edit' });
    expect(after.timings.linesRecognized).toBeGreaterThanOrEqual(1);
    // The new text line, plus at most a few grid-line fragments the white text background cut.
    expect(after.timings.linesRecognized).toBeLessThanOrEqual(4);
    expect(after.timings.linesReused).toBeGreaterThan(detected - 10);
    expect(words(after)).toEqual(expect.arrayContaining(['Quarterly', 'total', '4821', 'File', 'Statistics']));
    const quarterly = after.elements.find((e) => e.text === 'Quarterly')!;
    expect(quarterly.box.x).toBeGreaterThanOrEqual(300);
    expect(quarterly.box.y).toBeGreaterThanOrEqual(400);
    expect(quarterly.box.y + quarterly.box.h).toBeLessThanOrEqual(422);
  });

  it('reuses the words of lines that scrolled to a new place', async () => {
    const base = await decodeImage(png('mousepad-text'));
    const first = await reader.read(base, { windowKey: 'mousepad-scroll' });
    // Scroll the text area up by 40 px (two text lines): rows 100.. move to 60..; the top stays.
    const shifted = new Uint8Array(base.data);
    const stride = base.width * 4;
    shifted.copyWithin(60 * stride, 100 * stride, (base.height - 40) * stride);
    const scrolled = await reader.read({ ...base, data: shifted }, { windowKey: 'mousepad-scroll' });
    expect(scrolled.timings.linesReused!).toBeGreaterThan(first.timings.linesDetected! * 0.5);
    expect(scrolled.timings.linesRecognized!).toBeLessThan(first.timings.linesDetected! * 0.5);
  });

  it('streams partial results, top-of-window lines first, before the full text', async () => {
    const partials: ScreenText[] = [];
    const doc = await reader.read(png('mousepad-text'), { onPartial: (p) => partials.push(p) });
    expect(partials.length).toBeGreaterThanOrEqual(1);
    const first = partials[0]!;
    expect(first.elements.length).toBeLessThan(doc.elements.length);
    const menus = ['File', 'Edit', 'Search', 'View', 'Document', 'Help'];
    expect(words(first).filter((w) => menus.includes(w)).length).toBeGreaterThanOrEqual(2);
    expect(doc.timings.firstPartialMs).toBeLessThanOrEqual(doc.timings.totalMs);
  });

  it('rejects bad images with actionable ImageErrors', async () => {
    const cases: Array<[unknown, string]> = [
      [Buffer.alloc(0), 'empty'],
      [Buffer.from('this is not an image at all, just text'), 'unsupported'],
      [png('gnumeric').subarray(0, 2000), 'corrupt'],
      [{ width: 10, height: 10, data: new Uint8Array(99) }, 'corrupt'],
      [{ width: 0, height: 10, data: new Uint8Array(0) }, 'empty'],
    ];
    for (const [input, code] of cases) {
      const error = await reader.read(input as Buffer).catch((e: unknown) => e);
      expect(error, code).toBeInstanceOf(ImageError);
      expect((error as ImageError).code).toBe(code);
      expect((error as ImageError).message.length).toBeGreaterThan(20);
    }
  });

  it('downscales a huge image with a note instead of running out of memory', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="12000" height="400"><rect width="12000" height="400" fill="white"/><text x="20" y="200" font-family="DejaVu Sans" font-size="90" fill="black">Settings</text></svg>`;
    const huge = await sharp(Buffer.from(svg)).png().toBuffer();
    const doc = await reader.read(huge);
    expect(doc.image).toEqual({ width: 12000, height: 400 });
    expect(doc.notes?.join(' ')).toMatch(/downscaled from 12000x400/);
    const settings = doc.elements.find((e) => e.kind === 'word' && /Settings/.test(e.text));
    expect(settings).toBeTruthy();
    expect(settings!.box.x).toBeLessThan(100);
  });

  it('honours an abort signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(reader.read(png('gnumeric'), { signal: controller.signal })).rejects.toThrow();
  });
});

describe('ScreenReader worker failures', () => {
  it('replaces a worker that dies mid-job and retries the job', async () => {
    const reader = createScreenReader({ workers: 1 });
    try {
      await reader.warm();
      const pending = reader.read(png('gnumeric-format-cells'));
      while (reader.pool.busyThreads().length === 0) await sleep(1);
      await reader.pool.busyThreads()[0]!.terminate();
      const doc = await pending;
      expect(words(doc)).toEqual(expect.arrayContaining(['Currency', 'Apply', 'Cancel']));
      expect(reader.engineStats.retries).toBeGreaterThanOrEqual(1);
      expect(reader.engineStats.workersReplaced).toBeGreaterThanOrEqual(1);
    } finally {
      await reader.close();
    }
  });

  it('gives a clear OcrEngineError when the retry fails too (hung worker)', async () => {
    const reader = createScreenReader({ workers: 1, jobTimeoutMs: 1 });
    try {
      const error = await reader.read(png('gnumeric-format-cells')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OcrEngineError);
      expect((error as Error).message).toMatch(/failed twice.*Try again/);
    } finally {
      await reader.close();
    }
  });
});
