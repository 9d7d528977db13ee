import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SettingsView } from '../../src-shared/ipc/settings';
import { hotkeyLabel } from '../../src-shared/hotkey';
import { DEFAULT_HOTKEY, type GeneralSettings } from '../../src-shared/settings';
import { errorText, sidekick } from '../common/bridge';
import { acceleratorFromKey } from './accelerator';
import { AiSettingsSection, type SaveAiSettings } from '../ai/AiSettingsSection';
import { TeamSettingsSection } from '../team/TeamSettingsSection';

type SaveStatus =
  { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; note: string | null } | { kind: 'problem'; message: string };

/** The settings form: hotkey, OCR language, start at login and AI, saved by one Save; then the Team section. */
export function SettingsApp() {
  const saveAi = useRef<SaveAiSettings | null>(null);
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

  if (loadError)
    return (
      <main className="settings">
        <p role="alert">Settings could not be loaded: {loadError}</p>
      </main>
    );
  if (!view || !draft)
    return (
      <main className="settings">
        <p role="status">Loading settings…</p>
      </main>
    );

  const platform = sidekick().platform;
  const isMac = platform === 'darwin';
  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setStatus({ kind: 'saving' });
    try {
      const result = await sidekick().invoke('settings:update', { patch: { general: draft } });
      if (!result.ok) return setStatus({ kind: 'problem', message: result.problem });
      setView(result.view);
      setDraft(result.view.settings.general);
      const ai = saveAi.current ? await saveAi.current() : { ok: true as const, message: null };
      setStatus(ai.ok ? { kind: 'saved', note: ai.message } : { kind: 'problem', message: ai.message });
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
      <form onSubmit={(event) => void save(event)} aria-label="Settings">
        <fieldset>
          <legend>Help hotkey</legend>
          <label htmlFor="hotkey">Press the keys you want to use</label>
          <div className="settings__row">
            <input
              id="hotkey"
              value={hotkeyLabel(draft.hotkey, platform)}
              data-accelerator={draft.hotkey}
              onKeyDown={recordHotkey}
              onChange={() => {}}
              aria-describedby="hotkey-help"
            />
            <button type="button" onClick={() => setDraft({ ...draft, hotkey: DEFAULT_HOTKEY })}>
              Reset
            </button>
          </div>
          <small id="hotkey-help">
            Click the box and press a combination with{' '}
            {isMac ? '⌘ Cmd, ⌥ Option, ⇧ Shift or ⌃ Control' : 'Ctrl, Alt or Shift'}.{' '}
            {view.hotkey.registered
              ? `${hotkeyLabel(view.hotkey.hotkey, platform)} works now.`
              : 'No hotkey works yet.'}
          </small>
        </fieldset>
        <fieldset>
          <legend>Reading the screen</legend>
          <label htmlFor="ocr-language">OCR language</label>
          <input
            id="ocr-language"
            value={draft.ocrLanguage}
            onChange={(event) => setDraft({ ...draft, ocrLanguage: event.target.value.trim() })}
            aria-describedby="ocr-help"
          />
          <small id="ocr-help">
            Tesseract language codes, e.g. eng, or eng+deu. English is bundled; other languages need their data
            installed.
          </small>
        </fieldset>
        <fieldset>
          <legend>Startup</legend>
          <label className="settings__check">
            <input
              type="checkbox"
              checked={draft.startAtLogin}
              disabled={!view.startAtLoginSupported}
              onChange={(event) => setDraft({ ...draft, startAtLogin: event.target.checked })}
            />
            Start Sidekick when I log in
          </label>
          {!view.startAtLoginSupported && (
            <small>On Linux, add Sidekick to your desktop's startup applications instead.</small>
          )}
        </fieldset>
        <AiSettingsSection view={view} onSaved={setView} saveRef={saveAi} />
        <div className="settings__actions settings__actions--sticky">
          <button type="submit" className="primary" disabled={status.kind === 'saving'}>
            {status.kind === 'saving' ? 'Saving…' : 'Save'}
          </button>
          <span role="status" aria-label="Save status" className={status.kind === 'problem' ? 'settings__problem' : ''}>
            {status.kind === 'saved'
              ? status.note
                ? `Saved. ${status.note}`
                : 'Saved.'
              : status.kind === 'problem'
                ? status.message
                : ''}
          </span>
        </div>
      </form>
      <TeamSettingsSection />
    </main>
  );
}
