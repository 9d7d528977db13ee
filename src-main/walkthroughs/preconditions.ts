/**
 * Preconditions of a step that the screen shows: a modal dialog in front of the window. A dialog
 * (Page Setup, Format Cells...) blocks the rest of its application until it is closed, so "Open the
 * View menu" cannot work while one is open. What OCR offers to see one: a row of dialog buttons
 * (Cancel next to OK / Apply / Close...) away from the menu bar. Its name is known when the window in
 * front is the dialog itself (its title does not name the application); OCR rarely reads a dialog's
 * title bar (light text on a coloured bar), so otherwise the dialog is described by its buttons.
 */
import type { Box, ScreenText, WindowInfo } from '../../src-shared/screen';
import { isInRegion, screenModel, stripMnemonics, type ScreenWord } from '../screen';

/** A modal dialog seen on screen. */
export interface OpenDialog {
  /** The dialog's name when known ("Page Setup"), else null. */
  title: string | null;
  /** Its closing buttons as read, e.g. ["Cancel", "OK"]. */
  buttons: string[];
  /** The button that closes it without changes (Cancel / Close), in image pixels. */
  closeBox: Box;
  /** The button row, in image pixels. */
  rowBox: Box;
}

/** Words that close a dialog without keeping changes. */
const CLOSE_WORDS = new Set(['cancel', 'close']);
/** Words of a dialog's other bottom buttons. */
const CONFIRM_WORDS = new Set([
  ...['ok', 'apply', 'yes', 'no', 'save', 'print', 'open'],
  ...['insert', 'find', 'replace', 'done', 'close', 'cancel'],
]);
/** How far apart (in text heights) the buttons of one row may be. */
const ROW_SPAN_HEIGHTS = 60;

function plain(word: ScreenWord): string {
  return stripMnemonics(word.text)
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/**
 * The modal dialog on `screen`, or null: a Cancel/Close button with at least one other dialog
 * button on the same row, below the menu bar and toolbars. `window` (the window in front) names it
 * when it is the dialog itself; `appName` is the application the walkthrough is for.
 */
export function findOpenDialog(screen: ScreenText, window: WindowInfo | null, appName: string): OpenDialog | null {
  const model = screenModel(screen);
  const words = model.words.filter((w) => w.conf >= 50 && CONFIRM_WORDS.has(plain(w)));
  const height = Math.max(model.textHeight, 8);
  for (const closer of words.filter((w) => CLOSE_WORDS.has(plain(w)))) {
    if (isInRegion(closer.box, 'top', screen.image)) continue;
    const centre = closer.box.y + closer.box.h / 2;
    const row = words.filter(
      (w) =>
        Math.abs(w.box.y + w.box.h / 2 - centre) <= height * 0.8 &&
        Math.abs(w.box.x - closer.box.x) <= height * ROW_SPAN_HEIGHTS,
    );
    const others = row.filter((w) => w !== closer);
    if (others.length === 0) continue;
    const x0 = Math.min(...row.map((w) => w.box.x));
    const x1 = Math.max(...row.map((w) => w.box.x + w.box.w));
    const y0 = Math.min(...row.map((w) => w.box.y));
    const y1 = Math.max(...row.map((w) => w.box.y + w.box.h));
    const buttons = [...new Set(row.sort((a, b) => a.box.x - b.box.x).map((w) => stripMnemonics(w.text)))];
    const rowBox = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
    return { title: dialogTitle(window, appName), buttons, closeBox: closer.box, rowBox };
  }
  return null;
}

/** The window in front's title when it is a dialog of the app (it does not name the app), else null. */
function dialogTitle(window: WindowInfo | null, appName: string): string | null {
  const title = window?.title.trim() ?? '';
  if (!title || !appName.trim()) return null;
  return title.toLowerCase().includes(appName.trim().toLowerCase()) ? null : title;
}

/**
 * Whether an open dialog is in the way of a step: its target is in the menu bar or toolbars (the
 * main window, which the dialog blocks), or is the first step's and not on screen at all.
 */
export function dialogBlocksStep(
  dialog: OpenDialog,
  target: Box | null,
  screen: ScreenText,
  firstStep: boolean,
): boolean {
  if (target) return isInRegion(target, 'top', screen.image) && target.y + target.h < dialog.rowBox.y;
  return firstStep;
}

/** What to tell the person about a dialog in the way, e.g. "First close the “Page Setup” dialog...". */
export function closeDialogMessage(dialog: OpenDialog, appName: string): string {
  const closer = dialog.buttons.find((b) => CLOSE_WORDS.has(b.toLowerCase())) ?? 'Cancel';
  const keeper = dialog.buttons.find((b) => ['ok', 'apply'].includes(b.toLowerCase()));
  const buttons = keeper ? `${closer} and ${keeper}` : closer;
  const which = dialog.title ? `the “${dialog.title}” dialog` : `the open dialog (the one with ${buttons})`;
  const how = keeper ? `Click ${closer} (or ${keeper} to keep its changes).` : `Click ${closer}.`;
  return `First close ${which}: it blocks the rest of ${appName || 'the app'} until it is closed. ${how}`;
}
