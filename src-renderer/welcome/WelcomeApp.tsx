import { useEffect, useState } from 'react';
import { hotkeyLabel } from '../../src-shared/hotkey';
import type { SettingsView } from '../../src-shared/ipc/settings';
import { errorText, sidekick } from '../common/bridge';
import './WelcomeApp.css';

/**
 * The first-run card: what the hotkey does, what stays on this computer, and "Try it now". Shown once
 * (the shell opens it while `general.welcomed` is false; opening it sets it).
 */
export function WelcomeApp() {
  const [view, setView] = useState<SettingsView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [tried, setTried] = useState(false);

  useEffect(() => {
    const bridge = sidekick();
    bridge.invoke('settings:get', {}).then(setView, (error) => setProblem(errorText(error)));
    void bridge.invoke('settings:update', { patch: { general: { welcomed: true } } }).catch(() => undefined);
  }, []);

  const platform = sidekick().platform;
  const keys = view?.hotkey.registered ? hotkeyLabel(view.hotkey.hotkey, platform) : null;
  const tryNow = async (): Promise<void> => {
    try {
      await sidekick().invoke('overlay:start-help', {});
      setTried(true);
      window.close(); // the app's windows close themselves; a browser tab keeps the note below
    } catch (error) {
      setProblem(errorText(error));
    }
  };
  return (
    <main className="welcome">
      <h1>Sidekick is ready</h1>
      <section aria-label="The help hotkey">
        <p className="welcome__keys">{keys ? <kbd>{keys}</kbd> : <span>No hotkey yet</span>}</p>
        <p>
          {keys ? `Stuck in any program? Press ${keys}.` : 'Pick a help hotkey in Settings first.'} Sidekick reads that
          window and shows you, step by step, where to click — or puts you in touch with a person on your team.
        </p>
        {view && !view.hotkey.registered && view.hotkey.problem && <p role="alert">{view.hotkey.problem}</p>}
      </section>
      <section aria-label="What stays on this computer">
        <h2>What stays on this computer</h2>
        <p>
          Sidekick reads your screen here, on this computer. Nothing is sent anywhere unless you turn on AI answers or
          ask your team — and then private details like emails, card numbers and passwords are hidden first.
        </p>
      </section>
      <div className="welcome__actions">
        <button type="button" className="primary" onClick={() => void tryNow()}>
          Try it now
        </button>
        <button type="button" onClick={() => void sidekick().invoke('overlay:open-window', { window: 'settings' })}>
          Settings
        </button>
        <button type="button" onClick={() => window.close()}>
          Got it
        </button>
      </div>
      {tried && <p role="status">Sidekick opened beside the window you were using.</p>}
      {problem && <p role="alert">{problem}</p>}
      <p className="welcome__tray">
        Sidekick lives in the tray (the icon by the clock) — right-click it for the library, recording and settings.
      </p>
    </main>
  );
}
