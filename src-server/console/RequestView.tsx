/** One help request: context, screenshot (click to point, drag for a box), chat, claim/resolve, save as tip. */
import { useEffect, useRef, useState } from 'react';
import type { ChatMessage, HelpRequest, Me, Pointer, Suggestions } from '../../src-shared/team';
import { chatTime } from '../../src-shared/clock';
import type { ConsoleApi } from './console-api';
import { describeLibraryMessage, LibraryMatches } from './LibraryMatches';
import { SaveTipForm } from './SaveTipForm';
import type { TeamLive } from './use-team-live';

/** Props of RequestView. */
export interface RequestViewProps {
  api: ConsoleApi;
  me: Me;
  request: HelpRequest;
  live: TeamLive;
}

/** The detail pane of the console. */
export function RequestView({ api, me, request, live }: RequestViewProps) {
  const [error, setError] = useState<string | null>(null);
  const [resolution, setResolution] = useState('');
  const [savingTip, setSavingTip] = useState(false);
  const messages = live.messages[request.id] ?? [];
  const canHelp = me.member.role !== 'member';
  const chatOpen = request.state === 'open' || request.state === 'claimed';

  const { loadMessages } = live;
  useEffect(() => {
    loadMessages(request.id).catch((failure: Error) => setError(failure.message));
  }, [request.id, loadMessages]);

  const act = (action: 'claim' | 'resolve' | 'cancel', body: object = {}) =>
    api
      .act(request.id, action, body)
      .then((result) => {
        live.upsertRequest(result.request);
        setError(null);
      })
      .catch((failure: Error) => setError(failure.message));

  const context = request.context;
  return (
    <div className="request-view" data-testid="request-view" data-state={request.state}>
      <h2 data-testid="request-question">{request.question}</h2>
      <p className="meta">
        <span className={`state state-${request.state}`} data-testid="request-state">
          {request.state}
        </span>{' '}
        asked by {request.requester.name}
        {request.claimedBy && ` · helped by ${request.claimedBy.name}`}
      </p>
      <dl className="context">
        <dt>App</dt>
        <dd>{context.app || '—'}</dd>
        <dt>Window</dt>
        <dd>{context.windowTitle || '—'}</dd>
        <dt>System</dt>
        <dd>
          {context.os} · scale {context.displayScale}
        </dd>
        {context.walkthrough && (
          <>
            <dt>Walkthrough</dt>
            <dd>
              {context.walkthrough.title}, step {context.walkthrough.stepIndex + 1}
              {context.walkthrough.stepInstruction && `: “${context.walkthrough.stepInstruction}”`}
            </dd>
          </>
        )}
      </dl>
      {canHelp && (request.state === 'open' || request.state === 'claimed') && (
        <SuggestedHelpers api={api} requestId={request.id} />
      )}
      {canHelp && chatOpen && (
        <LibraryMatches
          api={api}
          requestId={request.id}
          onSend={(itemId) => live.sendLibrary(request.id, itemId)}
          sent={new Set(messages.flatMap((message) => (message.library ? [message.library.id] : [])))}
        />
      )}
      {context.ocrText && (
        <details className="ocr">
          <summary>Text on their screen</summary>
          <pre>{context.ocrText}</pre>
        </details>
      )}
      <div className="actions">
        {canHelp && request.state === 'open' && (
          <button className="primary" data-testid="claim" onClick={() => void act('claim')}>
            Claim
          </button>
        )}
        {canHelp && chatOpen && (
          <>
            <label className="resolution">
              What solved it (optional)
              <input
                data-testid="resolution"
                placeholder="e.g. View ▸ Freeze Panes with A2 selected"
                value={resolution}
                onChange={(event) => setResolution(event.target.value)}
              />
            </label>
            <button
              className="resolve"
              data-testid="resolve"
              onClick={() => void act('resolve', resolution.trim() ? { resolution: resolution.trim() } : {})}
            >
              ✓ Resolve
            </button>
          </>
        )}
        {canHelp && request.state === 'resolved' && !savingTip && (
          <button className="primary" data-testid="save-tip" onClick={() => setSavingTip(true)}>
            Save as tip
          </button>
        )}
        {chatOpen && (
          // Away from Resolve, and quiet: cancelling drops the person's request.
          <button className="danger-link" data-testid="cancel-request" onClick={() => void act('cancel')}>
            Cancel request
          </button>
        )}
      </div>
      {error && (
        <p className="error" data-testid="request-error">
          {error}
        </p>
      )}
      {savingTip && (
        <SaveTipForm api={api} me={me} request={request} messages={messages} onDone={() => setSavingTip(false)} />
      )}
      <div className="work">
        {request.screenshot ? (
          <Screenshot
            api={api}
            request={request}
            messages={messages}
            canPoint={canHelp && chatOpen}
            onPoint={(pointer, label) =>
              void live.sendPointer(request.id, pointer, label).catch((failure: Error) => setError(failure.message))
            }
          />
        ) : (
          <p className="no-shot">No screenshot shared (the person did not consent, or sent only text).</p>
        )}
        <Chat messages={messages} me={me} open={chatOpen} onSend={(text) => live.sendText(request.id, text)} />
      </div>
    </div>
  );
}

function Screenshot(props: {
  api: ConsoleApi;
  request: HelpRequest;
  messages: ChatMessage[];
  canPoint: boolean;
  onPoint: (pointer: Pointer, label?: string) => void;
}) {
  const { api, request, messages, canPoint, onPoint } = props;
  const [url, setUrl] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [drag, setDrag] = useState<{ x: number; y: number; x2: number; y2: number } | null>(null);
  const imageRef = useRef<HTMLImageElement>(null);
  const shot = request.screenshot!;

  useEffect(() => {
    let created: string | null = null;
    api.screenshotUrl(request.id).then(
      (value) => setUrl((created = value)),
      () => setUrl(null),
    );
    return () => {
      if (created) URL.revokeObjectURL(created);
    };
  }, [api, request.id]);

  /** Mouse position in screenshot pixels. */
  const toShot = (event: React.MouseEvent): { x: number; y: number } => {
    const rect = imageRef.current!.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * shot.width;
    const y = ((event.clientY - rect.top) / rect.height) * shot.height;
    return {
      x: Math.round(Math.max(0, Math.min(shot.width, x))),
      y: Math.round(Math.max(0, Math.min(shot.height, y))),
    };
  };

  const pointers = messages.filter((message) => message.kind === 'pointer' && message.pointer);
  const lastPointer = pointers[pointers.length - 1]?.pointer ?? null;
  const pct = (value: number, total: number) => `${(value / total) * 100}%`;

  return (
    <div className="screenshot">
      {canPoint && (
        <p className="hint">
          Click the screenshot to point (drag for a box); it shows on their screen.{' '}
          <label className="pointer-label">
            Name what you point at (optional)
            <input
              data-testid="pointer-label"
              placeholder="e.g. Freeze Panes"
              value={label}
              onChange={(event) => setLabel(event.target.value)}
            />
          </label>
        </p>
      )}
      <div
        className={`shot-frame ${canPoint ? 'can-point' : ''}`}
        data-testid="screenshot"
        onMouseDown={(event) => {
          if (!canPoint) return;
          event.preventDefault();
          const start = toShot(event);
          setDrag({ ...start, x2: start.x, y2: start.y });
        }}
        onMouseMove={(event) => {
          if (drag) {
            const at = toShot(event);
            setDrag({ ...drag, x2: at.x, y2: at.y });
          }
        }}
        onMouseUp={(event) => {
          if (!drag) return;
          const end = toShot(event);
          setDrag(null);
          const w = Math.abs(end.x - drag.x);
          const h = Math.abs(end.y - drag.y);
          const pointer: Pointer =
            w < 6 && h < 6
              ? { kind: 'point', x: end.x, y: end.y }
              : { kind: 'box', x: Math.min(drag.x, end.x), y: Math.min(drag.y, end.y), w, h };
          onPoint(pointer, label.trim() || undefined);
        }}
      >
        {url ? (
          <img
            ref={imageRef}
            src={url}
            alt="Their window (redacted)"
            draggable={false}
            data-testid="screenshot-image"
          />
        ) : (
          <p>Loading screenshot…</p>
        )}
        {lastPointer && lastPointer.kind === 'point' && (
          <span
            className="pointer-dot"
            data-testid="pointer-mark"
            style={{ left: pct(lastPointer.x, shot.width), top: pct(lastPointer.y, shot.height) }}
          />
        )}
        {lastPointer && lastPointer.kind === 'box' && (
          <span
            className="pointer-box"
            data-testid="pointer-mark"
            style={{
              left: pct(lastPointer.x, shot.width),
              top: pct(lastPointer.y, shot.height),
              width: pct(lastPointer.w, shot.width),
              height: pct(lastPointer.h, shot.height),
            }}
          />
        )}
        {drag && (
          <span
            className="pointer-box dragging"
            style={{
              left: pct(Math.min(drag.x, drag.x2), shot.width),
              top: pct(Math.min(drag.y, drag.y2), shot.height),
              width: pct(Math.abs(drag.x2 - drag.x), shot.width),
              height: pct(Math.abs(drag.y2 - drag.y), shot.height),
            }}
          />
        )}
      </div>
    </div>
  );
}

/**
 * A pointer message in words: what was pointed at, never pixel coordinates (the mark on the screenshot shows where).
 */
export function describePointer(message: ChatMessage): string {
  const what = message.pointer?.kind === 'box' ? 'an area' : 'a spot';
  return message.text ? `pointed at “${message.text}”` : `pointed at ${what} on the screenshot`;
}

function Chat({
  messages,
  me,
  open,
  onSend,
}: {
  messages: ChatMessage[];
  me: Me;
  open: boolean;
  onSend: (text: string) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    listRef.current?.scrollTo({ top: listRef.current.scrollHeight });
  }, [messages.length]);
  return (
    <div className="chat">
      <ol ref={listRef} data-testid="chat-log">
        {messages.map((message) => (
          <li
            key={message.id}
            className={`msg msg-${message.kind} ${message.author.id === me.member.id ? 'mine' : ''}`}
            data-testid="chat-message"
            data-seq={message.seq}
          >
            {message.kind === 'system' ? (
              <em>{message.text}</em>
            ) : (
              <>
                <b>{message.author.name}</b>{' '}
                {message.kind === 'pointer'
                  ? describePointer(message)
                  : message.kind === 'library'
                    ? describeLibraryMessage(message)
                    : message.text}
              </>
            )}
            <time dateTime={message.createdAt}>{chatTime(message.createdAt)}</time>
          </li>
        ))}
      </ol>
      {open && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const body = text.trim();
            if (!body) return;
            setText('');
            onSend(body).then(
              () => setError(null),
              (failure: Error) => {
                setError(failure.message);
                setText(body);
              },
            );
          }}
        >
          <input
            data-testid="chat-input"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="Write a message…"
          />
          <button data-testid="chat-send">Send</button>
        </form>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}

/** Who on the team solved requests like this one, and why (GET /requests/:id/suggestions). */
function SuggestedHelpers({ api, requestId }: { api: ConsoleApi; requestId: string }) {
  const [answer, setAnswer] = useState<Suggestions | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api
      .suggestions(requestId)
      .then((result) => current && setAnswer(result))
      .catch((failure: Error) => current && setError(failure.message));
    return () => {
      current = false;
    };
  }, [api, requestId]);
  if (error) return <p className="error">Suggested helpers: {error}</p>;
  if (!answer) return null;
  return (
    <section className="suggested" data-testid="suggested-helpers">
      <h3>Suggested helpers</h3>
      {answer.suggestions.length === 0 && <p className="empty">{answer.message ?? 'no one has solved this yet'}</p>}
      <ol>
        {answer.suggestions.map((suggestion) => (
          <li key={suggestion.member.id} data-testid="suggested-helper">
            <strong>{suggestion.member.name}</strong>
            <ul>
              {suggestion.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
