/** The people directory: who knows what, from what each person solved and wrote (GET /api/v1/people?q=…). */
import { useEffect, useState } from 'react';
import type { People } from '../../src-shared/team';
import type { ConsoleApi } from './console-api';
import './PeopleView.css';

/** How long typing pauses before the directory is searched. */
const SEARCH_PAUSE_MS = 250;

/** A search box ("who knows…") and everyone's profile, best match first. */
export function PeopleView({ api }: { api: ConsoleApi }) {
  const [q, setQ] = useState('');
  const [answer, setAnswer] = useState<People | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      api.people(q.trim()).then(
        (result) => {
          if (cancelled) return;
          setAnswer(result);
          setError(null);
        },
        (failure: Error) => !cancelled && setError(failure.message),
      );
    }, SEARCH_PAUSE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, q]);

  const shownFor = answer?.q ?? '';
  return (
    <section className="people-view" data-testid="people-view">
      <form className="people-search" onSubmit={(event) => event.preventDefault()}>
        <label>
          Who knows…{' '}
          <input
            type="search"
            value={q}
            onChange={(event) => setQ(event.target.value)}
            placeholder="pivot tables, printing on both sides, mail merge…"
            maxLength={200}
            data-testid="people-search"
            autoFocus
          />
        </label>
      </form>
      {error && <p className="error">{error}</p>}
      {answer && answer.people.length === 0 && (
        <p className="empty" data-testid="people-empty">
          {shownFor ? `Nobody on the team has solved or written anything about “${shownFor}” yet.` : 'No people yet.'}
        </p>
      )}
      <ol className="people" data-testid="people" data-query={shownFor}>
        {answer?.people.map((person) => (
          <li key={person.member.id} data-testid="person">
            <h3>
              {person.member.name} <span className="role">{person.member.role}</span>
            </h3>
            <p className="solved">
              {person.solved === 0
                ? 'has not resolved a request yet'
                : `solved ${person.solved} ${person.solved === 1 ? 'request' : 'requests'}`}
              {person.apps.map((app) => (
                <span key={app.app} className="app-count">
                  {app.app} {app.solved}
                </span>
              ))}
            </p>
            {person.examples.length > 0 && (
              <ul className="examples">
                {person.examples.map((example) => (
                  <li key={example}>“{example}”</li>
                ))}
              </ul>
            )}
            {person.written.tips + person.written.walkthroughs > 0 && (
              <p className="written">
                wrote {countOf(person.written.tips, 'tip')}
                {person.written.tips && person.written.walkthroughs ? ' and ' : ''}
                {countOf(person.written.walkthroughs, 'walkthrough')}
                {person.written.titles.length > 0 && `: ${person.written.titles.map((t) => `“${t}”`).join(', ')}`}
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function countOf(n: number, noun: string): string {
  return n === 0 ? '' : `${n} ${noun}${n === 1 ? '' : 's'}`;
}
