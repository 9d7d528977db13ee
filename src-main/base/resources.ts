/**
 * Where Sidekick's bundled files are: the icons, the OCR model (`tessdata/`) and the starter walkthroughs
 * (`walkthroughs/`). From a checkout (the CLI, tests, `npm start`) they are the repository's `resources/`
 * folder. In an installed app electron-builder copies them beside `app.asar` (see `extraResources` in
 * electron-builder.yml), into Electron's `process.resourcesPath`. Only the shell knows whether it runs
 * packaged, so it chooses the folder once at start-up with `useResourcesDir(resourcesDir(...))`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's resources folder. Two levels up both from this file and from the built out/main/main.js. */
export const SOURCE_RESOURCES_DIR = fileURLToPath(new URL('../../resources', import.meta.url));

/** How this process was started, as the Electron shell reports it (`app.isPackaged`, `process.resourcesPath`). */
export interface AppLocation {
  isPackaged: boolean;
  /** Electron's resources folder (beside app.asar); undefined in plain Node. */
  resourcesPath?: string | undefined;
}

/** The bundled resources folder for a run: Electron's resources folder when packaged, else the repository's. */
export function resourcesDir(location: AppLocation, sourceDir: string = SOURCE_RESOURCES_DIR): string {
  if (!location.isPackaged) return sourceDir;
  if (!location.resourcesPath) {
    throw new Error('Sidekick runs packaged but Electron gave no resources folder (process.resourcesPath)');
  }
  return location.resourcesPath;
}

let chosenDir: string | null = null;

/** Makes `dir` this process's resources folder (the Electron shell calls it once, before anything loads). */
export function useResourcesDir(dir: string): void {
  chosenDir = dir;
}

/** A path inside this process's resources folder, e.g. `bundledResource('walkthroughs')`. */
export function bundledResource(...parts: string[]): string {
  return join(chosenDir ?? SOURCE_RESOURCES_DIR, ...parts);
}
