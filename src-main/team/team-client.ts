/**
 * The desktop app's client of a team server: typed REST calls (parsed with the shared schemas)
 * and the live stream over the `ws` package. Expected failures — server unreachable, token revoked,
 * bad input — are TeamApiError with a message a person can act on.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import {
  ApiErrorSchema,
  ChatMessageSchema,
  type CreateRequestBody,
  HelpRequestSchema,
  JoinResultSchema,
  LearnedQuestionsSchema,
  type LibraryDoc,
  LibraryItemSchema,
  LibraryListSchema,
  MeSchema,
  type PostMessageBody,
  QueueStatusSchema,
  type UsageEventsBody,
  TeamStream,
  type TeamStreamOptions,
  type WebSocketLike,
} from '../../src-shared/team';

/** A failed call. `status` 0 means the server could not be reached (kept for retry). */
export class TeamApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown = null,
    /** How long the server asked us to wait before trying again (`Retry-After` of a 429 or 503), if it said. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'TeamApiError';
  }

  /** True when the server was not reached (or answered 5xx/429): worth retrying later. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

/** Normalizes a server address typed by a person: adds http://, drops the trailing slash and path. */
export function normalizeServerUrl(text: string): string {
  const trimmed = text.trim();
  const url = new URL(/^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
  return `${url.protocol}//${url.host}`;
}

/** Typed calls to one team server with one token. */
export class TeamClient {
  constructor(
    readonly serverUrl: string,
    private readonly token: string | null,
    private readonly timeoutMs = 15_000,
  ) {}

  /** Redeems an invite: the token to keep, the member and the team. */
  static join(serverUrl: string, invite: string, name: string) {
    return new TeamClient(serverUrl, null).call(JoinResultSchema, 'POST', '/api/v1/join', { invite, name });
  }

  me() {
    return this.call(MeSchema, 'GET', '/api/v1/me');
  }

  createRequest(body: CreateRequestBody) {
    return this.call(z.object({ request: HelpRequestSchema }), 'POST', '/api/v1/requests', body);
  }

  listRequests() {
    return this.call(
      z.object({ requests: z.array(HelpRequestSchema), seq: z.number() }),
      'GET',
      '/api/v1/requests?limit=50',
    );
  }

  getRequest(requestId: string) {
    return this.call(
      z.object({ request: HelpRequestSchema }),
      'GET',
      `/api/v1/requests/${encodeURIComponent(requestId)}`,
    );
  }

  /** Keeps a question (already redacted) with a team library item; answers that item's learned questions. */
  learnQuestion(id: string, question: string) {
    return this.call(
      z.object({ questions: z.array(z.string()) }),
      'POST',
      `/api/v1/library/${encodeURIComponent(id)}/questions`,
      { question },
    );
  }

  /** Every question the team library learned, per item. */
  learnedQuestions() {
    return this.call(LearnedQuestionsSchema, 'GET', '/api/v1/library/questions');
  }

  /** Where the request stands in the team's queue (place, helpers online, usual wait). */
  queue(requestId: string) {
    return this.call(QueueStatusSchema, 'GET', `/api/v1/requests/${encodeURIComponent(requestId)}/queue`);
  }

  messages(requestId: string, after = 0) {
    return this.call(
      z.object({ messages: z.array(ChatMessageSchema) }),
      'GET',
      `/api/v1/requests/${encodeURIComponent(requestId)}/messages?after=${after}`,
    );
  }

  postMessage(requestId: string, body: PostMessageBody) {
    return this.call(
      z.object({ message: ChatMessageSchema }),
      'POST',
      `/api/v1/requests/${encodeURIComponent(requestId)}/messages`,
      body,
    );
  }

  act(requestId: string, action: 'claim' | 'resolve' | 'cancel', body: object = {}) {
    return this.call(
      z.object({ request: HelpRequestSchema }),
      'POST',
      `/api/v1/requests/${encodeURIComponent(requestId)}/${action}`,
      body,
    );
  }

  library(after = 0) {
    return this.call(LibraryListSchema, 'GET', `/api/v1/library?after=${after}`);
  }

  /** One item of the team library (a deleted one as its tombstone). */
  libraryItem(id: string) {
    return this.call(z.object({ item: LibraryItemSchema }), 'GET', `/api/v1/library/${encodeURIComponent(id)}`);
  }

  saveLibrary(id: string, baseVersion: number, doc: LibraryDoc) {
    return this.call(z.object({ item: LibraryItemSchema }), 'PUT', `/api/v1/library/${encodeURIComponent(id)}`, {
      baseVersion,
      doc,
    });
  }

  /** Sends a batch of usage events (opt-in); `stored` counts those the server did not have yet. */
  sendUsageEvents(body: UsageEventsBody) {
    return this.call(z.object({ accepted: z.number(), stored: z.number() }), 'POST', '/api/v1/events', body);
  }

  /** Revokes this client's own token on the server (leaving the team on this device). */
  revokeOwnToken() {
    return this.call(z.object({ revoked: z.boolean() }), 'DELETE', '/api/v1/me/token');
  }

  /** A live stream for this token (not started). */
  stream(options: Omit<TeamStreamOptions, 'serverUrl' | 'token' | 'createSocket'>): TeamStream {
    if (!this.token) throw new Error('join a team before opening the live stream');
    return new TeamStream({
      ...options,
      serverUrl: this.serverUrl,
      token: this.token,
      createSocket: (url) => new WebSocket(url, { handshakeTimeout: 10_000 }) as unknown as WebSocketLike,
    });
  }

  private async call<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.serverUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new TeamApiError(
        0,
        'offline',
        `The team server at ${this.serverUrl} is not reachable. ` +
          `Check that it runs and that this computer can reach it; Sidekick retries by itself.`,
      );
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = ApiErrorSchema.safeParse(json);
      const message = parsed.success ? parsed.data.error.message : `The team server answered HTTP ${response.status}.`;
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new TeamApiError(
        response.status,
        parsed.success ? parsed.data.error.code : 'http_error',
        message,
        json,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new TeamApiError(
        502,
        'bad_response',
        `The team server sent an answer this version of Sidekick does not understand (${path}).`,
      );
    return parsed.data;
  }
}
