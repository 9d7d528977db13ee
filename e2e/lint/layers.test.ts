/**
 * The lint rules can fail: a synthetic tree laid out like ours (src-main/{shell,app,ai,base}, src-renderer,
 * src-shared) is linted with the real config (`sidekickLintConfig` from eslint.config.js, rooted at the
 * synthetic tree) through ESLint's Node API, and each broken file reports the rule it breaks while the
 * well-layered files report nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** eslint.config.js's named export (plain JavaScript, so typed here). */
interface LintConfigModule {
  sidekickLintConfig: (root: string) => Linter.Config[];
}

/** The synthetic tree: path → source. */
const FILES: Record<string, string> = {
  'src-shared/screen.ts': `/** A box. */\nexport interface Box {\n  x: number;\n}\n`,
  'src-main/base/feature.ts':
    `import type { Box } from '../../src-shared/screen';\n\n` +
    `/** The origin. */\nexport function origin(): Box {\n  return { x: 0 };\n}\n`,
  // Well layered: app → feature → base → shared, shell → app + electron.
  'src-main/ai/ok.ts':
    `import { origin } from '../base/feature';\n\n/** Left of the origin. */\n` +
    `export function left(): number {\n  return origin().x - 1;\n}\n`,
  'src-main/app/core.ts':
    `import { left } from '../ai/ok';\n\n/** The core. */\n` +
    `export function core(): number {\n  return left();\n}\n`,
  'src-main/shell/main.ts':
    `import { app } from 'electron';\nimport { core } from '../app/core';\n\n/** Start. */\n` +
    `export function start(): void {\n  if (core() < 0) app.quit();\n}\n`,
  // A cycle between two feature files.
  'src-main/ai/cycle-a.ts':
    `import { b } from './cycle-b';\n\n/** A. */\nexport function a(n: number): number {\n` +
    `  return n > 0 ? b(n - 1) : 0;\n}\n`,
  'src-main/ai/cycle-b.ts':
    `import { a } from './cycle-a';\n\n/** B. */\nexport function b(n: number): number {\n` +
    `  return n > 0 ? a(n - 1) : 1;\n}\n`,
  // A feature reaching up into the app core.
  'src-main/ai/uses-app.ts':
    `import { core } from '../app/core';\n\n/** Up. */\n` + `export function up(): number {\n  return core();\n}\n`,
  // base reaching up into a feature.
  'src-main/base/uses-feature.ts':
    `import { left } from '../ai/ok';\n\n/** Up. */\n` + `export function up(): number {\n  return left();\n}\n`,
  // A renderer importing electron and main's code.
  'src-renderer/Panel.tsx':
    `import { ipcRenderer } from 'electron';\nimport { origin } from '../src-main/base/feature';\n\n` +
    `/** A panel. */\nexport function Panel() {\n  ipcRenderer.send('x', origin().x);\n  return null;\n}\n`,
  // A promise nobody waits for: the type-checked rules are on.
  'src-main/ai/floating.ts':
    `async function later(): Promise<number> {\n  return Promise.resolve(1);\n}\n\n/** Fire. */\n` +
    `export function fire(): void {\n  later();\n}\n`,
};

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'DOM'],
    module: 'ESNext',
    moduleResolution: 'bundler',
    jsx: 'react-jsx',
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
  include: ['src-shared', 'src-main', 'src-renderer'],
};

let root = '';
const results = new Map<string, Linter.LintMessage[]>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sidekick-lint-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  // electron's and node's type declarations, so the well-layered files type-check cleanly.
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  const { sidekickLintConfig } = (await import(
    new URL('../../eslint.config.js', import.meta.url).href
  )) as LintConfigModule;
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: sidekickLintConfig(root) });
  for (const result of await eslint.lintFiles(Object.keys(FILES))) {
    results.set(relative(root, result.filePath), result.messages);
  }
}, 180_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The rule ids reported for one synthetic file, sorted. */
function rulesIn(path: string): string[] {
  const messages = results.get(path);
  if (!messages) throw new Error(`${path} was not linted`);
  return messages.map((message) => message.ruleId ?? `fatal: ${message.message}`).sort();
}

describe('eslint.config.js', () => {
  it('passes the well-layered files (shell → app → feature → base → shared, electron in the shell)', () => {
    for (const path of ['src-shared/screen.ts', 'src-main/base/feature.ts', 'src-main/ai/ok.ts']) {
      expect(rulesIn(path), path).toEqual([]);
    }
    expect(rulesIn('src-main/app/core.ts')).toEqual([]);
    expect(rulesIn('src-main/shell/main.ts')).toEqual([]);
  });

  it('reports an import cycle on both files of the cycle', () => {
    expect(rulesIn('src-main/ai/cycle-a.ts')).toEqual(['import-x/no-cycle']);
    expect(rulesIn('src-main/ai/cycle-b.ts')).toEqual(['import-x/no-cycle']);
  });

  it('reports a feature importing src-main/app and base importing a feature', () => {
    expect(rulesIn('src-main/ai/uses-app.ts')).toEqual(['import-x/no-restricted-paths']);
    expect(rulesIn('src-main/base/uses-feature.ts')).toEqual(['import-x/no-restricted-paths']);
    const message = results.get('src-main/ai/uses-app.ts')?.[0]?.message ?? '';
    expect(message).toContain('shell → app → features → base → src-shared');
  });

  it('reports a renderer importing electron and src-main', () => {
    expect(rulesIn('src-renderer/Panel.tsx')).toEqual(['import-x/no-restricted-paths', 'no-restricted-imports']);
  });

  it('runs the type-checked rules (a floating promise)', () => {
    expect(rulesIn('src-main/ai/floating.ts')).toEqual(['@typescript-eslint/no-floating-promises']);
  });
});
