/** Every `sidekick` command, in the order `sidekick --help` lists them. Add new commands here. */
import type { CliCommand } from '../command';
import { ocrCommand } from './ocr';
import { locateCommand } from './locate';
import { serverCommand } from './server';

export const COMMANDS: CliCommand[] = [ocrCommand, locateCommand, serverCommand];
