/**
 * The public routes: `GET /health` and `POST /join` (redeem an invite for a token). Invite
 * redemptions are limited per client address by @fastify/rate-limit: a per-route limit keyed by the
 * address is exactly what it does, so nothing is hand-written here.
 */
import { JoinBodySchema, TEAM_PROTOCOL } from '../../src-shared/team';
import { hashSecret, newToken } from '../secrets';
import type { TeamApp, TeamContext } from './context';
import { HttpError, rateLimited } from './errors';

/** Invite redemptions per client address (IPv6: per /64): 60 in any 3 s window, i.e. 20 a second. */
export const JOIN_RATE_LIMIT = { max: 60, timeWindowMs: 3000 };

/** `GET /api/v1/health` and `POST /api/v1/join`. */
export async function joinRoutes(app: TeamApp, ctx: TeamContext): Promise<void> {
  app.get('/api/v1/health', async () => ({ ok: true, protocol: TEAM_PROTOCOL }));

  app.post(
    '/api/v1/join',
    {
      schema: { body: JoinBodySchema },
      config: {
        names: { body: 'join body' },
        rateLimit: {
          max: JOIN_RATE_LIMIT.max,
          timeWindow: JOIN_RATE_LIMIT.timeWindowMs,
          // After the body parser, before the schema: where the hand-written check ran.
          hook: 'preValidation',
          errorResponseBuilder: (_request, context) => rateLimited('invite redemptions from your address', context.ttl),
        },
      },
    },
    async (request) => {
      const token = newToken();
      const { invite, name } = request.body;
      const result = await ctx.store.redeemInvite(hashSecret(invite.trim()), name, hashSecret(token));
      if (!result.ok) throw new HttpError(403, 'invite_invalid', result.message);
      return { token, member: result.member, team: result.team };
    },
  );
}
