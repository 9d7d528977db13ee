/**
 * The app's features beyond help and settings, used by both the Electron shell and the browser
 * host. Add yours with ONE line: `import { walkthroughsFeature } from '../walkthroughs/feature';` and its name
 * in the list. A feature is `{ name, setup(context) → { handlers, answer?, dispose? } }` (see
 * SidekickFeature in ./core): `handlers` implement its channels from `src-shared/ipc/<feature>.ts`,
 * `answer` is tried by the ask box in list order (library before AI).
 */
import type { SidekickFeature } from './core';
import { aiFeature } from '../ai/feature';
import { teamDataDir, teamFeature } from '../team/feature';
import { teamLibraryDir } from '../team/library-sync';
import { walkthroughsFeature } from '../walkthroughs/feature';

/** Every feature, in the order their answers are tried. */
export function sidekickFeatures(): SidekickFeature[] {
  // The team's shared walkthroughs appear in the library, and it reloads when they sync.
  const library = walkthroughsFeature({ teamDir: teamLibraryDir(teamDataDir()) });
  return [library, aiFeature(), teamFeature({ onLibraryChanged: () => library.reload(), currentWalkthrough: () => library.position() })];
}
