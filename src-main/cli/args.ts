/** Command-line parsing and the error type every command uses for an actionable failure. */
import { parseArgs as nodeParseArgs } from 'node:util';

/** Parsed command line: positionals in order, `--flag value` / `--flag=value` / boolean `--flag` as true. */
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

/** The flags a command accepts: `string` takes a value (`--port 80`, `--port=80`), `boolean` does not. */
export type FlagSpec = Record<string, 'string' | 'boolean'>;

/** Flags every command accepts. */
export const COMMON_FLAGS: FlagSpec = { json: 'boolean', help: 'boolean' };

/**
 * Splits argv into positionals and flags with node:util parseArgs in strict mode: a flag the command
 * does not declare, a value for a boolean flag or a missing value is a CliError (exit 2) that names
 * the flag and lists the accepted ones. `-h` is `--help`; everything after `--` is positional.
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec = {}, command = ''): ParsedArgs {
  const all: FlagSpec = { ...spec, ...COMMON_FLAGS };
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, type] of Object.entries(all)) options[name] = name === 'help' ? { type, short: 'h' } : { type };
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliError(flagErrorMessage(error, all, command), 2);
  }
  const flags = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === undefined || value === false) continue;
    flags.set(name, typeof value === 'string' ? value : true);
  }
  return { positionals: parsed.positionals, flags };
}

/** The accepted flags of a spec, as `--port <value>, --json` for messages. */
export function describeFlags(spec: FlagSpec): string {
  return Object.entries(spec)
    .map(([name, type]) => (type === 'string' ? `--${name} <value>` : `--${name}`))
    .join(', ');
}

function flagErrorMessage(error: unknown, spec: FlagSpec, command: string): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^' <]+)/.exec(message)?.[1] ?? '?';
  const accepted = `accepted flags${command ? ` of "sidekick ${command}"` : ''}: ${describeFlags(spec)}`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `unknown flag ${flag}; ${accepted} (a value starting with "-" goes after "--")`;
  }
  if (/does not take an argument/.test(message)) return `${flag} takes no value; ${accepted}`;
  if (/argument missing|ambiguous/.test(message)) {
    return `${flag} needs a value, e.g. ${flag} <value> (for a value starting with "-" write ${flag}=<value>)`;
  }
  return `${message}; ${accepted}`;
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
