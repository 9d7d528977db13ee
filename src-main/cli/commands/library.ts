/** `sidekick library list|validate|import|export`: the walkthrough library on disk. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LibraryProblem } from '../../../src-shared/walkthrough';
import {
  exportWalkthroughs,
  importWalkthroughs,
  LibraryError,
  loadLibrary,
  loadWalkthroughFolder,
  parseWalkthrough,
  readBundle,
  starterPackDir,
  userLibraryDir,
  type ImportResult,
} from '../../walkthroughs/library';
import { walkthroughMatchesApp } from '../../../src-shared/search/walkthrough-search';
import { CliError, stringFlag, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';

const USAGE = [
  'Usage:',
  '  sidekick library list [--app <name>] [--library <dir>] [--json]',
  '  sidekick library validate <file.walkthrough.json|folder|bundle.zip> [...] [--json]',
  '  sidekick library import <file.walkthrough.json|bundle.zip> [...] [--force] [--library <dir>] [--json]',
  '  sidekick library export <id> [<id> ...] --out <file.walkthrough.json|bundle.zip> [--library <dir>] [--json]',
  '  sidekick library export --app <name> --out <bundle.zip>',
  '',
  'The library is your folder ($SIDEKICK_LIBRARY, default ~/.config/sidekick/walkthroughs) plus the',
  'read-only starter pack. --library <dir> makes that folder the whole library (and the import target).',
  'import keeps walkthroughs whose id is already in the library unless --force. It refuses invalid',
  "walkthroughs and images that are symbolic links, outside the walkthrough's folder or not PNG/JPEG/WebP,",
  'imports the rest, reports each refusal on stderr and then exits 1.',
].join('\n');

function describe(problem: LibraryProblem): string {
  return `${problem.path}${problem.field ? ` (${problem.field})` : ''}: ${problem.message}`;
}

function libraryFromArgs(args: ParsedArgs) {
  const folder = stringFlag(args, 'library');
  if (folder !== undefined && (!existsSync(folder) || !statSync(folder).isDirectory()))
    throw new CliError(`--library ${folder} is not a folder; create it or pass an existing folder`);
  return folder !== undefined ? loadLibrary({ folder }) : loadLibrary();
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof LibraryError) {
      const details = error.problems.map((p) => `\n  ${describe(p)}`).join('');
      throw new CliError(error.message + details);
    }
    throw error;
  }
}

/** `sidekick library`. */
export const libraryCommand: CliCommand = {
  name: 'library',
  summary: 'List, validate, import and export walkthroughs (files or .zip bundles)',
  flags: { app: 'string', library: 'string', out: 'string', force: 'boolean' },
  usage: USAGE,
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    switch (action) {
      case 'list': {
        const library = libraryFromArgs(args);
        const app = stringFlag(args, 'app');
        const entries = library.entries
          .filter((e) => !app || walkthroughMatchesApp(e.walkthrough, app))
          .map((e) => ({
            id: e.walkthrough.id,
            title: e.walkthrough.title,
            app: e.walkthrough.app.name,
            steps: e.walkthrough.steps.length,
            origin: e.origin,
            readOnly: e.readOnly,
            path: e.path,
          }));
        return {
          userDir: stringFlag(args, 'library') ? null : userLibraryDir(),
          starterDir: stringFlag(args, 'library') ? null : starterPackDir(),
          entries,
          problems: library.problems,
        };
      }
      case 'validate': {
        if (rest.length === 0)
          throw new CliError(
            'Give a walkthrough file, folder or bundle to check, e.g. sidekick library validate my.walkthrough.json',
            2,
          );
        const valid: { id: string; path: string }[] = [];
        const problems: LibraryProblem[] = [];
        for (const path of rest) {
          if (!existsSync(path)) {
            problems.push({ path, field: '', message: 'no such file or folder' });
          } else if (statSync(path).isDirectory()) {
            const folder = loadWalkthroughFolder(resolve(path), 'folder', true);
            valid.push(...folder.entries.map((e) => ({ id: e.walkthrough.id, path: e.path })));
            problems.push(...folder.problems);
          } else if (path.toLowerCase().endsWith('.zip')) {
            const bundle = wrap(() => readBundle(readFileSync(path), path));
            valid.push(...bundle.items.map((i) => ({ id: i.walkthrough.id, path: i.source })));
            problems.push(...bundle.problems);
          } else {
            const parsed =
              statSync(path).size > 4 * 1024 * 1024
                ? parseWalkthrough('x'.repeat(600 * 1024), path)
                : parseWalkthrough(readFileSync(path, 'utf8'), path);
            if (parsed.ok) valid.push({ id: parsed.walkthrough.id, path });
            else problems.push(...parsed.problems);
          }
        }
        if (problems.length > 0) {
          throw new CliError(
            `${problems.length} problem(s) found (${valid.length} walkthrough(s) ` +
              `valid):\n${problems.map((p) => '  ' + describe(p)).join('\n')}`,
          );
        }
        return { valid, problems };
      }
      case 'import': {
        if (rest.length === 0) throw new CliError('Give .walkthrough.json files or .zip bundles to import', 2);
        const target = stringFlag(args, 'library') ?? userLibraryDir();
        const result: { library: string } & ImportResult = {
          library: resolve(target),
          imported: [],
          skipped: [],
          problems: [],
        };
        for (const source of rest) {
          try {
            const one = importWalkthroughs(source, target, { replace: args.flags.has('force') });
            result.imported.push(...one.imported);
            result.skipped.push(...one.skipped);
            result.problems.push(...one.problems);
          } catch (error) {
            if (!(error instanceof LibraryError)) throw error;
            const refusal = { path: source, field: '', message: error.message };
            result.problems.push(...(error.problems.length ? error.problems : [refusal]));
          }
        }
        if (result.problems.length > 0) {
          const counts = `${result.problems.length} file(s) refused, ${result.imported.length} walkthrough(s) imported`;
          const list = result.problems.map((p) => `  ${describe(p)}`).join('\n');
          // Nothing imported or kept: a plain error. Otherwise the JSON on stdout still lists what was imported.
          if (result.imported.length === 0 && result.skipped.length === 0) throw new CliError(`${counts}:\n${list}`);
          process.stderr.write(`sidekick library import: ${counts}:\n${list}\n`);
          io.exitCode = 1;
        }
        return result;
      }
      case 'export': {
        const out = stringFlag(args, 'out');
        if (!out) throw new CliError('Say where to write with --out <file.walkthrough.json> or --out <bundle.zip>', 2);
        const library = libraryFromArgs(args);
        const app = stringFlag(args, 'app');
        if (rest.length === 0 && !app)
          throw new CliError('Name the walkthrough ids to export, or --app <name> for all of an app', 2);
        const unknown = rest.filter((id) => !library.entries.some((e) => e.walkthrough.id === id));
        if (unknown.length)
          throw new CliError(
            `no walkthrough with id ${unknown.map((u) => `"${u}"`).join(', ')}; see sidekick library list`,
          );
        const entries = library.entries.filter(
          (e) => rest.includes(e.walkthrough.id) || (app !== undefined && walkthroughMatchesApp(e.walkthrough, app)),
        );
        return wrap(() => exportWalkthroughs(entries, out));
      }
      default:
        throw new CliError(
          action ? `unknown action "${action}"` : 'Say what to do: list, validate, import or export',
          2,
        );
    }
  },
  human(result) {
    const r = result as {
      entries?: { id: string; title: string; app: string; origin: string }[];
      problems?: LibraryProblem[];
    };
    if (!r.entries) return JSON.stringify(result, null, 2);
    const lines = r.entries.map((e) => `${e.id.padEnd(34)} ${e.app.padEnd(10)} ${e.origin.padEnd(8)} ${e.title}`);
    for (const p of r.problems ?? []) lines.push(`! ${describe(p)}`);
    return lines.join('\n');
  },
};
