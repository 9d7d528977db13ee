/**
 * Where the team gets stuck (`GET /api/v1/insights`): per app, how many requests and how fast they were
 * taken and resolved, with topics (clusters of similar questions); the walkthrough steps people asked for
 * help from or gave up at; questions nothing answered. Computed from the store's slim rows on each call.
 */
import type { Insights } from '../src-shared/team';
import { tokenize } from '../src-shared/text-match';
import type { InsightSummary, StoredUsageEvent } from './store/team-store';

/** Topics per app, examples per topic, unanswered questions and stuck steps listed at most. */
const TOPICS_PER_APP = 5;
const EXAMPLES_PER_TOPIC = 3;
const MAX_UNANSWERED = 50;
const MAX_STUCK_STEPS = 50;
/** Topics are clustered from the newest this many requests of each app. */
export const TOPIC_SAMPLE = 2000;

function roundMinutes(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

/** For each word stem of the questions, the word as people most often wrote it ("lett" → "letter"). */
function spellingsOf(questions: string[]): (stem: string) => string {
  const counts = new Map<string, Map<string, number>>();
  for (const question of questions) {
    for (const word of question.toLowerCase().split(/[^\p{L}\p{N}']+/u)) {
      const stem = word ? tokenize(word)[0] : undefined;
      if (!stem) continue;
      let forms = counts.get(stem);
      if (!forms) counts.set(stem, (forms = new Map<string, number>()));
      forms.set(word, (forms.get(word) ?? 0) + 1);
    }
  }
  return (stem) => {
    const forms = [...(counts.get(stem) ?? [])].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return forms[0]?.[0] ?? stem;
  };
}

/**
 * Clusters questions by their most shared word (the stem most questions of the app contain), labelled with
 * that word and the word most often next to it in the cluster, each as people most often wrote it.
 */
export function topicsOf(questions: string[]): Insights['apps'][number]['topics'] {
  const spelling = spellingsOf(questions);
  const tokenized = questions.map((question) => [...new Set(tokenize(question))]);
  const df = new Map<string, number>();
  for (const tokens of tokenized) for (const token of tokens) df.set(token, (df.get(token) ?? 0) + 1);
  const clusters = new Map<string, number[]>();
  tokenized.forEach((tokens, index) => {
    let key = '';
    for (const token of tokens) {
      const d = df.get(token)!;
      const best = df.get(key) ?? 0;
      if (d > best || (d === best && token < key)) key = token;
    }
    if (!key || (df.get(key) ?? 0) < 2) key = '';
    const list = clusters.get(key);
    if (list) list.push(index);
    else clusters.set(key, [index]);
  });
  const topics = [...clusters]
    .filter(([key]) => key !== '')
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .slice(0, TOPICS_PER_APP)
    .map(([key, members]) => {
      const next = new Map<string, number>();
      for (const index of members)
        for (const token of tokenized[index]!) {
          if (token !== key) next.set(token, (next.get(token) ?? 0) + 1);
        }
      const partner = [...next].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
      const examples = [...new Set(members.map((index) => questions[index]!))].slice(0, EXAMPLES_PER_TOPIC);
      const label = partner && partner[1] >= 2 ? `${spelling(key)} ${spelling(partner[0])}` : spelling(key);
      return { label, requests: members.length, examples };
    });
  return topics;
}

/** The insights document from the store's summary of requests and the usage events received since `since`. */
export function computeInsights(
  summary: InsightSummary,
  events: StoredUsageEvent[],
  days: number,
  since: string,
): Insights {
  const steps = new Map<string, { walkthroughId: string; stepIndex: number; requests: number; abandoned: number }>();
  const stepOf = (walkthroughId: string, stepIndex: number) => {
    const key = `${walkthroughId}\u0000${stepIndex}`;
    let entry = steps.get(key);
    if (!entry) steps.set(key, (entry = { walkthroughId, stepIndex, requests: 0, abandoned: 0 }));
    return entry;
  };
  for (const step of summary.stuckSteps) stepOf(step.walkthroughId, step.stepIndex).requests += step.requests;
  const apps = summary.apps.map((app) => ({
    app: app.app || '(unknown app)',
    requests: app.requests,
    resolved: app.resolved,
    medianMinutesToClaim: roundMinutes(app.medianMinutesToClaim),
    medianMinutesToResolve: roundMinutes(app.medianMinutesToResolve),
    topics: topicsOf(app.questions),
  }));
  apps.sort((a, b) => b.requests - a.requests || a.app.localeCompare(b.app));

  const walkthroughs = new Map<string, { walkthroughId: string; completed: number; abandoned: number }>();
  const unanswered = new Map<string, { question: string; app: string; count: number; lastAt: string }>();
  for (const event of events) {
    if (event.type === 'no_match') {
      const key = `${event.app}\u0000${event.question.toLowerCase().replace(/\s+/g, ' ').trim()}`;
      const entry = unanswered.get(key);
      if (entry) {
        entry.count++;
        if (event.at > entry.lastAt) entry.lastAt = event.at;
      } else unanswered.set(key, { question: event.question, app: event.app, count: 1, lastAt: event.at });
      continue;
    }
    let entry = walkthroughs.get(event.walkthroughId);
    if (!entry) {
      entry = { walkthroughId: event.walkthroughId, completed: 0, abandoned: 0 };
      walkthroughs.set(event.walkthroughId, entry);
    }
    if (event.type === 'walkthrough_completed') entry.completed++;
    else {
      entry.abandoned++;
      stepOf(event.walkthroughId, event.stepIndex).abandoned++;
    }
  }
  const byCount = (a: StepCount, b: StepCount) =>
    b.requests - a.requests ||
    b.abandoned - a.abandoned ||
    a.walkthroughId.localeCompare(b.walkthroughId) ||
    a.stepIndex - b.stepIndex;
  return {
    days,
    since,
    apps,
    stuckSteps: [...steps.values()].sort(byCount).slice(0, MAX_STUCK_STEPS),
    walkthroughs: [...walkthroughs.values()].sort(
      (a, b) => b.abandoned - a.abandoned || a.walkthroughId.localeCompare(b.walkthroughId),
    ),
    unanswered: [...unanswered.values()]
      .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt))
      .slice(0, MAX_UNANSWERED),
  };
}

type StepCount = Insights['stuckSteps'][number];
