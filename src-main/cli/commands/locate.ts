/** `sidekick locate <image.png> <label> [...]`: the on-screen box that best matches each label. */
import { RegionSchema, type LocateMatch, type Region } from '../../../src-shared/screen';
import { createScreenReader } from '../../ocr';
import { locateLabels, type LocateHints } from '../../screen';
import { CliError, stringFlag } from '../args';
import type { CliCommand } from '../command';
import { readScreenFile } from '../screen-file';

/** The `sidekick locate --json` document. */
export interface LocateResult {
  matches: LocateMatch[];
}

function regionFlag(value: string | undefined): Region | undefined {
  if (value === undefined) return undefined;
  const parsed = RegionSchema.safeParse(value);
  if (!parsed.success)
    throw new CliError(`--region must be one of ${RegionSchema.options.join(', ')}; got "${value}"`, 2);
  return parsed.data;
}

/** `sidekick locate`. */
export const locateCommand: CliCommand = {
  name: 'locate',
  summary: 'Find the on-screen box of labels in a screenshot (tolerates typos, mnemonics, ellipses)',
  flags: { near: 'string', region: 'string' },
  usage: [
    'Usage: sidekick locate <image.png> <label> [<label> ...] [--near ' +
      '<label>] [--region top|bottom|left|right|dialog] [--json]',
    '',
    'Reads the image with local OCR and prints, for each label, the box of the best match:',
    '  {"matches": [{"query","text","box","score"} | {"query","text":null,"box":null}]}',
    '--near and --region pick between repeated labels (they apply to every label given).',
  ].join('\n'),
  async run(args, io) {
    const [path, ...labels] = args.positionals;
    if (path === undefined)
      throw new CliError('Give a screenshot and at least one label, e.g. sidekick locate shot.png "Save As"', 2);
    if (labels.length === 0)
      throw new CliError(`Give at least one label to look for in ${path}, e.g. sidekick locate ${path} "Save As"`, 2);
    const hints: LocateHints = {};
    const near = stringFlag(args, 'near');
    const region = regionFlag(stringFlag(args, 'region'));
    if (near !== undefined) hints.near = near;
    if (region !== undefined) hints.region = region;
    const reader = createScreenReader();
    try {
      const { screen } = await readScreenFile(reader, path, io);
      const result: LocateResult = { matches: locateLabels(screen, labels, hints) };
      return result;
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
