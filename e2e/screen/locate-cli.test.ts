/**
 * `sidekick locate` end to end: the real CLI process, real OCR on real screenshots (gnumeric and
 * AbiWord captured under Xvfb, src-main/screen/fixtures), one JSON document on stdout; bad input
 * gives a non-zero exit and a message a person can act on.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LocateMatchSchema, type Box } from '../../src-shared/screen';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'src-main/screen/fixtures');
/** One CLI run reads one screenshot with OCR: seconds normally, much longer on a busy shared machine. */
const OCR_TIMEOUT = 180_000;
const LocateDocSchema = z.object({ matches: z.array(LocateMatchSchema) }).strict();

function sidekick(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'src-main/cli/bin.mjs'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function contains(box: Box | null, [x, y]: [number, number]): boolean {
  return box !== null && x >= box.x - 3 && x <= box.x + box.w + 3 && y >= box.y - 3 && y <= box.y + box.h + 3;
}

const scratch = mkdtempSync(join(tmpdir(), 'sidekick-locate-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('sidekick locate (real OCR on real screenshots)', () => {
  it(
    'prints one JSON document with a match per label, exact spelling preferred',
    async () => {
      // gnumeric with its Format menu and Cells submenu open (Left/Left:, Table/Table... are pinned on
      // committed OCR output in src-main/screen/fixtures.test.ts; here the live OCR path is what is tested).
      const image = join(FIXTURES, 'gnumeric-format-menu.png');
      const { code, stdout, stderr } = await sidekick(
        'locate',
        image,
        'Format',
        'Format…',
        'auto fit width',
        'Merge',
        'Linear C',
        '--json',
      );
      expect(code, stderr).toBe(0);
      const doc = LocateDocSchema.parse(JSON.parse(stdout));
      expect(doc.matches.map((m) => m.query)).toEqual(['Format', 'Format…', 'auto fit width', 'Merge', 'Linear C']);
      const [format, formatDots, autoFit, merge, linearC] = doc.matches;
      // the menu, not "Format..." or "Autoformat..."
      expect(contains(format!.box, [212, 32]), JSON.stringify(format)).toBe(true);
      expect(format).toHaveProperty('score', 1);
      expect(contains(formatDots!.box, [387, 57]), JSON.stringify(formatDots)).toBe(true);
      expect(contains(autoFit!.box, [404, 182]), JSON.stringify(autoFit)).toBe(true);
      expect(contains(merge!.box, [379, 107]), JSON.stringify(merge)).toBe(true); // not "Unmerge"
      expect(linearC).toEqual({ query: 'Linear C', text: null, box: null });
    },
    OCR_TIMEOUT,
  );

  it(
    'applies --near and --region to repeated labels',
    async () => {
      const image = join(FIXTURES, 'gnumeric-format-cells-dialog.png');
      const region = await sidekick('locate', image, 'Help', '--region', 'dialog', '--json');
      expect(region.code, region.stderr).toBe(0);
      expect(contains(LocateDocSchema.parse(JSON.parse(region.stdout)).matches[0]!.box, [367, 665])).toBe(true);
      const near = await sidekick('locate', image, 'Number', '--near', 'Currency', '--json');
      expect(near.code, near.stderr).toBe(0);
      expect(contains(LocateDocSchema.parse(JSON.parse(near.stdout)).matches[0]!.box, [375, 309])).toBe(true);
    },
    2 * OCR_TIMEOUT,
  );

  it('rejects a corrupt image with an actionable message and no stdout', async () => {
    const corrupt = join(scratch, 'corrupt.png');
    writeFileSync(
      corrupt,
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.from('not really a png at all'),
      ]),
    );
    const { code, stdout, stderr } = await sidekick('locate', corrupt, 'File', '--json');
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('corrupt.png');
    expect(stderr).toMatch(/damaged|truncated|not an image|PNG or JPEG/i);
    expect(stderr).not.toMatch(/unexpected error|\bat .*\.ts:\d+/);
  });

  it('rejects a missing file with an actionable message', async () => {
    const { code, stdout, stderr } = await sidekick('locate', join(scratch, 'nope.png'), 'File', '--json');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/nope\.png: no such file\. Check the path/);
  });

  it('explains usage when no label or a bad region is given', async () => {
    const image = join(FIXTURES, 'gnumeric-format-menu.png');
    const noLabel = await sidekick('locate', image, '--json');
    expect(noLabel.code).toBe(2);
    expect(noLabel.stderr).toMatch(/at least one label/);
    expect(noLabel.stderr).toMatch(/Usage: sidekick locate/);
    const badRegion = await sidekick('locate', image, 'File', '--region', 'middle', '--json');
    expect(badRegion.code).toBe(2);
    expect(badRegion.stderr).toMatch(/--region must be one of top, bottom, left, right, dialog/);
    const nothing = await sidekick('locate', '--json');
    expect(nothing.code).toBe(2);
  });
});
