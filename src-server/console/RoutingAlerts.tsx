/**
 * Who a request is for right now, in the console: each request carries its routing (its top suggested helpers
 * until `wholeTeamAt`, then everyone), and this page decides by its own clock — no server timer. A request that
 * becomes "for me" while the console is open (new and routed to me, or reaching `wholeTeamAt` unclaimed) beeps
 * (Web Audio, no sound file) and shows a desktop notification once alerts were turned on by a click; when the
 * browser refuses notifications, the beep and the banner on the page still say it.
 */
import { useEffect, useRef, useState } from 'react';
import { type HelpRequest, isRequestForMe, type Me } from '../../src-shared/team';
import { chatTime } from '../../src-shared/clock';
import './RoutingAlerts.css';

/** Open requests that are for this helper now, re-checked when the next `wholeTeamAt` passes. */
export function useForMeNow(me: Me, requests: HelpRequest[]): Set<string> {
  const [now, setNow] = useState(() => Date.now());
  const open = requests.filter((request) => request.state === 'open');
  const next = Math.min(
    ...open.map((request) => Date.parse(request.routing?.wholeTeamAt ?? '')).filter((at) => at > now),
  );
  useEffect(() => {
    if (!Number.isFinite(next)) return;
    // Timers fire late in background tabs; that only delays the alert, the check itself uses the clock.
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, next - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [next]);
  if (me.member.role === 'member') return new Set();
  return new Set(open.filter((request) => isRequestForMe(request, me.member.id, now)).map((request) => request.id));
}

/** Whether this helper is among the request's suggested helpers (asked first). */
export function routedToMe(request: HelpRequest, me: Me): boolean {
  return request.routing?.suggested.some((helper) => helper.member.id === me.member.id) ?? false;
}

/** What the queue shows under a request about who it goes to. */
export function RoutingBadge({ request, me, forMe }: { request: HelpRequest; me: Me; forMe: boolean }) {
  const routing = request.routing;
  if (!routing || request.state !== 'open') return null;
  const names = routing.suggested.map((helper) => (helper.member.id === me.member.id ? 'you' : helper.member.name));
  const wholeTeamNow = Date.now() >= Date.parse(routing.wholeTeamAt);
  let text: string;
  if (!routing.suggested.length) text = `whole team${routing.message ? ` · ${routing.message}` : ''}`;
  else if (wholeTeamNow) text = `whole team now · first asked: ${names.join(', ')}`;
  else text = `asking ${names.join(', ')} · whole team at ${chatTime(routing.wholeTeamAt)}`;
  return (
    <span className={`routing ${forMe ? 'routing-mine' : ''}`} data-testid="routing-badge">
      {routedToMe(request, me) && !wholeTeamNow && <b className="for-you">for you</b>} {text}
    </span>
  );
}

type AlertState = 'off' | 'on' | 'sound-only';

/** A short two-tone beep with Web Audio (no sound file). */
function beep(context: AudioContext): void {
  const gain = context.createGain();
  gain.gain.value = 0.08;
  gain.connect(context.destination);
  [880, 1175].forEach((frequency, index) => {
    const tone = context.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(gain);
    const start = context.currentTime + index * 0.16;
    tone.start(start);
    tone.stop(start + 0.14);
  });
}

/**
 * Alerts for requests that become "for me": a button that turns them on (the click unlocks audio and asks for
 * notification permission), and a banner naming the newest such request. Requests already for me when the
 * console opened do not alert.
 */
export function RoutingAlerts({
  requests,
  forMe,
  ready,
  onOpen,
}: {
  requests: HelpRequest[];
  forMe: Set<string>;
  /** The first list of requests is in (from then on, a request newly for me alerts). */
  ready: boolean;
  onOpen: (requestId: string) => void;
}) {
  const [state, setState] = useState<AlertState>('off');
  const [latest, setLatest] = useState<{ id: string; question: string; via: string } | null>(null);
  const audio = useRef<AudioContext | null>(null);
  const known = useRef<Set<string> | null>(null);
  const loaded = ready || known.current !== null;
  const key = [...forMe].sort().join(' ');

  useEffect(() => {
    if (!loaded) return;
    if (known.current === null) {
      known.current = new Set(forMe);
      return;
    }
    const fresh = requests.filter((request) => forMe.has(request.id) && !known.current!.has(request.id));
    for (const id of forMe) known.current.add(id);
    const newest = fresh[0];
    if (!newest) return;
    let via = 'page';
    if (state !== 'off' && audio.current) {
      beep(audio.current);
      via = 'sound';
    }
    if (state === 'on' && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      try {
        const note = new Notification('Sidekick: a request for you', { body: newest.question, tag: newest.id });
        note.onclick = () => {
          window.focus();
          onOpen(newest.id);
        };
        via = 'desktop';
      } catch {
        // Some browsers allow notifications only from a service worker: the beep and the banner still tell.
      }
    }
    setLatest({ id: newest.id, question: newest.question, via });
    // Only a change of the set matters; `requests` and `state` are read as they are then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, loaded]);

  const turnOn = (): void => {
    audio.current ??= new AudioContext();
    void audio.current.resume();
    if (typeof Notification === 'undefined') return setState('sound-only');
    void Notification.requestPermission().then(
      (permission) => setState(permission === 'granted' ? 'on' : 'sound-only'),
      () => setState('sound-only'),
    );
  };

  return (
    <span className="routing-alerts">
      {state === 'off' ? (
        <button className="link" onClick={turnOn} data-testid="alerts-on">
          Turn on alerts
        </button>
      ) : (
        <span className="alerts-state" data-testid="alerts-state">
          {state === 'on' ? 'alerts on' : 'sound alerts (notifications blocked)'}
        </span>
      )}
      {latest && (
        <button
          className="route-alert"
          role="status"
          data-testid="route-alert"
          data-via={latest.via}
          onClick={() => {
            onOpen(latest.id);
            setLatest(null);
          }}
        >
          For you: {latest.question}
        </button>
      )}
    </span>
  );
}
