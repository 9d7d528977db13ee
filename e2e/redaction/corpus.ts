/**
 * Scores redaction against the corpus in e2e/fixtures/redaction: recall of the expected secret spans,
 * exact spans, false positives (findings that touch no expected secret) and ordinary lines left intact.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findSecrets } from '../../src-main/privacy/detectors';

/** One expected secret: its evaluation category and UTF-16 offsets into the line's text. */
export interface ExpectedSecret {
  kind: string;
  start: number;
  end: number;
  value: string;
}

/** One corpus line. */
export interface CorpusCase {
  id: string;
  text: string;
  secrets: ExpectedSecret[];
}

/** The scores of one half. */
export interface CorpusScore {
  secrets: number;
  /** Expected spans wholly covered by findings. */
  covered: number;
  /** Expected spans matched by one finding with exactly the same start and end. */
  exact: number;
  /** Findings that overlap no expected secret. */
  falsePositives: number;
  /** Characters redacted outside every expected span (by findings that do touch one). */
  spill: number;
  negatives: number;
  negativesIntact: number;
  byKind: Record<string, { secrets: number; covered: number }>;
  missed: string[];
  wrong: string[];
}

/** Reads one half of the corpus ("dev" or "blind"). */
export function readCorpus(half: 'dev' | 'blind'): CorpusCase[] {
  const file = fileURLToPath(new URL(`../fixtures/redaction/${half}.jsonl`, import.meta.url));
  const cases = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusCase);
  for (const c of cases) {
    for (const s of c.secrets) {
      if (c.text.slice(s.start, s.end) !== s.value) {
        throw new Error(`${half}.jsonl ${c.id}: the span ${s.start}-${s.end} does not hold its value`);
      }
    }
  }
  return cases;
}

/** Scores the detectors on corpus cases. */
export function scoreCorpus(cases: readonly CorpusCase[]): CorpusScore {
  const score: CorpusScore = {
    secrets: 0,
    covered: 0,
    exact: 0,
    falsePositives: 0,
    spill: 0,
    negatives: 0,
    negativesIntact: 0,
    byKind: {},
    missed: [],
    wrong: [],
  };
  for (const c of cases) {
    const found = findSecrets(c.text);
    const redacted = new Uint8Array(c.text.length);
    for (const f of found) redacted.fill(1, f.start, f.end);
    const expected = new Uint8Array(c.text.length);
    for (const s of c.secrets) {
      expected.fill(1, s.start, s.end);
      score.secrets++;
      const kind = (score.byKind[s.kind] ??= { secrets: 0, covered: 0 });
      kind.secrets++;
      if (redacted.subarray(s.start, s.end).every((v) => v === 1)) {
        score.covered++;
        kind.covered++;
      } else {
        score.missed.push(`${c.id}: ${JSON.stringify(s.value)}`);
      }
      if (found.some((f) => f.start === s.start && f.end === s.end)) score.exact++;
    }
    for (const f of found) {
      const touches = c.secrets.some((s) => f.start < s.end && s.start < f.end);
      if (!touches) {
        score.falsePositives++;
        score.wrong.push(`${c.id}: ${f.kind} ${JSON.stringify(c.text.slice(f.start, f.end))}`);
      } else {
        for (let i = f.start; i < f.end; i++) if (!expected[i]) score.spill++;
      }
    }
    if (c.secrets.length === 0) {
      score.negatives++;
      if (found.length === 0) score.negativesIntact++;
    }
  }
  return score;
}
