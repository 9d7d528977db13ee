/** `sidekick ocr <image.png> [...]`: read the text on screenshots with local OCR. */
import type { ScreenText } from '../../../src-shared/screen';
import { createScreenReader } from '../../ocr';
import { CliError, intFlag } from '../args';
import type { CliCommand } from '../command';
import { readScreenFile } from '../screen-file';

function summarize(doc: ScreenText): string {
  const lines = doc.elements.filter((e) => e.kind === 'line');
  const out = [`${doc.image.width}x${doc.image.height}: ${lines.length} lines in ${doc.timings.totalMs} ms`];
  for (const line of lines) out.push(`  [${line.box.x},${line.box.y} ${line.box.w}x${line.box.h}] ${line.text}`);
  for (const note of doc.notes ?? []) out.push(`  note: ${note}`);
  return out.join('\n');
}

export const ocrCommand: CliCommand = {
  name: 'ocr',
  summary: 'Read the text on screenshots with local OCR (words and lines with boxes)',
  flags: { workers: 'string' },
  usage: [
    'Usage: sidekick ocr <image.png> [<image.png> ...] [--workers N] [--json]',
    '',
    'Reads each image with local OCR (tesseract.js, offline). One image prints one document;',
    'several print a JSON array, read in order by one warm reader (the first includes the cold start).',
  ].join('\n'),
  async run(args, io) {
    if (args.positionals.length === 0)
      throw new CliError('Give at least one image file, e.g. sidekick ocr shot.png', 2);
    const workers = intFlag(args, 'workers', 1, 8);
    const reader = createScreenReader(workers ? { workers } : {});
    // Workers load while the first file is read and decoded.
    reader.start();
    const docs: ScreenText[] = [];
    try {
      for (const path of args.positionals) {
        docs.push((await readScreenFile(reader, path, io)).screen);
      }
    } finally {
      await reader.close();
    }
    return docs.length === 1 ? docs[0] : docs;
  },
  human(result) {
    const docs = Array.isArray(result) ? (result as ScreenText[]) : [result as ScreenText];
    return docs.map(summarize).join('\n\n');
  },
};
