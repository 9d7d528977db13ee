/** A modal dialog in the way of a step, seen on real Gnumeric screenshots read by Sidekick's OCR. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ScreenTextSchema, type ScreenText, type WindowInfo } from '../../src-shared/screen';
import { locateLabel } from '../screen';
import { closeDialogMessage, dialogBlocksStep, findOpenDialog } from './preconditions';

/** The committed OCR of a real screenshot in src-main/screen/fixtures. */
function loadFixtureScreen(name: string): ScreenText {
  const file = fileURLToPath(new URL(`../screen/fixtures/${name}.ocr.json`, import.meta.url));
  return ScreenTextSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

const MAIN: WindowInfo = {
  id: 1,
  app: 'Gnumeric',
  title: 'lookalikes.csv - Gnumeric',
  bounds: { x: 0, y: 0, w: 1280, h: 800 },
  scale: 1,
};

describe('a modal dialog in front of the window', () => {
  it('finds Page Setup by its button row and says which button closes it', () => {
    const screen = loadFixtureScreen('gnumeric-page-setup');
    const dialog = findOpenDialog(screen, MAIN, 'Gnumeric')!;
    expect(dialog).not.toBeNull();
    expect(dialog.buttons).toEqual(expect.arrayContaining(['Cancel', 'OK']));
    // Cancel sits at about (601, 713) on the screenshot.
    expect(dialog.closeBox.x).toBeLessThan(601);
    expect(dialog.closeBox.x + dialog.closeBox.w).toBeGreaterThan(601);
    expect(Math.abs(dialog.closeBox.y + dialog.closeBox.h / 2 - 713)).toBeLessThan(8);
    // The main window's title names the app, so OCR alone cannot name the dialog: it is described by its buttons.
    expect(dialog.title).toBeNull();
    expect(closeDialogMessage(dialog, 'Gnumeric')).toBe(
      'First close the open dialog (the one with Cancel and OK): it blocks the rest ' +
        'of Gnumeric until it is closed. Click Cancel (or OK to keep its changes).',
    );
  });

  it('names the dialog when the window in front is the dialog itself', () => {
    const screen = loadFixtureScreen('gnumeric-page-setup');
    const dialog = findOpenDialog(screen, { ...MAIN, title: 'Page Setup' }, 'Gnumeric')!;
    expect(dialog.title).toBe('Page Setup');
    expect(closeDialogMessage(dialog, 'Gnumeric')).toMatch(
      /^First close the “Page Setup” dialog: it blocks the rest of Gnumeric/,
    );
  });

  it('blocks a step on the menu bar, not a step inside the dialog', () => {
    const screen = loadFixtureScreen('gnumeric-page-setup');
    const dialog = findOpenDialog(screen, MAIN, 'Gnumeric')!;
    const view = locateLabel(screen, 'View', { region: 'top' }).box;
    expect(view).not.toBeNull();
    expect(dialogBlocksStep(dialog, view, screen, false)).toBe(true);
    const scale = locateLabel(screen, 'Scale').box;
    expect(scale).not.toBeNull();
    expect(dialogBlocksStep(dialog, scale, screen, false)).toBe(false);
    expect(dialogBlocksStep(dialog, null, screen, true)).toBe(true);
    expect(dialogBlocksStep(dialog, null, screen, false)).toBe(false);
  });

  it('sees no dialog over an open menu, and finds Format Cells when it is open', () => {
    expect(findOpenDialog(loadFixtureScreen('gnumeric-view-menu'), MAIN, 'Gnumeric')).toBeNull();
    expect(findOpenDialog(loadFixtureScreen('gnumeric-format-menu'), MAIN, 'Gnumeric')).toBeNull();
    const formatCells = findOpenDialog(loadFixtureScreen('gnumeric-format-cells-dialog'), MAIN, 'Gnumeric');
    expect(formatCells?.buttons).toEqual(expect.arrayContaining(['Cancel']));
  });
});
