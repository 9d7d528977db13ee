/**
 * Prints the redaction scores on both halves of the corpus: `npx tsx e2e/redaction/evaluate.ts`.
 * Lists the misses and false positives of the dev half only; the blind half shows totals, never
 * which of its lines failed, so it is not tuned on.
 */
import { readCorpus, scoreCorpus, type CorpusScore } from './corpus';

function row(half: string, s: CorpusScore): string {
  const pct = (n: number, d: number) => `${n}/${d} (${((100 * n) / Math.max(d, 1)).toFixed(0)}%)`;
  return [
    `${half.padEnd(5)}  recall ${pct(s.covered, s.secrets)}  exact spans ${pct(s.exact, s.secrets)}`,
    `false positives ${s.falsePositives}  spill ${s.spill} chars`,
    `ordinary lines intact ${pct(s.negativesIntact, s.negatives)}`,
  ].join('  ');
}

const dev = scoreCorpus(readCorpus('dev'));
const blind = scoreCorpus(readCorpus('blind'));
console.log(row('dev', dev));
console.log(row('blind', blind));
const byKind = (s: CorpusScore) => Object.entries(s.byKind).map(([k, v]) => `${k} ${v.covered}/${v.secrets}`);
console.log('dev recall by kind: ' + byKind(dev).join(', '));
console.log('blind recall by kind: ' + byKind(blind).join(', '));
if (process.argv.includes('--dev-details')) {
  for (const m of dev.missed) console.log('  missed  ' + m);
  for (const w of dev.wrong) console.log('  wrong   ' + w);
}
