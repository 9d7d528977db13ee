/** `sidekick locate <image.png> <label> [...]`: the on-screen box that best matches each label. */
import { readFile } from 'node:fs/promises';
import { RegionSchema, type LocateMatch, type Region } from '../../../src-shared/screen';
import { createScreenReader, ImageError, OcrEngineError } from '../../ocr';
import { locateLabels, type LocateHints } from '../../screen';
import { CliError, stringFlag } from '../args';
import type { CliCommand } from '../command';

/** The `sidekick locate --json` document. */
export interface LocateResult {
  matches: LocateMatch[];
}

async function readImageFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: no such file. Check the path and try again.`);
    if (code === 'EISDIR') throw new CliError(`${path} is a folder; pass an image file (PNG or JPEG).`);
    if (code === 'EACCES') throw new CliError(`${path}: permission denied. Make the file readable and try again.`);
    throw new CliError(`${path}: cannot read the file (${code ?? String(error)}).`);
  }
}

function regionFlag(value: string | undefined): Region | undefined {
  if (value === undefined) return undefined;
  const parsed = RegionSchema.safeParse(value);
  if (!parsed.success) throw new CliError(`--region must be one of ${RegionSchema.options.join(', ')}; got "${value}"`, 2);
  return parsed.data;
}

/** `sidekick locate`. */
export const locateCommand: CliCommand = {
  name: 'locate',
  summary: 'Find the on-screen box of labels in a screenshot (tolerates typos, mnemonics, ellipses)',
  usage: [
    'Usage: sidekick locate <image.png> <label> [<label> ...] [--near <label>] [--region top|bottom|left|right|dialog] [--json]',
    '',
    'Reads the image with local OCR and prints, for each label, the box of the best match:',
    '  {"matches": [{"query","text","box","score"} | {"query","text":null,"box":null}]}',
    '--near and --region pick between repeated labels (they apply to every label given).',
  ].join('\n'),
  async run(args, io) {
    const [path, ...labels] = args.positionals;
    if (path === undefined) throw new CliError('Give a screenshot and at least one label, e.g. sidekick locate shot.png "Save As"', 2);
    if (labels.length === 0) throw new CliError(`Give at least one label to look for in ${path}, e.g. sidekick locate ${path} "Save As"`, 2);
    const hints: LocateHints = {};
    const near = stringFlag(args, 'near');
    const region = regionFlag(stringFlag(args, 'region'));
    if (near !== undefined) hints.near = near;
    if (region !== undefined) hints.region = region;
    const bytes = await readImageFile(path);
    const reader = createScreenReader();
    try {
      io.progress(`reading ${path}...`);
      const screen = await reader.read(bytes);
      const result: LocateResult = { matches: locateLabels(screen, labels, hints) };
      return result;
    } catch (error) {
      if (error instanceof ImageError || error instanceof OcrEngineError) throw new CliError(`${path}: ${error.message}`);
      throw error;
    } finally {
      await reader.close();
    }
  },
  human(result) {
    return (result as LocateResult).matches
      .map((m) =>
        m.box
          ? `${m.query}: "${m.text}" at ${m.box.x},${m.box.y} ${m.box.w}x${m.box.h} (score ${m.score})`
          : `${m.query}: not found`,
      )
      .join('\n');
  },
};
