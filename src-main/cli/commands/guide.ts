/**
 * `sidekick guide <image.png> --ask "<question>"`: the walkthrough (or AI plan) for a question, located on the
 * screenshot.
 */
import { existsSync, statSync } from 'node:fs';
import { createScreenReader } from '../../ocr';
import { answerQuestion, inferAppFromScreen, type AssumedApp } from '../../walkthroughs/answer';
import { loadLibrary } from '../../walkthroughs/library';
import { CliError, stringFlag } from '../args';
import type { CliCommand } from '../command';
import { readScreenFile } from '../screen-file';
import { aiGuideFallbackFromEnv } from '../../ai/guide-fallback';

/** Longest question accepted: a question, not a pasted document (the overlay's box takes 500). */
const MAX_QUESTION_CHARS = 2000;

/** `sidekick guide`. */
export const guideCommand: CliCommand = {
  name: 'guide',
  summary: 'Answer "how do I ..." for a screenshot: a library walkthrough (or AI plan) with located steps',
  flags: { ask: 'string', app: 'string', library: 'string', 'all-apps': 'boolean' },
  usage: [
    'Usage: sidekick guide <image.png> --ask "<question>" [--app <name>] [--all-apps] [--library <dir>] [--json]',
    '',
    'Prints {"source": "library"|"ai"|"none", "walkthrough": {"id","title"}|null,',
    '        "steps": [{"index","instruction","target": {"text","box"}|null}],',
    '        "app": {"name","source"}, "candidates": [{"id","title","app","score"}], "confidence"}',
    'index counts from 0; box is null when the target is not visible on the screenshot yet.',
    'Only walkthroughs for the app on screen are offered: --app <name> names it (a hard filter); without it',
    'the app is read off the screenshot where it can be ("source": "screen-text"). --all-apps searches every',
    "app's walkthroughs. candidates: best first, up to 5; confidence 0..1 (0.5 and above plays).",
    '--library <dir> makes that folder the whole library (instead of yours plus the starter pack).',
  ].join('\n'),
  async run(args, io) {
    const [path] = args.positionals;
    const question = stringFlag(args, 'ask');
    if (!path)
      throw new CliError('Give a screenshot, e.g. sidekick guide shot.png --ask "how do I freeze the top row"', 2);
    if (!question?.trim()) throw new CliError('Ask a question with --ask "how do I ..."', 2);
    if (question.length > MAX_QUESTION_CHARS) {
      throw new CliError(
        `The question is ${question.length} characters long; ` +
          `ask in at most ${MAX_QUESTION_CHARS} (one or two sentences).`,
        2,
      );
    }
    const folder = stringFlag(args, 'library');
    if (folder !== undefined && (!existsSync(folder) || !statSync(folder).isDirectory()))
      throw new CliError(`--library ${folder} is not a folder`);
    // The OCR workers load while the library and the screenshot are read and decoded.
    const reader = createScreenReader();
    reader.start();
    try {
      const library = folder !== undefined ? loadLibrary({ folder }) : loadLibrary();
      for (const p of library.problems) io.progress(`skipped ${p.path}${p.field ? ` (${p.field})` : ''}: ${p.message}`);
      const { bytes, screen } = await readScreenFile(reader, path, io);
      // AI from OPENAI_BASE_URL / OPENAI_API_KEY / SIDEKICK_AI_MODEL when set (see docs/ai.md).
      const fallback = aiGuideFallbackFromEnv(bytes, io.progress);
      const flagApp = stringFlag(args, 'app')?.trim();
      const allApps = args.flags.has('all-apps');
      let app: AssumedApp = { name: null, source: 'none' };
      if (flagApp) app = { name: flagApp, source: 'flag' };
      else if (!allApps) {
        const inferred = inferAppFromScreen(screen, library.entries);
        if (inferred) app = { name: inferred, source: 'screen-text' };
        else io.progress('could not tell the app from the screenshot; searching every app (name it with --app)');
      }
      const { answer, candidates, confidence } = await answerQuestion({
        question,
        app: app.name,
        allApps,
        screen,
        library: library.entries,
        ...(fallback ? { fallback } : {}),
      });
      return { ...answer, app, candidates, confidence };
    } finally {
      await reader.close();
    }
  },
  human(result) {
    const r = result as {
      source: string;
      reason?: string;
      walkthrough: { title: string } | null;
      steps: { index: number; instruction: string; target: { text: string; box: unknown } | null }[];
      candidates?: { title: string }[];
    };
    if (r.source === 'none' && r.reason)
      return `No walkthrough fits, and the AI answer failed: ${r.reason}\nAsk a human helper.`;
    const maybe = r.candidates?.length
      ? `\nDid you mean: ${r.candidates
          .slice(0, 3)
          .map((c) => c.title)
          .join('; ')}?`
      : '';
    if (r.source === 'none')
      return `No walkthrough fits this question well enough.${maybe}\nAsk a human helper (or turn on AI answers).`;
    return [
      `${r.walkthrough?.title ?? 'Steps'} (${r.source})`,
      ...r.steps.map(
        (s) =>
          `${s.index + 1}. ${s.instruction}${s.target ? (s.target.box ? '  [on screen]' : '  [not visible yet]') : ''}`,
      ),
    ].join('\n');
  },
};
