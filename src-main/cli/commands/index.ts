/**
 * Every `sidekick` command, in the order `sidekick --help` lists them. Add new commands here.
 * Each command's module is imported only when that command runs (or for `sidekick --help`), so
 * `sidekick server` does not load OCR, image decoding or the walkthrough engine, and vice versa.
 */
import type { CliCommand } from '../command';

/** A command's name and how to load its module. */
export interface CommandEntry {
  name: string;
  load(): Promise<CliCommand>;
}

/** The commands, in listing order. */
export const COMMANDS: CommandEntry[] = [
  { name: 'ocr', load: async () => (await import('./ocr')).ocrCommand },
  { name: 'bench', load: async () => (await import('./bench')).benchCommand },
  { name: 'locate', load: async () => (await import('./locate')).locateCommand },
  { name: 'server', load: async () => (await import('./server')).serverCommand },
  { name: 'library', load: async () => (await import('./library')).libraryCommand },
  { name: 'guide', load: async () => (await import('./guide')).guideCommand },
  { name: 'capture', load: async () => (await import('./capture')).captureCommand },
  { name: 'redact', load: async () => (await import('./redact')).redactCommand },
];
