/**
 * `sidekick bench`: the OCR benchmark (times and ratios against naive tesseract.js and native tesseract, label recall).
 */
import { loadTruthScreens, defaultFixturesDir } from '../../bench/recall';
import { formatBench, probeMemory, runBench, type BenchReport } from '../../bench/run';
import { formatSearchBench, runSearchBench, type SearchBenchReport } from '../../bench/search';
import { stringFlag } from '../args';
import type { CliCommand } from '../command';

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'OCR benchmark: speed and label recall against naive tesseract.js and native tesseract',
  flags: {
    quick: 'boolean',
    only: 'string',
    fixtures: 'string',
    'memory-probe': 'boolean',
    search: 'boolean',
    verbose: 'boolean',
  },
  usage: [
    'Usage: sidekick bench [--quick] [--only <name>[,<name>...]] [--fixtures <dir>] [--json]',
    '',
    'Reads the ground-truth screenshots in e2e/fixtures/screens (or --fixtures <dir>) and prints one',
    'table per screenshot and overall: naive tesseract.js, native tesseract (PSM 11, 2x, one thread),',
    'Sidekick cold / warm p50 / p95 / unchanged / edited re-read / first streamed results, memory,',
    'ratios against each anchor, and label recall. Also the unseen windows (e2e/fixtures/unseen, dev and',
    "blind halves: locate and OCR-output recall, speed against native tesseract per half; the blind half's",
    'misses are not printed) and `sidekick guide` cold. --quick: two own screenshots, 3 repetitions, no naive run.',
    '',
    '--search: only the walkthrough search benchmark (top-1, top-3, other-app answers, ms per query on the',
    'dev and blind question halves, and index time for 1,000 / 10,000 walkthroughs); --verbose lists dev misses.',
    'Without --search (and without --only) the search benchmark runs after the OCR one.',
  ].join('\n'),
  async run(args, io) {
    if (args.flags.has('search'))
      return { search: runSearchBench({ verbose: args.flags.has('verbose'), progress: (m) => io.progress(m) }) };
    const only = stringFlag(args, 'only')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const fixturesDir = stringFlag(args, 'fixtures');
    if (args.flags.has('memory-probe')) {
      // Internal: the benchmark runs this in a fresh process to measure the OCR side's memory alone.
      const screens = loadTruthScreens(fixturesDir ?? defaultFixturesDir()).filter(
        (s) => !only || only.includes(s.name),
      );
      return probeMemory(screens);
    }
    const ocr = await runBench({
      quick: args.flags.has('quick'),
      ...(only ? { only } : {}),
      ...(fixturesDir ? { fixturesDir } : {}),
      progress: (m) => io.progress(m),
    });
    return only ? ocr : { ...ocr, search: runSearchBench({ progress: (m) => io.progress(m) }) };
  },
  human(result) {
    const search = (result as { search?: SearchBenchReport }).search;
    if (!(result as BenchReport).screens) return search ? formatSearchBench(search) : JSON.stringify(result, null, 2);
    return formatBench(result as BenchReport) + (search ? `\n\n${formatSearchBench(search)}` : '');
  },
};
