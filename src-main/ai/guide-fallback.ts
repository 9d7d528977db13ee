/**
 * The AI branch of `sidekick guide`: when no walkthrough fits and an endpoint is configured in the
 * environment, ask the model (redacted, grounded on the screenshot) and answer `source: "ai"`.
 * A configured endpoint that fails gives `source: "none"` with a `reason` (exit code 0), so
 * scripts still get one JSON document and people get the next step (ask a human, fix the endpoint).
 */
import type { GuideFallback } from '../walkthroughs/answer';
import type { GuideAnswer } from '../../src-shared/walkthrough';
import { decodeImage } from '../ocr';
import { AiConversation } from './assistant';
import { endpointFromEnv } from './endpoint';
import { toGuideSteps } from './walkthrough';

/** A guide answer that may explain why it is empty. */
export type GuideAnswerWithReason = GuideAnswer & { reason?: string };

/** The AI fallback for `sidekick guide`, or null when the environment configures no endpoint. */
export function aiGuideFallbackFromEnv(image: Buffer, progress: (message: string) => void, env: NodeJS.ProcessEnv = process.env): GuideFallback | null {
  const configured = endpointFromEnv(env);
  if (!configured.ok) return null;
  const { endpoint } = configured;
  return async (context): Promise<GuideAnswerWithReason | null> => {
    if (!context.screen) return null;
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
