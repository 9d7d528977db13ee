/**
 * Who knows what and where the team gets stuck: suggested helpers for a request, the team's insights, and
 * the opt-in usage events the desktop sends for them.
 */
import { InsightsQuerySchema, UsageEventsBodySchema } from '../../src-shared/team';
import { computeInsights, TOPIC_SAMPLE } from '../insights';
import { RateLimiter, type RateLimitOptions } from '../rate-limit';
import { callerOf, takeOrThrow } from './auth';
import { availabilityNow, readableRequest, type TeamApp, type TeamContext } from './context';
import { HttpError } from './errors';
import { ID_NAMES, ServerIdParams } from './ids';

/** Usage event batches per member: one a second, bursts of 10 (a desktop sends one batch every few minutes). */
export const USAGE_EVENTS_RATE_LIMIT: RateLimitOptions = { perSecond: 1, burst: 10 };
const DAY_MS = 24 * 3600_000;

/** `GET /api/v1/requests/:id/suggestions`, `GET /api/v1/insights`, `POST /api/v1/events`. */
export async function expertiseRoutes(app: TeamApp, ctx: TeamContext): Promise<void> {
  const eventBatches = new RateLimiter(USAGE_EVENTS_RATE_LIMIT);

  app.get(
    '/api/v1/requests/:id/suggestions',
    {
      schema: { params: ServerIdParams },
      config: { roles: ['helper', 'admin'], action: 'see suggested helpers', names: { id: ID_NAMES.request } },
    },
    async (request) => {
      const caller = callerOf(request);
      const teamId = caller.team.id;
      const current = await readableRequest(ctx, caller, request.params.id);
      const [members, now] = await Promise.all([ctx.store.listMembers(teamId), availabilityNow(ctx, teamId)]);
      return ctx.expertise.suggest(teamId, current, members, now);
    },
  );

  app.get(
    '/api/v1/insights',
    {
      schema: { querystring: InsightsQuerySchema },
      config: { roles: ['helper', 'admin'], action: "see the team's insights" },
    },
    async (request) => {
      const teamId = callerOf(request).team.id;
      const { days } = request.query;
      const since = new Date(Date.now() - days * DAY_MS).toISOString();
      const [summary, events] = await Promise.all([
        ctx.store.insightSummary(teamId, since, TOPIC_SAMPLE),
        ctx.store.usageEvents(teamId, since),
      ]);
      return computeInsights(summary, events, days, since);
    },
  );

  app.post(
    '/api/v1/events',
    { schema: { body: UsageEventsBodySchema }, config: { names: { body: 'usage events' } } },
    async (request) => {
      const caller = callerOf(request);
      const { teamId, events } = request.body;
      if (teamId !== undefined && teamId !== caller.team.id) {
        throw new HttpError(
          403,
          'wrong_team',
          `these events are for team ${teamId} but your token belongs to team ${caller.team.id}; ` +
            'sign the desktop in to that team again before sharing usage with it',
        );
      }
      takeOrThrow(eventBatches, caller.member.id, 'usage event batches from you');
      const { stored } = await ctx.store.recordUsageEvents(caller, events);
      return { accepted: events.length, stored };
    },
  );
}
