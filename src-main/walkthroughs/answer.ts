/**
 * Answering "how do I …": the best library walkthrough with its steps located on the current
 * screen, else whatever a fallback (the AI) offers, else `source: "none"` so the UI offers a human.
 */
import type { ScreenText } from '../../src-shared/screen';
import type { GuideAnswer, LibraryEntry, Walkthrough } from '../../src-shared/walkthrough';
import { locateLabel } from '../screen';
import { WalkthroughIndex, type SearchHit } from './search';

/** What a fallback gets when no walkthrough fits (the AI, see src-main/ai/guide-fallback.ts). */
export interface GuideFallbackContext {
  question: string;
  app: string | null;
  screen: ScreenText | null;
  /** The best library candidates, all below the confidence threshold. */
  nearMisses: SearchHit[];
}

/** Called when no walkthrough is good enough; returns an answer (e.g. `source: "ai"`) or null. */
export type GuideFallback = (context: GuideFallbackContext) => Promise<GuideAnswer | null>;

/** Input for `answerQuestion`. */
export interface AnswerRequest {
  question: string;
  app?: string | null;
  screen?: ScreenText | null;
  /** The library to search (an index is built when entries are given). */
  library: WalkthroughIndex | LibraryEntry[];
  fallback?: GuideFallback;
}

/** A guide answer plus how it was chosen (for UIs and logs; `answer` is the CLI document). */
export interface AnswerResult {
  answer: GuideAnswer;
  hit: SearchHit | null;
  ranked: SearchHit[];
}

/** Steps of a walkthrough as the guide document lists them, located on `screen` where visible. */
export function locateWalkthroughSteps(walkthrough: Walkthrough, screen: ScreenText | null | undefined): GuideAnswer['steps'] {
  return walkthrough.steps.map((step, index) => {
    if (!step.target) return { index, instruction: step.instruction, target: null };
    let box = null;
    if (screen) {
      const match = locateLabel(screen, step.target.text, { near: step.target.near, region: step.target.region });
      box = match.box;
    }
    return { index, instruction: step.instruction, target: { text: step.target.text, box } };
  });
}

/** Answers a question from the library, then the fallback, else with `source: "none"`. */
export async function answerQuestion(request: AnswerRequest): Promise<AnswerResult> {
  const index = request.library instanceof WalkthroughIndex ? request.library : new WalkthroughIndex(request.library);
  const context = { app: request.app ?? null, screen: request.screen ?? null };
  const { hit, ranked } = index.best(request.question, context);
  if (hit) {
    const w = hit.entry.walkthrough;
    return {
      answer: { source: 'library', walkthrough: { id: w.id, title: w.title }, steps: locateWalkthroughSteps(w, request.screen) },
      hit,
      ranked,
    };
  }
  if (request.fallback) {
    const fromFallback = await request.fallback({ question: request.question, app: context.app, screen: context.screen, nearMisses: ranked });
    if (fromFallback) return { answer: fromFallback, hit: null, ranked };
  }
  return { answer: { source: 'none', walkthrough: null, steps: [] }, hit: null, ranked };
}
