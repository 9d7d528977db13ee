/**
 * Checks the data of the walkthrough search evaluation (e2e/fixtures/search-eval): both halves parse, every
 * expected walkthrough exists in the starter pack for the app on screen, each half has enough answerable
 * questions, the halves are balanced and share no question. It does not score search: `npm run bench` does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EVAL_DIR = join(ROOT, 'e2e/fixtures/search-eval');
const STARTER_DIR = join(ROOT, 'resources/walkthroughs');
const APPS = ['Gnumeric', 'Mousepad', 'AbiWord'] as const;
const ANSWERABLE_KINDS = ['paraphrase', 'symptom', 'goal', 'typo'] as const;
const KINDS = [...ANSWERABLE_KINDS, 'none', 'other-app'] as const;
const MIN_ANSWERABLE_PER_HALF = 75;

interface EvalQuestion {
  q: string;
  app: string;
  expect: string | null;
  kind: string;
  where: string;
}

/** Reads a JSONL half; throws naming file and line for anything that is not a well-formed question. */
function readHalf(name: string): EvalQuestion[] {
  const file = join(EVAL_DIR, name);
  const rows: EvalQuestion[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      const where = `${name}:${index + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new Error(`${where}: not JSON (${(error as Error).message})`, { cause: error });
      }
      if (typeof value !== 'object' || value === null) throw new Error(`${where}: not an object`);
      const row = value as Record<string, unknown>;
      const keys = Object.keys(row).sort().join(',');
      if (keys !== 'app,expect,kind,q') throw new Error(`${where}: keys must be q, app, expect, kind (got ${keys})`);
      const { q, app, expect: expected, kind } = row;
      if (typeof q !== 'string' || q.trim() === '') throw new Error(`${where}: q must be a non-empty string`);
      if (typeof app !== 'string' || !(APPS as readonly string[]).includes(app)) {
        throw new Error(`${where}: app must be one of ${APPS.join(', ')} (got ${String(app)})`);
      }
      if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
        throw new Error(`${where}: kind must be one of ${KINDS.join(', ')} (got ${String(kind)})`);
      }
      if (expected !== null && typeof expected !== 'string') throw new Error(`${where}: expect must be an id or null`);
      rows.push({ q, app, expect: expected, kind, where });
    });
  return rows;
}

/** Walkthrough id → app name, read straight from the starter pack's files. */
function starterApps(): Map<string, string> {
  const apps = new Map<string, string>();
  for (const folder of readdirSync(STARTER_DIR)) {
    for (const file of readdirSync(join(STARTER_DIR, folder))) {
      if (!file.endsWith('.walkthrough.json')) continue;
      const walkthrough = JSON.parse(readFileSync(join(STARTER_DIR, folder, file), 'utf8')) as {
        id: string;
        app: { name: string };
      };
      apps.set(walkthrough.id, walkthrough.app.name);
    }
  }
  return apps;
}

/** How often each key occurs. */
function tally(rows: EvalQuestion[], key: (row: EvalQuestion) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[key(row)] = (counts[key(row)] ?? 0) + 1;
  return counts;
}

/** Lower case, single spaces: two questions that differ only in that are the same question. */
function normalized(question: string): string {
  return question.toLowerCase().replace(/\s+/g, ' ').trim();
}

const halves = { blind: readHalf('blind.jsonl'), dev: readHalf('dev.jsonl') };
const starter = starterApps();

describe('search evaluation data', () => {
  it('reads the starter pack it refers to', () => {
    expect(starter.size).toBeGreaterThanOrEqual(20);
  });

  for (const [name, rows] of Object.entries(halves)) {
    describe(name, () => {
      it('expects an existing walkthrough of the app on screen, or null', () => {
        const problems: string[] = [];
        for (const row of rows) {
          const answerable = (ANSWERABLE_KINDS as readonly string[]).includes(row.kind);
          if (answerable && row.expect === null) problems.push(`${row.where}: ${row.kind} question expects null`);
          if (row.kind === 'none' && row.expect !== null) problems.push(`${row.where}: "none" expects ${row.expect}`);
          if (row.expect === null) continue;
          const app = starter.get(row.expect);
          if (app === undefined) problems.push(`${row.where}: ${row.expect} is not in the starter pack`);
          else if (app !== row.app) problems.push(`${row.where}: ${row.expect} is for ${app}, asked over ${row.app}`);
        }
        expect(problems).toEqual([]);
      });

      it(`has at least ${MIN_ANSWERABLE_PER_HALF} answerable questions and every starter walkthrough`, () => {
        const answerable = rows.filter((row) => row.expect !== null);
        expect(answerable.length).toBeGreaterThanOrEqual(MIN_ANSWERABLE_PER_HALF);
        const covered = new Set(answerable.map((row) => row.expect));
        expect([...starter.keys()].filter((id) => !covered.has(id))).toEqual([]);
      });

      it('has no question twice', () => {
        const seen = tally(rows, (row) => `${row.app}|${normalized(row.q)}`);
        expect(Object.entries(seen).filter(([, count]) => count > 1)).toEqual([]);
      });
    });
  }

  it('shares no question between the halves', () => {
    const blind = new Set(halves.blind.map((row) => normalized(row.q)));
    expect(halves.dev.filter((row) => blind.has(normalized(row.q))).map((row) => row.where)).toEqual([]);
  });

  it('balances walkthroughs, kinds and apps between the halves', () => {
    // other-app questions are balanced by whether a same-app walkthrough fits, not by which one.
    const byWalkthrough = (row: EvalQuestion): string =>
      row.kind === 'other-app' ? `other-app:${row.expect === null ? 'none' : 'same-app'}` : String(row.expect);
    expect(tally(halves.dev, byWalkthrough)).toEqual(tally(halves.blind, byWalkthrough));
    expect(tally(halves.dev, (row) => row.kind)).toEqual(tally(halves.blind, (row) => row.kind));
    for (const app of APPS) {
      const count = (rows: EvalQuestion[]): number => rows.filter((row) => row.app === app).length;
      expect(Math.abs(count(halves.blind) - count(halves.dev)), app).toBeLessThanOrEqual(1);
    }
  });

  it('prints the counts per half, kind and app', () => {
    for (const [name, rows] of Object.entries(halves)) {
      const answerable = rows.filter((row) => row.expect !== null).length;
      console.log(
        `${name}: ${rows.length} questions, ${answerable} answerable`,
        tally(rows, (row) => row.kind),
        tally(rows, (row) => row.app),
      );
    }
    expect(halves.blind.length + halves.dev.length).toBeGreaterThanOrEqual(190);
  });
});
