/**
 * The team's shared library of tips and walkthroughs: list (incrementally), read, save, delete (versioned),
 * and the questions people asked before picking an item.
 */
import {
  DeleteLibraryItemQuerySchema,
  LearnQuestionBodySchema,
  type LearnedQuestionsList,
  ListLibraryQuerySchema,
  SaveLibraryItemBodySchema,
  TEAM_LIMITS,
} from '../../src-shared/team';
import { findLibraryItem } from '../library-matches';
import { isRefusal } from '../store/team-store';
import { callerOf } from './auth';
import { publish, type TeamApp, type TeamContext } from './context';
import { HttpError, refusalError } from './errors';
import { ID_NAMES, LibraryIdParams } from './ids';

/** `/api/v1/library`. */
export async function libraryRoutes(app: TeamApp, ctx: TeamContext): Promise<void> {
  app.get('/api/v1/library', { schema: { querystring: ListLibraryQuerySchema } }, async (request) =>
    ctx.store.listLibrary(callerOf(request).team.id, request.query.after),
  );

  const names = { id: ID_NAMES.library };

  // Questions people asked before picking an item: they count in every team member's later searches.
  app.get('/api/v1/library/questions', async (request) => {
    const list: LearnedQuestionsList = { items: await ctx.store.learnedQuestions(callerOf(request).team.id) };
    return list;
  });

  app.post(
    '/api/v1/library/:id/questions',
    {
      schema: { params: LibraryIdParams, body: LearnQuestionBodySchema },
      config: { names: { ...names, body: 'learned question' } },
    },
    async (request, reply) => {
      const result = await ctx.store.learnQuestion(callerOf(request), request.params.id, request.body.question);
      if (isRefusal(result)) throw refusalError(result);
      return reply.code(201).send(result);
    },
  );

  app.get('/api/v1/library/:id', { schema: { params: LibraryIdParams }, config: { names } }, async (request) => {
    const { id } = request.params;
    const item = await findLibraryItem(ctx.store, callerOf(request).team.id, id);
    if (!item) throw new HttpError(404, 'not_found', `library item ${id} was not found in your team`);
    return { item };
  });

  app.put(
    '/api/v1/library/:id',
    {
      schema: { params: LibraryIdParams, body: SaveLibraryItemBodySchema },
      config: { names: { ...names, body: 'library item' } },
    },
    async (request) => {
      const caller = callerOf(request);
      const { id } = request.params;
      const body = request.body;
      if (body.doc.id !== id)
        throw new HttpError(400, 'invalid_input', `doc.id "${body.doc.id}" must equal the id in the URL "${id}"`);
      if (JSON.stringify(body.doc).length > TEAM_LIMITS.libraryDocBytes) {
        const limitKb = TEAM_LIMITS.libraryDocBytes / 1024;
        throw new HttpError(413, 'body_too_large', `library documents are limited to ${limitKb} KB`);
      }
      const result = await ctx.store.saveLibraryItem(caller, id, body.baseVersion, body.doc);
      if (isRefusal(result)) throw refusalError(result);
      publish(ctx, caller.team.id, result.events, null);
      await ctx.expertise.noteLibrary(caller.team.id, result.item);
      return { item: result.item };
    },
  );

  app.delete(
    '/api/v1/library/:id',
    { schema: { params: LibraryIdParams, querystring: DeleteLibraryItemQuerySchema }, config: { names } },
    async (request) => {
      const caller = callerOf(request);
      const result = await ctx.store.deleteLibraryItem(caller, request.params.id, request.query.baseVersion);
      if (isRefusal(result)) throw refusalError(result);
      publish(ctx, caller.team.id, result.events, null);
      return { item: result.item };
    },
  );
}
