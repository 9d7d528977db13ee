/**
 * The AI branch of `sidekick guide`: when no walkthrough is a sure match and an endpoint is configured in
 * the environment, the model first chooses among the library's candidates (answer `source: "library"`),
 * else writes its own plan (redacted, grounded on the screenshot) and the answer is `source: "ai"`.
 * A configured endpoint that fails gives `source: "none"` with a `reason` (exit code 0), so
 * scripts still get one JSON document and people get the next step (ask a human, fix the endpoint).
 */
import { locateWalkthroughSteps, type GuideFallback } from '../walkthroughs/answer';
import type { GuideAnswer } from '../../src-shared/walkthrough';
import { decodeImage } from '../ocr';
import { AiConversation } from './assistant';
import { endpointFromEnv } from './endpoint';
import { LIBRARY_PICK_CANDIDATES, pickFromLibrary } from './library-pick';
import { toGuideSteps } from './walkthrough';

/** A guide answer that may explain why it is empty. */
export type GuideAnswerWithReason = GuideAnswer & { reason?: string };

/** The AI fallback for `sidekick guide`, or null when the environment configures no endpoint. */
export function aiGuideFallbackFromEnv(
  image: Buffer,
  progress: (message: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): GuideFallback | null {
  const configured = endpointFromEnv(env);
  if (!configured.ok) return null;
  const { endpoint } = configured;
  return async (context): Promise<GuideAnswerWithReason | null> => {
    if (!context.screen) return null;
    const candidates = context.nearMisses.slice(0, LIBRARY_PICK_CANDIDATES).map((h) => h.entry.walkthrough);
    if (candidates.length > 0) {
      // The library first: one structured call lets the model choose a candidate or say none.
      progress(`no walkthrough is a sure match; asking ${endpoint.model} which of ${candidates.length} fits...`);
      const pick = await pickFromLibrary(endpoint, { question: context.question, app: context.app ?? '', candidates });
      if (!pick.ok) {
        progress(`AI answer failed: ${pick.failure.message}`);
        return { source: 'none', walkthrough: null, steps: [], reason: pick.failure.message };
      }
      const chosen = candidates.find((w) => w.id === pick.id);
      if (chosen)
        return {
          source: 'library',
          walkthrough: { id: chosen.id, title: chosen.title },
          steps: locateWalkthroughSteps(chosen, context.screen),
        };
    }
    progress(`no walkthrough fits; asking ${endpoint.model} at ${endpoint.baseUrl}...`);
    const conversation = new AiConversation(endpoint);
    const result = await conversation.ask({
      question: context.question,
      app: context.app ?? '',
      title: '',
      screen: context.screen,
      image: endpoint.sendImage ? await decodeImage(image) : null,
    });
    if (!result.ok) {
      progress(`AI answer failed: ${result.failure.message}`);
      return { source: 'none', walkthrough: null, steps: [], reason: result.failure.message };
    }
    for (const note of result.answer.notes) progress(note);
    return { source: 'ai', walkthrough: null, steps: toGuideSteps(result.answer.steps) };
  };
}
