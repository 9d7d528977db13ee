/**
 * `sidekick guide` and `sidekick library` as a person or script runs them: real process, real files, JSON on stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type GuideAnswer, GuideAnswerSchema } from '../../src-shared/walkthrough';

/** What `sidekick library list|export|import --json` print (the parts these tests read). */
interface LibraryList {
  entries: Array<{ id: string; app: string; origin: string }>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'src-main/screen/fixtures/gnumeric-view-menu.png');
const work = mkdtempSync(join(tmpdir(), 'sidekick-cli-'));
const env = { ...process.env, SIDEKICK_LIBRARY: join(work, 'library'), XDG_CONFIG_HOME: join(work, 'config') };
afterAll(() => rmSync(work, { recursive: true, force: true }));
// Each call starts a process (tsx + OCR); on a busy 2-core machine several calls take minutes.
vi.setConfig({ testTimeout: 400_000 });

function sidekick(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'src-main/cli/bin.mjs'), ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 170_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('sidekick guide', () => {
  it('answers from the starter pack with located steps, exactly the documented shape', () => {
    const run = sidekick(
      'guide',
      FIXTURE,
      '--ask',
      'how can I keep the headings on screen',
      '--app',
      'Gnumeric',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const answer = GuideAnswerSchema.strict().parse(JSON.parse(run.stdout));
    expect(answer.source).toBe('library');
    expect(answer.walkthrough).toEqual({
      id: 'gnumeric-freeze-header-row',
      title: 'Keep the header row visible while scrolling',
    });
    expect(answer.steps[0]).toMatchObject({
      index: 0,
      instruction: expect.stringMatching(
        /^First click cell A2 .*Then open the View menu in the menu bar\.$/,
      ) as unknown,
      target: { text: 'View' },
    });
    expect(answer.steps[1]!.target!.box).not.toBeNull();
    expect(Object.keys(answer.steps[0]!)).toEqual(['index', 'instruction', 'target']);
    expect(answer.app).toEqual({ name: 'Gnumeric', source: 'flag' });
    expect(answer.candidates?.[0]?.id).toBe('gnumeric-freeze-header-row');
    expect(answer.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('says "none" for a question no walkthrough fits, and --library makes a folder the whole library', () => {
    const none = sidekick('guide', FIXTURE, '--ask', 'how do I bake bread', '--json');
    expect(JSON.parse(none.stdout)).toMatchObject({ source: 'none', walkthrough: null, steps: [] });
    expect((JSON.parse(none.stdout) as GuideAnswer).app).toEqual({ name: 'Gnumeric', source: 'screen-text' });
    const isolated = sidekick(
      'guide',
      FIXTURE,
      '--ask',
      'freeze the top row',
      '--library',
      join(work, 'library-does-not-exist'),
      '--json',
    );
    expect(isolated.code).not.toBe(0);
    expect(isolated.stderr).toMatch(/is not a folder/);
  });

  it('fails with an actionable message on a missing image or question', () => {
    const missing = sidekick('guide', join(work, 'nope.png'), '--ask', 'x', '--json');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/nope.png.*Check the path/);
    expect(sidekick('guide', FIXTURE, '--json').stderr).toMatch(/--ask/);
  });
});

describe('sidekick library', () => {
  it('lists the starter pack, exports a bundle, imports it, and validates', () => {
    const list = JSON.parse(sidekick('library', 'list', '--app', 'mousepad', '--json').stdout) as LibraryList;
    expect(list.entries.length).toBeGreaterThanOrEqual(5);
    expect(list.entries.every((e) => e.app === 'Mousepad')).toBe(true);

    const bundle = join(work, 'mousepad.zip');
    const exported = JSON.parse(
      sidekick('library', 'export', '--app', 'mousepad', '--out', bundle, '--json').stdout,
    ) as { count: number };
    expect(exported.count).toBe(list.entries.length);
    const imported = JSON.parse(sidekick('library', 'import', bundle, '--json').stdout) as { imported: unknown[] };
    expect(imported.imported).toHaveLength(list.entries.length);
    expect(readdirSync(join(work, 'library')).sort()).toEqual(list.entries.map((e) => e.id).sort());
    const after = JSON.parse(sidekick('library', 'list', '--json').stdout) as LibraryList;
    expect(after.entries.filter((e) => e.origin === 'user')).toHaveLength(list.entries.length);

    expect(sidekick('library', 'validate', join(ROOT, 'resources/walkthroughs'), '--json').code).toBe(0);
  });

  it('rejects a hostile bundle with a clear message and writes nothing', () => {
    const evil = join(work, 'evil.zip');
    writeFileSync(evil, zipSync({ '../../../tmp/evil.walkthrough.json': new TextEncoder().encode('{}') }));
    const before = readdirSync(work).sort();
    const run = sidekick('library', 'import', evil, '--library', join(work, 'library'), '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unsafe file name/);
    expect(run.stdout).toBe('');
    expect(readdirSync(work).sort()).toEqual(before);
  });

  it('validate names the file and field at fault and exits non-zero', () => {
    const bad = join(work, 'bad.walkthrough.json');
    writeFileSync(
      bad,
      JSON.stringify({
        format: 'sidekick.walkthrough/1',
        id: 'bad',
        title: 'Bad',
        app: { name: 'X' },
        steps: [{ instruction: 'Go', target: { text: 7 } }],
      }),
    );
    const run = sidekick('library', 'validate', bad, '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad} (steps[0].target.text)`);
  });
});
