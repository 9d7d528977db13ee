/** Help requests: create (with an optional screenshot), list, read, the screenshot, claim/resolve/cancel. */
import {
  CreateRequestBodySchema,
  ListRequestsQuerySchema,
  type QueueStatus,
  type RequestContext,
  ResolveBodySchema,
  TEAM_LIMITS,
} from '../../src-shared/team';
import { median } from '../../src-shared/stats';
import {
  type Caller,
  isRefusal,
  type RoutingDraft,
  type StoredScreenshot,
  StoreUnavailableError,
} from '../store/team-store';
import { callerOf } from './auth';
import {
  availabilityNow,
  publish,
  readableRequest,
  requestFor,
  requireRole,
  type TeamApp,
  type TeamContext,
} from './context';
import { HttpError, refusalError } from './errors';
import { ID_NAMES, NoBodySchema, orNoBody, ServerIdParams } from './ids';

/** How many recently claimed requests the usual wait shown to a waiting person is the median of. */
const QUEUE_WAIT_SAMPLES = 20;

/** Decodes and checks an uploaded screenshot: real PNG/JPEG bytes of the declared size. */
export function decodeScreenshot(upload: {
  mime: string;
  width: number;
  height: number;
  dataBase64: string;
}): StoredScreenshot {
  const bytes = Buffer.from(upload.dataBase64, 'base64');
  if (bytes.length > TEAM_LIMITS.screenshotBytes) {
    const limitMb = TEAM_LIMITS.screenshotBytes / 1024 / 1024;
    const sizes = `the screenshot is ${Math.round(bytes.length / 1024)} KB; the limit is ${limitMb} MB`;
    throw new HttpError(413, 'screenshot_too_large', `${sizes} (send it as JPEG or smaller)`);
  }
  const isPng = bytes.length > 24 && bytes.readUInt32BE(0) === 0x89504e47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (upload.mime === 'image/png' && !isPng)
    throw new HttpError(400, 'invalid_screenshot', 'screenshot.dataBase64 is not a PNG image');
  if (upload.mime === 'image/jpeg' && !isJpeg)
    throw new HttpError(400, 'invalid_screenshot', 'screenshot.dataBase64 is not a JPEG image');
  if (isPng) {
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    if (width !== upload.width || height !== upload.height) {
      throw new HttpError(
        400,
        'invalid_screenshot',
        `screenshot is ${width}x${height} but width/height say ${upload.width}x${upload.height}`,
      );
    }
  }
  return { mime: upload.mime, width: upload.width, height: upload.height, bytes };
}

/**
 * Who a new request goes to first (`HelpRequest.routing`): the team's top suggested helpers for the team's
 * `routeToTeamAfterMinutes`, then everyone. Computed once, before the request is stored, so every instance and
 * client reads the same answer and no timer is needed. When it cannot be worked out (a bug, not an outage:
 * a database outage still fails the request with 503) the whole team is asked at once and `onError` hears why.
 */
export async function routeNewRequest(
  ctx: TeamContext,
  caller: Caller,
  body: { question: string; context: RequestContext },
  onError: (error: unknown) => void,
): Promise<RoutingDraft> {
  const teamId = caller.team.id;
  try {
    const [{ settings }, members, now] = await Promise.all([
      ctx.store.teamSettings(teamId),
      ctx.store.listMembers(teamId),
      availabilityNow(ctx, teamId),
    ]);
    const asked = { question: body.question, context: body.context, requester: caller.member };
    return await ctx.expertise.route(teamId, asked, members, now, settings.routeToTeamAfterMinutes);
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    onError(error);
    return { suggested: [], topic: '', afterMinutes: 0, message: 'could not work out who knows this; asked everyone' };
  }
}

/** `/api/v1/requests` and its state changes. */
export async function requestRoutes(app: TeamApp, ctx: TeamContext): Promise<void> {
  app.post(
    '/api/v1/requests',
    {
      bodyLimit: TEAM_LIMITS.requestBodyBytes,
      schema: { body: CreateRequestBodySchema },
      config: { names: { body: 'help request' } },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const screenshot = body.screenshot ? decodeScreenshot(body.screenshot) : null;
      const routing = await routeNewRequest(ctx, caller, body, (error) =>
        request.log.warn({ err: error }, 'could not work out who to ask first; the whole team is asked'),
      );
      const result = await ctx.store.createRequest(caller, {
        clientId: body.clientId,
        question: body.question,
        context: body.context,
        screenshot,
        routing,
      });
      publish(ctx, caller.team.id, result.events, caller.member.id);
      return reply.code(result.created ? 201 : 200).send({ request: requestFor(caller.member, result.request) });
    },
  );

  app.get('/api/v1/requests', { schema: { querystring: ListRequestsQuerySchema } }, async (request) => {
    const caller = callerOf(request);
    const { limit, state } = request.query;
    const seq = await ctx.store.headSeq(caller.team.id);
    const requests = await ctx.store.listRequests(caller.team.id, {
      limit,
      ...(state ? { state } : {}),
      ...(caller.member.role === 'member' ? { requesterId: caller.member.id } : {}),
    });
    return { requests: requests.map((item) => requestFor(caller.member, item)), seq };
  });

  const byId = { schema: { params: ServerIdParams }, config: { names: { id: ID_NAMES.request } } };

  app.get('/api/v1/requests/:id', byId, async (request) => {
    const caller = callerOf(request);
    return { request: requestFor(caller.member, await readableRequest(ctx, caller, request.params.id)) };
  });

  app.get('/api/v1/requests/:id/screenshot', byId, async (request, reply) => {
    const caller = callerOf(request);
    const { id } = request.params;
    await readableRequest(ctx, caller, id);
    const shot = await ctx.store.getScreenshot(caller.team.id, id);
    if (!shot)
      throw new HttpError(404, 'no_screenshot', `help request ${id} has no screenshot (the person did not share one)`);
    return reply.type(shot.mime).header('cache-control', 'private, no-store').send(shot.bytes);
  });

  app.get('/api/v1/requests/:id/queue', byId, async (request) => {
    const caller = callerOf(request);
    const { id } = request.params;
    const current = await readableRequest(ctx, caller, id);
    const [standing, { settings }] = await Promise.all([
      ctx.store.queueStanding(caller.team.id, id, QUEUE_WAIT_SAMPLES),
      ctx.store.teamSettings(caller.team.id),
    ]);
    if (!standing) throw new HttpError(404, 'not_found', `help request ${id} was not found in your team`);
    const waits = standing.recentWaitsSeconds;
    const routing = current.routing ?? null;
    // Helpers revoked or made members since the request was routed are no longer being asked.
    const stillHelping = routing?.suggested.length
      ? new Set(
          (await ctx.store.listMembers(caller.team.id))
            .filter((member) => !member.revoked && member.role !== 'member')
            .map((member) => member.id),
        )
      : new Set<string>();
    const status: QueueStatus = {
      requestId: id,
      state: current.state,
      position: standing.position,
      helpersOnline: ctx.hub.helpersOnline(caller.team.id, current.requester.id),
      typicalWaitMinutes: waits.length >= 3 ? Math.round(median(waits) / 6) / 10 : null,
      sampleSize: waits.length,
      asking: (routing?.suggested ?? [])
        .filter((helper) => stillHelping.has(helper.member.id))
        .map((helper) => ({
          name: settings.showHelperNamesToRequester ? helper.member.name : null,
          reason: helper.askerReason,
        })),
      askingAbout: routing?.topic ?? '',
      wholeTeamAt: routing?.wholeTeamAt ?? null,
    };
    return status;
  });

  const actionBodies = { claim: NoBodySchema, resolve: orNoBody(ResolveBodySchema), cancel: NoBodySchema };
  for (const action of ['claim', 'resolve', 'cancel'] as const) {
    app.post(
      `/api/v1/requests/:id/${action}`,
      {
        schema: { params: ServerIdParams, body: actionBodies[action] },
        config: { names: { id: ID_NAMES.request, body: `${action} body` } },
      },
      async (request) => {
        const caller = callerOf(request);
        const { id } = request.params;
        const current = await readableRequest(ctx, caller, id);
        const isRequester = current.requester.id === caller.member.id;
        if (action === 'claim') requireRole(caller, ['helper', 'admin'], 'claim requests');
        if (action !== 'claim' && !isRequester)
          requireRole(caller, ['helper', 'admin'], `${action} other people's requests`);
        const resolution = 'resolution' in request.body ? request.body.resolution : undefined;
        const result = await ctx.store.transitionRequest(caller, id, action, resolution || undefined);
        if (isRefusal(result)) throw refusalError(result);
        publish(ctx, caller.team.id, result.events, result.request.requester.id);
        if (action === 'resolve') await ctx.expertise.noteResolved(caller.team.id, id);
        return { request: requestFor(caller.member, result.request) };
      },
    );
  }
}
