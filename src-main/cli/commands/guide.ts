/** `sidekick guide <image.png> --ask "<question>"`: the walkthrough (or AI plan) for a question, located on the screenshot. */
import { existsSync, statSync } from 'node:fs';
import { createScreenReader } from '../../ocr';
import { answerQuestion } from '../../walkthroughs/answer';
import { loadLibrary } from '../../walkthroughs/library';
import { CliError, stringFlag } from '../args';
import type { CliCommand } from '../command';
import { readScreenFile } from '../screen-file';
import { aiGuideFallbackFromEnv } from '../../ai/guide-fallback';

/** `sidekick guide`. */
export const guideCommand: CliCommand = {
  name: 'guide',
  summary: 'Answer "how do I ..." for a screenshot: a library walkthrough (or AI plan) with located steps',
  flags: { ask: 'string', app: 'string', library: 'string' },
  usage: [
    'Usage: sidekick guide <image.png> --ask "<question>" [--app <name>] [--library <dir>] [--json]',
    '',
    'Prints {"source": "library"|"ai"|"none", "walkthrough": {"id","title"}|null,',
    '        "steps": [{"index","instruction","target": {"text","box"}|null}]}',
    'index counts from 0; box is null when the target is not visible on the screenshot yet.',
    '--library <dir> makes that folder the whole library (instead of yours plus the starter pack).',
  ].join('\n'),
  async run(args, io) {
    const [path] = args.positionals;
    const question = stringFlag(args, 'ask');
    if (!path) throw new CliError('Give a screenshot, e.g. sidekick guide shot.png --ask "how do I freeze the top row"', 2);
    if (!question?.trim()) throw new CliError('Ask a question with --ask "how do I ..."', 2);
    const folder = stringFlag(args, 'library');
    if (folder !== undefined && (!existsSync(folder) || !statSync(folder).isDirectory())) throw new CliError(`--library ${folder} is not a folder`);
    const library = folder !== undefined ? loadLibrary({ folder }) : loadLibrary();
    for (const p of library.problems) io.progress(`skipped ${p.path}${p.field ? ` (${p.field})` : ''}: ${p.message}`);
    const reader = createScreenReader();
    try {
      const { bytes, screen } = await readScreenFile(reader, path, io);
      // AI from OPENAI_BASE_URL / OPENAI_API_KEY / SIDEKICK_AI_MODEL when set (see docs/ai.md).
      const fallback = aiGuideFallbackFromEnv(bytes, io.progress);
      const { answer } = await answerQuestion({
        question,
        app: stringFlag(args, 'app') ?? null,
        screen,
        library: library.entries,
        ...(fallback ? { fallback } : {}),
      });
      return answer;
    } finally {
      await reader.close();
    }
  },
  human(result) {
    const r = result as { source: string; reason?: string; walkthrough: { title: string } | null; steps: { index: number; instruction: string; target: { text: string; box: unknown } | null }[] };
    if (r.source === 'none' && r.reason) return `No walkthrough fits, and the AI answer failed: ${r.reason}\nAsk a human helper.`;
    if (r.source === 'none') return 'No walkthrough fits this question well enough. Ask a human helper (or turn on AI answers).';
    return [`${r.walkthrough?.title ?? 'Steps'} (${r.source})`, ...r.steps.map((s) => `${s.index + 1}. ${s.instruction}${s.target ? (s.target.box ? '  [on screen]' : '  [not visible yet]') : ''}`)].join('\n');
  },
};
