/** "Save as tip": turns a resolved request into a tip or a walkthrough in the team library. */
import { useState } from 'react';
import type { ChatMessage, HelpRequest, LibraryDoc, Me } from '../../src-shared/team';
import type { ConsoleApi } from './console-api';

/** A library id from a title: a slug plus a short random suffix so titles may repeat. */
export function libraryIdFor(title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'tip'}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The form shown under a resolved request. */
export function SaveTipForm({
  api,
  me,
  request,
  messages,
  onDone,
}: {
  api: ConsoleApi;
  me: Me;
  request: HelpRequest;
  messages: ChatMessage[];
  onDone: () => void;
}) {
  const pointerLabels = messages
    .filter((message) => message.kind === 'pointer' && message.text)
    .map((message) => message.text);
  const helperLines = messages
    .filter((message) => message.kind === 'text' && message.author.role !== 'member')
    .map((message) => message.text);
  const [kind, setKind] = useState<'tip' | 'walkthrough'>('tip');
  const [title, setTitle] = useState(request.question);
  const [body, setBody] = useState(request.resolution ?? helperLines.join('\n'));
  const [app, setApp] = useState(request.context.app);
  const [labels, setLabels] = useState(pointerLabels.join(', '));
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = () => {
    const id = libraryIdFor(title);
    const labelList = labels
      .split(',')
      .map((label) => label.trim())
      .filter(Boolean);
    const appInfo = { name: app.trim(), match: app.trim() ? [app.trim().toLowerCase()] : [] };
    const doc: LibraryDoc =
      kind === 'tip'
        ? {
            format: 'sidekick.tip/1',
            id,
            title: title.trim(),
            body: body.trim(),
            app: appInfo,
            labels: labelList,
            questions: [request.question],
            fromRequest: request.id,
            author: me.member.name,
            updated: new Date().toISOString(),
          }
        : {
            format: 'sidekick.walkthrough/1',
            id,
            title: title.trim(),
            app: appInfo,
            questions: [request.question],
            tags: ['from-helper'],
            steps: (labelList.length ? labelList : [null]).map((label, index) => ({
              instruction: label ? `Click “${label}”.` : body.trim().split('\n')[index] || body.trim() || title.trim(),
              ...(label ? { target: { text: label } } : {}),
            })),
            author: me.member.name,
            updated: new Date().toISOString(),
          };
    api.saveLibrary(id, 0, doc).then(
      (result) => setSaved(result.item.id),
      (failure: Error) => setError(failure.message),
    );
  };

  if (saved) {
    return (
      <div className="save-tip" data-testid="tip-saved">
        Saved to the team library as <code>{saved}</code>; it is on every member's Sidekick now.{' '}
        <button className="link" onClick={onDone}>
          Close
        </button>
      </div>
    );
  }
  return (
    <form
      className="save-tip"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <label>
        Save as{' '}
        <select
          value={kind}
          onChange={(event) => setKind(event.target.value as 'tip' | 'walkthrough')}
          data-testid="tip-kind"
        >
          <option value="tip">tip</option>
          <option value="walkthrough">walkthrough (one step per label)</option>
        </select>
      </label>
      <label>
        Title <input data-testid="tip-title" value={title} onChange={(event) => setTitle(event.target.value)} />
      </label>
      <label>
        Tip <textarea data-testid="tip-body" value={body} onChange={(event) => setBody(event.target.value)} rows={3} />
      </label>
      <label>
        App <input data-testid="tip-app" value={app} onChange={(event) => setApp(event.target.value)} />
      </label>
      <label>
        On-screen labels (comma-separated){' '}
        <input data-testid="tip-labels" value={labels} onChange={(event) => setLabels(event.target.value)} />
      </label>
      <button data-testid="tip-save" disabled={!title.trim()}>
        Save to team library
      </button>{' '}
      <button type="button" className="link" onClick={onDone}>
        Cancel
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}
