/**
 * "Write a walkthrough for this": a small editor, prefilled from an Insights topic or unanswered question,
 * where a helper writes the steps (an instruction and the on-screen label it points at). The walkthrough is
 * checked with the desktop's own schema (src-shared/walkthrough.ts) before it is saved to the team library, so
 * what is saved is what every member's Sidekick can play.
 */
import { useState } from 'react';
import type { Me } from '../../src-shared/team';
import {
  formatFieldPath,
  WALKTHROUGH_FORMAT,
  WALKTHROUGH_LIMITS,
  WalkthroughSchema,
  type Walkthrough,
} from '../../src-shared/walkthrough';
import type { InsightsApi } from './insights-api';
import { libraryIdFor } from './SaveTipForm';

/** What the editor starts with. */
export interface WalkthroughSeed {
  title: string;
  app: string;
  questions: string[];
}

interface StepDraft {
  instruction: string;
  target: string;
}

const EMPTY_STEP: StepDraft = { instruction: '', target: '' };

/** Words for a schema field path: `steps[1].target.text` → "Step 2, on-screen label". */
function fieldName(path: string, stepNumbers: number[]): string {
  const step = /^steps\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (step) {
    const number = stepNumbers[Number(step[1])] ?? Number(step[1]) + 1;
    return `Step ${number}${step[2] === 'target' ? ', on-screen label' : step[2] ? ', instruction' : ''}`;
  }
  if (path.startsWith('app')) return 'App';
  if (path.startsWith('questions')) return 'Questions';
  if (path === 'steps') return 'Steps';
  return path ? path[0]!.toUpperCase() + path.slice(1) : 'Walkthrough';
}

/** The walkthrough the form describes, or the problems in words (field first). */
export function walkthroughFromDraft(
  input: { title: string; app: string; questions: string; steps: StepDraft[]; author: string },
  id = libraryIdFor(input.title),
): { ok: true; walkthrough: Walkthrough } | { ok: false; problems: string[] } {
  const written = input.steps
    .map((step, index) => ({ step, number: index + 1 }))
    .filter(({ step }) => step.instruction.trim() || step.target.trim());
  const app = input.app.trim();
  const doc = {
    format: WALKTHROUGH_FORMAT,
    id,
    title: input.title.trim(),
    app: { name: app, match: app ? [app.toLowerCase().slice(0, WALKTHROUGH_LIMITS.shortText)] : [] },
    questions: input.questions
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    tags: ['from-insights'],
    steps: written.map(({ step }) => ({
      instruction: step.instruction.trim(),
      ...(step.target.trim() ? { target: { text: step.target.trim() } } : {}),
    })),
    author: input.author.slice(0, WALKTHROUGH_LIMITS.shortText),
    updated: new Date().toISOString(),
  };
  const parsed = WalkthroughSchema.safeParse(doc);
  if (parsed.success) return { ok: true, walkthrough: parsed.data };
  const numbers = written.map(({ number }) => number);
  const problems = parsed.error.issues.map((issue) => {
    const field = fieldName(formatFieldPath(issue.path), numbers);
    if (issue.code === 'too_small' && issue.path[0] === 'steps' && issue.path.length === 1)
      return 'Steps: write at least one step (an instruction, and the label it points at).';
    if (issue.code === 'too_small') return `${field}: fill this in.`;
    if (issue.code === 'too_big')
      return issue.origin === 'array'
        ? `${field}: at most ${String(issue.maximum)}.`
        : `${field}: too long (at most ${String(issue.maximum)} characters).`;
    return `${field}: ${issue.message}`;
  });
  return { ok: false, problems: [...new Set(problems)] };
}

/** The editor, as a dialog over the Insights page. */
export function WalkthroughDraftForm({
  api,
  me,
  seed,
  onClose,
}: {
  api: InsightsApi;
  me: Me;
  seed: WalkthroughSeed;
  onClose: () => void;
}) {
  const [title, setTitle] = useState(seed.title.slice(0, WALKTHROUGH_LIMITS.shortText));
  const [app, setApp] = useState(seed.app === '(unknown app)' ? '' : seed.app);
  const [questions, setQuestions] = useState(
    seed.questions.map((question) => question.slice(0, WALKTHROUGH_LIMITS.shortText)).join('\n'),
  );
  const [steps, setSteps] = useState<StepDraft[]>([EMPTY_STEP, EMPTY_STEP]);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const change = (index: number, patch: Partial<StepDraft>) =>
    setSteps((current) => current.map((step, i) => (i === index ? { ...step, ...patch } : step)));
  const move = (index: number, by: number) =>
    setSteps((current) => {
      const next = [...current];
      const [step] = next.splice(index, 1);
      next.splice(index + by, 0, step!);
      return next;
    });

  const save = () => {
    const result = walkthroughFromDraft({ title, app, questions, steps, author: me.member.name });
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    setProblems([]);
    setBusy(true);
    api
      .saveWalkthrough(result.walkthrough)
      .then(
        (answer) => setSaved(answer.item.id),
        (failure: Error) => setProblems([failure.message]),
      )
      .finally(() => setBusy(false));
  };

  return (
    <div
      className="dialog-backdrop"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className="walkthrough-draft" role="dialog" aria-modal="true" aria-labelledby="draft-heading">
        <h2 id="draft-heading">Write a walkthrough</h2>
        {saved ? (
          <div data-testid="draft-saved">
            <p>
              Saved to the team library as <code>{saved}</code>. Every member's Sidekick syncs it and offers it for
              questions like these.
            </p>
            <button type="button" onClick={onClose} data-testid="draft-close">
              Close
            </button>
          </div>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              save();
            }}
          >
            <label>
              Title
              <input
                data-testid="draft-title"
                value={title}
                maxLength={WALKTHROUGH_LIMITS.shortText}
                onChange={(event) => setTitle(event.target.value)}
              />
            </label>
            <label>
              App
              <input data-testid="draft-app" value={app} onChange={(event) => setApp(event.target.value)} />
            </label>
            <label>
              Questions it answers (one per line)
              <textarea
                data-testid="draft-questions"
                rows={3}
                value={questions}
                onChange={(event) => setQuestions(event.target.value)}
              />
            </label>
            <fieldset>
              <legend>Steps</legend>
              <p className="hint">
                One action per step. The label is the text of the button or menu as it appears on screen, so Sidekick
                can point at it; leave it empty for a step with nothing to point at.
              </p>
              <ol className="draft-steps">
                {steps.map((step, index) => (
                  <li key={index} data-testid="draft-step">
                    <input
                      autoFocus={index === 0}
                      aria-label={`Step ${index + 1} instruction`}
                      placeholder="Open the View menu."
                      value={step.instruction}
                      onChange={(event) => change(index, { instruction: event.target.value })}
                      data-testid="draft-step-instruction"
                    />
                    <input
                      aria-label={`Step ${index + 1} on-screen label`}
                      placeholder="View"
                      value={step.target}
                      onChange={(event) => change(index, { target: event.target.value })}
                      data-testid="draft-step-target"
                    />
                    <span className="step-tools">
                      <button
                        type="button"
                        aria-label={`Move step ${index + 1} up`}
                        disabled={index === 0}
                        onClick={() => move(index, -1)}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        aria-label={`Move step ${index + 1} down`}
                        disabled={index === steps.length - 1}
                        onClick={() => move(index, 1)}
                      >
                        ↓
                      </button>
                      <button
                        type="button"
                        aria-label={`Remove step ${index + 1}`}
                        disabled={steps.length === 1}
                        onClick={() => setSteps((current) => current.filter((_, i) => i !== index))}
                      >
                        ✕
                      </button>
                    </span>
                  </li>
                ))}
              </ol>
              <button
                type="button"
                data-testid="draft-add-step"
                disabled={steps.length >= WALKTHROUGH_LIMITS.steps}
                onClick={() => setSteps((current) => [...current, EMPTY_STEP])}
              >
                Add a step
              </button>
            </fieldset>
            {problems.length > 0 && (
              <ul className="error" role="alert" data-testid="draft-problems">
                {problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            )}
            <p className="draft-actions">
              <button className="primary" data-testid="draft-save" disabled={busy}>
                Save to team library
              </button>
              <button type="button" className="link" onClick={onClose}>
                Cancel
              </button>
            </p>
          </form>
        )}
      </div>
    </div>
  );
}
