/** Every `sidekick` command, in the order `sidekick --help` lists them. Add new commands here. */
import type { CliCommand } from '../command';

export const COMMANDS: CliCommand[] = [];
