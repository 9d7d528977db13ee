/**
 * Recall on the "unseen windows" fixture set (e2e/fixtures/unseen/{blind,dev}: applications that are
 * not among the project's own screens, truth from their accessibility trees or toolkits), per half
 * and per application. Two numbers per label (short UI labels; document words separately):
 *   - locate: `locateLabel(screen, name)` returns a box whose centre lies on an element with that label;
 *   - ocr: the OCR output holds the label's text exactly (a run of words on one line) on the element
 *     (`labelRecall`, the benchmark's measure).
 *
 *   npx tsx src-main/bench/unseen.ts [--dir e2e/fixtures/unseen] [--half blind|dev] [--json]
 *
 * The blind half is measured and reported, never tuned on: its missed labels are never printed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Box, ScreenText } from '../../src-shared/screen';
import { createScreenReader } from '../ocr/reader';
import { locateLabel } from '../screen/locate';
import { isShortLabel, labelRecall, loadTruthScreens, compactLabel, type TruthScreen } from './recall';

/** The two halves of the unseen set. */
export const UNSEEN_HALVES = ['blind', 'dev'] as const;
export type UnseenHalf = (typeof UNSEEN_HALVES)[number];

/** Found / total with the labels not found. */
export interface Tally {
  found: number;
  total: number;
  missing: string[];
}

/** Recall of one screenshot. */
export interface UnseenScreenResult {
  half: UnseenHalf;
  name: string;
  app: string;
  locate: Tally;
  ocr: Tally;
  words: Tally;
}

/** The unseen fixture folder, from the repository root or the working directory. */
export function defaultUnseenDir(): string {
  const candidates = [
    resolve(process.cwd(), 'e2e/fixtures/unseen'),
    fileURLToPath(new URL('../../e2e/fixtures/unseen', import.meta.url)),
  ];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

/** Screenshots of one half (`<dir>/<half>/<name>.png` + `.truth.json`). */
export function loadUnseenHalf(half: UnseenHalf, dir = defaultUnseenDir()): TruthScreen[] {
  return loadTruthScreens(join(dir, half));
}

function centreInside(inner: Box, outer: Box, grow: number): boolean {
  const cx = inner.x + inner.w / 2;
  const cy = inner.y + inner.h / 2;
  return (
    cx >= outer.x - grow && cx <= outer.x + outer.w + grow && cy >= outer.y - grow && cy <= outer.y + outer.h + grow
  );
}

/**
 * Locate recall: the best match for each short label lies on an element with that label (a label
 * shown twice, like "Enabled" in two table rows, is found when either place is returned; so is a
 * label that is also a document word, like a parameter named in a manual's running text).
 */
export function locateRecall(doc: ScreenText, screen: TruthScreen): Tally {
  const labels = screen.truth.elements.filter((e) => e.role !== 'word' && isShortLabel(e.name));
  const missing: string[] = [];
  for (const label of labels) {
    const match = locateLabel(doc, label.name);
    const want = compactLabel(label.name);
    const places = screen.truth.elements.filter((e) => compactLabel(e.name) === want);
    // Same tolerance as labelRecall: a few pixels or a third of the element's height.
    const onPlace = (box: Box): boolean =>
      places.some((p) => centreInside(box, p.box, Math.max(4, Math.round(p.box.h / 3))));
    if (!match.box || !onPlace(match.box)) missing.push(label.name);
  }
  return { found: labels.length - missing.length, total: labels.length, missing };
}

/**
 * Scores one OCR result against its truth. The blind half's missed labels are left out (counts only),
 * so neither the report nor `--json` can show what to tune on.
 */
export function scoreUnseen(half: UnseenHalf, screen: TruthScreen, doc: ScreenText): UnseenScreenResult {
  const ocr = labelRecall(doc, screen.truth, (role) => role !== 'word');
  const words = labelRecall(doc, screen.truth, (role) => role === 'word');
  const locate = locateRecall(doc, screen);
  const shown = (missing: string[]): string[] => (half === 'blind' ? [] : missing);
  return {
    half,
    name: screen.name,
    app: screen.truth.app,
    locate: { ...locate, missing: shown(locate.missing) },
    ocr: { found: ocr.found, total: ocr.total, missing: shown(ocr.missing) },
    words: { found: words.found, total: words.total, missing: shown(words.missing) },
  };
}

/** Reads every screenshot of the chosen halves with Sidekick's OCR and scores it. */
export async function measureUnseen(
  options: { dir?: string; halves?: readonly UnseenHalf[]; progress?(line: string): void } = {},
): Promise<UnseenScreenResult[]> {
  const reader = createScreenReader();
  const results: UnseenScreenResult[] = [];
  try {
    for (const half of options.halves ?? UNSEEN_HALVES) {
      for (const screen of loadUnseenHalf(half, options.dir)) {
        const doc = await reader.read(readFileSync(screen.imagePath));
        const result = scoreUnseen(half, screen, doc);
        results.push(result);
        options.progress?.(
          `${half}/${screen.name}: locate ${result.locate.found}/${result.locate.total}, ` +
            `ocr ${result.ocr.found}/${result.ocr.total}`,
        );
      }
    }
  } finally {
    await reader.close();
  }
  return results;
}

function sum(results: UnseenScreenResult[], pick: (r: UnseenScreenResult) => Tally): Tally {
  return results.reduce<Tally>(
    (t, r) => ({ found: t.found + pick(r).found, total: t.total + pick(r).total, missing: [] }),
    { found: 0, total: 0, missing: [] },
  );
}

function ratio(t: Tally): string {
  return t.total ? `${(t.found / t.total).toFixed(3)} (${t.found}/${t.total})` : '-';
}

/** A plain-text report: per half, per application, per screenshot, with the labels missed. */
export function formatUnseen(results: UnseenScreenResult[]): string {
  const out: string[] = [];
  for (const half of UNSEEN_HALVES) {
    const rows = results.filter((r) => r.half === half);
    if (!rows.length) continue;
    out.push(
      `${half}: locate ${ratio(sum(rows, (r) => r.locate))}  ocr ` +
        `${ratio(sum(rows, (r) => r.ocr))}  words ${ratio(sum(rows, (r) => r.words))}`,
    );
    for (const app of [...new Set(rows.map((r) => r.app))]) {
      const mine = rows.filter((r) => r.app === app);
      out.push(`  ${app}: locate ${ratio(sum(mine, (r) => r.locate))}  ocr ${ratio(sum(mine, (r) => r.ocr))}`);
      for (const r of mine) {
        out.push(`    ${r.name}: locate ${ratio(r.locate)}  ocr ${ratio(r.ocr)}  words ${ratio(r.words)}`);
        if (r.locate.missing.length)
          out.push(`      locate missed: ${r.locate.missing.map((m) => JSON.stringify(m)).join(', ')}`);
        if (r.ocr.missing.length)
          out.push(`      ocr missed: ${r.ocr.missing.map((m) => JSON.stringify(m)).join(', ')}`);
      }
    }
  }
  out.push(
    `all: locate ${ratio(sum(results, (r) => r.locate))}  ocr ` +
      `${ratio(sum(results, (r) => r.ocr))}  words ${ratio(sum(results, (r) => r.words))}`,
  );
  return out.join('\n');
}

async function main(argv: string[]): Promise<void> {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const half = value('--half');
  if (half !== undefined && !UNSEEN_HALVES.includes(half as UnseenHalf))
    throw new Error(`--half must be blind or dev, not "${half}"`);
  const results = await measureUnseen({
    dir: value('--dir'),
    halves: half ? [half as UnseenHalf] : UNSEEN_HALVES,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    argv.includes('--json') ? `${JSON.stringify(results, null, 1)}\n` : `${formatUnseen(results)}\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
