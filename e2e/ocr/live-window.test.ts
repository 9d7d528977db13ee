/**
 * Incremental reading of a live application window: Mousepad under a private Xvfb desktop,
 * captured with Sidekick's capture code, read, then edited by typing and read again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFocusedWindow } from '../../src-main/capture';
import { createScreenReader, type PipelineScreenReader } from '../../src-main/ocr/reader';
import { desktopUnavailableReason, startDesktop, type AppWindow, type Desktop } from '../support/desktop';

const skipReason =
  desktopUnavailableReason() ??
  (!existsSync('/usr/bin/mousepad') ? 'mousepad is not installed (apt-get install mousepad)' : null);
if (skipReason) console.warn(`skipping live-window OCR tests: ${skipReason}`);

describe.skipIf(skipReason)('OCR of a live Mousepad window', () => {
  let desktop: Desktop;
  let mousepad: AppWindow;
  let reader: PipelineScreenReader;

  beforeAll(async () => {
    desktop = await startDesktop({ width: 1280, height: 800 });
    // The capture library opens one X connection per process, on the display set at first use.
    process.env.DISPLAY = desktop.display;
    mousepad = await desktop.launch('mousepad', [], /Mousepad|Untitled/);
    await desktop.focus(mousepad.windowId, { width: 1000, height: 600 });
    reader = createScreenReader();
    await reader.warm();
  });

  afterAll(async () => {
    await reader?.close();
    await desktop?.stop();
  });

  it('re-reads only the edited line after typing, and nothing when the window is unchanged', async () => {
    await desktop.xdotool('type', '--delay', '5', 'Quarterly report draft');
    await sleep(500);
    const first = await reader.read((await captureFocusedWindow()).image, { windowKey: 'mousepad' });
    const words = () => first.elements.filter((e) => e.kind === 'word').map((e) => e.text);
    expect(words(), JSON.stringify(first.elements.filter((e) => e.kind === 'line').map((e) => e.text))).toEqual(
      expect.arrayContaining(['File', 'Edit', 'Quarterly', 'report', 'draft']),
    );

    const same = await reader.read((await captureFocusedWindow()).image, { windowKey: 'mousepad' });
    // The text cursor blinks: at most its line is re-read.
    expect(same.timings.linesRecognized).toBeLessThanOrEqual(1);

    // (Return is not delivered as a newline to Mousepad under Xvfb here, so the edit extends the line.)
    await desktop.xdotool('type', '--delay', '20', ' Budget approved');
    await sleep(500);
    const edited = await reader.read((await captureFocusedWindow()).image, { windowKey: 'mousepad' });
    const editedWords = edited.elements.filter((e) => e.kind === 'word').map((e) => e.text);
    expect(
      editedWords,
      JSON.stringify(edited.elements.filter((e) => e.kind === 'line').map((e) => [e.text, e.box.y])),
    ).toEqual(expect.arrayContaining(['File', 'Quarterly', 'Budget', 'approved']));
    expect(edited.timings.linesRecognized).toBeGreaterThanOrEqual(1);
    expect(edited.timings.linesRecognized!).toBeLessThanOrEqual(5);
    expect(edited.timings.linesReused!, JSON.stringify(edited.timings)).toBeGreaterThan(
      edited.timings.linesRecognized!,
    );
    const budget = edited.elements.find((e) => e.text === 'Budget')!;
    const draft = edited.elements.find((e) => e.text === 'draft')!;
    expect(budget.box.x).toBeGreaterThan(draft.box.x + draft.box.w);
  });
});
