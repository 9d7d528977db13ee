import { useEffect, useState, type MouseEvent } from 'react';
import type { RecorderCaptureResult, RecorderView } from '../../../src-shared/ipc/walkthroughs';
import { errorText, sidekick } from '../../common/bridge';
import './RecorderApp.css';

const EMPTY: RecorderView = { captures: [], steps: [], suggested: { title: '', questions: [], appName: '' } };

/** The recorder: captures on the left (click a control to add a step), steps and details on the right. */
export function RecorderApp() {
  const [view, setView] = useState<RecorderView>(EMPTY);
  const [images, setImages] = useState<Record<number, string>>({});
  const [current, setCurrent] = useState<number | null>(null);
  const [title, setTitle] = useState('');
  const [questions, setQuestions] = useState('');
  const [appName, setAppName] = useState('');
  const [message, setMessage] = useState<string | null>('At each step, press the help hotkey in the app you are recording (or Capture window), then click the control on the picture.');
  const [busy, setBusy] = useState(false);

  const showCapture = (result: RecorderCaptureResult) => {
    if (!result.ok) return setMessage(result.problem);
    setImages((all) => ({ ...all, [result.index]: result.image }));
    setCurrent(result.index);
    setView(result.view);
    setAppName((name) => name || result.view.suggested.appName);
    setMessage('Click the control to use on the picture.');
  };

  useEffect(() => {
    void sidekick().invoke('walkthroughs:record-reset', {}).then(setView, (error) => setMessage(errorText(error)));
    // While this window is open, each press of the help hotkey in the app being recorded captures it here.
    void sidekick().invoke('walkthroughs:record-arm', { armed: true }).catch((error) => setMessage(errorText(error)));
    const unsubscribe = sidekick().on('walkthroughs:record-captured', showCapture);
    const disarm = () => void sidekick().invoke('walkthroughs:record-arm', { armed: false }).catch(() => undefined);
    window.addEventListener('pagehide', disarm);
    return () => {
      unsubscribe();
      window.removeEventListener('pagehide', disarm);
      disarm();
    };
  }, []);

  const capture = async () => {
    setBusy(true);
    setMessage('Capturing and reading the window…');
    try {
      showCapture(await sidekick().invoke('walkthroughs:record-capture', {}));
    } catch (error) {
      setMessage(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const clickCapture = async (event: MouseEvent<HTMLImageElement>) => {
    if (current === null) return;
    const img = event.currentTarget;
    const rect = img.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * img.naturalWidth;
    const y = ((event.clientY - rect.top) / rect.height) * img.naturalHeight;
    const result = await sidekick().invoke('walkthroughs:record-add-step', { captureIndex: current, x, y });
    if (!result.ok) return setMessage(result.problem);
    setView(result.view);
    const step = result.view.steps.at(-1)!;
    setMessage(step.target ? `Added “${step.instruction}” — edit it on the right if needed.` : 'No text there: the step was added without a target; type what to do.');
    if (!title) setTitle(result.view.suggested.title);
    if (!questions) setQuestions(result.view.suggested.questions.join('\n'));
  };

  const change = async (index: number, patch: { instruction?: string; targetText?: string | null; moveTo?: number; remove?: boolean }) => {
    const result = await sidekick().invoke('walkthroughs:record-change-step', { index, ...patch });
    if (result.ok) setView(result.view);
    else setMessage(result.problem);
  };

  const save = async () => {
    const result = await sidekick().invoke('walkthroughs:record-save', {
      title: title || view.suggested.title,
      questions: questions.split('\n').map((q) => q.trim()).filter(Boolean),
      appName: appName || view.suggested.appName || 'App',
    });
    if (!result.ok) return setMessage(result.problem);
    setMessage(`Saved “${title || view.suggested.title}” to your library.`);
    setView(EMPTY);
    setImages({});
    setCurrent(null);
    setTitle('');
    setQuestions('');
  };

  const shown = current !== null ? images[current] : undefined;
  const markers = view.steps.filter((s) => s.captureIndex === current && s.target);
  const capture0 = current !== null ? view.captures[current] : undefined;
  return (
    <main className="recorder">
      <section className="recorder-capture" aria-label="Captured window">
        <div className="recorder-toolbar">
          <button type="button" className="primary" onClick={() => void capture()} disabled={busy}>
            Capture window
          </button>
          {view.captures.map((c) => (
            <button key={c.index} type="button" aria-pressed={c.index === current} onClick={() => setCurrent(c.index)}>
              Capture {c.index + 1}
            </button>
          ))}
        </div>
        {message && (
          <p role="status" className="recorder-message">
            {message}
          </p>
        )}
        {shown && capture0 && (
          <div className="recorder-frame">
            <img src={shown} alt={`Capture ${current! + 1}: click the control for the next step`} onClick={(e) => void clickCapture(e)} />
            {markers.map((s, i) => (
              <span
                key={i}
                className="recorder-marker"
                style={{
                  left: `${(s.target!.box.x / capture0.width) * 100}%`,
                  top: `${(s.target!.box.y / capture0.height) * 100}%`,
                  width: `${(s.target!.box.w / capture0.width) * 100}%`,
                  height: `${(s.target!.box.h / capture0.height) * 100}%`,
                }}
              />
            ))}
          </div>
        )}
      </section>
      <section className="recorder-steps" aria-label="Recorded steps">
        <h1>Steps</h1>
        {view.steps.length === 0 && <p className="recorder-hint">Capture the window, then click each control in order.</p>}
        <ol>
          {view.steps.map((step, index) => (
            <li key={`${index}-${step.instruction}`}>
              <input
                aria-label={`Instruction of step ${index + 1}`}
                defaultValue={step.instruction}
                onBlur={(e) => e.target.value !== step.instruction && void change(index, { instruction: e.target.value })}
              />
              <span className="recorder-target">{step.target ? `points at “${step.target.text}”` : 'no target'}</span>
              <button type="button" aria-label={`Move step ${index + 1} up`} disabled={index === 0} onClick={() => void change(index, { moveTo: index - 1 })}>
                ↑
              </button>
              <button type="button" aria-label={`Move step ${index + 1} down`} disabled={index === view.steps.length - 1} onClick={() => void change(index, { moveTo: index + 1 })}>
                ↓
              </button>
              <button type="button" aria-label={`Delete step ${index + 1}`} onClick={() => void change(index, { remove: true })}>
                Delete
              </button>
            </li>
          ))}
        </ol>
        <label>
          Title
          <input value={title} placeholder={view.suggested.title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          Questions people ask (one per line)
          <textarea rows={3} value={questions} onChange={(e) => setQuestions(e.target.value)} />
        </label>
        <label>
          App
          <input value={appName} onChange={(e) => setAppName(e.target.value)} />
        </label>
        <button type="button" className="primary" disabled={view.steps.length === 0} onClick={() => void save()}>
          Finish and save
        </button>
      </section>
    </main>
  );
}
