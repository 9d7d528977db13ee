/** The helper console's calls to its team server (same origin), parsed with the shared schemas. */
import { z } from 'zod';
import {
  ApiErrorSchema,
  ChatMessageSchema,
  CreatedInviteSchema,
  HelpRequestSchema,
  JoinResultSchema,
  LibraryItemSchema,
  LibraryMatchesSchema,
  MeSchema,
  type CreateInviteBody,
  type LibraryDoc,
  PeopleSchema,
  SuggestionsSchema,
  TeamSettingsAnswerSchema,
} from '../../src-shared/team';

const TOKEN_KEY = 'sidekick.console.token';

/** The saved token of this browser, if it joined a team. */
export function savedToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

/** Remembers (or forgets, with null) this browser's token. */
export function saveToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

/** A failed call, with the server's message. */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** One call to the team server: the parsed answer, or a ConsoleApiError with the server's message. */
export async function call<T>(
  schema: z.ZodType<T>,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ConsoleApiError(0, 'offline', 'the team server is not reachable; check it is running', null);
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = ApiErrorSchema.safeParse(json);
    throw new ConsoleApiError(
      response.status,
      parsed.success ? parsed.data.error.code : 'http_error',
      parsed.success ? parsed.data.error.message : `HTTP ${response.status}`,
      json,
    );
  }
  return schema.parse(json);
}

/** Typed calls of the console. */
export function consoleApi(token: string | null) {
  return {
    join: (invite: string, name: string) => call(JoinResultSchema, 'POST', '/api/v1/join', null, { invite, name }),
    me: () => call(MeSchema, 'GET', '/api/v1/me', token),
    requests: () =>
      call(
        z.object({ requests: z.array(HelpRequestSchema), seq: z.number() }),
        'GET',
        '/api/v1/requests?limit=200',
        token,
      ),
    messages: (requestId: string) =>
      call(z.object({ messages: z.array(ChatMessageSchema) }), 'GET', `/api/v1/requests/${requestId}/messages`, token),
    suggestions: (requestId: string) =>
      call(SuggestionsSchema, 'GET', `/api/v1/requests/${requestId}/suggestions`, token),
    matches: (requestId: string) => call(LibraryMatchesSchema, 'GET', `/api/v1/requests/${requestId}/matches`, token),
    act: (requestId: string, action: 'claim' | 'resolve' | 'cancel', body: object = {}) =>
      call(z.object({ request: HelpRequestSchema }), 'POST', `/api/v1/requests/${requestId}/${action}`, token, body),
    saveLibrary: (id: string, baseVersion: number, doc: LibraryDoc) =>
      call(z.object({ item: LibraryItemSchema }), 'PUT', `/api/v1/library/${id}`, token, { baseVersion, doc }),
    people: (q: string) => call(PeopleSchema, 'GET', `/api/v1/people?q=${encodeURIComponent(q)}`, token),
    teamSettings: () => call(TeamSettingsAnswerSchema, 'GET', '/api/v1/team/settings', token),
    /** Values go as given (not checked here): the server's message says what is wrong. */
    saveTeamSettings: (body: { routeToTeamAfterMinutes: unknown; showHelperNamesToRequester: boolean }) =>
      call(TeamSettingsAnswerSchema, 'PATCH', '/api/v1/team/settings', token, body),
    invite: (body: CreateInviteBody) => call(CreatedInviteSchema, 'POST', '/api/v1/invites', token, body),
    async screenshotUrl(requestId: string): Promise<string> {
      const response = await fetch(`/api/v1/requests/${requestId}/screenshot`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw new ConsoleApiError(response.status, 'no_screenshot', 'no screenshot', null);
      return URL.createObjectURL(await response.blob());
    },
  };
}

/** The console's API object. */
export type ConsoleApi = ReturnType<typeof consoleApi>;
