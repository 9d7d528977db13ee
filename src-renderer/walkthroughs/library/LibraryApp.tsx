import { useCallback, useEffect, useState } from 'react';
import type { WalkthroughSummary } from '../../../src-shared/ipc/walkthroughs';
import type { LibraryProblem } from '../../../src-shared/walkthrough';
import { errorText, sidekick } from '../../common/bridge';
import { WalkthroughEditor } from './WalkthroughEditor';
import './LibraryApp.css';

/** Every app, in the filter. */
const ALL_APPS = '';

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

  const remove = async (entry: WalkthroughSummary) => {
    if (!window.confirm(`Delete “${entry.title}” from your library?`)) return;
    const result = await sidekick().invoke('walkthroughs:delete', { id: entry.id });
    setMessage(result.ok ? `Deleted “${entry.title}”.` : result.problem);
    if (result.ok && openId === entry.id) setOpenId(null);
    await refresh();
  };

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
        <button type="button" onClick={() => void exportIds(entries.map((e) => e.id))} disabled={entries.length === 0}>
          Export shown
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
                {p.field && <> — field <code>{p.field}</code></>}: {p.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="library-body">
        <ul className="library-list" aria-label="Walkthroughs">
          {entries.length === 0 && <li className="library-empty">No walkthrough matches. Try other words, or record one from the tray.</li>}
          {entries.map((entry) => (
            <li key={entry.id} className={entry.id === openId ? 'selected' : undefined}>
              <button type="button" className="library-open" onClick={() => setOpenId(entry.id)} aria-current={entry.id === openId}>
                <span className="library-title">{entry.title}</span>
                <span className="library-meta">
                  {entry.app} · {entry.steps} step{entry.steps === 1 ? '' : 's'}
                  {entry.readOnly ? ` · ${entry.origin === 'team' ? 'team' : 'starter'}` : ''}
                  {entry.score !== null ? ` · match ${Math.round(entry.score * 100)}%` : ''}
                </span>
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
        </ul>
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
