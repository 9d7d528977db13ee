import { useEffect, useState } from 'react';
import type { SendPreview as SendPreviewData } from '../../src-shared/ai';
import type { AnswerStep } from '../../src-shared/ipc/overlay';
import type { AiStatus } from '../../src-shared/ipc/ai';
import { errorText, sidekick } from '../common/bridge';
import { SendPreview } from './SendPreview';
import './AiAnswerPanel.css';

/** Props of the AI part of the help panel. */
export interface AiAnswerPanelProps {
  sessionId: string;
  /** What is typed in the ask box (for "What will be sent?"). */
  question: string;
}

type Stream =
  | { phase: 'idle' }
  | { phase: 'streaming'; requestId: string; steps: AnswerStep[]; sent: SendPreviewData | null; notice: string | null }
  | {
      phase: 'done';
      requestId: string;
      sent: SendPreviewData | null;
      repaired: boolean;
      notes: string[];
      firstStepMs: number | null;
    }
  | { phase: 'failed'; message: string; sent: SendPreviewData | null };

type Saving =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; id: string; playable: boolean }
  | { kind: 'problem'; message: string };

/**
 * The AI side of the help panel: says when AI answers are off, shows exactly what would be sent,
 * streams steps as the model produces them, and offers "Save as walkthrough" for a good answer.
 */
export function AiAnswerPanel({ sessionId, question }: AiAnswerPanelProps) {
  const [status, setStatus] = useState<AiStatus | null>(null);
  const [stream, setStream] = useState<Stream>({ phase: 'idle' });
  const [preview, setPreview] = useState<
    | { kind: 'none' }
    | { kind: 'loading' }
    | { kind: 'shown'; preview: SendPreviewData }
    | { kind: 'problem'; message: string }
  >({ kind: 'none' });
  const [saving, setSaving] = useState<Saving>({ kind: 'idle' });

  useEffect(() => {
    const bridge = sidekick();
    bridge.invoke('ai:status', {}).then(setStatus, () => setStatus(null));
    setStream({ phase: 'idle' });
    setPreview({ kind: 'none' });
    return bridge.on('ai:progress', (event) => {
      if (event.sessionId !== sessionId) return;
      if (event.type === 'sending') setSaving({ kind: 'idle' });
      setStream((current) => {
        const sent = current.phase === 'idle' ? null : current.sent;
        switch (event.type) {
          case 'sending':
            return { phase: 'streaming', requestId: event.requestId, steps: [], sent: event.preview, notice: null };
          case 'step':
            return current.phase === 'streaming' ? { ...current, steps: [...current.steps, event.step] } : current;
          case 'restart':
            return current.phase === 'streaming' ? { ...current, steps: [], notice: event.reason } : current;
          case 'done':
            return {
              phase: 'done',
              requestId: event.requestId,
              sent,
              repaired: event.answer.repaired,
              notes: event.answer.notes,
              firstStepMs: event.answer.timings.firstStepMs,
            };
          case 'failed':
            return { phase: 'failed', message: event.failure.message, sent };
        }
      });
    });
  }, [sessionId]);

  if (!status) return null;
  if (!status.enabled) {
    // One short line: the details (and the command-line variables) live in Settings and docs/ai.md, not in every panel.
    return (
      <p className="ai-panel__off" role="note" title={status.reason ?? undefined}>
        AI answers are off.{' '}
        <button
          type="button"
          className="ai-panel__link"
          onClick={() => void sidekick().invoke('overlay:open-window', { window: 'settings' })}
        >
          Turn on in Settings
        </button>
      </p>
    );
  }

  const showPreview = async (): Promise<void> => {
    if (preview.kind === 'shown') {
      setPreview({ kind: 'none' });
      return;
    }
    setPreview({ kind: 'loading' });
    try {
      const result = await sidekick().invoke('ai:preview', { sessionId, question: question.trim() });
      setPreview(result.ok ? { kind: 'shown', preview: result.preview } : { kind: 'problem', message: result.problem });
    } catch (error) {
      setPreview({ kind: 'problem', message: errorText(error) });
    }
  };
  const save = async (requestId: string): Promise<void> => {
    setSaving({ kind: 'saving' });
    const bridge = sidekick();
    try {
      const doc = await bridge.invoke('ai:as-walkthrough', { requestId });
      if (!doc.ok) {
        setSaving({ kind: 'problem', message: doc.problem });
        return;
      }
      // Through the library feature when it runs (its list and player see the file at once).
      const saved = await bridge.invoke('walkthroughs:save', { walkthrough: doc.walkthrough }).catch(() => null);
      if (saved && 'id' in saved) {
        setSaving({ kind: 'saved', id: saved.id, playable: true });
        return;
      }
      const direct = await bridge.invoke('ai:save-walkthrough', { requestId });
      setSaving(
        direct.ok ? { kind: 'saved', id: direct.id, playable: false } : { kind: 'problem', message: direct.problem },
      );
    } catch (error) {
      setSaving({ kind: 'problem', message: errorText(error) });
    }
  };
  // Plays the saved copy when there is one, else the answer itself, in the walkthrough player.
  const play = async (requestId: string): Promise<void> => {
    const bridge = sidekick();
    try {
      let started;
      if (saving.kind === 'saved' && saving.playable) {
        started = await bridge.invoke('walkthroughs:player-start', { id: saving.id });
      } else {
        const doc = await bridge.invoke('ai:as-walkthrough', { requestId });
        if (!doc.ok) return setSaving({ kind: 'problem', message: doc.problem });
        started = await bridge.invoke('walkthroughs:player-play', { walkthrough: doc.walkthrough });
      }
      if (!started.ok) setSaving({ kind: 'problem', message: started.problem });
    } catch (error) {
      setSaving({ kind: 'problem', message: errorText(error) });
    }
  };

  return (
    <div className="ai-panel">
      <div className="ai-panel__bar">
        <small>
          AI: {status.endpoint?.model} {status.endpoint?.sendImage ? '(text and screenshot)' : '(text only)'}
        </small>
        <button
          type="button"
          className="ai-panel__link"
          disabled={!question.trim() || preview.kind === 'loading'}
          onClick={() => void showPreview()}
          aria-expanded={preview.kind === 'shown'}
        >
          What will be sent?
        </button>
      </div>
      {preview.kind === 'shown' && <SendPreview preview={preview.preview} />}
      {preview.kind === 'problem' && <p role="alert">{preview.message}</p>}

      {stream.phase === 'streaming' && (
        <div className="ai-panel__stream" role="status" aria-live="polite" aria-label="AI steps arriving">
          {stream.notice && <p className="ai-panel__notice">{stream.notice}</p>}
          <ol>
            {stream.steps.map((step) => (
              <li key={`${stream.requestId}-${step.index}`}>{step.instruction}</li>
            ))}
          </ol>
          <p className="ai-panel__waiting">{stream.steps.length ? 'More steps coming…' : 'Asking the AI model…'}</p>
          <button type="button" onClick={() => void sidekick().invoke('ai:cancel', { requestId: stream.requestId })}>
            Stop
          </button>
        </div>
      )}
      {stream.phase === 'done' && (
        <div className="ai-panel__done">
          {stream.notes.map((note) => (
            <p key={note} className="ai-panel__notice">
              {note}
            </p>
          ))}
          <div className="ai-panel__actions">
            <button
              type="button"
              onClick={() => void save(stream.requestId)}
              disabled={saving.kind === 'saving' || saving.kind === 'saved'}
            >
              {saving.kind === 'saved' ? 'Saved to your library' : 'Save as walkthrough'}
            </button>
            <button type="button" className="primary" onClick={() => void play(stream.requestId)}>
              Play step by step
            </button>
            <button type="button" onClick={() => void sidekick().invoke('ai:new-topic', { sessionId })}>
              New topic
            </button>
          </div>
          {saving.kind === 'problem' && <p role="alert">{saving.message}</p>}
        </div>
      )}
      {stream.phase !== 'idle' && stream.phase !== 'streaming' && stream.sent && (
        <details className="ai-panel__sent">
          <summary>What was sent</summary>
          <SendPreview preview={stream.sent} />
        </details>
      )}
    </div>
  );
}
