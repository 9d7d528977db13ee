import { useCallback, useEffect, useState } from 'react';
import type { WalkthroughSummary } from '../../../src-shared/ipc/walkthroughs';
import type { LibraryProblem } from '../../../src-shared/walkthrough';
import { errorText, sidekick } from '../../common/bridge';
import { WalkthroughEditor } from './WalkthroughEditor';
import './LibraryApp.css';

/** Every app, in the filter. */
const ALL_APPS = '';

/**
 * The search results worth listing: matches at least half as good as the best one (and not weak on
 * their own). Ranking is the search's; this only hides the tail ("cross out" → not "Zoom in or out").
 */
export function strongMatches(entries: WalkthroughSummary[]): { shown: WalkthroughSummary[]; hidden: number } {
  const best = Math.max(0, ...entries.map((e) => e.score ?? 0));
  const floor = Math.max(0.5, best * 0.6);
  const shown = entries.filter((e) => e.score === null || e.score >= floor);
  return { shown, hidden: entries.length - shown.length };
}

/** Downloads base64 bytes as a file (in the app, Electron shows the save dialog). */
export function downloadBase64(fileName: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/zip' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The library window. */
export function LibraryApp() {
  const [query, setQuery] = useState('');
  const [app, setApp] = useState(ALL_APPS);
  const [entries, setEntries] = useState<WalkthroughSummary[]>([]);
  const [apps, setApps] = useState<string[]>([]);
  const [problems, setProblems] = useState<LibraryProblem[]>([]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [showWeak, setShowWeak] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const result = await sidekick().invoke('walkthroughs:list', { query: query || undefined, app: app || undefined });
      setEntries(result.entries);
      setApps(result.apps);
      setProblems(result.problems);
    } catch (error) {
      setMessage(errorText(error));
    }
  }, [query, app]);

  useEffect(() => setShowWeak(false), [query]);

  useEffect(() => {
    const timer = setTimeout(() => void refresh(), 150);
    return () => clearTimeout(timer);
  }, [refresh]);

  useEffect(() => sidekick().on('walkthroughs:changed', () => void refresh()), [refresh]);

  const exportIds = async (ids: string[]) => {
    const result = await sidekick().invoke('walkthroughs:export', { ids });
    if (result.ok) {
      downloadBase64(result.fileName, result.base64);
      setMessage(`Exported ${ids.length} walkthrough${ids.length === 1 ? '' : 's'} as ${result.fileName}.`);
    } else setMessage(result.problem);
  };

  const play = async (entry: WalkthroughSummary) => {
    setMessage(`Starting “${entry.title}” on the window behind this one…`);
    try {
      const result = await sidekick().invoke('walkthroughs:player-start', { id: entry.id, newSession: true });
      setMessage(result.ok ? `Playing “${entry.title}”: follow the card on your screen.` : result.problem);
    } catch (error) {
      setMessage(errorText(error));
    }
  };

  const remove = async (entry: WalkthroughSummary) => {
    if (!window.confirm(`Delete “${entry.title}” from your library?`)) return;
    const result = await sidekick().invoke('walkthroughs:delete', { id: entry.id });
    setMessage(result.ok ? `Deleted “${entry.title}”.` : result.problem);
    if (result.ok && openId === entry.id) setOpenId(null);
    await refresh();
  };

  const { shown, hidden } = query.trim() ? strongMatches(entries) : { shown: entries, hidden: 0 };
  const listed = showWeak ? entries : shown;
  return (
    <main className="library">
      <header className="library-bar">
        <h1>Walkthroughs</h1>
        <input
          type="search"
          aria-label="Search walkthroughs"
          placeholder="Search: “cross out text”, “freeze header”…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <select aria-label="Filter by app" value={app} onChange={(e) => setApp(e.target.value)}>
          <option value={ALL_APPS}>All apps</option>
          {apps.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void exportIds(listed.map((e) => e.id))} disabled={listed.length === 0}>
          Export shown
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void sidekick().invoke('overlay:open-window', { window: 'recorder' })}
        >
          Record new
        </button>
      </header>
      {message && (
        <p className="library-message" role="status">
          {message}
        </p>
      )}
      {problems.length > 0 && (
        <details className="library-problems">
          <summary>{problems.length} file(s) could not be loaded</summary>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                <code>{p.path}</code>
                {p.field && (
                  <>
                    {' '}
                    — field <code>{p.field}</code>
                  </>
                )}
                : {p.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="library-body">
        <ul className="library-list" aria-label="Walkthroughs">
          {listed.length === 0 && (
            <li className="library-empty">No walkthrough matches. Try other words, or record one with Record new.</li>
          )}
          {listed.map((entry) => (
            <li key={entry.id} className={entry.id === openId ? 'selected' : undefined}>
              <button
                type="button"
                className="library-open"
                onClick={() => setOpenId(entry.id)}
                aria-current={entry.id === openId}
              >
                <span className="library-title">{entry.title}</span>
                <span className="library-meta">
                  {entry.app} · {entry.steps} step{entry.steps === 1 ? '' : 's'}
                  {entry.readOnly ? ` · ${entry.origin === 'team' ? 'team' : 'starter'}` : ''}
                  {entry.score !== null ? ` · match ${Math.round(entry.score * 100)}%` : ''}
                </span>
              </button>
              <button
                type="button"
                className="primary"
                aria-label={`Play ${entry.title}`}
                title="Show me on screen"
                onClick={() => void play(entry)}
              >
                ▶ Play
              </button>
              <button type="button" aria-label={`Export ${entry.title}`} onClick={() => void exportIds([entry.id])}>
                Export
              </button>
              {!entry.readOnly && (
                <button type="button" aria-label={`Delete ${entry.title}`} onClick={() => void remove(entry)}>
                  Delete
                </button>
              )}
            </li>
          ))}
          {hidden > 0 && !showWeak && (
            <li className="library-weak">
              <button type="button" className="library-link" onClick={() => setShowWeak(true)}>
                Show {hidden} weaker {hidden === 1 ? 'match' : 'matches'}
              </button>
            </li>
          )}
        </ul>
        {!openId && (
          <section className="library-start" aria-label="About the library">
            <h2>{entries.length === 0 && !query ? 'Your library is empty' : 'Pick a walkthrough'}</h2>
            <p>
              Choose one on the left to read its steps and edit them, or press <strong>▶ Play</strong> to have it shown
              on the window behind this one.
            </p>
            <p>
              Nothing fits? Record your own: go through the task once in the app and Sidekick turns your clicks into
              steps.
            </p>
            <button type="button" onClick={() => void sidekick().invoke('overlay:open-window', { window: 'recorder' })}>
              Record new
            </button>
          </section>
        )}
        {openId && (
          <WalkthroughEditor
            key={openId}
            id={openId}
            onSaved={(note) => {
              setMessage(note);
              void refresh();
            }}
          />
        )}
      </div>
    </main>
  );
}
