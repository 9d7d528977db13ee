/**
 * Every error the team server answers, in one shape: `{error: {code, message, …extra}}` with a status
 * from docs/api.md. Route handlers throw `HttpError`; the zod type provider's validation errors, the
 * body parser's errors and a database outage are mapped here, so no route formats an error itself.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TEAM_LIMITS } from '../../src-shared/team';
import { StoreUnavailableError, type StoreRefusal } from '../store/team-store';

/** An expected failure with an HTTP status, a stable code and a message a person can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A 429 with the wait in the message and in `retryAfterMs` (the error handler adds `Retry-After`). */
export function rateLimited(what: string, retryAfterMs: number): HttpError {
  return new HttpError(429, 'rate_limited', `too many ${what}; retry in ${retryAfterMs} ms`, { retryAfterMs });
}

/** The HTTP error for a store's refusal of a write. */
export function refusalError(refusal: StoreRefusal): HttpError {
  switch (refusal.refused) {
    case 'not_found':
      return new HttpError(404, 'not_found', refusal.message);
    case 'conflict':
      return new HttpError(409, 'conflict', refusal.message);
    case 'gone':
      return new HttpError(409, 'request_closed', refusal.message);
    case 'version_conflict':
      return new HttpError(409, 'version_conflict', refusal.message, { current: refusal.current });
    case 'forbidden':
      return new HttpError(403, 'forbidden', refusal.message);
  }
}

/**
 * The 400 for input the route's zod schema refused: `<what> is invalid: <zod's summary>` for a body
 * or query, `"<raw>" is not a <id name>` for a path id. The names come from the route's `config.names`.
 */
function validationError(request: FastifyRequest, error: FastifyError, context: string | undefined): HttpError {
  const names = request.routeOptions.config.names ?? {};
  if (context === 'params') {
    const raw = (request.params as { id?: unknown } | undefined)?.id;
    return new HttpError(400, 'invalid_id', `"${String(raw).slice(0, 80)}" is not a ${names.id ?? 'valid id'}`);
  }
  // The provider flattens each zod issue's path into `instancePath` ('/context/app'); zod's summary wants it back.
  const issues = (error.validation ?? []).map((entry) => ({
    code: 'custom' as const,
    message: entry.message ?? 'is invalid',
    input: undefined,
    path: entry.instancePath
      .split('/')
      .slice(1)
      .filter((segment) => segment !== '')
      .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment)),
  }));
  const what = context === 'body' ? (names.body ?? 'body') : 'query';
  const summary = z.prettifyError(new z.ZodError(issues)).replace(/\n/g, '; ');
  return new HttpError(400, 'invalid_input', `${what} is invalid: ${summary}`);
}

/** Sends an `HttpError` (with `Retry-After` for a 429 and the `current` version beside `error` for a 409). */
function sendHttpError(reply: FastifyReply, error: HttpError): FastifyReply {
  if (error.status === 429)
    reply.header('retry-after', String(Math.ceil(Number(error.extra.retryAfterMs ?? 1000) / 1000)));
  const { current, ...extra } = error.extra;
  return reply
    .code(error.status)
    .send({ error: { code: error.code, message: error.message, ...extra }, ...(current ? { current } : {}) });
}

/** Installs the one error handler of the team server (docs/api.md, "Errors"). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof StoreUnavailableError) {
      // Nothing was written; the client retries (the same clientId never duplicates).
      reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
      return reply
        .code(503)
        .send({ error: { code: 'unavailable', message: error.message, retryAfterMs: error.retryAfterMs } });
    }
    if (error instanceof HttpError) return sendHttpError(reply, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      return sendHttpError(reply, validationError(request, error, error.validationContext));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? TEAM_LIMITS.bodyBytes;
      const message = `request body is larger than this endpoint's limit of ${Math.round(limit / 1024)} KB`;
      // Read (and drop) the rest of the upload first, so the client gets this answer instead of a broken pipe.
      return drainRequest(request.raw, 4 * TEAM_LIMITS.requestBodyBytes).then(() =>
        sendHttpError(reply, new HttpError(413, 'body_too_large', message)),
      );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const message = 'send the body as JSON with Content-Type: application/json';
      return sendHttpError(reply, new HttpError(415, 'unsupported_media_type', message));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendHttpError(reply, new HttpError(error.statusCode, 'bad_request', error.message));
    }
    process.stderr.write(
      `team server: unexpected error on ${request.method} ${request.url}: ${error.stack ?? error.message}\n`,
    );
    const message = 'the team server hit an unexpected error; it was logged on the server';
    return sendHttpError(reply, new HttpError(500, 'internal', message));
  });
}

/** Reads and discards the rest of a request body (up to `maxBytes`, then gives up). */
function drainRequest(
  raw: NodeJS.ReadableStream & { destroy?(): void; readableEnded?: boolean },
  maxBytes: number,
): Promise<void> {
  return new Promise((resolve) => {
    if (raw.readableEnded) return resolve();
    let seen = 0;
    raw.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) {
        raw.removeAllListeners('data');
        resolve();
      }
    });
    raw.once('end', () => resolve());
    raw.once('error', () => resolve());
    raw.resume();
  });
}
