/** Team settings (admins change them; helpers see them): how requests are routed and what the asker sees. */
import { type FormEvent, useEffect, useState } from 'react';
import { MAX_ROUTE_TO_TEAM_MINUTES, type Me, type TeamSettingsAnswer } from '../../src-shared/team';
import { chatTime } from '../../src-shared/clock';
import type { ConsoleApi } from './console-api';
import './PeopleView.css';

/** The settings form; read-only for helpers. */
export function TeamSettingsView({ api, me }: { api: ConsoleApi; me: Me }) {
  const [answer, setAnswer] = useState<TeamSettingsAnswer | null>(null);
  const [minutes, setMinutes] = useState('');
  const [names, setNames] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const isAdmin = me.member.role === 'admin';

  const show = (loaded: TeamSettingsAnswer): void => {
    setAnswer(loaded);
    setMinutes(String(loaded.settings.routeToTeamAfterMinutes));
    setNames(loaded.settings.showHelperNamesToRequester);
  };
  useEffect(() => {
    api.teamSettings().then(show, (failure: Error) => setError(failure.message));
  }, [api]);

  const save = (event: FormEvent): void => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    // Sent as typed (a number when it is one): the server says what is wrong with anything else.
    const typed = minutes.trim();
    const value = /^-?\d+(\.\d+)?$/.test(typed) ? Number(typed) : typed;
    api
      .saveTeamSettings({ routeToTeamAfterMinutes: value, showHelperNamesToRequester: names })
      .then(
        (result) => {
          show(result);
          setError(null);
          setSaved(true);
        },
        (failure: Error) => setError(failure.message),
      )
      .finally(() => setBusy(false));
  };

  return (
    <section className="people-view team-settings" data-testid="team-settings">
      <h2>Team settings</h2>
      {!answer && !error && <p>Loading…</p>}
      {answer && (
        <form onSubmit={save} noValidate>
          <p>
            <label>
              Ask the best-suited helpers first, for{' '}
              <input
                type="number"
                min={0}
                max={MAX_ROUTE_TO_TEAM_MINUTES}
                value={minutes}
                onChange={(event) => setMinutes(event.target.value)}
                disabled={!isAdmin}
                data-testid="settings-minutes"
                style={{ width: '6em' }}
              />{' '}
              minutes, then the whole team.
            </label>
            <br />
            <small className="meta">
              New requests go to the (up to 3) helpers who solved the most similar problems; 0 sends every request to
              everyone at once. With no similar history a request goes to everyone at once.
            </small>
          </p>
          <p>
            <label>
              <input
                type="checkbox"
                checked={names}
                onChange={(event) => setNames(event.target.checked)}
                disabled={!isAdmin}
                data-testid="settings-names"
              />{' '}
              Show the person who asked the names of the helpers asked first
            </label>
            <br />
            <small className="meta">Off: they see how many helpers are asked and why, without names.</small>
          </p>
          {isAdmin ? (
            <button className="primary" disabled={busy} data-testid="settings-save">
              Save
            </button>
          ) : (
            <p className="meta">Only admins can change these.</p>
          )}
          {saved && (
            <span className="saved" role="status" data-testid="settings-saved">
              {' '}
              Saved.
            </span>
          )}
          {answer.updatedBy && answer.updatedAt && (
            <p className="meta" data-testid="settings-changed">
              Last changed by {answer.updatedBy.name} at {chatTime(answer.updatedAt)}.
            </p>
          )}
        </form>
      )}
      {error && (
        <p className="error" data-testid="settings-error">
          {error}
        </p>
      )}
    </section>
  );
}
