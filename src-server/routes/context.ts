/**
 * What every route plugin of the team server gets: the store, the live hub, the rate limiters and the
 * public URL, plus the few helpers several resources share. The route config keys the auth hook and
 * the error handler read are declared here.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HelpRequest, Member, Role, TeamEvent } from '../../src-shared/team';
import type { ClusterFeed } from '../cluster-feed';
import type { Availability, ExpertiseService } from '../expertise';
import type { LiveHub } from '../live-hub';
import type { RateLimiter } from '../rate-limit';
import type { Caller, TeamStore } from '../store/team-store';
import { HttpError } from './errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed besides none (checked by the auth hook after the token); with `action` for the 403. */
    roles?: Array<Exclude<Role, 'member'>>;
    /** What the route does, for the 403 message: "only admins can <action>". */
    action?: string;
    /** How validation errors name the input: the body ("help request") and the path id ("member id"). */
    names?: { body?: string; id?: string };
  }
}

/** The hand-written limiters the server keeps (see team-server.ts for why these are not @fastify/rate-limit). */
export interface TeamLimiters {
  /** Per token hash: REST calls and WebSocket sends share it. */
  calls: RateLimiter;
  /** Per token hash: WebSocket connects. */
  connects: RateLimiter;
  /** Per client address: calls and connects with a missing, unknown or revoked token. */
  badTokens: RateLimiter;
}

/** The options every route plugin is registered with. */
export type TeamContext = {
  store: TeamStore;
  hub: LiveHub;
  feed: ClusterFeed;
  /** Who knows what: the per-team expertise indexes of this instance. */
  expertise: ExpertiseService;
  limits: TeamLimiters;
  /** The URL people use to reach the server (known once it listens). */
  publicUrl(): string;
};

/** The Fastify instance a route plugin gets: typed by the zod schemas of its routes. */
export type TeamApp = Parameters<FastifyPluginAsyncZod<TeamContext>>[0];

/** A caller with the hash of the token it authenticated with. */
export type AuthedCaller = Caller & { tokenHash: string };

/** Delivers committed events to the live connections of this instance (other instances hear the store). */
export function publish(ctx: TeamContext, teamId: string, events: TeamEvent[], requesterId: string | null): void {
  if (events.length) ctx.hub.publish(teamId, events, requesterId);
}

/** The 403 unless the caller has one of `roles`. */
export function requireRole(caller: Caller, roles: ReadonlyArray<Exclude<Role, 'member'>>, what: string): void {
  if (!(roles as readonly string[]).includes(caller.member.role)) {
    throw new HttpError(403, 'forbidden', `only ${roles.join(' or ')}s can ${what}; you are a ${caller.member.role}`);
  }
}

/** The request if the caller may read it; 404 otherwise (never reveals other teams' ids). */
export async function readableRequest(ctx: TeamContext, caller: Caller, requestId: string): Promise<HelpRequest> {
  const request = await ctx.store.getRequest(caller.team.id, requestId);
  if (!request || (caller.member.role === 'member' && request.requester.id !== caller.member.id)) {
    throw new HttpError(404, 'not_found', `help request ${requestId} was not found in your team`);
  }
  return request;
}

/** Open requests claimed by helpers read for their load, at most. */
const LOAD_SAMPLE = 500;

/** Who of a team is connected to this instance now, and how many open requests each helper has claimed. */
export async function availabilityNow(ctx: TeamContext, teamId: string): Promise<Availability> {
  const claimed = await ctx.store.listRequests(teamId, { state: 'claimed', limit: LOAD_SAMPLE });
  const online = new Set<string>();
  for (const subscriber of ctx.hub.subscribersOf(teamId)) online.add(subscriber.member.id);
  const load = new Map<string, number>();
  for (const open of claimed) {
    if (open.claimedBy) load.set(open.claimedBy.id, (load.get(open.claimedBy.id) ?? 0) + 1);
  }
  return { online, load };
}

/**
 * A request as this caller may see it: members (who see only their own requests) get it without `routing`,
 * whose reasons quote other people's questions and name helpers the admin may hide from them.
 */
export function requestFor(member: Pick<Member, 'role'>, request: HelpRequest): HelpRequest {
  if (member.role !== 'member' || !('routing' in request)) return request;
  const { routing: _hidden, ...rest } = request;
  return rest;
}
