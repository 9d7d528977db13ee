/**
 * `sidekick` command line: one registry of commands over the same core the desktop app uses.
 * With `--json` a command prints exactly one JSON document on stdout; errors go to stderr
 * with a non-zero exit code.
 */
import { CliError, parseArgs } from './args';
import type { CliCommand, CliIo } from './command';
import { COMMANDS } from './commands';

/** The overview: loads every command's module for its summary (only this listing does). */
async function helpText(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((entry) => entry.load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: sidekick <command> [options] [--json]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `sidekick <command> --help` for details.',
  ].join('\n');
}

/** Runs the CLI with argv (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await helpText()) + '\n');
    return name === undefined ? 2 : 0;
  }
  const command: CliCommand | undefined = await COMMANDS.find((c) => c.name === name)?.load();
  if (!command) {
    process.stderr.write(`sidekick: unknown command "${name}".\n\n${await helpText()}\n`);
    return 2;
  }
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
    process.stderr.write(
      `sidekick ${name}: unexpected error: ` +
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 70;
  }
}
