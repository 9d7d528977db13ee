import { useEffect, useState } from 'react';
import type { WalkthroughSummary } from '../../../src-shared/ipc/walkthroughs';
import { sidekick } from '../../common/bridge';
import { StartWalkthroughButton } from './StartWalkthroughButton';
import './Suggestions.css';

/** How many suggestions the help panel lists before any question. */
const MAX_SUGGESTIONS = 3;

/**
 * Before any question: walkthroughs for the app in front, those whose first targets are visible
 * now first. Renders nothing until the window is read, or when the library has none.
 */
export function Suggestions({ sessionId, ready }: { sessionId: string; ready: boolean }) {
  const [entries, setEntries] = useState<WalkthroughSummary[]>([]);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    setEntries([]);
    if (!ready) return;
    let live = true;
    sidekick()
      .invoke('walkthroughs:suggest', { sessionId })
      .then((result) => live && setEntries(result.entries.slice(0, MAX_SUGGESTIONS)))
      .catch(() => live && setEntries([]));
    return () => {
      live = false;
    };
  }, [sessionId, ready]);

  if (entries.length === 0) return null;
  return (
    <section className="walkthrough-suggestions" aria-label="Suggested walkthroughs">
      <h2>Suggested for {entries[0]!.app}</h2>
      <ul>
        {entries.map((entry) => (
          <li key={entry.id}>
            <button type="button" aria-expanded={open === entry.id} onClick={() => setOpen(open === entry.id ? null : entry.id)}>
              {entry.title}
            </button>
            {open === entry.id && <StartWalkthroughButton walkthroughId={entry.id} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
