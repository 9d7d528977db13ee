/** Every `sidekick` command, in the order `sidekick --help` lists them. Add new commands here. */
import type { CliCommand } from '../command';
import { ocrCommand } from './ocr';
import { benchCommand } from './bench';
import { locateCommand } from './locate';
import { serverCommand } from './server';
import { libraryCommand } from './library';
import { guideCommand } from './guide';
import { captureCommand } from './capture';
import { redactCommand } from './redact';

export const COMMANDS: CliCommand[] = [
  ocrCommand,
  benchCommand,
  locateCommand,
  serverCommand,
  libraryCommand,
  guideCommand,
  captureCommand,
  redactCommand,
];
