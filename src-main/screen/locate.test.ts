/**
 * Targeted rules of `locateLabel`, each on a small laid-out ScreenText (words placed like a
 * GTK window: 7 px per character, 12 px high, 4 px between words of one control).
 * The same rules on real screenshots are pinned in fixtures.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ScreenText, TextElement } from '../../src-shared/screen';
import { isTextGone, isTextVisible, locateCandidates, locateLabel, locateLabels } from './locate';
import { regionsOf, screenLines, screenModel } from './model';
import { editBudget, normalizeLabel, stripMnemonics } from './normalize';

/** A control at (x, y) whose text is split into words on spaces. */
interface Control {
  x: number;
  y: number;
  text: string;
  conf?: number;
}

const CHAR = 7;
const HEIGHT = 12;

/** Lays controls out as OCR words; controls with the same `y` share one OCR line. */
function screenOf(controls: Control[], width = 1200, height = 800): ScreenText {
  const elements: TextElement[] = [];
  const lineIds = new Map<number, string>();
  let id = 0;
  for (const control of controls) {
    let lineId = lineIds.get(control.y);
    if (!lineId) {
      lineId = `l${lineIds.size}`;
      lineIds.set(control.y, lineId);
    }
    let x = control.x;
    for (const word of control.text.split(' ')) {
      const w = word.length * CHAR;
      elements.push({
        id: `w${id++}`,
        text: word,
        conf: control.conf ?? 90,
        kind: 'word',
        lineId,
        box: { x, y: control.y, w, h: HEIGHT },
      });
      x += w + 4;
    }
  }
  return { image: { width, height }, elements, timings: { totalMs: 0 } };
}

describe('normalization', () => {
  it('strips mnemonics but keeps a doubled one as a literal', () => {
    expect(stripMnemonics('&File')).toBe('File');
    expect(stripMnemonics('Save _As')).toBe('Save As');
    expect(stripMnemonics('Fish && Chips')).toBe('Fish & Chips');
  });
  it('treats ellipses and colons as decoration, case and OCR confusions as equal', () => {
    const [table] = normalizeLabel('Table...');
    const [tableDots] = normalizeLabel('TABLE…');
    expect(table!.folded).toBe(tableDots!.folded);
    expect(table!.trailing).toBe('ellipsis');
    expect(tableDots!.trailing).toBe('ellipsis');
    expect(normalizeLabel('Left:')[0]!.trailing).toBe('colon');
    expect(normalizeLabel('Fi1e')[0]!.folded).toBe(normalizeLabel('File')[0]!.folded);
    expect(normalizeLabel('Forrnat')[0]!.folded).toBe(normalizeLabel('Format')[0]!.folded);
  });
  it('allows no edits in short words and more in long ones', () => {
    expect(editBudget(1)).toBe(0);
    expect(editBudget(4)).toBe(0);
    expect(editBudget(6)).toBe(1);
    expect(editBudget(10)).toBe(2);
  });
});

describe('locateLabel', () => {
  const menuBar = screenOf([
    { x: 10, y: 5, text: 'File' },
    { x: 60, y: 5, text: 'Edit' },
    { x: 110, y: 5, text: 'View' },
    { x: 160, y: 5, text: 'Insert' },
    { x: 230, y: 5, text: 'Format' },
    { x: 300, y: 5, text: 'Data' },
    { x: 230, y: 30, text: 'Cells...' },
    { x: 230, y: 50, text: 'Freeze Panes' },
    { x: 230, y: 70, text: 'Save As...' },
    { x: 360, y: 70, text: 'Shift+Ctrl+S' },
  ]);

  it('finds a single word and returns its box and a full score', () => {
    expect(locateLabel(menuBar, 'Format')).toEqual({
      query: 'Format',
      text: 'Format',
      box: { x: 230, y: 5, w: 42, h: 12 },
      score: 1,
    });
  });

  it('is case-insensitive', () => {
    const match = locateLabel(menuBar, 'freeze panes');
    expect(match.text).toBe('Freeze Panes');
    expect(match.box).toEqual({ x: 230, y: 50, w: 42 + 4 + 35, h: 12 });
  });

  it('matches a multi-word label across words, box = union of the words', () => {
    const match = locateLabel(menuBar, 'Freeze Panes');
    expect(match.box).toEqual({ x: 230, y: 50, w: 81, h: 12 });
    expect(match).toHaveProperty('score', 1);
  });

  it('tolerates mnemonics and either ellipsis spelling', () => {
    for (const label of ['Save As...', 'Save As…', 'Save _As...', '_Save As…', 'Save &As']) {
      const match = locateLabel(menuBar, label);
      expect(match.text, label).toBe('Save As...');
      expect(match.box!.y).toBe(70);
    }
  });

  it('does not take a keyboard shortcut beside a menu item into the match', () => {
    const match = locateLabel(menuBar, 'Save As');
    expect(match.text).toBe('Save As...');
  });

  it('tolerates small OCR slips, scaled by length', () => {
    const slips = screenOf([
      { x: 10, y: 10, text: 'Forrnat Celis...' },
      { x: 10, y: 40, text: 'Freeze Pones' },
      { x: 10, y: 70, text: 'Conditional Formattng' },
    ]);
    expect(locateLabel(slips, 'Format Cells...').text).toBe('Forrnat Celis...');
    expect(locateLabel(slips, 'Freeze Panes').text).toBe('Freeze Pones');
    expect(locateLabel(slips, 'Conditional Formatting').text).toBe('Conditional Formattng');
    const slip = locateLabel(slips, 'Freeze Panes');
    expect(slip.box && 'score' in slip && slip.score).toBeLessThan(1);
  });

  it('never matches a short word that differs (Edit vs Exit, Left vs Lift)', () => {
    const screen = screenOf([
      { x: 10, y: 10, text: 'Edit' },
      { x: 10, y: 40, text: 'Lift' },
    ]);
    expect(locateLabel(screen, 'Exit')).toEqual({ query: 'Exit', text: null, box: null });
    expect(locateLabel(screen, 'Left').box).toBeNull();
  });

  it('never takes a different number for an OCR slip (Sheet1 vs Sheet2)', () => {
    const screen = screenOf([
      { x: 10, y: 10, text: 'Sheet2' },
      { x: 10, y: 40, text: 'Heading 2' },
      { x: 10, y: 70, text: 'Levels 1O' },
    ]);
    expect(locateLabel(screen, 'Sheet1').box).toBeNull();
    expect(locateLabel(screen, 'Heading 1').box).toBeNull();
    expect(locateLabel(screen, 'Sheet2').box!.y).toBe(10);
    expect(locateLabel(screen, 'Levels 10').box!.y).toBe(70); // O for 0 is an OCR slip
    expect(locateLabel(screen, 'Levels 12').box).toBeNull();
  });

  it('never confuses labels that differ by a whole short word: Linear A vs Linear B', () => {
    const onlyB = screenOf([{ x: 10, y: 10, text: 'Linear B' }]);
    expect(locateLabel(onlyB, 'Linear A').box).toBeNull();
    const both = screenOf([
      { x: 10, y: 10, text: 'Linear A' },
      { x: 10, y: 40, text: 'Linear B' },
    ]);
    expect(locateLabel(both, 'Linear B').box!.y).toBe(40);
    expect(locateLabel(both, 'Linear A').box!.y).toBe(10);
    const glued = screenOf([
      { x: 10, y: 10, text: 'LinearB' },
      { x: 10, y: 40, text: 'Linear BA' },
    ]);
    expect(locateLabel(glued, 'Linear A').box).toBeNull();
    expect(locateLabel(glued, 'Linear B').box!.y).toBe(10);
  });

  it('prefers the exact spelling: Table over Table..., Left over Left:, yet finds either alone', () => {
    const screen = screenOf([
      { x: 10, y: 10, text: 'Table...' },
      { x: 10, y: 40, text: 'Table' },
      { x: 300, y: 10, text: 'Left:' },
      { x: 300, y: 40, text: 'Left' },
    ]);
    expect(locateLabel(screen, 'Table').box!.y).toBe(40);
    expect(locateLabel(screen, 'Table...').box!.y).toBe(10);
    expect(locateLabel(screen, 'Left').box!.y).toBe(40);
    expect(locateLabel(screen, 'Left:').box!.y).toBe(10);
    const onlyDecorated = screenOf([
      { x: 10, y: 10, text: 'Table...' },
      { x: 300, y: 10, text: 'Left:' },
    ]);
    const table = locateLabel(onlyDecorated, 'Table');
    expect(table.text).toBe('Table...');
    expect(table.box && 'score' in table && table.score).toBeLessThan(1);
    expect(locateLabel(onlyDecorated, 'Left').text).toBe('Left:');
  });

  it('prefers a label alone over the same word inside a longer one', () => {
    const screen = screenOf([
      { x: 10, y: 10, text: 'Pivot Table' },
      { x: 10, y: 40, text: 'Table...' },
    ]);
    expect(locateLabel(screen, 'Table').text).toBe('Table...');
  });

  it('matches phrases that OCR split or joined oddly', () => {
    const screen = screenOf([
      { x: 10, y: 10, text: 'Free ze Panes' },
      { x: 10, y: 40, text: 'SaveAs...' },
    ]);
    expect(locateLabel(screen, 'Freeze Panes').text).toBe('Free ze Panes');
    expect(locateLabel(screen, 'Save As…').text).toBe('SaveAs...');
  });

  it('does not cut a hyphenated compound into labels', () => {
    const screen = screenOf([
      { x: 10, y: 5, text: 'Right-to-left dominant' },
      { x: 10, y: 40, text: 'Left:0.5in' },
    ]);
    expect(locateLabel(screen, 'Right').box).toBeNull();
    expect(locateLabel(screen, 'Left:').text).toBe('Left:');
  });

  it('finds a label wrapped onto two lines, but not two unrelated stacked items', () => {
    const ribbon = screenOf([
      { x: 100, y: 60, text: 'Conditional' },
      { x: 104, y: 75, text: 'Formatting' },
      { x: 200, y: 60, text: 'Format' },
      { x: 200, y: 75, text: 'as Table' },
    ]);
    const match = locateLabel(ribbon, 'Conditional Formatting');
    expect(match.text).toBe('Conditional Formatting');
    expect(match.box).toEqual({ x: 100, y: 60, w: 77, h: 27 });
    expect(locateLabel(ribbon, 'Format as Table').text).toBe('Format as Table');
    // A single-line match of the same label wins over a wrapped one.
    const both = screenOf([
      { x: 100, y: 60, text: 'Conditional' },
      { x: 100, y: 75, text: 'Formatting' },
      { x: 400, y: 300, text: 'Conditional Formatting' },
    ]);
    expect(locateLabel(both, 'Conditional Formatting').box!.y).toBe(300);
    // Menu items one under the other are separate controls unless the words line up with the label.
    const menu = screenOf([
      { x: 10, y: 30, text: 'Linear' },
      { x: 10, y: 45, text: 'B' },
    ]);
    expect(locateLabel(menu, 'Linear A').box).toBeNull();
    expect(
      locateLabel(
        screenOf([
          { x: 10, y: 30, text: 'Save' },
          { x: 10, y: 80, text: 'As' },
        ]),
        'Save As',
      ).box,
    ).toBeNull();
  });

  it('finds a word OCR glued to its neighbour, with a proportional box', () => {
    const screen = screenOf([{ x: 10, y: 5, text: 'FileEdit View' }]);
    const match = locateLabel(screen, 'Edit');
    expect(match.text).toBe('Edit');
    expect(match.box!.x).toBeCloseTo(10 + 28, 0);
    expect(match.box!.w).toBeCloseTo(28, 0);
  });

  it('uses region and near hints when a label appears twice', () => {
    const screen = screenOf([
      { x: 10, y: 5, text: 'Format' },
      { x: 500, y: 300, text: 'Number' },
      { x: 500, y: 330, text: 'Alignment' },
      { x: 600, y: 400, text: 'Left' },
      { x: 820, y: 500, text: 'Indent' },
      { x: 900, y: 500, text: 'Left' },
      { x: 100, y: 760, text: 'OK' },
      { x: 40, y: 760, text: 'Left' },
    ]);
    expect(locateLabel(screen, 'Left').box!.y).toBe(400); // reading order by default
    expect(locateLabel(screen, 'Left', { region: 'bottom' }).box!.x).toBe(40);
    expect(locateLabel(screen, 'Left', { near: 'Indent' }).box).toMatchObject({ x: 900, y: 500 });
    expect(locateLabel(screen, 'Left', { near: 'OK' }).box).toMatchObject({ x: 40, y: 760 });
    expect(locateLabel(screen, 'Left', { region: 'dialog' }).box!.y).toBe(400);
    // A near label that is not on screen changes nothing.
    expect(locateLabel(screen, 'Left', { near: 'Nowhere' }).box!.y).toBe(400);
  });

  it('prefers the menu bar for a short label shown twice', () => {
    const screen = screenOf([
      { x: 300, y: 400, text: 'View' },
      { x: 60, y: 5, text: 'View' },
    ]);
    expect(locateLabel(screen, 'View').box!.y).toBe(5);
  });

  it('returns a null match for an absent or empty label', () => {
    expect(locateLabel(menuBar, 'Pivot Table')).toEqual({ query: 'Pivot Table', text: null, box: null });
    expect(locateLabel(menuBar, '')).toEqual({ query: '', text: null, box: null });
    expect(locateLabel(menuBar, '...')).toEqual({ query: '...', text: null, box: null });
  });

  it('handles an empty screen and hostile labels quickly', () => {
    const empty: ScreenText = { image: { width: 10, height: 10 }, elements: [], timings: { totalMs: 0 } };
    expect(locateLabel(empty, 'File')).toEqual({ query: 'File', text: null, box: null });
    const long = 'Freeze Panes '.repeat(2000);
    const started = performance.now();
    expect(locateLabel(menuBar, long).box).toBeNull();
    expect(locateLabel(menuBar, '.*(a+)+$ \\ \u0000 <script>').box).toBeNull();
    expect(locateLabel(menuBar, '&&&& ____ …… ::').box).toBeNull();
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('does not take a misspelt word inside running text for a missing label', () => {
    const screen = screenOf([
      { x: 10, y: 10, text: 'This paragraph represents words as they might appear in your document.' },
    ]);
    expect(locateLabel(screen, 'Right:').box).toBeNull();
    expect(locateLabel(screen, 'paragraph').text).toBe('paragraph');
  });

  it('does not match a label against part of a longer word', () => {
    const screen = screenOf([{ x: 10, y: 10, text: 'Leftover Datasets' }]);
    expect(locateLabel(screen, 'Left').box).toBeNull();
    expect(locateLabel(screen, 'Data').box).toBeNull();
  });

  it('locates several labels in order', () => {
    const matches = locateLabels(menuBar, ['File', 'Nope', 'Data']);
    expect(matches.map((m) => m.text)).toEqual(['File', null, 'Data']);
  });

  it('answers visibility for doneWhen with the same tolerance', () => {
    expect(isTextVisible(menuBar, 'freeze panes')).toBe(true);
    expect(isTextVisible(menuBar, 'F&reeze Panes…')).toBe(true);
    expect(isTextGone(menuBar, 'Unfreeze Panes')).toBe(true);
  });

  it('sees a label after a colon as standing alone (Alignment: Left beats Left:)', () => {
    const screen = screenOf([
      { x: 380, y: 216, text: 'Alignment: Left' },
      { x: 424, y: 286, text: 'Left:' },
    ]);
    expect(locateLabel(screen, 'Left').box!.y).toBe(216);
    expect(locateLabel(screen, 'Left:').box!.y).toBe(286);
  });

  it('treats Unfreeze and Freeze as different words, both ways', () => {
    const screen = screenOf([{ x: 10, y: 10, text: 'Unfreeze Panes' }]);
    expect(isTextGone(screen, 'Freeze Panes')).toBe(true);
    expect(isTextGone(screenOf([{ x: 10, y: 10, text: 'Freeze Panes' }]), 'Unfreeze Panes')).toBe(true);
  });

  it('counts a neighbour on the same row as nearer than one the same distance above', () => {
    const screen = screenOf([
      { x: 100, y: 100, text: 'Linear B' },
      { x: 300, y: 100, text: 'Freeze Panes' },
      { x: 100, y: 250, text: 'Freeze Panes' },
    ]);
    expect(locateLabel(screen, 'Freeze Panes', { near: 'Linear B' }).box!.y).toBe(100);
  });

  it('lets a region hint outweigh a slightly worse spelling', () => {
    const screen = screenOf([
      { x: 10, y: 5, text: 'Table' },
      { x: 500, y: 400, text: 'Table...' },
    ]);
    expect(locateLabel(screen, 'Table').box!.y).toBe(5);
    expect(locateLabel(screen, 'Table', { region: 'dialog' }).box!.y).toBe(400);
  });

  it('lists every candidate, best first', () => {
    const screen = screenOf([
      { x: 10, y: 10, text: 'Table...' },
      { x: 10, y: 40, text: 'Table' },
    ]);
    expect(locateCandidates(screen, 'Table').map((c) => c.text)).toEqual(['Table', 'Table...']);
  });

  it('is fast enough to run several times a second on a busy screen', () => {
    const controls: Control[] = [];
    for (let row = 0; row < 60; row++) {
      for (let col = 0; col < 8; col++)
        controls.push({ x: 10 + col * 140, y: 10 + row * 13, text: `Item${row}x${col} Label` });
    }
    const screen = screenOf(controls, 1200, 800);
    const labels = ['Freeze Panes', 'Format Cells...', 'Item30x3 Label', 'Save As', 'Linear A'];
    // CPU time (not wall time: the test machine is shared), best of several runs on a fresh
    // ScreenText each time (model built anew). A loose bound that catches a blow-up, not a benchmark.
    let best = Infinity;
    for (let i = 0; i < 7; i++) {
      const fresh = { ...screen };
      const started = process.cpuUsage();
      locateLabels(fresh, labels);
      const used = process.cpuUsage(started);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    console.log(`locate: 5 labels on a fresh 960-word screen in ${best.toFixed(1)} ms CPU (best of 7)`);
    expect(locateLabel(screen, 'Item30x3 Label').text).toBe('Item30x3 Label');
    expect(best).toBeLessThan(400);
  });
});

describe('screen model', () => {
  it('groups words into lines by line id, in reading order', () => {
    const screen = screenOf([
      { x: 200, y: 50, text: 'second line' },
      { x: 10, y: 10, text: 'first line' },
    ]);
    expect(screenLines(screen).map((l) => l.text)).toEqual(['first line', 'second line']);
  });

  it('groups words without line ids by geometry', () => {
    const screen = screenOf([
      { x: 10, y: 10, text: 'Freeze Panes' },
      { x: 10, y: 40, text: 'Save As' },
    ]);
    for (const e of screen.elements) delete e.lineId;
    expect(screenLines(screen).map((l) => l.text)).toEqual(['Freeze Panes', 'Save As']);
    expect(locateLabel(screen, 'Freeze Panes').text).toBe('Freeze Panes');
  });

  it('joins OCR lines that continue each other on one row', () => {
    const screen = screenOf([
      { x: 10, y: 10, text: 'Save' },
      { x: 10 + 28 + 4, y: 11, text: 'As...' },
      { x: 300, y: 12, text: 'Ctrl+S' },
    ]);
    expect(new Set(screen.elements.map((e) => e.lineId)).size).toBe(3);
    expect(screenLines(screen).map((l) => l.text)).toEqual(['Save As...', 'Ctrl+S']);
    expect(locateLabel(screen, 'Save As...')).toMatchObject({ text: 'Save As...', score: 1 });
  });

  it('reads line elements that have no words', () => {
    const screen: ScreenText = {
      image: { width: 400, height: 300 },
      elements: [{ id: 'a', kind: 'line', text: 'Freeze Panes', conf: 80, box: { x: 10, y: 10, w: 120, h: 12 } }],
      timings: { totalMs: 0 },
    };
    const match = locateLabel(screen, 'Panes');
    expect(match.box!.x).toBeCloseTo(80, 0);
  });

  it('splits a line at wide gaps into separate controls', () => {
    const screen = screenOf([
      { x: 10, y: 10, text: 'Save As...' },
      { x: 200, y: 10, text: 'Shift+Ctrl+S' },
    ]);
    const [line] = screenModel(screen).lines;
    expect(line!.words.map((w) => w.segment)).toEqual([0, 0, 1]);
  });

  it('classifies regions', () => {
    const image = { width: 1000, height: 800 };
    expect(regionsOf({ x: 10, y: 5, w: 30, h: 12 }, image)).toEqual(['top', 'left']);
    expect(regionsOf({ x: 480, y: 780, w: 30, h: 12 }, image)).toEqual(['bottom']);
    expect(regionsOf({ x: 480, y: 400, w: 30, h: 12 }, image)).toEqual(['dialog']);
    expect(regionsOf({ x: 900, y: 400, w: 30, h: 12 }, image)).toEqual(['right']);
  });
});
