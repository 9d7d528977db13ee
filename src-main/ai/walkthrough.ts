/**
 * AI answers in the walkthrough world: steps for the player and the `sidekick guide` document
 * (target text = the element's on-screen text), and "Save as walkthrough" as a library file.
 */
import {
  WALKTHROUGH_FORMAT,
  WalkthroughSchema,
  type GuideAnswer,
  type Walkthrough,
  type WalkthroughStep,
} from '../../src-shared/walkthrough';
import type { AiStep } from '../../src-shared/ai';

/** The label a step without an element names in double quotes ("Choose “Word Wrap”."), if any. */
export function quotedLabel(instruction: string): string | null {
  const match = /["“”‘’']([^"“”‘’']{1,60})["“”‘’']/.exec(instruction);
  return match ? match[1]!.trim() || null : null;
}

/** Target text for the player: the element's text, else a quoted label to look for once it appears. */
function targetText(step: AiStep): string | null {
  return step.target?.text ?? quotedLabel(step.instruction);
}

/** Steps in the `sidekick guide` document: located on the screenshot where the model named an element. */
export function toGuideSteps(steps: readonly AiStep[]): GuideAnswer['steps'] {
  return steps.map((step, index) => {
    const text = targetText(step);
    return { index, instruction: step.instruction, target: text ? { text, box: step.target?.box ?? null } : null };
  });
}

/** Steps in the walkthrough format, for the player and for saving. */
export function toWalkthroughSteps(steps: readonly AiStep[]): WalkthroughStep[] {
  return steps.map((step) => {
    const text = targetText(step)?.slice(0, 200);
    return text ? { instruction: step.instruction, target: { text } } : { instruction: step.instruction };
  });
}

/** What to record about the answer being saved. */
export interface SaveAsWalkthroughInput {
  question: string;
  app: string;
  steps: readonly AiStep[];
  author?: string;
  now?: Date;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'answer'
  );
}

/** "Save as walkthrough": turns a good AI answer into a valid `sidekick.walkthrough/1` document. */
export function answerToWalkthrough(input: SaveAsWalkthroughInput): Walkthrough {
  const question = input.question.trim().slice(0, 200);
  const appName = input.app.trim() || 'Any application';
  const title = question.charAt(0).toUpperCase() + question.slice(1).replace(/\?+$/, '');
  const doc = {
    format: WALKTHROUGH_FORMAT,
    id: `${slug(input.app)}-${slug(question)}`.slice(0, 100).replace(/-+$/, ''),
    title: title.slice(0, 200),
    app: { name: appName.slice(0, 200), match: input.app.trim() ? [input.app.trim().toLowerCase().slice(0, 200)] : [] },
    questions: [question],
    tags: ['ai'],
    steps: toWalkthroughSteps(input.steps),
    ...(input.author ? { author: input.author } : {}),
    updated: (input.now ?? new Date()).toISOString(),
  };
  return WalkthroughSchema.parse(doc);
}
