/** Every `sidekick` command, in the order `sidekick --help` lists them. Add new commands here. */
import type { CliCommand } from '../command';
import { ocrCommand } from './ocr';

export const COMMANDS: CliCommand[] = [ocrCommand];
