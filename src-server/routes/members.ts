/** Membership: who am I, sign this device out, list members (helpers, admins), change roles and revoke (admins). */
import { STREAM_CLOSE, UpdateMemberBodySchema } from '../../src-shared/team';
import { callerOf } from './auth';
import type { TeamApp, TeamContext } from './context';
import { HttpError } from './errors';
import { ID_NAMES, NoBodySchema, ServerIdParams } from './ids';

/** `/api/v1/me` and `/api/v1/members`. */
export async function memberRoutes(app: TeamApp, ctx: TeamContext): Promise<void> {
  app.get('/api/v1/me', async (request) => {
    const caller = callerOf(request);
    return { member: caller.member, team: caller.team };
  });

  app.delete('/api/v1/me/token', async (request) => {
    const caller = callerOf(request);
    await ctx.store.revokeToken(caller.tokenHash);
    ctx.hub.disconnectToken(caller.team.id, caller.tokenHash, 'token revoked');
    return { revoked: true };
  });

  app.get('/api/v1/members', { config: { roles: ['helper', 'admin'], action: 'list members' } }, async (request) => ({
    members: await ctx.store.listMembers(callerOf(request).team.id),
  }));

  app.patch(
    '/api/v1/members/:id',
    {
      schema: { params: ServerIdParams, body: UpdateMemberBodySchema },
      config: { roles: ['admin'], action: 'change roles', names: { id: ID_NAMES.member, body: 'member update' } },
    },
    async (request) => {
      const caller = callerOf(request);
      const { id } = request.params;
      const member = await ctx.store.setMemberRole(caller.team.id, id, request.body.role);
      if (!member) throw new HttpError(404, 'not_found', `member ${id} was not found in your team`);
      ctx.hub.disconnectMember(caller.team.id, id, STREAM_CLOSE.reconnect, 'role changed; reconnect');
      return { member };
    },
  );

  app.post(
    '/api/v1/members/:id/revoke',
    {
      schema: { params: ServerIdParams, body: NoBodySchema },
      config: { roles: ['admin'], action: 'revoke members', names: { id: ID_NAMES.member, body: 'revoke body' } },
    },
    async (request) => {
      const caller = callerOf(request);
      const { id } = request.params;
      const member = await ctx.store.revokeMember(caller.team.id, id);
      if (!member) throw new HttpError(404, 'not_found', `member ${id} was not found in your team`);
      ctx.hub.disconnectMember(caller.team.id, id, STREAM_CLOSE.unauthorized, 'membership revoked');
      return { member };
    },
  );
}
