/**
 * Team tips as the walkthrough search and the player see them. Shared by the desktop (which loads synced tips
 * from disk) and the team server (which ranks its library for a help request), so both index a tip alike.
 */
import { type TipDoc } from '../team';
import { WALKTHROUGH_FORMAT, WALKTHROUGH_LIMITS, WalkthroughSchema, type Walkthrough } from '../walkthrough';

/**
 * A team tip (a helper's answer pinned to an app and on-screen labels) as a one-step walkthrough:
 * its text, pointing at the first label, so search, suggestions and the player serve tips too.
 */
export function tipAsWalkthrough(tip: TipDoc): Walkthrough {
  const [first, ...others] = tip.labels;
  return WalkthroughSchema.parse({
    format: WALKTHROUGH_FORMAT,
    id: tip.id,
    title: tip.title,
    app: { name: tip.app.name, match: tip.app.match ?? [] },
    questions: tip.questions ?? [],
    tags: ['tip', ...others.map((label) => label.slice(0, 50))].slice(0, WALKTHROUGH_LIMITS.tags),
    steps: [{ instruction: tip.body.trim() || tip.title, target: first ? { text: first } : null }],
    ...(tip.author ? { author: tip.author } : {}),
    ...(tip.updated ? { updated: tip.updated } : {}),
  });
}
