/**
 * `sidekick` command line: one registry of commands over the same core the desktop app uses.
 * With `--json` a command prints exactly one JSON document on stdout; errors go to stderr
 * with a non-zero exit code.
 */
import type { CliCommand } from './command';
import { COMMANDS } from './commands';
import { runCommand } from './run';

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
  return runCommand(command, rest);
}
