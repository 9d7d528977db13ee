/** Invites (admins only): list, create (code and link shown once), revoke. */
import { CreateInviteBodySchema, type Role } from '../../src-shared/team';
import { hashSecret, newInviteCode } from '../secrets';
import type { TeamStore } from '../store/team-store';
import { callerOf } from './auth';
import type { TeamApp, TeamContext } from './context';
import { HttpError } from './errors';
import { ID_NAMES, ServerIdParams } from './ids';

/** Issues an invite for a team: stores the code's hash, returns code and link. */
export async function issueInvite(
  store: TeamStore,
  publicUrl: string,
  teamId: string,
  input: { role: Role; maxUses: number; expiresInHours: number },
): Promise<{ code: string; link: string; invite: Awaited<ReturnType<TeamStore['createInvite']>> }> {
  const code = newInviteCode();
  const expiresAt = new Date(Date.now() + input.expiresInHours * 3600_000).toISOString();
  const invite = await store.createInvite(teamId, {
    role: input.role,
    codeHash: hashSecret(code),
    maxUses: input.maxUses,
    expiresAt,
  });
  return { code, link: `${publicUrl}/#join=${code}`, invite };
}

/** `/api/v1/invites`. */
export async function inviteRoutes(app: TeamApp, ctx: TeamContext): Promise<void> {
  app.get('/api/v1/invites', { config: { roles: ['admin'], action: 'list invites' } }, async (request) => ({
    invites: await ctx.store.listInvites(callerOf(request).team.id),
  }));

  app.post(
    '/api/v1/invites',
    {
      schema: { body: CreateInviteBodySchema },
      config: { roles: ['admin'], action: 'create invites', names: { body: 'invite' } },
    },
    async (request) => {
      const { code, link, invite } = await issueInvite(
        ctx.store,
        ctx.publicUrl(),
        callerOf(request).team.id,
        request.body,
      );
      return { invite, code, link };
    },
  );

  app.delete(
    '/api/v1/invites/:id',
    {
      schema: { params: ServerIdParams },
      config: { roles: ['admin'], action: 'revoke invites', names: { id: ID_NAMES.invite } },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await ctx.store.revokeInvite(callerOf(request).team.id, id)))
        throw new HttpError(404, 'not_found', `invite ${id} was not found in your team`);
      return { revoked: true };
    },
  );
}
