import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SettingsView } from '../../src-shared/ipc/settings';
import { DEFAULT_HOTKEY, type GeneralSettings } from '../../src-shared/settings';
import { errorText, sidekick } from '../common/bridge';
import { acceleratorFromKey } from './accelerator';
import { AiSettingsSection } from '../ai/AiSettingsSection';
import { TeamSettingsSection } from './TeamSettingsSection';

type SaveStatus = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'problem'; message: string };

/** The settings form: hotkey, OCR language, start at login (more sections join as features land). */
export function SettingsApp() {
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<GeneralSettings | null>(null);
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    const bridge = sidekick();
    bridge.invoke('settings:get', {}).then(
      (loaded) => {
        setView(loaded);
        setDraft(loaded.settings.general);
      },
      (error) => setLoadError(errorText(error)),
    );
    return bridge.on('settings:changed', (changed) => setView(changed));
  }, []);

  if (loadError) return <main className="settings"><p role="alert">Settings could not be loaded: {loadError}</p></main>;
  if (!view || !draft) return <main className="settings"><p role="status">Loading settings…</p></main>;

  const isMac = sidekick().platform === 'darwin';
  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setStatus({ kind: 'saving' });
    try {
      const result = await sidekick().invoke('settings:update', { patch: { general: draft } });
      if (result.ok) {
        setView(result.view);
        setDraft(result.view.settings.general);
        setStatus({ kind: 'saved' });
      } else {
        setStatus({ kind: 'problem', message: result.problem });
      }
    } catch (error) {
      setStatus({ kind: 'problem', message: errorText(error) });
    }
  };
  const recordHotkey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Tab' || (event.key === 'Escape' && !event.ctrlKey && !event.altKey && !event.metaKey)) return;
    event.preventDefault();
    const accelerator = acceleratorFromKey(event, isMac);
    if (accelerator) setDraft({ ...draft, hotkey: accelerator });
  };

  return (
    <main className="settings">
      <h1>Sidekick Settings</h1>
      {!view.hotkey.registered && view.hotkey.problem && (
        <p className="settings__banner" role="alert">
          {view.hotkey.problem}
        </p>
      )}
      <form onSubmit={save} aria-label="General settings">
        <fieldset>
          <legend>Help hotkey</legend>
          <label htmlFor="hotkey">Press the keys you want to use</label>
          <div className="settings__row">
            <input id="hotkey" value={draft.hotkey} onKeyDown={recordHotkey} onChange={() => {}} aria-describedby="hotkey-help" />
            <button type="button" onClick={() => setDraft({ ...draft, hotkey: DEFAULT_HOTKEY })}>
              Reset
            </button>
          </div>
          <small id="hotkey-help">
            Click the box and press a combination with Ctrl, Alt, Shift{isMac ? ' or Cmd' : ''}. Current: {view.hotkey.registered ? `${view.hotkey.hotkey} (working)` : 'not registered'}.
          </small>
        </fieldset>
        <fieldset>
          <legend>Reading the screen</legend>
          <label htmlFor="ocr-language">OCR language</label>
          <input id="ocr-language" value={draft.ocrLanguage} onChange={(event) => setDraft({ ...draft, ocrLanguage: event.target.value.trim() })} aria-describedby="ocr-help" />
          <small id="ocr-help">Tesseract language codes, e.g. eng, or eng+deu. English is bundled; other languages need their data installed.</small>
        </fieldset>
        <fieldset>
          <legend>Startup</legend>
          <label className="settings__check">
            <input type="checkbox" checked={draft.startAtLogin} disabled={!view.startAtLoginSupported} onChange={(event) => setDraft({ ...draft, startAtLogin: event.target.checked })} />
            Start Sidekick when I log in
          </label>
          {!view.startAtLoginSupported && <small>On Linux, add Sidekick to your desktop's startup applications instead.</small>}
        </fieldset>
        <div className="settings__actions">
          <button type="submit" className="primary" disabled={status.kind === 'saving'}>
            Save
          </button>
          <span role="status" className={status.kind === 'problem' ? 'settings__problem' : ''}>
            {status.kind === 'saved' ? 'Saved.' : status.kind === 'problem' ? status.message : ''}
          </span>
        </div>
      </form>
      <AiSettingsSection view={view} onSaved={setView} />
      <TeamSettingsSection />
    </main>
  );
}
