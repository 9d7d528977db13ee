// ESLint for the whole tree (`npm run lint`, and the `lint` stage of `npm test`).
// typescript-eslint's type-checked rules, React hooks, no import cycles, and the import direction of
// docs/shell.md: shell → app → features → base → src-shared; the renderer and the server import only
// src-shared and their own files; only src-main/shell imports `electron`. Formatting is Prettier's job
// (.prettierrc); eslint-config-prettier turns off the stylistic rules that would fight it.
import { join } from 'node:path';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

/** The feature folders of src-main: above src-main/base, below src-main/app and src-main/shell. */
export const FEATURES = ['walkthroughs', 'ai', 'team', 'ocr', 'screen', 'capture', 'privacy', 'bench', 'cli'];

const LAYERS = 'Imports flow one way (docs/shell.md): shell → app → features → base → src-shared.';

/** `import-x/no-restricted-paths` zones: `target` files may not import from `from`. */
export const LAYER_ZONES = [
  {
    target: 'src-main/app',
    from: 'src-main/shell',
    message: `${LAYERS} The app core runs without Electron; pass what it needs in from the shell.`,
  },
  ...FEATURES.map((feature) => ({
    target: `src-main/${feature}`,
    from: ['src-main/app', 'src-main/shell'],
    message: `${LAYERS} A feature gets what it needs from its host as arguments of its factory.`,
  })),
  {
    target: 'src-main/base',
    from: ['src-main/app', 'src-main/shell', ...FEATURES.map((feature) => `src-main/${feature}`)],
    message: `${LAYERS} src-main/base is below every feature.`,
  },
  {
    target: 'src-shared',
    from: ['src-main', 'src-renderer', 'src-server'],
    message: `${LAYERS} src-shared holds contracts only and imports nothing of ours above it.`,
  },
  {
    target: 'src-renderer',
    from: ['src-main', 'src-server'],
    message: 'The renderer imports only src-shared and its own files; it talks to main over window.sidekick.',
  },
  {
    target: 'src-server',
    from: ['src-main', 'src-renderer'],
    message: 'The team server imports only src-shared and its own files.',
  },
  {
    // src-main/cli is an entry point: `sidekick server` starts the team server, so only it may import src-server.
    target: ['src-main/!(cli)/**'],
    from: ['src-server', 'src-renderer'],
    message: 'src-main imports src-shared, not the server or the renderer (only the `sidekick server` command may).',
  },
];

/** The whole config for a tree rooted at `root` (the tests lint a synthetic tree with it). */
export function sidekickLintConfig(root) {
  return defineConfig(
    {
      ignores: [
        'out/**',
        'dist/**',
        'node_modules/**',
        'e2e/artifacts/**',
        'test-results/**',
        'playwright-report/**',
        'src-server/console/dist/**',
      ],
    },
    js.configs.recommended,
    tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        parserOptions: { projectService: true, tsconfigRootDir: root },
      },
      linterOptions: { reportUnusedDisableDirectives: 'error' },
    },
    {
      // The React code: the renderer windows and the helper console (a `use…` function elsewhere is no hook).
      files: ['src-renderer/**/*.{ts,tsx}', 'src-server/console/**/*.{ts,tsx}'],
      plugins: { 'react-hooks': reactHooks },
      rules: {
        'react-hooks/rules-of-hooks': 'error',
        'react-hooks/exhaustive-deps': 'error',
      },
    },
    {
      plugins: { 'import-x': importX },
      settings: {
        // import-x reads (and follows cycles through) only files it has a parser for: tell it about TypeScript.
        'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
        'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
        'import-x/resolver-next': [createTypeScriptImportResolver({ project: join(root, 'tsconfig.json') })],
      },
      rules: {
        'import-x/no-cycle': ['error', { ignoreExternal: true }],
        'import-x/no-self-import': 'error',
        'import-x/no-restricted-paths': ['error', { basePath: root, zones: LAYER_ZONES }],
      },
    },
    {
      // Only the shell touches Electron; everything else runs (and is tested) in plain Node or a browser.
      ignores: ['src-main/shell/**', 'e2e/shell/**'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [
              { name: 'electron', message: 'Only src-main/shell imports electron (docs/shell.md).' },
              { name: 'electron-store', message: 'electron-store needs Electron: only src-main/shell imports it.' },
            ],
            patterns: [{ group: ['electron/*'], message: 'Only src-main/shell imports electron (docs/shell.md).' }],
          },
        ],
      },
    },
    {
      rules: {
        // Unused arguments and caught errors named with a leading underscore are deliberate (interface shapes).
        '@typescript-eslint/no-unused-vars': [
          'error',
          { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
        ],
        // Off: an `async` method without `await` is how an implementation keeps its interface's Promise return
        // and turns a synchronous throw into a rejection; dropping `async` would change what callers catch.
        '@typescript-eslint/require-await': 'off',
      },
    },
    {
      // Plain JavaScript entry points (bin, scripts, this file) are not in tsconfig: lint them without types.
      files: ['**/*.{js,mjs,cjs}'],
      extends: [tseslint.configs.disableTypeChecked],
      languageOptions: { globals: { ...globals.node } },
    },
    prettier,
    {
      // After eslint-config-prettier (which turns max-len off): Prettier wraps code at 120, but not comments,
      // strings or template literals, so the house rule "lines <= 120 characters" is checked here. A regular
      // expression literal cannot be wrapped at all (only rewritten as a RegExp of concatenated, double-escaped
      // strings, which is harder to read and check), so lines holding one are not measured.
      rules: { 'max-len': ['error', { code: 120, tabWidth: 2, ignoreUrls: true, ignoreRegExpLiterals: true }] },
    },
  );
}

export default sidekickLintConfig(import.meta.dirname);
