/**
 * Answering "how do I …": the best library walkthrough with its steps located on the current
 * screen, else whatever a fallback (the AI) offers, else `source: "none"` so the UI offers a human.
 */
import type { ScreenText } from '../../src-shared/screen';
import type { GuideAnswer, LibraryEntry, Walkthrough } from '../../src-shared/walkthrough';
import { locateLabel } from '../screen';
import {
  closeHits,
  isLabelVisible,
  visibleTexts,
  WalkthroughIndex,
  type SearchHit,
} from '../../src-shared/search/walkthrough-search';

/** The app a question is about, and how Sidekick knows: given (`--app`, the focused window) or read off the screen. */
export interface AssumedApp {
  name: string | null;
  source: 'flag' | 'window' | 'screen-text' | 'none';
}

/** One ranked walkthrough as the guide document and the overlay list it. */
export interface GuideCandidate {
  id: string;
  title: string;
  app: string;
  /** Relevance, comparable within one answer. */
  score: number;
}

/** Up to `limit` candidates worth showing: the chosen one first, then those close to the best. */
export function candidatesOf(ranked: SearchHit[], limit = 5): GuideCandidate[] {
  return closeHits(ranked, limit).map((h) => ({
    id: h.entry.walkthrough.id,
    title: h.entry.walkthrough.title,
    app: h.entry.walkthrough.app.name,
    score: h.score,
  }));
}

/**
 * Which library app a screenshot shows, from its text alone: the app's name on screen (a title bar),
 * else the share of its walkthroughs' menu labels that are visible. Null when no app stands out.
 */
export function inferAppFromScreen(screen: ScreenText, entries: LibraryEntry[]): string | null {
  const visible = visibleTexts(screen);
  const words = new Set([...visible].flatMap((t) => t.split(' ')));
  const apps = new Map<string, { name: string; keys: string[]; labels: Set<string> }>();
  for (const { walkthrough: w } of entries) {
    const key = w.app.name.toLowerCase();
    const app = apps.get(key) ?? {
      name: w.app.name,
      keys: [key, ...w.app.match.map((m) => m.toLowerCase())],
      labels: new Set<string>(),
    };
    for (const step of w.steps) if (step.target) app.labels.add(step.target.text);
    apps.set(key, app);
  }
  const scored = [...apps.values()].map((app) => {
    const named = app.keys.some((k) => k.length >= 3 && (words.has(k) || [...visible].some((t) => t.includes(k))));
    const labels = [...app.labels];
    const seen = labels.filter((l) => isLabelVisible(l, visible)).length;
    return { name: app.name, named, share: labels.length ? seen / labels.length : 0 };
  });
  const named = scored.filter((s) => s.named);
  if (named.length === 1) return named[0]!.name;
  const pool = named.length > 1 ? named : scored;
  pool.sort((a, b) => b.share - a.share);
  const [best, second] = pool;
  // Menu labels like "View" and "Edit" are everywhere: the best app must see clearly more of its own.
  if (best && best.share >= 0.3 && best.share - (second?.share ?? 0) >= 0.1) return best.name;
  return null;
}

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
  /** Search every app's walkthroughs, not just `app`'s (the person asked for that). */
  allApps?: boolean;
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
  /** Best first, up to 5; the chosen walkthrough first when there is one. */
  candidates: GuideCandidate[];
  /** 0..1: how sure search is of its best match (0 when nothing matched). */
  confidence: number;
}

/** Steps of a walkthrough as the guide document lists them, located on `screen` where visible. */
export function locateWalkthroughSteps(
  walkthrough: Walkthrough,
  screen: ScreenText | null | undefined,
): GuideAnswer['steps'] {
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
  const context = { app: request.app ?? null, screen: request.screen ?? null, allApps: !!request.allApps };
  const { hit, ranked } = index.best(request.question, context);
  const found = { ranked, candidates: candidatesOf(ranked), confidence: ranked[0]?.confidence ?? 0 };
  if (hit) {
    const w = hit.entry.walkthrough;
    const answer: GuideAnswer = {
      source: 'library',
      walkthrough: { id: w.id, title: w.title },
      steps: locateWalkthroughSteps(w, request.screen),
    };
    return { answer, hit, ...found };
  }
  if (request.fallback) {
    const fromFallback = await request.fallback({
      question: request.question,
      app: context.app,
      screen: context.screen,
      nearMisses: ranked,
    });
    if (fromFallback) {
      // The AI may pick one of the candidates: then that walkthrough is the chosen one and comes first.
      const picked = fromFallback.walkthrough
        ? (ranked.find((h) => h.entry.walkthrough.id === fromFallback.walkthrough!.id) ?? null)
        : null;
      const candidates = picked
        ? [...candidatesOf([picked]), ...found.candidates.filter((c) => c.id !== picked.entry.walkthrough.id)].slice(
            0,
            5,
          )
        : found.candidates;
      return { answer: fromFallback, hit: picked, ...found, candidates };
    }
  }
  return { answer: { source: 'none', walkthrough: null, steps: [] }, hit: null, ...found };
}
