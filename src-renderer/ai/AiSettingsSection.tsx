import { useEffect, useState, type MutableRefObject } from 'react';
import { DEFAULT_BASE_URLS, type AiProvider, type AiSettings, type ConnectionCheck } from '../../src-shared/ai';
import type { KeyStorage } from '../../src-shared/ipc/ai';
import type { SettingsView } from '../../src-shared/ipc/settings';
import { errorText, sidekick } from '../common/bridge';
import './AiSettingsSection.css';

/** Provider choices with the names people know them by. */
const PROVIDERS: { value: AiProvider; label: string; needsKey: boolean }[] = [
  { value: 'openai', label: 'OpenAI', needsKey: true },
  { value: 'azure', label: 'Azure OpenAI', needsKey: true },
  { value: 'ollama', label: 'Ollama (local)', needsKey: false },
  { value: 'lmstudio', label: 'LM Studio (local)', needsKey: false },
  { value: 'llamacpp', label: 'llama.cpp server (local)', needsKey: false },
  { value: 'custom', label: 'Other OpenAI-compatible server', needsKey: false },
];

type Note =
  | { kind: 'idle' }
  | { kind: 'busy'; label: string }
  | { kind: 'ok'; message: string }
  | { kind: 'problem'; message: string };

/** Saves the AI section (the page's one Save calls it): ok, or what went wrong; `message` says what is on now. */
export type SaveAiSettings = () => Promise<{ ok: true; message: string | null } | { ok: false; message: string }>;

/**
 * Props: the settings view the page loaded, how to tell the page it changed, and where to hand the page this section's
 * save.
 */
export interface AiSettingsSectionProps {
  view: SettingsView;
  onSaved: (view: SettingsView) => void;
  saveRef: MutableRefObject<SaveAiSettings | null>;
}

/** Characters with a meaning in a regular expression. */
const REGEX_SPECIALS = /[.*+?^${}()|[\]\\/]/g;

/** A word or number to hide, as the regular expression that matches exactly it. */
export function literalPattern(text: string): string {
  return text.replace(REGEX_SPECIALS, '\\$&');
}

/** The plain text a pattern matches when it is a literal (`literalPattern`'s output), else null. */
export function patternLiteral(pattern: string): string | null {
  const text = pattern.replace(/\\(.)/g, '$1');
  return literalPattern(text) === pattern ? text : null;
}

/**
 * Settings → AI: off by default; provider, base URL, model, API key (kept in the OS secure store,
 * never in the settings file), local Ollama detection, Test connection, screenshot sending and
 * extra redaction patterns.
 */
export function AiSettingsSection({ view, onSaved, saveRef }: AiSettingsSectionProps) {
  const [draft, setDraft] = useState<AiSettings>(view.settings.ai);
  const [apiKey, setApiKey] = useState('');
  const [keyStorage, setKeyStorage] = useState<KeyStorage | null>(null);
  const [consent, setConsent] = useState<string | null>(null);
  // Asked in plain words; regular expressions only when the person turns on the advanced mode (or saved some before).
  const saved = view.settings.ai.customPatterns.map((p) => p.pattern);
  const [regexMode, setRegexMode] = useState(saved.some((pattern) => patternLiteral(pattern) === null));
  const [patterns, setPatterns] = useState(
    saved.map((pattern) => (regexMode ? pattern : (patternLiteral(pattern) ?? pattern))).join('\n'),
  );
  const [note, setNote] = useState<Note>({ kind: 'idle' });
  const [ollama, setOllama] = useState<ConnectionCheck | null>(null);

  useEffect(() => {
    const bridge = sidekick();
    bridge.invoke('ai:status', {}).then(
      (status) => setKeyStorage(status.keyStorage),
      () => setKeyStorage(null),
    );
    // A local Ollama on its default port is offered when found (short timeout, in the background).
    bridge.invoke('ai:detect-ollama', {}).then(setOllama, () => setOllama(null));
  }, []);

  const provider = PROVIDERS.find((p) => p.value === draft.provider) ?? PROVIDERS[0]!;
  const baseUrl = draft.baseUrl || DEFAULT_BASE_URLS[draft.provider];

  const storeKey = async (allowInsecure: boolean): Promise<boolean> => {
    if (!apiKey.trim()) return true;
    const result = await sidekick().invoke('ai:set-api-key', { apiKey: apiKey.trim(), allowInsecure });
    if (result.ok) {
      setKeyStorage(result.keyStorage);
      setApiKey('');
      setConsent(null);
      return true;
    }
    setConsent(result.message);
    return false;
  };

  const save = async (allowInsecure = false): ReturnType<SaveAiSettings> => {
    try {
      if (!(await storeKey(allowInsecure)))
        return { ok: false, message: 'The API key was not stored: choose below whether to store it anyway.' };
      const customPatterns = patterns
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => ({ pattern: regexMode ? line : literalPattern(line) }));
      const result = await sidekick().invoke('settings:update', { patch: { ai: { ...draft, customPatterns } } });
      if (!result.ok) return { ok: false, message: result.problem };
      onSaved(result.view);
      setDraft(result.view.settings.ai);
      if (!draft.enabled) return { ok: true, message: null };
      const status = await sidekick().invoke('ai:status', {});
      return status.enabled
        ? { ok: true, message: 'AI answers are on.' }
        : { ok: false, message: status.reason ?? 'AI is not usable yet.' };
    } catch (error) {
      return { ok: false, message: errorText(error) };
    }
  };
  saveRef.current = () => save(false);

  const test = async (): Promise<void> => {
    setNote({ kind: 'busy', label: 'Testing the connection…' });
    try {
      const result = await sidekick().invoke('ai:test-connection', {
        provider: draft.provider,
        baseUrl: draft.baseUrl,
        model: draft.model,
        ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
      });
      setNote(
        result.ok
          ? {
              kind: 'ok',
              message:
                `Connected to ${result.baseUrl} in ${result.latencyMs} ms. Models: ` +
                `${result.models.slice(0, 8).join(', ') || '(none listed)'}`,
            }
          : { kind: 'problem', message: result.message },
      );
    } catch (error) {
      setNote({ kind: 'problem', message: errorText(error) });
    }
  };

  const useOllama = (): void => {
    if (!ollama?.ok) return;
    setDraft({
      ...draft,
      enabled: true,
      provider: 'ollama',
      baseUrl: ollama.baseUrl,
      model: draft.model || ollama.models[0] || '',
    });
  };

  return (
    <div className="ai-settings">
      <fieldset aria-labelledby="ai-settings-title">
        <legend id="ai-settings-title">AI answers</legend>
        <label className="settings__check">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(event) => setDraft({ ...draft, enabled: event.target.checked })}
          />
          Answer questions the library does not cover with an AI model
        </label>
        <small>
          Off by default: without AI, Sidekick answers from the walkthrough library and human help only. Before anything
          is sent, emails, phone numbers, card and account numbers, keys, tokens and IP addresses are hidden.
        </small>
        {ollama?.ok && draft.provider !== 'ollama' && (
          <p className="ai-settings__offer" role="status">
            Ollama is running on this computer ({ollama.models.length} models).{' '}
            <button type="button" onClick={useOllama}>
              Use local Ollama
            </button>
          </p>
        )}
        <label htmlFor="ai-provider">Provider</label>
        <select
          id="ai-provider"
          value={draft.provider}
          onChange={(event) => setDraft({ ...draft, provider: event.target.value as AiProvider, baseUrl: '' })}
        >
          {PROVIDERS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
        <label htmlFor="ai-base-url">Base URL</label>
        <input
          id="ai-base-url"
          value={draft.baseUrl}
          placeholder={DEFAULT_BASE_URLS[draft.provider]}
          onChange={(event) => setDraft({ ...draft, baseUrl: event.target.value.trim() })}
        />
        <label htmlFor="ai-model">Model{draft.provider === 'azure' ? ' (deployment name)' : ''}</label>
        <input
          id="ai-model"
          value={draft.model}
          list="ai-models"
          placeholder={draft.provider === 'ollama' ? 'llama3.2' : 'gpt-4o-mini'}
          onChange={(event) => setDraft({ ...draft, model: event.target.value.trim() })}
        />
        {ollama?.ok && (
          <datalist id="ai-models">
            {ollama.models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        )}
        <label htmlFor="ai-key">API key{provider.needsKey ? '' : ' (usually not needed for local servers)'}</label>
        <input
          id="ai-key"
          type="password"
          autoComplete="off"
          value={apiKey}
          placeholder={keyStorage?.hasKey ? 'A key is stored — type to replace it' : 'sk-…'}
          onChange={(event) => setApiKey(event.target.value)}
          aria-describedby="ai-key-help"
        />
        <small id="ai-key-help">
          {keyStorage?.secure
            ? `Kept encrypted by your system (${keyStorage.backend}), never in the settings file.`
            : (keyStorage?.warning ?? '')}
          {keyStorage?.hasKey && (
            <>
              {' '}
              <button
                type="button"
                className="ai-settings__link"
                onClick={() => void sidekick().invoke('ai:clear-api-key', {}).then(setKeyStorage)}
              >
                Remove stored key
              </button>
            </>
          )}
        </small>
        {consent && (
          <div className="ai-settings__consent" role="alertdialog" aria-label="Store the key without a secure store?">
            <p>{consent}</p>
            <button
              type="button"
              onClick={() =>
                void save(true).then((result) =>
                  setNote(
                    result.ok ? { kind: 'ok', message: 'Key stored.' } : { kind: 'problem', message: result.message },
                  ),
                )
              }
            >
              Store it anyway
            </button>
            <button type="button" onClick={() => setConsent(null)}>
              Don't store it
            </button>
          </div>
        )}
        <label className="settings__check">
          <input
            type="checkbox"
            checked={draft.sendImage}
            onChange={(event) => setDraft({ ...draft, sendImage: event.target.checked })}
          />
          Also send the screenshot (with private data covered) — for vision models
        </label>
        <label htmlFor="ai-patterns">
          {regexMode
            ? 'Also hide text matching (one regular expression per line)'
            : 'Words or numbers to always hide (one per line)'}
        </label>
        <textarea
          id="ai-patterns"
          rows={3}
          value={patterns}
          placeholder={regexMode ? 'ACME-\\d{6}' : 'Project Falcon\nACME-204511'}
          onChange={(event) => setPatterns(event.target.value)}
          aria-describedby="ai-patterns-help"
        />
        <small id="ai-patterns-help">
          {regexMode
            ? 'Advanced: each line is a regular expression.'
            : 'Each line is hidden wherever it appears, before anything is sent (capital letters matter).'}
        </small>
        <label className="settings__check">
          <input
            type="checkbox"
            checked={regexMode}
            onChange={(event) => {
              const lines = patterns.split('\n');
              // Switching keeps what the lines mean: plain words become their escaped patterns, and back where
              // possible.
              setPatterns(
                (event.target.checked
                  ? lines.map((line) => (line.trim() ? literalPattern(line.trim()) : line))
                  : lines.map((line) => patternLiteral(line.trim()) ?? line)
                ).join('\n'),
              );
              setRegexMode(event.target.checked);
            }}
          />
          Advanced: use regular expressions
        </label>
        <div className="settings__actions">
          <button type="button" onClick={() => void test()} disabled={note.kind === 'busy' || !baseUrl}>
            Test connection
          </button>
          <span role="status" className={note.kind === 'problem' ? 'settings__problem' : ''}>
            {note.kind === 'busy' ? note.label : note.kind === 'ok' || note.kind === 'problem' ? note.message : ''}
          </span>
        </div>
      </fieldset>
    </div>
  );
}
