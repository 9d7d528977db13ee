/**
 * The app's features beyond help and settings, used by both the Electron shell and the browser
 * host. Add yours with one import and its entry in the list. A feature is
 * `{ name, setup(context) → { handlers, answer?, dispose? } }` (SidekickFeature in src-main/base/feature.ts):
 * `handlers` implement its channels from `src-shared/ipc/<feature>.ts`, `answer` is tried by the ask box
 * in list order (walkthroughs before AI). What a feature needs from the host (secret store, notifier) is
 * passed to its factory here, never set globally.
 */
import type { SidekickFeature } from '../base/feature';
import type { SecretStore } from '../base/secrets';
import { aiFeature } from '../ai/feature';
import { teamDataDir, teamFeature, type TeamFeatureOptions } from '../team/feature';
import { teamLibraryDir } from '../team/library-sync';
import { walkthroughsFeature } from '../walkthroughs/feature';

/** What the host (the Electron shell, the browser host, tests) hands down to the features. */
export interface SidekickFeaturesOptions {
  /** Where the AI API key and the team token are kept (the shell: the OS-encrypted store). */
  secrets?: SecretStore;
  /** Tells a helper about a new help request (the shell: a tray notification). */
  notify?: (title: string, body: string) => void;
  /** Batching of the opt-in usage events (tests make it quick). */
  usage?: TeamFeatureOptions['usage'];
}

/** Every feature, in the order their answers are tried. */
export function sidekickFeatures(options: SidekickFeaturesOptions = {}): SidekickFeature[] {
  const { secrets, notify, usage } = options;
  // The team's shared walkthroughs appear in the library, and it reloads when they sync; a question learned
  // for a team walkthrough goes to the team (created below; the library only calls it once features run).
  const walkthroughs = walkthroughsFeature({
    teamDir: teamLibraryDir(teamDataDir()),
    shareLearned: (id, question) => team.learn(id, question),
    // Kept and sent only when the person shares anonymous usage with their team (Settings → Team).
    onUsage: (observation) => void team.recordUsage(observation),
  });
  const team = teamFeature({
    ...(secrets ? { secrets } : {}),
    ...(notify ? { notify } : {}),
    onLibraryChanged: () => walkthroughs.reload(),
    currentWalkthrough: () => walkthroughs.position(),
    ...(usage ? { usage } : {}),
  });
  return [walkthroughs, aiFeature({ ...(secrets ? { secrets } : {}) }), team];
}
