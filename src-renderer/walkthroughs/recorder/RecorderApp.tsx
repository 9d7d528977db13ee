import { useEffect, useState, type MouseEvent } from 'react';
import type { RecorderCaptureResult, RecorderView } from '../../../src-shared/ipc/walkthroughs';
import { errorText, sidekick } from '../../common/bridge';
import './RecorderApp.css';

const EMPTY: RecorderView = { captures: [], steps: [], suggested: { title: '', questions: [], appName: '' } };

/** "freeze the top row" → title "Freeze the top row", question "how do I freeze the top row". */
export function detailsFromGoal(goal: string): { title: string; question: string } {
  const text = goal.trim().replace(/[.?!]+$/, '');
  const bare = text.replace(/^(how (do|can) (i|you|we)|how to)\s+/i, '');
  return {
    title: bare ? bare[0]!.toUpperCase() + bare.slice(1) : '',
    question: bare ? `how do I ${bare[0]!.toLowerCase()}${bare.slice(1)}` : '',
  };
}

/**
 * The recorder: first the goal (it names the walkthrough and the question it answers), then captures
 * on the left (click a control on the frozen picture, at 1:1 or fitted, to add a step) and the steps on
 * the right, then Finish and save.
 */
export function RecorderApp() {
  const [view, setView] = useState<RecorderView>(EMPTY);
  const [images, setImages] = useState<Record<number, string>>({});
  const [current, setCurrent] = useState<number | null>(null);
  const [goal, setGoal] = useState('');
  const [title, setTitle] = useState<string | null>(null);
  const [questions, setQuestions] = useState<string | null>(null);
  const [appName, setAppName] = useState('');
  const [fit, setFit] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fromGoal = detailsFromGoal(goal);
  const shownTitle = title ?? fromGoal.title;
  const shownQuestions = questions ?? fromGoal.question;

  const showCapture = (result: RecorderCaptureResult) => {
    if (!result.ok) return setMessage(result.problem);
    setImages((all) => ({ ...all, [result.index]: result.image }));
    setCurrent(result.index);
    setView(result.view);
    setAppName((name) => name || result.view.suggested.appName);
    setMessage('Click the control to use on the picture.');
  };

  useEffect(() => {
    void sidekick()
      .invoke('walkthroughs:record-reset', {})
      .then(setView, (error) => setMessage(errorText(error)));
    // While this window is open, each press of the help hotkey in the app being recorded captures it here.
    void sidekick()
      .invoke('walkthroughs:record-arm', { armed: true })
      .catch((error) => setMessage(errorText(error)));
    const unsubscribe = sidekick().on('walkthroughs:record-captured', showCapture);
    const disarm = () =>
      void sidekick()
        .invoke('walkthroughs:record-arm', { armed: false })
        .catch(() => undefined);
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
    setMessage(
      step.target
        ? `Added “${step.instruction}” — edit it on the right if needed.`
        : 'No text there: the step was added without a target; type what to do.',
    );
  };

  const change = async (
    index: number,
    patch: { instruction?: string; targetText?: string | null; moveTo?: number; remove?: boolean },
  ) => {
    const result = await sidekick().invoke('walkthroughs:record-change-step', { index, ...patch });
    if (result.ok) setView(result.view);
    else setMessage(result.problem);
  };

  const save = async () => {
    const savedTitle = shownTitle.trim();
    const result = await sidekick().invoke('walkthroughs:record-save', {
      title: savedTitle,
      questions: shownQuestions
        .split('\n')
        .map((q) => q.trim())
        .filter(Boolean),
      appName: appName || view.suggested.appName || 'App',
    });
    if (!result.ok) return setMessage(result.problem);
    setMessage(`Saved “${savedTitle}” to your library.`);
    setView(EMPTY);
    setImages({});
    setCurrent(null);
    setGoal('');
    setTitle(null);
    setQuestions(null);
  };

  const shown = current !== null ? images[current] : undefined;
  const markers = view.steps.filter((s) => s.captureIndex === current && s.target);
  const capture0 = current !== null ? view.captures[current] : undefined;
  const missing =
    !goal.trim() && !shownTitle.trim()
      ? 'Say what the walkthrough teaches first (at the top).'
      : view.steps.length === 0
        ? 'Add a step first: capture the window, then click a control on the picture.'
        : null;
  return (
    <main className="recorder">
      <header className="recorder-header">
        <h1>Record a walkthrough</h1>
        <label className="recorder-goal">
          What should it teach?
          <input
            autoFocus
            value={goal}
            placeholder="e.g. freeze the top row"
            onChange={(e) => setGoal(e.target.value)}
            aria-describedby="recorder-goal-help"
          />
        </label>
        <small id="recorder-goal-help">
          This names the walkthrough and the question it answers. Then go to the app and press the help hotkey at each
          step (or Capture window).
        </small>
      </header>
      <div className="recorder-body">
        <section className="recorder-capture" aria-label="Captured window">
          <div className="recorder-toolbar">
            <button type="button" className="primary" onClick={() => void capture()} disabled={busy}>
              Capture window
            </button>
            {view.captures.map((c) => (
              <button
                key={c.index}
                type="button"
                aria-pressed={c.index === current}
                onClick={() => setCurrent(c.index)}
              >
                Capture {c.index + 1}
              </button>
            ))}
            {shown && (
              <span className="recorder-zoom" role="group" aria-label="Zoom">
                <button type="button" aria-pressed={!fit} onClick={() => setFit(false)}>
                  Actual size
                </button>
                <button type="button" aria-pressed={fit} onClick={() => setFit(true)}>
                  Fit
                </button>
              </span>
            )}
          </div>
          {message && (
            <p role="status" className="recorder-message">
              {message}
            </p>
          )}
          {shown && capture0 ? (
            <div className={`recorder-frame ${fit ? 'recorder-frame--fit' : ''}`} data-testid="recorder-frame">
              <div className="recorder-canvas">
                <img
                  src={shown}
                  alt={`Capture ${current! + 1}: click the control for the next step`}
                  onClick={(e) => void clickCapture(e)}
                />
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
            </div>
          ) : (
            <div className="recorder-empty">
              <p>No picture yet.</p>
              <p>
                Open the app you want to explain, then press the help hotkey there — or click Capture window. The
                picture of the window appears here; click each control in the order people should use it.
              </p>
            </div>
          )}
        </section>
        <section className="recorder-steps" aria-label="Recorded steps">
          <h2>Steps</h2>
          {view.steps.length === 0 && (
            <p className="recorder-hint">No steps yet: capture the window, then click each control in order.</p>
          )}
          <ol>
            {view.steps.map((step, index) => (
              <li key={`${index}-${step.instruction}`}>
                <textarea
                  aria-label={`Instruction of step ${index + 1}`}
                  defaultValue={step.instruction}
                  rows={Math.max(2, Math.ceil(step.instruction.length / 38))}
                  onBlur={(e) =>
                    e.target.value !== step.instruction && void change(index, { instruction: e.target.value })
                  }
                />
                <div className="recorder-step-actions">
                  <span className="recorder-target">
                    {step.target ? `points at “${step.target.text}”` : 'no target'}
                  </span>
                  <button
                    type="button"
                    aria-label={`Move step ${index + 1} up`}
                    disabled={index === 0}
                    onClick={() => void change(index, { moveTo: index - 1 })}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    aria-label={`Move step ${index + 1} down`}
                    disabled={index === view.steps.length - 1}
                    onClick={() => void change(index, { moveTo: index + 1 })}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    aria-label={`Delete step ${index + 1}`}
                    onClick={() => void change(index, { remove: true })}
                  >
                    Delete
                  </button>
                </div>
              </li>
            ))}
          </ol>
          <label>
            Title
            <input value={shownTitle} placeholder="From the goal above" onChange={(e) => setTitle(e.target.value)} />
          </label>
          <label>
            Questions people ask (one per line)
            <textarea
              rows={3}
              value={shownQuestions}
              placeholder="From the goal above"
              onChange={(e) => setQuestions(e.target.value)}
            />
          </label>
          <label>
            App
            <input value={appName} onChange={(e) => setAppName(e.target.value)} />
          </label>
          <div className="recorder-finish">
            <button
              type="button"
              className="primary"
              disabled={missing !== null}
              aria-describedby="recorder-finish-why"
              onClick={() => void save()}
            >
              Finish and save
            </button>
            {missing && (
              <small id="recorder-finish-why" className="recorder-why">
                {missing}
              </small>
            )}
          </div>
        </section>
      </div>
    </main>
  );
}
