/**
 * Builds the helper console (React, vite) on demand: `sidekick server` calls `ensureConsoleBuilt`,
 * which rebuilds `out/console/` when it is missing or older than any file in `src-server/console/`
 * or `src-shared/`.
 * `npm run build:console` does the same build explicitly.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder: the nearest one above this module with a package.json (from src-server/ or out/server/). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const ROOT = projectRoot();

/** Sources of the helper console. */
export const CONSOLE_SOURCE_DIR = join(ROOT, 'src-server', 'console');
/** Shared contracts the console bundles (a change there also needs a rebuild). */
const SHARED_DIR = join(ROOT, 'src-shared');
/** Where the built console is served from. */
export const CONSOLE_OUT_DIR = join(ROOT, 'out', 'console');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when out/console is missing or older than its sources. */
export function consoleBuildIsStale(outDir = CONSOLE_OUT_DIR): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  // A deployment that ships only the built files (out/) serves them as they are.
  if (!existsSync(CONSOLE_SOURCE_DIR)) return false;
  return statSync(index).mtimeMs < Math.max(newestMtime(CONSOLE_SOURCE_DIR), newestMtime(SHARED_DIR));
}

/** Builds the console with vite into `outDir` (atomically: build aside, then swap in). */
export async function buildConsole(outDir = CONSOLE_OUT_DIR): Promise<void> {
  const { build } = await import('vite');
  const staging = `${outDir}.build-${process.pid}`;
  mkdirSync(dirname(outDir), { recursive: true });
  await build({
    configFile: join(CONSOLE_SOURCE_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: staging, emptyOutDir: true },
  });
  rmSync(outDir, { recursive: true, force: true });
  try {
    renameSync(staging, outDir);
  } catch (error) {
    // Another process finished the same build first; its output is just as good.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(outDir, 'index.html'))) throw error;
  }
}

/** Builds the console if needed; returns the folder to serve and whether it was built now. */
export async function ensureConsoleBuilt(
  progress: (message: string) => void = () => {},
): Promise<{ dir: string; built: boolean }> {
  if (!consoleBuildIsStale()) return { dir: CONSOLE_OUT_DIR, built: false };
  progress('building the helper console (vite)…');
  await buildConsole();
  return { dir: CONSOLE_OUT_DIR, built: true };
}
