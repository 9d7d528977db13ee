/**
 * `sidekick ocr` as a user runs it: real process, real fixture screenshots, JSON on stdout,
 * actionable errors on stderr with a non-zero exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ScreenTextSchema } from '../../src-shared/screen';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../src-main/cli/bin.mjs');
const SCREENS = join(import.meta.dirname, '../fixtures/screens');

async function sidekick(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('sidekick ocr', { timeout: 180_000 }, () => {
  it('prints one ScreenText document for one image', async () => {
    const { code, stdout } = await sidekick('ocr', join(SCREENS, 'gnumeric-format-cells.png'), '--json');
    expect(code).toBe(0);
    const doc = ScreenTextSchema.parse(JSON.parse(stdout));
    expect(doc.image).toEqual({ width: 648, height: 503 });
    const words = doc.elements.filter((e) => e.kind === 'word').map((e) => e.text);
    expect(words).toEqual(expect.arrayContaining(['Number', 'Currency', 'Cancel', 'OK']));
  });

  it('prints a JSON array for several images, read by one warm reader', async () => {
    const { code, stdout } = await sidekick(
      'ocr',
      join(SCREENS, 'gnumeric-format-cells.png'),
      join(SCREENS, 'gnumeric.png'),
      '--json',
    );
    expect(code).toBe(0);
    const docs = ScreenTextSchema.array().parse(JSON.parse(stdout));
    expect(docs).toHaveLength(2);
    expect(docs[1]!.image).toEqual({ width: 1600, height: 900 });
    expect(docs[1]!.elements.some((e) => e.text === 'Statistics')).toBe(true);
  });

  it('fails with an actionable message on a corrupt image and a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-ocr-cli-'));
    const bad = join(dir, 'broken.png');
    writeFileSync(bad, 'not a png');
    const corrupt = await sidekick('ocr', bad, '--json');
    expect(corrupt.code).toBe(1);
    expect(corrupt.stdout).toBe('');
    expect(corrupt.stderr).toMatch(/broken\.png: .*Save the screenshot as PNG or JPEG/);
    const missing = await sidekick('ocr', join(dir, 'nope.png'), '--json');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
    const none = await sidekick('ocr', '--json');
    expect(none.code).toBe(2);
  });
});
