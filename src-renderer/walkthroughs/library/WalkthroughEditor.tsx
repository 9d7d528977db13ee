import { useEffect, useState } from 'react';
import type { Walkthrough, WalkthroughStep } from '../../../src-shared/walkthrough';
import { errorText, sidekick } from '../../common/bridge';
import { LearnedQuestions } from './LearnedQuestions';
import './WalkthroughEditor.css';

/** Props of the editor. */
export interface WalkthroughEditorProps {
  id: string;
  onSaved: (message: string) => void;
}

/** One walkthrough opened: title, questions and steps, editable; a starter walkthrough is saved as your copy. */
export function WalkthroughEditor({ id, onSaved }: WalkthroughEditorProps) {
  const [draft, setDraft] = useState<Walkthrough | null>(null);
  const [readOnly, setReadOnly] = useState(false);
  const [images, setImages] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    void sidekick()
      .invoke('walkthroughs:get', { id })
      .then((result) => {
        if (!result.ok) return setProblem(result.problem);
        setDraft(result.walkthrough);
        setReadOnly(result.readOnly);
        setImages(result.images);
      })
      .catch((error) => setProblem(errorText(error)));
  }, [id]);

  if (problem && !draft)
    return (
      <section className="editor" role="alert">
        {problem}
      </section>
    );
  if (!draft) return <section className="editor">Loading…</section>;

  const setStep = (index: number, change: Partial<WalkthroughStep>) =>
    setDraft({ ...draft, steps: draft.steps.map((s, i) => (i === index ? { ...s, ...change } : s)) });
  const moveStep = (index: number, by: number) => {
    const steps = [...draft.steps];
    const [step] = steps.splice(index, 1);
    steps.splice(index + by, 0, step!);
    setDraft({ ...draft, steps });
  };

  const save = async () => {
    setProblem(null);
    const result = await sidekick().invoke('walkthroughs:save', { walkthrough: draft });
    if (!result.ok) return setProblem(result.problem);
    setReadOnly(false);
    onSaved(readOnly ? `Saved your own copy of “${draft.title}”.` : `Saved “${draft.title}”.`);
  };

  return (
    <section className="editor" aria-label={`Edit ${draft.title}`}>
      {readOnly && (
        <p className="editor-note">
          Shared walkthrough (starter pack or your team's): saving keeps your edited copy in your library.
        </p>
      )}
      <label>
        Title
        <input value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
      </label>
      <label>
        Questions it answers (one per line)
        <textarea
          rows={3}
          value={draft.questions.join('\n')}
          onChange={(e) => setDraft({ ...draft, questions: e.target.value.split('\n') })}
          onBlur={() => setDraft({ ...draft, questions: draft.questions.map((q) => q.trim()).filter(Boolean) })}
        />
      </label>
      <LearnedQuestions id={id} />
      <ol className="editor-steps" aria-label="Steps">
        {draft.steps.map((step, index) => (
          <li key={index}>
            {step.image && images[step.image] && <img src={images[step.image]} alt={`Step ${index + 1} picture`} />}
            <label>
              Step {index + 1}
              <input
                aria-label={`Instruction of step ${index + 1}`}
                value={step.instruction}
                onChange={(e) => setStep(index, { instruction: e.target.value })}
              />
            </label>
            <label>
              Points at
              <input
                aria-label={`Target of step ${index + 1}`}
                value={step.target?.text ?? ''}
                placeholder="(nothing on screen)"
                onChange={(e) =>
                  setStep(index, { target: e.target.value ? { ...(step.target ?? {}), text: e.target.value } : null })
                }
              />
            </label>
            <div className="editor-step-actions">
              <button
                type="button"
                disabled={index === 0}
                onClick={() => moveStep(index, -1)}
                aria-label={`Move step ${index + 1} up`}
              >
                ↑
              </button>
              <button
                type="button"
                disabled={index === draft.steps.length - 1}
                onClick={() => moveStep(index, 1)}
                aria-label={`Move step ${index + 1} down`}
              >
                ↓
              </button>
              <button
                type="button"
                disabled={draft.steps.length === 1}
                onClick={() => setDraft({ ...draft, steps: draft.steps.filter((_, i) => i !== index) })}
                aria-label={`Delete step ${index + 1}`}
              >
                Delete
              </button>
            </div>
          </li>
        ))}
      </ol>
      <div className="editor-actions">
        <button
          type="button"
          onClick={() => setDraft({ ...draft, steps: [...draft.steps, { instruction: 'New step.', target: null }] })}
        >
          Add step
        </button>
        <button type="button" className="primary" onClick={() => void save()}>
          {readOnly ? 'Save as my copy' : 'Save'}
        </button>
      </div>
      {problem && (
        <p role="alert" className="editor-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
