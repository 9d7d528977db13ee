/** The shape every `sidekick <command>` implements. */
import type { FlagSpec, ParsedArgs } from './args';

/** One CLI command. `run` returns the JSON document printed with `--json`. */
export interface CliCommand {
  name: string;
  /** One line for `sidekick --help`. */
  summary: string;
  /** Usage lines, shown by `sidekick <command> --help` and on a usage error. */
  usage: string;
  /** Every flag the command accepts besides --json and --help; any other flag is refused. */
  flags: FlagSpec;
  run(args: ParsedArgs, io: CliIo): Promise<unknown>;
  /** Human-readable rendering of the result (without `--json`); defaults to pretty JSON. */
  human?(result: unknown): string;
}

/** Where a command reports progress (stderr, so stdout stays one JSON document). */
export interface CliIo {
  json: boolean;
  progress: (message: string) => void;
  /**
   * Set by a command that prints its result but failed in part (e.g. `library import` with refused
   * files): the process exits with this code instead of 0.
   */
  exitCode?: number;
}
