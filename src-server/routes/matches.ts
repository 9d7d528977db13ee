/** `GET /api/v1/requests/:id/matches`: the team library's walkthroughs and tips that may answer a request. */
import { LibraryMatcher } from '../library-matches';
import { callerOf } from './auth';
import { readableRequest, type TeamApp, type TeamContext } from './context';
import { ID_NAMES, ServerIdParams } from './ids';

/** `GET /api/v1/requests/:id/matches` (helpers and admins). */
export async function matchRoutes(app: TeamApp, ctx: TeamContext): Promise<void> {
  const matcher = new LibraryMatcher(ctx.store);
  app.get(
    '/api/v1/requests/:id/matches',
    {
      schema: { params: ServerIdParams },
      config: {
        roles: ['helper', 'admin'],
        action: "see the team library's matches for a request",
        names: { id: ID_NAMES.request },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const current = await readableRequest(ctx, caller, request.params.id);
      return matcher.matches(caller.team.id, current);
    },
  );
}
