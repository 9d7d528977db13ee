/** Reading a screenshot named on the command line, with an actionable error for each way it can fail. */
import { readFile } from 'node:fs/promises';
import type { ScreenText } from '../../src-shared/screen';
import { ImageError, OcrEngineError, type ScreenReader } from '../ocr';
import { CliError } from './args';
import type { CliIo } from './command';

/** The bytes of an image file; a missing, unreadable or folder path is a CliError saying what to do. */
export async function readImageFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: no such file. Check the path and try again.`);
    if (code === 'EISDIR') throw new CliError(`${path} is a folder; pass an image file (PNG or JPEG).`);
    if (code === 'EACCES') throw new CliError(`${path}: permission denied. Make the file readable and try again.`);
    throw new CliError(`${path}: cannot read the file (${code ?? String(error)}).`);
  }
}

/** Reads the text on a screenshot file; a bad image or a failing OCR engine is a CliError naming the file. */
export async function readScreenFile(
  reader: ScreenReader,
  path: string,
  io: CliIo,
): Promise<{ bytes: Buffer; screen: ScreenText }> {
  const bytes = await readImageFile(path);
  io.progress(`reading ${path}...`);
  try {
    return { bytes, screen: await reader.read(bytes) };
  } catch (error) {
    if (error instanceof ImageError || error instanceof OcrEngineError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}
