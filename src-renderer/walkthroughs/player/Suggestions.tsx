import { useEffect, useState } from 'react';
import type { AskCandidate } from '../../../src-shared/ipc/overlay';
import type { WalkthroughSummary } from '../../../src-shared/ipc/walkthroughs';
import { errorText, sidekick } from '../../common/bridge';
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
            <button
              type="button"
              aria-expanded={open === entry.id}
              onClick={() => setOpen(open === entry.id ? null : entry.id)}
            >
              {entry.title}
            </button>
            {open === entry.id && <StartWalkthroughButton walkthroughId={entry.id} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Props of the "Did you mean…" list. */
export interface DidYouMeanProps {
  question: string;
  message: string;
  candidates: AskCandidate[];
  /** "None of these": go on to the AI (when on) or a human. */
  onNoneOfThese: () => void;
}

/**
 * After a question search was not sure about: the closest walkthroughs for the app on screen. Picking
 * one starts it on screen and teaches the library that this question means that walkthrough.
 */
export function DidYouMean({ question, message, candidates, onNoneOfThese }: DidYouMeanProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const pick = async (id: string) => {
    setProblem(null);
    try {
      const bridge = sidekick();
      const learned = await bridge.invoke('walkthroughs:learn', { id, question });
      if (!learned.ok) setProblem(learned.problem);
      const started = await bridge.invoke('walkthroughs:player-start', { id });
      if (!started.ok) setProblem(started.problem);
    } catch (error) {
      setProblem(errorText(error));
    }
  };
  return (
    <section className="walkthrough-suggestions did-you-mean" aria-label="Did you mean">
      <h2>{message}</h2>
      <ul>
        {candidates.map((c) => (
          <li key={c.id}>
            <button type="button" onClick={() => void pick(c.id)}>
              {c.title}
            </button>
          </li>
        ))}
        <li>
          <button type="button" className="did-you-mean__none" onClick={onNoneOfThese}>
            None of these
          </button>
        </li>
      </ul>
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}
