// The structural rules alone: no import cycle, imports flow one way (shell -> app -> features -> base ->
// src-shared), and only src-main/shell imports electron. It is the full config (eslint.config.js) with every
// other rule off, so both share one definition of the layers. `npm test` runs the full config, which includes
// these rules; this one is a quick check while the other rules are red (`npx eslint -c eslint.layers.config.js .`).
import { sidekickLintConfig } from './eslint.config.js';

const STRUCTURAL_RULES = new Set([
  'import-x/no-cycle',
  'import-x/no-self-import',
  'import-x/no-restricted-paths',
  'no-restricted-imports',
]);

/** Keeps the structural rules of a config entry and turns the others off. */
function structuralOnly(entry) {
  if (!entry.rules) return entry;
  const rules = Object.fromEntries(
    Object.entries(entry.rules).map(([name, setting]) => [name, STRUCTURAL_RULES.has(name) ? setting : 'off']),
  );
  return { ...entry, rules };
}

export default [
  ...sidekickLintConfig(import.meta.dirname).map(structuralOnly),
  // Disable comments name rules this gate turns off; they are checked by the full config.
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
];
