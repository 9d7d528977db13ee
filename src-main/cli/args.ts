/** Command-line parsing and the error type every command uses for an actionable failure. */

/** Parsed command line: positionals in order, `--flag value` / `--flag=value` / bare `--flag` as true. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** An expected failure with a message a person can act on, and the exit code to leave with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Flags that never take a value, so `--json file.png` keeps `file.png` as a positional. */
const BOOLEAN_FLAGS = new Set([
  'json', 'help', 'h', 'verbose', 'force', 'quick', 'no-ocr', 'include-terminal',
  'search', 'all-apps',
]);

/** Splits argv into positionals and flags. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) {
        flags.set(arg.slice(2, eq), arg.slice(eq + 1));
        continue;
      }
      const name = arg.slice(2);
      const next = argv[i + 1];
      if (!BOOLEAN_FLAGS.has(name) && next !== undefined && !next.startsWith('--')) {
        flags.set(name, next);
        i++;
      } else {
        flags.set(name, true);
      }
    } else if (arg === '-h') {
      flags.set('help', true);
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, flags };
}

/** The string value of `--name`, or undefined; a bare `--name` without a value is an error. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  if (value === true) throw new CliError(`--${name} needs a value, e.g. --${name} <value>`, 2);
  return value;
}

/** The integer value of `--name`, checked against a range. */
export function intFlag(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`, 2);
  }
  return value;
}
