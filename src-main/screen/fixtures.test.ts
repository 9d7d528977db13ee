/**
 * locateLabel on real screenshots: gnumeric and AbiWord menus and dialogs captured under Xvfb
 * (fixtures/capture.ts), read by Sidekick's OCR (fixtures/regenerate.ts writes `<name>.ocr.json`).
 * Ground truth is a point inside the right control, read off each screenshot (fixtures/expectations.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScreenTextSchema, type Box, type ScreenText } from '../../src-shared/screen';
import { FIXTURE_EXPECTATIONS, type LabelExpectation } from './fixtures/expectations';
import { isTextGone, isTextVisible, locateLabel } from './locate';
import { regionsOf, screenLines, screenModel, wordsInRegion } from './model';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
/** Pixels of slack around a located box when checking the expected point. */
const SLACK = 3;

/** The committed OCR output of one fixture, validated. */
export function loadFixtureScreen(name: string): ScreenText {
  return ScreenTextSchema.parse(JSON.parse(readFileSync(`${FIXTURES}${name}.ocr.json`, 'utf8')));
}

function contains(box: Box, [x, y]: [number, number]): boolean {
  return x >= box.x - SLACK && x <= box.x + box.w + SLACK && y >= box.y - SLACK && y <= box.y + box.h + SLACK;
}

function isCorrect(screen: ScreenText, expectation: LabelExpectation): { ok: boolean; got: string } {
  const match = locateLabel(screen, expectation.label, expectation.hints);
  const got = match.box
    ? `"${match.text}" ` +
      `at ${Math.round(match.box.x)},${Math.round(match.box.y)} ${Math.round(match.box.w)}x${Math.round(match.box.h)}`
    : 'not found';
  if (expectation.at === null) return { ok: match.box === null, got };
  return { ok: match.box !== null && contains(match.box, expectation.at), got };
}

describe('locateLabel on real screenshots', () => {
  const results: { fixture: string; expectation: LabelExpectation; ok: boolean; got: string }[] = [];
  for (const [fixture, expectations] of Object.entries(FIXTURE_EXPECTATIONS)) {
    it(`${fixture}`, () => {
      expect(existsSync(`${FIXTURES}${fixture}.png`), `${fixture}.png is committed`).toBe(true);
      const screen = loadFixtureScreen(fixture);
      for (const expectation of expectations) results.push({ fixture, expectation, ...isCorrect(screen, expectation) });
    });
  }

  it('locates the labels on the fixtures accurately', () => {
    const failures = results.filter((r) => !r.ok);
    const lines = Object.keys(FIXTURE_EXPECTATIONS).map((fixture) => {
      const mine = results.filter((r) => r.fixture === fixture);
      return `  ${fixture.padEnd(30)} ${mine.filter((r) => r.ok).length}/${mine.length}`;
    });
    const total = `${results.length - failures.length}/${results.length}`;
    console.log(
      [
        `locate accuracy on real screenshots: ${total}`,
        ...lines,
        ...failures.map(
          (f) =>
            `  MISS ${f.fixture}: ` +
            `"${f.expectation.label}"${f.expectation.hints ? ' ' + JSON.stringify(f.expectation.hints) : ''} ` +
            `expected ${f.expectation.at ? f.expectation.at.join(',') : 'nothing'}, got ${f.got}`,
        ),
      ].join('\n'),
    );
    expect(results.length).toBeGreaterThan(100);
    expect((results.length - failures.length) / results.length).toBeGreaterThanOrEqual(0.95);
    const ruleFailures = failures.filter((f) => f.expectation.rule && !f.expectation.ocrLimited);
    expect(
      ruleFailures.map((f) => `${f.fixture}: ${f.expectation.label} (${f.expectation.rule}) got ${f.got}`),
    ).toEqual([]);
  });
});

describe('screen model on real screenshots', () => {
  it('groups OCR words into lines and splits menu items from their shortcuts', () => {
    const screen = loadFixtureScreen('gnumeric-file-menu-dark');
    const lines = screenLines(screen).map((l) => l.text);
    expect(lines).toContain('Print Preview');
    // "Quit" and its shortcut "Ctrl+Q" share a row but are two controls: never one segment.
    const words = screenModel(screen).words;
    const quit = words.find((w) => w.text === 'Quit');
    const shortcut = words.find((w) => /\+Q$/i.test(w.text) && Math.abs(w.box.y - (quit?.box.y ?? -99)) < 8);
    expect(quit && shortcut, 'Quit and its shortcut were read').toBeTruthy();
    expect(quit!.line !== shortcut!.line || quit!.segment !== shortcut!.segment).toBe(true);
    expect(locateLabel(screen, 'Quit').text).toBe('Quit');
  });

  it('classifies the menu bar as top and dialog buttons as dialog', () => {
    const screen = loadFixtureScreen('gnumeric-format-cells-dialog');
    const top = wordsInRegion(screen, 'top').map((w) => w.text);
    expect(top).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Statistics', 'Help']));
    const cancel = locateLabel(screen, 'Cancel');
    expect(regionsOf(cancel.box!, screen.image)).toContain('dialog');
    const file = locateLabel(screen, 'File');
    expect(regionsOf(file.box!, screen.image)).toEqual(['top', 'left']);
  });

  it('tells the player what is visible and what is gone', () => {
    const menu = loadFixtureScreen('gnumeric-format-menu');
    const cells = loadFixtureScreen('gnumeric-lookalike-cells');
    expect(isTextVisible(menu, 'Auto Fit Width')).toBe(true);
    expect(isTextGone(cells, 'Auto Fit Width')).toBe(true);
    expect(isTextVisible(cells, 'linear b')).toBe(true);
    expect(isTextVisible(cells, 'Linear C')).toBe(false);
  });
});
