/**
 * The one authorization step of the REST API: a hook on the scope that holds every authenticated
 * route. It reads the bearer token, finds the caller, takes one call from the token's rate limit and
 * checks the route's `config.roles`; handlers read the caller with `callerOf(request)`.
 *
 * It runs as `preValidation` (after the body is parsed, before the zod schemas): a caller without a
 * valid token gets 401 and one without the role 403 before their input is judged, as before the split.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashSecret } from '../secrets';
import type { RateLimiter } from '../rate-limit';
import type { AuthedCaller, TeamContext } from './context';
import { requireRole } from './context';
import { HttpError, rateLimited } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on authenticated routes; read it with `callerOf`. */
    caller: AuthedCaller | null;
  }
}

/** Takes one call from `bucket` for `key`, or throws the 429. */
export function takeOrThrow(bucket: RateLimiter, key: string, what: string): void {
  const decision = bucket.take(key);
  if (!decision.ok) throw rateLimited(what, decision.retryAfterMs);
}

/**
 * Checks the bearer token and the per-token rate limit. Calls without a valid token count against
 * their client address, so guessing tokens is slowed down (429) without blocking valid tokens.
 */
async function authenticate(ctx: TeamContext, request: FastifyRequest): Promise<AuthedCaller> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) {
    takeOrThrow(ctx.limits.badTokens, request.ip, 'calls without a valid token from your address');
    throw new HttpError(
      401,
      'unauthorized',
      "send your team token as 'Authorization: Bearer <token>' (get one by joining with an invite link)",
    );
  }
  const tokenHash = hashSecret(match[1]);
  const caller = await ctx.store.authenticate(tokenHash);
  if (!caller) {
    takeOrThrow(ctx.limits.badTokens, request.ip, 'calls with unknown tokens from your address');
    throw new HttpError(
      401,
      'unauthorized',
      'this token is unknown or was revoked; join again with a new invite link from your team admin',
    );
  }
  takeOrThrow(ctx.limits.calls, tokenHash, 'calls with this token');
  return { ...caller, tokenHash };
}

/** Makes every route registered on `scope` (and its children) require a team token. */
export function requireToken(scope: FastifyInstance, ctx: TeamContext): void {
  scope.decorateRequest('caller', null);
  scope.addHook('preValidation', async (request) => {
    const caller = await authenticate(ctx, request);
    const { roles, action } = request.routeOptions.config;
    if (roles) requireRole(caller, roles, action ?? 'do this');
    request.caller = caller;
  });
}

/** The authenticated caller of a request on a `requireToken` scope. */
export function callerOf(request: FastifyRequest): AuthedCaller {
  if (!request.caller) throw new Error(`${request.method} ${request.url} is not behind requireToken`);
  return request.caller;
}
