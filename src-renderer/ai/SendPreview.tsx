import type { SendPreview as SendPreviewData } from '../../src-shared/ai';
import './SendPreview.css';

/** How many elements the preview lists before "and N more". */
const MAX_LISTED_ELEMENTS = 60;

/** "What will be sent": endpoint, question, window title, on-screen texts and image, after redaction. */
export function SendPreview({ preview }: { preview: SendPreviewData }) {
  const redacted = Object.entries(preview.redacted);
  return (
    <div className="send-preview" aria-label="What will be sent">
      <p>
        To <strong>{preview.model}</strong> at <code>{preview.endpoint}</code>:
      </p>
      <dl>
        <dt>Question</dt>
        <dd>{preview.question}</dd>
        <dt>Window</dt>
        <dd>
          {preview.app} — {preview.title || '(no title)'}
        </dd>
        <dt>Hidden first</dt>
        <dd data-testid="redaction-summary">
          {redacted.length ? redacted.map(([kind, count]) => `${count} × ${kind}`).join(', ') : 'nothing private found'}
        </dd>
      </dl>
      <details>
        <summary>{preview.elements.length} on-screen texts</summary>
        <ul className="send-preview__elements">
          {preview.elements.slice(0, MAX_LISTED_ELEMENTS).map((element) => (
            <li key={element.id}>{element.text}</li>
          ))}
          {preview.elements.length > MAX_LISTED_ELEMENTS && (
            <li>… and {preview.elements.length - MAX_LISTED_ELEMENTS} more</li>
          )}
        </ul>
      </details>
      {preview.imageDataUrl ? (
        <img
          className="send-preview__image"
          src={preview.imageDataUrl}
          alt="The screenshot that will be sent, with private data covered"
        />
      ) : (
        <p className="send-preview__note">No screenshot is sent (text only).</p>
      )}
      {preview.warnings.map((warning) => (
        <p key={warning} className="send-preview__warning" role="alert">
          {warning}
        </p>
      ))}
    </div>
  );
}
