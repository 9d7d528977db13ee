import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ScreenTextSchema, type ScreenText } from '../../src-shared/screen';
import { loadLibrary } from './library';
import { defaultInstruction, idFromTitle, RecordingSession, snapToText } from './recorder';

const fixture = (name: string) => new URL(`../screen/fixtures/${name}`, import.meta.url);
const VIEW_MENU: ScreenText = ScreenTextSchema.parse(
  JSON.parse(readFileSync(fixture('gnumeric-view-menu.ocr.json'), 'utf8')),
);
const VIEW_MENU_PNG = readFileSync(fixture('gnumeric-view-menu.png'));

function centerOf(text: string): { x: number; y: number } {
  const e = VIEW_MENU.elements.find((el) => el.kind === 'word' && el.text === text)!;
  return { x: e.box.x + e.box.w / 2, y: e.box.y + e.box.h / 2 };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('snapping a click to OCR text', () => {
  it('takes the whole short line under the click ("Freeze Panes"), a single word in the menu bar', () => {
    expect(snapToText(VIEW_MENU, centerOf('Panes'))!.text).toBe('Freeze Panes');
    const view = snapToText(VIEW_MENU, centerOf('View'))!;
    expect(view.text).toBe('View');
    expect(defaultInstruction(view, VIEW_MENU)).toBe('Open the View menu.');
    expect(defaultInstruction(snapToText(VIEW_MENU, centerOf('Panes'))!, VIEW_MENU)).toBe('Click Freeze Panes.');
  });

  it('proposes the menu path for an item chosen right after opening its menu', () => {
    const session = new RecordingSession();
    const shot = session.addCapture({ image: VIEW_MENU_PNG, screen: VIEW_MENU });
    expect(session.addStepAt(shot, centerOf('View')).instruction).toBe('Open the View menu.');
    expect(session.addStepAt(shot, centerOf('Panes')).instruction).toBe('Choose View ▸ Freeze Panes.');
    expect(session.addStepAt(shot, centerOf('Zoom...')).instruction).toBe('Click Zoom.'); // no menu opened just before
  });

  it('snaps a click just beside a label, and nothing far from any text', () => {
    const p = centerOf('Panes');
    expect(snapToText(VIEW_MENU, { x: p.x + 40, y: p.y })?.text).toBe('Freeze Panes');
    expect(snapToText(VIEW_MENU, { x: 1200, y: 700 })).toBeNull();
  });
});

describe('RecordingSession', () => {
  it('records, edits, reorders and saves a walkthrough with thumbnails into the library', async () => {
    const session = new RecordingSession();
    const shot = session.addCapture({ image: VIEW_MENU_PNG, screen: VIEW_MENU });
    session.addStepAt(shot, centerOf('Panes'));
    session.addStepAt(shot, centerOf('View'));
    session.addStepAt(shot, { x: 1200, y: 700 }, 'Scroll down to check.');
    session.moveStep(1, 0);
    session.deleteStep(2);
    session.editStep(1, { instruction: 'Choose Freeze Panes to keep the header row in place.' });
    expect(session.steps.map((s) => s.target?.text)).toEqual(['View', 'Freeze Panes']);

    const details = session.suggestDetails('Gnumeric');
    expect(details.title).toBe('Freeze Panes in Gnumeric');
    const library = mkdtempSync(join(tmpdir(), 'sidekick-rec-'));
    dirs.push(library);
    const { path, walkthrough } = await session.save(library, {
      ...details,
      questions: ['how do I keep the header visible'],
    });
    expect(walkthrough.id).toBe('gnumeric-freeze-panes-in-gnumeric');
    expect(walkthrough.steps[1]).toMatchObject({
      target: { text: 'Freeze Panes' },
      doneWhen: { textGone: 'Freeze Panes' },
      image: 'step-2.png',
    });

    const loaded = loadLibrary({ folder: library });
    expect(loaded.problems).toEqual([]);
    expect(loaded.entries[0]!.path).toBe(path);
    const thumb = await sharp(join(library, walkthrough.id, 'step-1.png')).metadata();
    expect(thumb.format).toBe('png');
    expect(thumb.width).toBeLessThanOrEqual(480);
  });

  it('refuses to finish an empty recording with a clear message', async () => {
    await expect(new RecordingSession().finish({ title: 'x', app: { name: 'Gnumeric' } })).rejects.toThrow(
      /no steps yet/,
    );
    expect(idFromTitle('AbiWord', 'Strike through text!')).toBe('abiword-strike-through-text');
  });
});
