/**
 * The "Ask a human" window: join a team (Settings → Team), the prefilled request with a consent
 * toggle and a preview of exactly what will be sent (redacted), the outbox state while the team
 * server is unreachable, and then the live chat with the helper.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { TeamDraft, TeamView } from '../../../src-shared/ipc/team';
import { errorText, sidekick } from '../../common/bridge';
import { ChatPanel, CONNECTION_TEXT } from '../chat/ChatPanel';

/** The window's root. */
export function AskHumanApp() {
  const [view, setView] = useState<TeamView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);

  useEffect(() => {
    const bridge = sidekick();
    bridge.invoke('team:get-state', {}).then(setView, (error) => setProblem(errorText(error)));
    return bridge.on('team:state', setView);
  }, []);

  if (!view)
    return <main className="ask-human">{problem ? <p role="alert">{problem}</p> : <p role="status">Loading…</p>}</main>;
  if (!view.joined) return <JoinTeam onJoined={setView} />;

  const active = view.requests.find((request) => request.id === view.activeRequestId) ?? null;
  return (
    <main className="ask-human">
      <header className="ask-human-header">
        <h1>Ask a human</h1>
        <span className="team-line">
          {view.teamName} · {view.memberName} ·{' '}
          <span data-testid="team-connection">{CONNECTION_TEXT[view.connection]}</span>
        </span>
      </header>
      <Outbox view={view} />
      <TeamSettings view={view} />
      {active && !asking ? (
        <>
          <h2 className="request-question" data-testid="active-question">
            {active.question}
          </h2>
          <ChatPanel request={active} view={view} />
          <p className="ask-actions">
            {(active.state === 'open' || active.state === 'claimed') && (
              <button
                type="button"
                className="secondary"
                onClick={() => void sidekick().invoke('team:cancel', { requestId: active.id })}
              >
                Cancel request
              </button>
            )}
            <button type="button" onClick={() => setAsking(true)} data-testid="new-request">
              Ask something else
            </button>
          </p>
        </>
      ) : (
        <AskForm onDone={() => setAsking(false)} />
      )}
    </main>
  );
}

/** Settings → Team for a joined person: helpers choose desktop notifications; anyone can leave. */
export function TeamSettings({ view }: { view: TeamView }) {
  const [notify, setNotify] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    sidekick()
      .invoke('settings:get', {})
      .then(
        (loaded) => setNotify(loaded.settings.team.notifyNewRequests),
        (error) => setProblem(errorText(error)),
      );
  }, []);
  const change = async (value: boolean): Promise<void> => {
    setNotify(value);
    const result = await sidekick().invoke('settings:update', { patch: { team: { notifyNewRequests: value } } });
    if (!result.ok) setProblem(result.problem);
  };
  return (
    <details className="team-settings">
      <summary>Team settings</summary>
      <p>
        Server: <code>{view.serverUrl}</code> · you are a {view.role}
      </p>
      {view.role !== 'member' && notify !== null && (
        <label>
          <input
            type="checkbox"
            checked={notify}
            onChange={(event) => void change(event.target.checked)}
            data-testid="notify-new-requests"
          />{' '}
          Notify me when someone on my team asks for help
        </label>
      )}
      <p>
        <button type="button" className="secondary" onClick={() => void sidekick().invoke('team:leave', {})}>
          Leave this team on this computer
        </button>
      </p>
      {problem && <p role="alert">{problem}</p>}
    </details>
  );
}

function Outbox({ view }: { view: TeamView }) {
  if (!view.outbox.length) return null;
  return (
    <section className="outbox" role="status" data-testid="outbox">
      {view.outbox.map((item) => (
        <p key={item.clientId} className={`outbox-item outbox-${item.state}`}>
          {item.state === 'queued'
            ? `“${item.question}” is saved on this computer and will be sent when the team server is reachable again.`
            : `“${item.question}” was not accepted: ${item.lastError}`}
        </p>
      ))}
    </section>
  );
}

function AskForm({ onDone }: { onDone: () => void }) {
  const initialQuestion = new URLSearchParams(location.search).get('question') ?? undefined;
  const [draft, setDraft] = useState<TeamDraft | null>(null);
  const [question, setQuestion] = useState(initialQuestion ?? '');
  const [share, setShare] = useState(false);
  const [status, setStatus] = useState<{ kind: 'idle' | 'sending' } | { kind: 'queued' | 'problem'; message: string }>({
    kind: 'idle',
  });

  useEffect(() => {
    sidekick()
      .invoke('team:draft', initialQuestion ? { question: initialQuestion } : {})
      .then(
        (loaded) => {
          setDraft(loaded);
          setQuestion((current) => current || loaded.question);
        },
        (error) => setStatus({ kind: 'problem', message: errorText(error) }),
      );
  }, [initialQuestion]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setStatus({ kind: 'sending' });
    try {
      const result = await sidekick().invoke('team:ask', {
        question,
        includeScreenshot: share && Boolean(draft?.screenshot),
      });
      if (result.outcome === 'sent') onDone();
      else setStatus({ kind: result.outcome, message: result.message });
    } catch (error) {
      setStatus({ kind: 'problem', message: errorText(error) });
    }
  };

  if (status.kind === 'queued') {
    return (
      <section className="ask-queued" role="status" data-testid="ask-queued">
        <p>{status.message}</p>
        <button type="button" onClick={onDone}>
          OK
        </button>
      </section>
    );
  }
  const context = draft?.context;
  return (
    <form className="ask-form" onSubmit={(event) => void submit(event)} data-testid="ask-form">
      <label>
        Your question
        <textarea
          data-testid="ask-question"
          value={question}
          onChange={(event) => setQuestion(event.target.value)}
          rows={3}
          required
        />
      </label>
      {context && (
        <dl className="ask-context">
          <dt>App</dt>
          <dd>{context.app || '—'}</dd>
          <dt>Window</dt>
          <dd>{context.windowTitle || '—'}</dd>
          {context.walkthrough && (
            <>
              <dt>Stuck at</dt>
              <dd>
                {context.walkthrough.title}, step {context.walkthrough.stepIndex + 1}
              </dd>
            </>
          )}
          <dt>Screen text</dt>
          <dd>
            {context.ocrText ? (
              <details className="ask-screen-text" data-testid="screen-text">
                <summary>
                  {context.ocrText.split('\n').length} lines (
                  {draft.redactedTexts
                    ? `${draft.redactedTexts} private ${draft.redactedTexts === 1 ? 'item' : 'items'} hidden`
                    : 'nothing private found'}
                  ) — show exactly what is sent
                </summary>
                <pre>{context.ocrText}</pre>
              </details>
            ) : (
              'none'
            )}
          </dd>
        </dl>
      )}
      {draft?.notes.map((note) => (
        <p key={note} className="ask-note">
          {note}
        </p>
      ))}
      {draft?.screenshot ? (
        <div className="ask-shot">
          <label className="ask-consent">
            <input
              type="checkbox"
              checked={share}
              onChange={(event) => setShare(event.target.checked)}
              data-testid="share-screenshot"
            />{' '}
            Share a screenshot of this window with my team ({draft.screenshot.redactedRegions} private{' '}
            {draft.screenshot.redactedRegions === 1 ? 'item' : 'items'} blurred)
          </label>
          {share && (
            <figure>
              <img
                src={draft.screenshot.dataUrl}
                alt="Exactly what will be sent (redacted)"
                data-testid="screenshot-preview"
              />
              <figcaption>This is exactly what your helper will see.</figcaption>
            </figure>
          )}
        </div>
      ) : null}
      <p className="ask-actions">
        <button
          type="submit"
          className="primary"
          disabled={status.kind === 'sending' || !question.trim()}
          data-testid="ask-send"
        >
          {status.kind === 'sending' ? 'Sending…' : 'Ask my team'}
        </button>
      </p>
      {status.kind === 'problem' && <p role="alert">{status.message}</p>}
    </form>
  );
}

function JoinTeam({ onJoined }: { onJoined: (view: TeamView) => void }) {
  const [invite, setInvite] = useState('');
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    try {
      const result = await sidekick().invoke('team:join', { invite, name });
      if (result.ok) onJoined(result.view);
      else setProblem(result.problem);
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="ask-human">
      <h1>Join your team</h1>
      <p>To ask a person for help, join your team's Sidekick server with the invite link your team admin sent you.</p>
      <form className="join-form" onSubmit={(event) => void submit(event)}>
        <label>
          Invite link
          <input
            data-testid="team-invite"
            value={invite}
            onChange={(event) => setInvite(event.target.value)}
            placeholder="http://server:4300/#join=sk_inv_…"
          />
        </label>
        <label>
          Your name
          <input data-testid="team-name" value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <button
          type="submit"
          className="primary"
          disabled={busy || !invite.trim() || !name.trim()}
          data-testid="team-join"
        >
          Join
        </button>
      </form>
      {problem && <p role="alert">{problem}</p>}
    </main>
  );
}
