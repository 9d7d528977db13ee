/** The helper console: join a team, watch the live queue, claim, chat, point, resolve, save tips. */
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import type { HelpRequest, Me, Role } from '../../src-shared/team';
import { type ConsoleApi, consoleApi, ConsoleApiError, savedToken, saveToken } from './console-api';
import { ConsolePageNav, type ConsolePage } from './ConsolePageNav';
import { PeopleView } from './PeopleView';
import { RequestView } from './RequestView';
import { RoutingAlerts, RoutingBadge, routedToMe, useForMeNow } from './RoutingAlerts';
import { TeamSettingsView } from './TeamSettingsView';
import { useTeamLive } from './use-team-live';

// Insights brings Chart.js: loaded when a helper opens the page, so the queue's bundle stays small.
const InsightsPage = lazy(() => import('./InsightsPage').then((module) => ({ default: module.InsightsPage })));

function inviteFromHash(): string | null {
  const match = /join=(sk_inv_[A-Za-z0-9_-]+)/.exec(location.hash);
  return match ? match[1]! : null;
}

/** Root component: join screen or the console. */
export function App() {
  const [token, setToken] = useState<string | null>(() => savedToken());
  const [invite, setInvite] = useState<string | null>(() => inviteFromHash());
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const api = useMemo(() => consoleApi(token), [token]);

  useEffect(() => {
    if (!token) return;
    api.me().then(setMe, (failure: ConsoleApiError) => {
      if (failure.status === 401) {
        saveToken(null);
        setToken(null);
      }
      setError(failure.message);
    });
  }, [api, token]);

  if (invite) {
    return (
      <JoinForm
        invite={invite}
        onJoined={(newToken) => {
          saveToken(newToken);
          history.replaceState(null, '', location.pathname);
          setInvite(null);
          setError(null);
          setToken(newToken);
        }}
      />
    );
  }
  if (!token) {
    return (
      <main className="center-card">
        <h1>Sidekick helper console</h1>
        {error && <p className="error">{error}</p>}
        <p>Open the invite link your team admin gave you, or paste it here:</p>
        <PasteInvite onInvite={setInvite} />
      </main>
    );
  }
  if (!me) return <main className="center-card">{error ? <p className="error">{error}</p> : <p>Connecting…</p>}</main>;
  return (
    <ConsoleMain
      me={me}
      token={token}
      onLeave={() => {
        saveToken(null);
        setToken(null);
        setMe(null);
      }}
    />
  );
}

function PasteInvite({ onInvite }: { onInvite: (code: string) => void }) {
  const [text, setText] = useState('');
  const code = /(sk_inv_[A-Za-z0-9_-]+)/.exec(text)?.[1];
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (code) onInvite(code);
      }}
    >
      <input
        aria-label="Invite link"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="http://…/#join=sk_inv_…"
      />
      <button disabled={!code}>Continue</button>
    </form>
  );
}

function JoinForm({ invite, onJoined }: { invite: string; onJoined: (token: string) => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main className="center-card">
      <h1>Join your team on Sidekick</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          consoleApi(null)
            .join(invite, name)
            .then((result) => onJoined(result.token))
            .catch((failure: Error) => setError(failure.message))
            .finally(() => setBusy(false));
        }}
      >
        <label>
          Your name{' '}
          <input data-testid="join-name" value={name} onChange={(event) => setName(event.target.value)} autoFocus />
        </label>
        <button data-testid="join-submit" disabled={busy || !name.trim()}>
          Join
        </button>
      </form>
      {error && <p className="error">{error}</p>}
    </main>
  );
}

const FILTERS = ['open', 'suggested', 'claimed', 'mine', 'all'] as const;
/** "Suggested for me": open requests where I am among this many suggested helpers. */
const SUGGESTED_TOP = 3;
type QueueFilter = (typeof FILTERS)[number];
/** The console's pages: the request queue, the people directory (who knows what), the team's settings. */

function ConsoleMain({ me, token, onLeave }: { me: Me; token: string; onLeave: () => void }) {
  const api = useMemo(() => consoleApi(token), [token]);
  const live = useTeamLive(api, token);
  const [selected, setSelected] = useState<string | null>(null);
  const [filter, setFilter] = useState<QueueFilter>('open');
  const [page, setPage] = useState<ConsolePage>('queue');
  const forMe = useForMeNow(me, live.requests);
  const suggestedForMe = useSuggestedForMe(api, me, live.requests, filter === 'suggested');
  const shown = live.requests.filter((request) => {
    if (filter === 'all') return true;
    if (filter === 'suggested') return request.state === 'open' && suggestedForMe.has(request.id);
    if (filter === 'mine') return request.claimedBy?.id === me.member.id && request.state === 'claimed';
    return request.state === filter;
  });
  const current = live.requests.find((request) => request.id === selected) ?? null;
  const openCount = live.requests.filter((request) => request.state === 'open').length;

  useEffect(() => {
    document.title = openCount ? `(${openCount}) Sidekick helper console` : 'Sidekick helper console';
  }, [openCount]);

  return (
    <div className="console">
      <header>
        <strong>Sidekick</strong> · {me.team.name}
        {me.member.role !== 'member' && <ConsolePageNav page={page} onPage={setPage} />}
        <span className="who">
          {me.member.name} ({me.member.role})
        </span>
        <span className={`status status-${live.status}`} data-testid="stream-status" title={live.statusDetail}>
          {live.status}
        </span>
        {me.member.role !== 'member' && (
          <RoutingAlerts
            requests={live.requests}
            forMe={forMe}
            ready={live.status === 'live'}
            onOpen={(id) => {
              setPage('queue');
              setSelected(id);
            }}
          />
        )}
        {me.member.role === 'admin' && <InvitePanel api={api} />}
        <button className="link" onClick={onLeave}>
          Leave
        </button>
      </header>
      {page === 'people' && <PeopleView api={api} />}
      {page === 'settings' && <TeamSettingsView api={api} me={me} />}
      <aside className="queue" hidden={page !== 'queue'}>
        <nav>
          {FILTERS.map((name) => (
            <button
              key={name}
              className={filter === name ? 'active' : ''}
              onClick={() => setFilter(name)}
              data-testid={`filter-${name}`}
            >
              {name === 'suggested' ? 'suggested for me' : name}
              {name === 'open' && openCount ? ` (${openCount})` : ''}
            </button>
          ))}
        </nav>
        <ul data-testid="queue">
          {shown.map((request) => (
            <li
              key={request.id}
              className={[
                request.id === selected ? 'selected' : '',
                request.state === 'open' && routedToMe(request, me) ? 'for-me' : '',
              ].join(' ')}
              data-for-me={forMe.has(request.id) ? 'yes' : 'no'}
            >
              <button onClick={() => setSelected(request.id)} data-testid="queue-item" data-request-id={request.id}>
                <span className={`state state-${request.state}`}>{request.state}</span>
                <span className="question">{request.question}</span>
                <span className="meta">
                  {request.requester.name} · {request.context.app || 'unknown app'} ·{' '}
                  {new Date(request.createdAt).toLocaleTimeString()}
                </span>
                <RoutingBadge request={request} me={me} forMe={forMe.has(request.id)} />
              </button>
            </li>
          ))}
          {shown.length === 0 && (
            <li className="empty">
              {filter === 'suggested'
                ? 'No open requests suggested for you.'
                : `No ${filter === 'all' ? '' : filter} requests.`}
            </li>
          )}
        </ul>
      </aside>
      <section className="detail" hidden={page !== 'queue'}>
        {current ? (
          <RequestView key={current.id} api={api} me={me} request={current} live={live} />
        ) : (
          <p className="empty">Pick a request from the queue. New requests appear here as they come in.</p>
        )}
      </section>
      {page === 'insights' && (
        <Suspense fallback={<p className="empty">Loading insights…</p>}>
          <InsightsPage me={me} token={token} />
        </Suspense>
      )}
    </div>
  );
}

function InvitePanel({ api }: { api: ReturnType<typeof consoleApi> }) {
  const [role, setRole] = useState<Role>('member');
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="invite-panel">
      <select
        aria-label="Invite role"
        value={role}
        onChange={(event) => setRole(event.target.value as Role)}
        data-testid="invite-role"
      >
        <option value="member">member</option>
        <option value="helper">helper</option>
        <option value="admin">admin</option>
      </select>
      <button
        data-testid="invite-create"
        onClick={() => {
          // Failures are shown beside the button by the catch, so nothing waits on the promise.
          void api
            .invite({ role, maxUses: 1, expiresInHours: 24 * 7 })
            .then((created) => setLink(created.link))
            .catch((failure: Error) => setError(failure.message));
        }}
      >
        New invite
      </button>
      {link && (
        <input
          readOnly
          className="invite-link"
          data-testid="invite-link"
          value={link}
          onFocus={(event) => event.target.select()}
        />
      )}
      {error && <span className="error">{error}</span>}
    </span>
  );
}

/**
 * Ids of open requests where the signed-in helper is among the top suggested helpers: from each request's
 * routing (stamped when it was asked); only requests from before routing are asked about, once each, while
 * `active` (the "suggested for me" filter is shown).
 */
function useSuggestedForMe(api: ConsoleApi, me: Me, requests: HelpRequest[], active: boolean): Set<string> {
  const [answers, setAnswers] = useState<Record<string, boolean>>({});
  const asked = useRef(new Set<string>());
  const routed = requests.filter((request) => request.state === 'open' && request.routing);
  const missing = requests
    .filter((request) => request.state === 'open' && !request.routing && !asked.current.has(request.id))
    .map((request) => request.id)
    .join(' ');
  useEffect(() => {
    if (!active || me.member.role === 'member' || !missing) return;
    for (const id of missing.split(' ')) {
      asked.current.add(id);
      api
        .suggestions(id)
        .then((result) => {
          const top = result.suggestions.slice(0, SUGGESTED_TOP).some((s) => s.member.id === me.member.id);
          setAnswers((previous) => ({ ...previous, [id]: top }));
        })
        .catch(() => asked.current.delete(id));
    }
  }, [api, me, missing, active]);
  return new Set([
    ...Object.keys(answers).filter((id) => answers[id]),
    ...routed.filter((request) => routedToMe(request, me)).map((request) => request.id),
  ]);
}
