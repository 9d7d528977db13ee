/**
 * `sidekick library import` when some files are refused: a real process, real files. The rest is
 * imported, every refusal is named on stderr with its path and reason, and the exit code is not 0.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { WALKTHROUGH_FORMAT } from '../../src-shared/walkthrough';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sidekick-import-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
// Each call starts a process through tsx; a busy 2-core machine may take a while.
vi.setConfig({ testTimeout: 200_000 });

function walkthrough(id: string): string {
  const steps = [{ instruction: 'Open the View menu.', target: { text: 'View' } }];
  const app = { name: 'Gnumeric' };
  return JSON.stringify({ format: WALKTHROUGH_FORMAT, id, title: `Walkthrough ${id}`, app, steps });
}

function sidekick(...args: string[]) {
  const env = { ...process.env, XDG_CONFIG_HOME: join(work, 'config') };
  const result = spawnSync(process.execPath, [join(ROOT, 'src-main/cli/bin.mjs'), ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('sidekick library import with refused files', () => {
  it('imports the valid walkthrough of a bundle, names the invalid JSON, and exits 1', () => {
    const bundle = join(work, 'mixed.zip');
    const good = Buffer.from(walkthrough('good'));
    const bad = Buffer.from('{ not json');
    writeFileSync(bundle, zipSync({ 'good/good.walkthrough.json': good, 'bad/bad.walkthrough.json': bad }));
    const library = join(work, 'lib-a');
    const run = sidekick('library', 'import', bundle, '--library', library, '--json');
    expect(run.code, run.stderr).toBe(1);
    const doc = JSON.parse(run.stdout) as { imported: { id: string }[]; problems: { path: string; message: string }[] };
    expect(doc.imported.map((i) => i.id)).toEqual(['good']);
    expect(doc.problems).toEqual([expect.objectContaining({ path: `${bundle}:bad/bad.walkthrough.json` })]);
    expect(run.stderr).toContain(`${bundle}:bad/bad.walkthrough.json: not valid JSON`);
    expect(readdirSync(library)).toEqual(['good']);
  });

  it('imports several sources, keeps going past a missing or invalid one, and exits 1', () => {
    const good = join(work, 'one.walkthrough.json');
    writeFileSync(good, walkthrough('one'));
    const bad = join(work, 'broken.walkthrough.json');
    writeFileSync(bad, '{"format": "sidekick.walkthrough/1"');
    const library = join(work, 'lib-b');
    const missing = join(work, 'missing.walkthrough.json');
    const run = sidekick('library', 'import', bad, missing, good, '--library', library, '--json');
    expect(run.code, run.stderr).toBe(1);
    expect((JSON.parse(run.stdout) as { imported: { id: string }[] }).imported.map((i) => i.id)).toEqual(['one']);
    expect(run.stderr).toMatch(/2 file\(s\) refused, 1 walkthrough\(s\) imported/);
    expect(run.stderr).toContain(`${bad}: not valid JSON`);
    expect(run.stderr).toContain(`missing.walkthrough.json does not exist`);
  });

  it('a bundle holding only invalid JSON is an error: exit 1, the file and reason on stderr, no JSON', () => {
    const bundle = join(work, 'only-bad.zip');
    writeFileSync(bundle, zipSync({ 'bad/bad.walkthrough.json': Buffer.from('[1, 2') }));
    const run = sidekick('library', 'import', bundle, '--library', join(work, 'lib-d'), '--json');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${bundle}:bad/bad.walkthrough.json: not valid JSON`);
  });

  it('exits 0 when nothing is refused', () => {
    const good = join(work, 'fine.walkthrough.json');
    writeFileSync(good, walkthrough('fine'));
    const run = sidekick('library', 'import', good, '--library', join(work, 'lib-c'), '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });
});
