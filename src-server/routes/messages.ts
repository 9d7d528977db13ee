/** Chat of a help request over REST (the live stream carries the same messages): list and post. */
import { ListMessagesQuerySchema, PostMessageBodySchema } from '../../src-shared/team';
import { chatPostOf } from '../library-matches';
import { isRefusal } from '../store/team-store';
import { callerOf } from './auth';
import { publish, readableRequest, requireRole, type TeamApp, type TeamContext } from './context';
import { refusalError } from './errors';
import { ID_NAMES, ServerIdParams } from './ids';

/** `/api/v1/requests/:id/messages`. */
export async function messageRoutes(app: TeamApp, ctx: TeamContext): Promise<void> {
  app.get(
    '/api/v1/requests/:id/messages',
    {
      schema: { params: ServerIdParams, querystring: ListMessagesQuerySchema },
      config: { names: { id: ID_NAMES.request } },
    },
    async (request) => {
      const caller = callerOf(request);
      const { id } = request.params;
      await readableRequest(ctx, caller, id);
      return { messages: await ctx.store.listMessages(caller.team.id, id, request.query.after, request.query.limit) };
    },
  );

  app.post(
    '/api/v1/requests/:id/messages',
    {
      schema: { params: ServerIdParams, body: PostMessageBodySchema },
      config: { names: { id: ID_NAMES.request, body: 'message' } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { id } = request.params;
      const body = request.body;
      const current = await readableRequest(ctx, caller, id);
      if (body.kind === 'pointer') requireRole(caller, ['helper', 'admin'], 'point on the screenshot');
      const post = await chatPostOf(ctx.store, caller, body);
      if (isRefusal(post)) throw refusalError(post);
      const result = await ctx.store.postMessage(caller, id, post);
      if (isRefusal(result)) throw refusalError(result);
      publish(ctx, caller.team.id, result.events, current.requester.id);
      return reply.code(result.events.length ? 201 : 200).send({ message: result.message });
    },
  );
}
