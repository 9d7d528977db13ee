/**
 * Runs one `sidekick` command: parses its flags (unknown ones are refused with the usage), prints its
 * result (one JSON document with `--json`) and maps errors to exit codes. `main.ts` finds the command by
 * name; the compiled team server (`server-main.ts`) runs `server` directly, without the other commands.
 */
import { CliError, parseArgs } from './args';
import type { CliCommand, CliIo } from './command';

/** Runs `command` with its arguments (after the command name); resolves to the exit code. */
export async function runCommand(command: CliCommand, rest: readonly string[]): Promise<number> {
  const name = command.name;
  let args;
  try {
    args = parseArgs(rest, command.flags, command.name);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`sidekick ${name}: ${error.message}\n\n${command.usage}\n`);
    return error.exitCode;
  }
  if (args.flags.has('help')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  const io: CliIo = {
    json: args.flags.has('json'),
    progress: (message) => {
      if (process.stderr.isTTY || process.env.SIDEKICK_PROGRESS) process.stderr.write(message + '\n');
    },
  };
  try {
    const result = await command.run(args, io);
    const text =
      io.json || !command.human ? JSON.stringify(result, null, io.json ? undefined : 2) : command.human(result);
    process.stdout.write(text + '\n');
    return io.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`sidekick ${name}: ${error.message}\n`);
      if (error.exitCode === 2) process.stderr.write(`\n${command.usage}\n`);
      return error.exitCode;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`sidekick ${name}: unexpected error: ${detail}\n`);
    return 70;
  }
}
