/**
 * The whole path on every fixture: real screenshot → Sidekick's OCR reader → locateLabel, against
 * the same ground truth as the unit tests (which use the committed OCR JSON). This also catches
 * committed OCR JSON going stale when the reader changes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Box, ScreenText } from '../../src-shared/screen';
import { createScreenReader } from '../../src-main/ocr';
import { isTextVisible, locateLabel } from '../../src-main/screen';
import { FIXTURE_EXPECTATIONS } from '../../src-main/screen/fixtures/expectations';

const FIXTURES = fileURLToPath(new URL('../../src-main/screen/fixtures/', import.meta.url));

function contains(box: Box, [x, y]: [number, number]): boolean {
  return x >= box.x - 3 && x <= box.x + box.w + 3 && y >= box.y - 3 && y <= box.y + box.h + 3;
}

describe('locate with live OCR on real screenshots', () => {
  const reader = createScreenReader();
  afterAll(() => reader.close());

  it('locates the fixture labels from freshly read screenshots', async () => {
    let correct = 0;
    let total = 0;
    const misses: string[] = [];
    const times: number[] = [];
    for (const [fixture, expectations] of Object.entries(FIXTURE_EXPECTATIONS)) {
      const screen: ScreenText = await reader.read(readFileSync(`${FIXTURES}${fixture}.png`));
      const started = process.cpuUsage();
      for (const e of expectations) {
        const match = locateLabel(screen, e.label, e.hints);
        const ok = e.at === null ? match.box === null : match.box !== null && contains(match.box, e.at);
        total++;
        if (ok) correct++;
        else
          misses.push(
            `${fixture}: "${e.label}" got ` +
              `${match.box ? `"${match.text}" at ${match.box.x},${match.box.y}` : 'nothing'}`,
          );
      }
      const used = process.cpuUsage(started);
      times.push((used.user + used.system) / 1000 / expectations.length);
    }
    console.log(
      `live OCR + locate: ${correct}/${total} labels; mean locate ` +
        `${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(2)} ms CPU/label (incl. building the model)\n  ` +
        `${misses.join('\n  ')}`,
    );
    // Lower than the 95% pinned on committed OCR output (fixtures.test.ts): the live reader's recall varies by version.
    expect(correct / total).toBeGreaterThanOrEqual(0.85);
  }, 300_000);

  it('answers doneWhen visibility on a real screenshot', async () => {
    const screen = await reader.read(readFileSync(`${FIXTURES}gnumeric-format-menu.png`));
    expect(isTextVisible(screen, 'Auto Fit Width')).toBe(true);
    expect(isTextVisible(screen, 'Freeze Panes')).toBe(true); // a cell shows it
    expect(isTextVisible(screen, 'Paste Special')).toBe(false);
  }, 120_000);
});
