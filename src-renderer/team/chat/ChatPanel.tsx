/**
 * The live chat with a helper, for the ask-human window and the overlay: messages arrive through
 * `team:message` (each id shown once), pointer messages say the spot is highlighted on screen, a walkthrough or tip
 * from the team library is a card (./LibraryCard.tsx),
 * and the connection state is always visible.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { TeamView } from '../../../src-shared/ipc/team';
import type { ChatMessage, HelpRequest, QueueStatus } from '../../../src-shared/team';
import { chatTime, waitedFor } from '../../../src-shared/clock';
import { errorText, sidekick } from '../../common/bridge';
import { LibraryCard } from './LibraryCard';
import './ChatPanel.css';

/** Words for the connection state. */
export const CONNECTION_TEXT: Record<TeamView['connection'], string> = {
  'not-joined': 'Not in a team',
  connecting: 'Connecting to your team…',
  live: 'Connected',
  offline: 'Team server unreachable — retrying by itself',
  unauthorized: 'Your team access was revoked — join again in Settings → Team',
  stopped: 'Disconnected',
};

/** Merges messages by id and orders them by sequence number. */
export function mergeMessages(current: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** What a waiting person is told about the queue, in one line of plain parts; null when nothing is known. */
export function queueText(queue: QueueStatus | null): string | null {
  if (!queue || queue.position === null) return null;
  const ahead = queue.position - 1;
  const place = ahead === 0 ? 'You are next' : `${ahead} ${ahead === 1 ? 'request' : 'requests'} ahead of you`;
  const helpers =
    queue.helpersOnline === 0
      ? 'no helper is online right now; the first one to connect sees your request'
      : `${queue.helpersOnline} ${queue.helpersOnline === 1 ? 'helper' : 'helpers'} online`;
  const minutes = queue.typicalWaitMinutes;
  const wait =
    minutes === null
      ? null
      : minutes < 1
        ? 'usually taken within a minute'
        : `usually taken in about ${Math.round(minutes)} min`;
  return [place, helpers, wait].filter(Boolean).join(' · ');
}

/** "Dana", "Dana and Sam", "Dana, Sam and Kim". */
function namesText(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Who is asked first and why, in one plain line ("Asking Dana and Sam first — they solved similar problems about
 * printing; the whole team at 10:42"); without names when the admin turned them off. Null when the server said
 * nothing about it (an older server) or the request is no longer waiting.
 */
export function askingText(queue: QueueStatus | null, now: Date = new Date()): string | null {
  if (!queue || queue.position === null || !queue.asking || queue.wholeTeamAt === undefined) return null;
  const asking = queue.asking;
  if (!asking.length) return queue.wholeTeamAt === null ? null : 'Asking your whole team';
  const at = queue.wholeTeamAt ? Date.parse(queue.wholeTeamAt) : NaN;
  if (at <= now.getTime()) return 'Your whole team can see your request now';
  const about = queue.askingAbout ? ` about ${queue.askingAbout}` : '';
  const whole = Number.isNaN(at) ? '' : `; the whole team at ${chatTime(queue.wholeTeamAt!, now)}`;
  const names = asking.map((entry) => entry.name).filter((name): name is string => name !== null);
  if (names.length === asking.length) {
    const why = asking.length === 1 ? `${asking[0]!.reason}` : `they solved similar problems${about}`;
    return `Asking ${namesText(names)} first — ${why}${whole}`;
  }
  const who = asking.length === 1 ? 'a helper who' : `${asking.length} helpers who`;
  return `Asking ${who} solved similar problems${about} first${whole}`;
}

/** Props of ChatPanel. */
export interface ChatPanelProps {
  request: HelpRequest;
  view: TeamView;
}

/** The chat with the helper for one request. */
export function ChatPanel({ request, view }: ChatPanelProps) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(0);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const bridge = sidekick();
    const off = bridge.on('team:message', (message) => {
      if (message.requestId === request.id) setMessages((current) => mergeMessages(current, [message]));
    });
    bridge.invoke('team:messages', { requestId: request.id }).then(
      (loaded) => setMessages((current) => mergeMessages(current, loaded)),
      (error) => setProblem(errorText(error)),
    );
    return off;
  }, [request.id]);

  useEffect(() => {
    listRef.current?.scrollTo({ top: listRef.current.scrollHeight });
  }, [messages.length]);

  const open = request.state === 'open' || request.state === 'claimed';
  const send = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const body = text.trim();
    if (!body) return;
    setText('');
    setSending((n) => n + 1);
    try {
      const result = await sidekick().invoke('team:send', { requestId: request.id, text: body });
      if (result.ok) {
        setMessages((current) => mergeMessages(current, [result.message]));
        setProblem(null);
      } else {
        setProblem(result.problem);
        setText(body);
      }
    } catch (error) {
      setProblem(errorText(error));
      setText(body);
    } finally {
      setSending((n) => n - 1);
    }
  };

  const waited = waitedFor(request.createdAt);
  return (
    <section className="chat-panel" aria-label="Chat with your helper" data-testid="chat-panel">
      <header>
        <span className={`chat-state chat-state-${request.state}`} data-testid="chat-request-state">
          {request.state === 'open' &&
            `Waiting for a helper… (asked ${waited === 'just now' ? 'just now' : `${waited} ago`})`}
          {request.state === 'claimed' && `${request.claimedBy?.name ?? 'A helper'} is helping you`}
          {request.state === 'resolved' && 'Resolved'}
          {request.state === 'cancelled' && 'Cancelled'}
        </span>
        <span
          className={`chat-connection chat-connection-${view.connection}`}
          role="status"
          data-testid="chat-connection"
        >
          {CONNECTION_TEXT[view.connection]}
        </span>
      </header>
      {request.state === 'open' && queueText(view.queue) && (
        <p className="chat-queue" aria-live="polite" data-testid="chat-queue">
          {queueText(view.queue)}
        </p>
      )}
      {request.state === 'open' && askingText(view.queue) && (
        <p className="chat-queue chat-asking" data-testid="chat-asking">
          {askingText(view.queue)}
        </p>
      )}
      <ol ref={listRef} className="chat-log" data-testid="chat-log">
        {messages.map((message) => (
          <li
            key={message.id}
            className={`chat-msg chat-msg-${message.kind} ${message.author.id === request.requester.id ? 'mine' : ''}`}
            data-testid="chat-message"
          >
            {message.kind === 'system' ? (
              <em>{message.text}</em>
            ) : message.kind === 'library' ? (
              <LibraryCard message={message} />
            ) : message.kind === 'pointer' ? (
              <>
                <b>{message.author.name}</b> pointed at {message.text ? `“${message.text}”` : 'a spot'} — it is
                highlighted on your screen.
              </>
            ) : (
              <>
                <b>{message.author.name}</b> {message.text}
              </>
            )}
            <time className="chat-time" dateTime={message.createdAt}>
              {chatTime(message.createdAt)}
            </time>
          </li>
        ))}
      </ol>
      {request.resolution && <p className="chat-resolution">Solution: {request.resolution}</p>}
      {open ? (
        <form onSubmit={(event) => void send(event)} className="chat-send">
          <input
            aria-label="Message to your helper"
            data-testid="chat-input"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="Write to your helper…"
          />
          <button type="submit" className="primary" data-testid="chat-send">
            Send
          </button>
        </form>
      ) : null}
      {sending > 0 && view.connection !== 'live' && (
        <p className="chat-note">Your message will be sent when the connection is back.</p>
      )}
      {problem && (
        <p role="alert" className="chat-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
