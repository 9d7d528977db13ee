/** Path parameter schemas of the team server: the `:id` of members, invites, requests and library items. */
import { z } from 'zod';
import { EmptyBodySchema, LibraryIdSchema } from '../../src-shared/team';

/** `:id` of a member, invite or help request (`mem_…`, `inv_…`, `req_…`). */
export const ServerIdParams = z.object({
  id: z.string().regex(/^[a-z]{1,4}_[A-Za-z0-9_-]{6,40}$/, 'not a Sidekick id'),
});

/** `:id` of a library item (a lowercase slug). */
export const LibraryIdParams = z.object({ id: LibraryIdSchema });

/** How a 400 for a bad `:id` names what it should have been (`"x" is not a member id`). */
export const ID_NAMES = {
  member: 'member id',
  invite: 'invite id',
  request: 'help request id',
  library: 'library id (lowercase slug: a-z 0-9 . _ -)',
};

/** A body schema that also accepts no body at all (Fastify validates a missing body as null). */
export function orNoBody<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => value ?? {}, schema);
}

/** The body of actions that take none: `{}` or nothing. */
export const NoBodySchema = orNoBody(EmptyBodySchema);
