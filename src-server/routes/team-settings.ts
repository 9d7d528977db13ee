/**
 * Who gets a new request first, and who knows what: the team's settings (`GET`/`PATCH /api/v1/team/settings`)
 * and the people directory (`GET /api/v1/people?q=…`). Routing itself is stamped on each request when it is
 * created (routes/requests.ts, `routeNewRequest`).
 */
import { PeopleQuerySchema, UpdateTeamSettingsBodySchema } from '../../src-shared/team';
import { callerOf } from './auth';
import type { TeamApp, TeamContext } from './context';

/** `/api/v1/team/settings` and `/api/v1/people`. */
export async function teamSettingsRoutes(app: TeamApp, ctx: TeamContext): Promise<void> {
  app.get('/api/v1/team/settings', async (request) => {
    const caller = callerOf(request);
    const answer = await ctx.store.teamSettings(caller.team.id);
    // Members read the settings that shape what they see; who changed them is for helpers and admins.
    return caller.member.role === 'member' ? { ...answer, updatedAt: null, updatedBy: null } : answer;
  });

  app.patch(
    '/api/v1/team/settings',
    {
      schema: { body: UpdateTeamSettingsBodySchema },
      config: { roles: ['admin'], action: "change the team's settings", names: { body: 'team settings' } },
    },
    async (request) => {
      const caller = callerOf(request);
      const body = request.body;
      return ctx.store.updateTeamSettings(caller, {
        ...(body.routeToTeamAfterMinutes !== undefined
          ? { routeToTeamAfterMinutes: body.routeToTeamAfterMinutes }
          : {}),
        ...(body.showHelperNamesToRequester !== undefined
          ? { showHelperNamesToRequester: body.showHelperNamesToRequester }
          : {}),
      });
    },
  );

  app.get(
    '/api/v1/people',
    {
      schema: { querystring: PeopleQuerySchema },
      config: { roles: ['helper', 'admin'], action: 'see who knows what' },
    },
    async (request) => {
      const teamId = callerOf(request).team.id;
      const { q } = request.query;
      const members = await ctx.store.listMembers(teamId);
      return { q, people: await ctx.expertise.profiles(teamId, members, q) };
    },
  );
}
