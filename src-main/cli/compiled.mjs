// Which CLI `sidekick` runs: the compiled one (`npm run build:cli` → out/cli/main.js) while it is newer than
// every source file it was built from, else the TypeScript sources through tsx (right after `npm install`, and
// whenever a source changed since the build). SIDEKICK_TSX=1 always takes the sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_DIRS = ['src-main', 'src-shared', 'src-server'];
const SOURCE_FILE = /\.(ts|tsx|mts|mjs|json)$/;

/** The newest modification time of a source file under `dir` (0 when none). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') newest = Math.max(newest, newestSource(path));
    } else if (SOURCE_FILE.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** The compiled CLI's entry when it exists and is current; null to run the sources through tsx. */
export function compiledCli(root = ROOT, env = process.env) {
  if (env.SIDEKICK_TSX === '1') return null;
  const main = join(root, 'out/cli/main.js');
  if (!existsSync(main)) return null;
  const built = statSync(main).mtimeMs;
  const sources = SOURCE_DIRS.map((dir) => join(root, dir)).filter((dir) => existsSync(dir));
  return sources.every((dir) => newestSource(dir) <= built) ? main : null;
}
