/**
 * "From your team's library": the team's walkthroughs and tips that may answer this request (the desktop's own
 * search, GET /requests/:id/matches), each with why it matched; one click sends it into the chat, where the
 * person plays the walkthrough on their screen or reads the tip.
 */
import { useEffect, useState } from 'react';
import type { ChatMessage, LibraryMatches as Matches } from '../../src-shared/team';
import type { ConsoleApi } from './console-api';
import './LibraryMatches.css';

/** Props of LibraryMatches. */
export interface LibraryMatchesProps {
  api: ConsoleApi;
  requestId: string;
  /** Sends a library item into the request's chat. */
  onSend: (itemId: string) => Promise<void>;
  /** The ids already sent into this chat (their buttons say so). */
  sent: ReadonlySet<string>;
}

/** The matches of one request, with Send to chat. */
export function LibraryMatches({ api, requestId, onSend, sent }: LibraryMatchesProps) {
  const [answer, setAnswer] = useState<Matches | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setAnswer(null);
    api
      .matches(requestId)
      .then((result) => current && setAnswer(result))
      .catch((failure: Error) => current && setError(failure.message));
    return () => {
      current = false;
    };
  }, [api, requestId]);
  if (error) return <p className="error">From your team's library: {error}</p>;
  if (!answer) return null;
  const send = (id: string) => {
    setSending(id);
    onSend(id).then(
      () => {
        setSending(null);
        setError(null);
      },
      (failure: Error) => {
        setSending(null);
        setError(`could not send it into the chat: ${failure.message}`);
      },
    );
  };
  return (
    <section className="library-matches" data-testid="library-matches">
      <h3>From your team's library</h3>
      {answer.matches.length === 0 && (
        <p className="empty" data-testid="library-matches-empty">
          {answer.message ?? 'nothing matches this request'}
        </p>
      )}
      <ol>
        {answer.matches.map((match) => (
          <li key={match.id} data-testid="library-match" data-id={match.id}>
            <div className="match-head">
              <span className={`match-kind kind-${match.kind}`}>
                {match.kind === 'tip' ? 'Tip' : `Walkthrough · ${match.steps} steps`}
              </span>
              <strong>{match.title}</strong>
              <button
                className={sent.has(match.id) ? undefined : 'primary'}
                data-testid="send-library-item"
                disabled={sending !== null}
                onClick={() => send(match.id)}
              >
                {sending === match.id ? 'Sending…' : sent.has(match.id) ? 'Send again' : 'Send to chat'}
              </button>
            </div>
            {match.text && <p className="match-text">{match.text}</p>}
            <p className="match-reason" data-testid="library-match-reason">
              {match.reason}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A `library` chat message in words, as the console's chat shows it. */
export function describeLibraryMessage(message: ChatMessage): string {
  const item = message.library;
  if (!item) return message.text;
  return item.kind === 'walkthrough'
    ? `sent the walkthrough “${item.title}” to play on their screen`
    : `sent the tip “${item.title}”: ${message.text}`;
}
