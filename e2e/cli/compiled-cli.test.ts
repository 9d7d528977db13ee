/**
 * The compiled CLI (`npm run build:cli`, esbuild) answers exactly as the TypeScript sources do, loads no
 * tsx and no .ts file, and `sidekick` (bin.mjs) takes it only while it is newer than every source file.
 * The build goes to a private folder so that other suites running `sidekick` at the same time never see
 * a half-written out/cli; the freshness rule is checked on a throwaway copy of the layout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledCli } from '../../src-main/cli/compiled.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'out', `cli-test-${process.pid}`);
const MODULE_LOG = join(ROOT, 'e2e/support/module-log.mjs');
const IMAGE = join(ROOT, 'e2e/fixtures/screens/gnumeric.png');
const ARGS = ['guide', IMAGE, '--ask', 'how do I freeze the top row', '--app', 'Gnumeric', '--json'];
/** No AI: both runs answer from the library. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OPENAI_')));

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('the compiled CLI', () => {
  it('answers `guide` byte for byte like the sources, without tsx or TypeScript', () => {
    const built = execFileSync(process.execPath, ['scripts/build-node.mjs', 'cli', '--outdir', OUT], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(built).toMatch(/built out\/cli-test-\d+\/main\.js from \d+ modules/);
    const logFile = join(mkdtempSync(join(tmpdir(), 'sidekick-cli-log-')), 'modules.log');
    // A two-line entry beside the build, as bin.mjs would import it.
    const entry = join(OUT, 'run.mjs');
    writeFileSync(
      entry,
      `const { main } = await import('./main.js');\nprocess.exitCode = await main(process.argv.slice(2));\n`,
    );
    const compiled = execFileSync(process.execPath, ['--import', MODULE_LOG, entry, ...ARGS], {
      cwd: ROOT,
      env: { ...ENV, SIDEKICK_MODULE_LOG: logFile },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    const sources = execFileSync(process.execPath, ['src-main/cli/bin.mjs', ...ARGS], {
      cwd: ROOT,
      env: { ...ENV, SIDEKICK_TSX: '1' },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(JSON.parse(compiled)).toMatchObject({
      source: 'library',
      walkthrough: { id: 'gnumeric-freeze-header-row' },
    });
    expect(compiled).toBe(sources);
    const modules = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
    expect(modules.some((url) => url.includes(`/out/cli-test-${process.pid}/`))).toBe(true);
    expect(modules.filter((url) => url.includes('/node_modules/tsx/'))).toEqual([]);
    expect(modules.filter((url) => url.startsWith('file:') && /\.[cm]?tsx?$/.test(url))).toEqual([]);
  }, 240_000);

  it('is used only while newer than every source file, and never with SIDEKICK_TSX=1', () => {
    const root = mkdtempSync(join(tmpdir(), 'sidekick-cli-fresh-'));
    for (const dir of ['src-main/cli', 'src-shared', 'src-server/routes', 'out/cli']) {
      mkdirSync(join(root, dir), { recursive: true });
    }
    const at = (path: string, seconds: number) => {
      writeFileSync(join(root, path), '// x\n');
      utimesSync(join(root, path), seconds, seconds);
    };
    at('src-main/cli/main.ts', 1000);
    at('src-shared/team.ts', 1000);
    at('src-server/routes/join.ts', 1000);
    expect(compiledCli(root, {})).toBeNull(); // not built
    at('out/cli/main.js', 2000);
    expect(compiledCli(root, {})).toBe(join(root, 'out/cli/main.js'));
    expect(compiledCli(root, { SIDEKICK_TSX: '1' })).toBeNull();
    at('src-server/routes/join.ts', 3000); // a source changed after the build, deep in a folder
    expect(compiledCli(root, {})).toBeNull();
    at('out/cli/main.js', 4000);
    at('src-server/routes/notes.md', 5000); // not a source file
    expect(compiledCli(root, {})).toBe(join(root, 'out/cli/main.js'));
    rmSync(root, { recursive: true, force: true });
  });
});
