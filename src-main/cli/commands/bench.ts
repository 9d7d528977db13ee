/** `sidekick bench`: the OCR benchmark (times and ratios against naive tesseract.js and native tesseract, label recall). */
import { loadTruthScreens, defaultFixturesDir } from '../../bench/recall';
import { formatBench, probeMemory, runBench, type BenchReport } from '../../bench/run';
import { stringFlag } from '../args';
import type { CliCommand } from '../command';

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'OCR benchmark: speed and label recall against naive tesseract.js and native tesseract',
  flags: { quick: 'boolean', only: 'string', fixtures: 'string', 'memory-probe': 'boolean' },
  usage: [
    'Usage: sidekick bench [--quick] [--only <name>[,<name>...]] [--fixtures <dir>] [--json]',
    '',
    'Reads the ground-truth screenshots in e2e/fixtures/screens (or --fixtures <dir>) and prints one',
    'table per screenshot and overall: naive tesseract.js, native tesseract (PSM 11, 2x, one thread),',
    'Sidekick cold / warm p50 / p95 / unchanged / edited re-read / first streamed results, memory,',
    'ratios against each anchor, and label recall. --quick: two screenshots, 3 repetitions, no naive run.',
  ].join('\n'),
  async run(args, io) {
    const only = stringFlag(args, 'only')?.split(',').map((s) => s.trim()).filter(Boolean);
    const fixturesDir = stringFlag(args, 'fixtures');
    if (args.flags.has('memory-probe')) {
      // Internal: the benchmark runs this in a fresh process to measure the OCR side's memory alone.
      const screens = loadTruthScreens(fixturesDir ?? defaultFixturesDir()).filter((s) => !only || only.includes(s.name));
      return probeMemory(screens);
    }
    return runBench({ quick: args.flags.has('quick'), ...(only ? { only } : {}), ...(fixturesDir ? { fixturesDir } : {}), progress: (m) => io.progress(m) });
  },
  human(result) {
    if (!(result as BenchReport).screens) return JSON.stringify(result, null, 2);
    return formatBench(result as BenchReport);
  },
};
