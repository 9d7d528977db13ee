import { sidekick } from '../common/bridge';

const FEATURE_NAMES: Record<string, string> = {
  library: 'The walkthrough library',
  recorder: 'Recording walkthroughs',
  'ask-human': 'Asking a human helper',
};

/** "Not available yet" for a feature page. */
export function Placeholder({ feature }: { feature: string }) {
  const name = FEATURE_NAMES[feature] ?? 'This feature';
  return (
    <main className="placeholder">
      <h1>{name} is not available yet</h1>
      <p>This part of Sidekick is not in this build yet. Nothing here works, and nothing was sent anywhere.</p>
      <p>What works today: press the help hotkey over any window to have Sidekick read it, and change the hotkey in Settings.</p>
      <button type="button" onClick={() => void sidekick().invoke('app:open-window', { window: 'settings' })}>
        Open Settings
      </button>
    </main>
  );
}
