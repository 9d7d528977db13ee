/**
 * Answer with what exists, on a real server process (SQLite) with real clients: a help request's matches from the
 * team library ranked by the desktop's own search (a differently-worded question finds the right walkthrough or tip
 * first, with a reason), an empty library, roles, team isolation, and library items sent into the chat over REST
 * and over the live stream.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, ChatMessage, HelpRequest, LibraryMatches, TeamEvent, TipDoc } from '../../src-shared/team';
import {
  api,
  liveClient,
  newTeam,
  startServerProcess,
  tempDataDir,
  type MessageReply,
  type ServerProcess,
} from './team-server-process';

const STARTER = fileURLToPath(new URL('../../resources/walkthroughs', import.meta.url));

let server: ServerProcess;
let teamA: Awaited<ReturnType<typeof newTeam>>;
let teamB: Awaited<ReturnType<typeof newTeam>>;

const PRINT_TIP: TipDoc = {
  format: 'sidekick.tip/1',
  id: 'tip-print-selection',
  title: 'Print only the selected cells',
  body: 'Select the cells, then File ▸ Print Area ▸ Set Print Area, and print as usual.',
  app: { name: 'Gnumeric' },
  labels: ['Print Area'],
  questions: ['print part of a sheet'],
};
/** Team B's own tip about the same thing as team A's freeze walkthrough: it must never reach team A. */
const B_FREEZE_TIP: TipDoc = {
  format: 'sidekick.tip/1',
  id: 'team-b-freeze-secret',
  title: 'Freeze the header row (team B)',
  body: 'View ▸ Freeze Panes with A2 selected keeps the header row on screen while scrolling.',
  app: { name: 'Gnumeric' },
  labels: ['Freeze Panes'],
};

async function save(token: string, doc: { id: string; [field: string]: unknown }) {
  const response = await api(server.url, 'PUT', `/api/v1/library/${doc.id}`, { token, body: { baseVersion: 0, doc } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

let counter = 0;
async function ask(token: string, question: string, app = 'Gnumeric', ocrText = 'File Edit View Insert Format Data') {
  const response = await api<{ request: HelpRequest }>(server.url, 'POST', '/api/v1/requests', {
    token,
    body: {
      clientId: `matches-${process.pid}-${++counter}`,
      question,
      context: { app, windowTitle: 'Book1.gnumeric', os: 'linux', displayScale: 1, ocrText },
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.request;
}

async function matches(token: string, requestId: string) {
  return api<LibraryMatches & ApiError>(server.url, 'GET', `/api/v1/requests/${requestId}/matches`, { token });
}

beforeAll(async () => {
  server = await startServerProcess({ dataDir: tempDataDir() });
  teamA = await newTeam(server, 'A');
  teamB = await newTeam(server, 'B');
  // Team A: the starter pack's Gnumeric and Mousepad walkthroughs, as a helper saved them, and a tip.
  for (const app of ['gnumeric', 'mousepad']) {
    for (const file of readdirSync(join(STARTER, app))) {
      await save(teamA.helper.token, JSON.parse(readFileSync(join(STARTER, app, file), 'utf8')) as { id: string });
    }
  }
  await save(teamA.helper.token, PRINT_TIP);
  await save(teamB.helper.token, B_FREEZE_TIP);
}, 400_000);

afterAll(async () => {
  await server?.stop();
});

describe('GET /api/v1/requests/:id/matches', () => {
  it("ranks the team's walkthroughs for a differently-worded question, best first, with a reason", async () => {
    const request = await ask(teamA.member.token, 'my column titles vanish when I scroll down the sheet');
    const response = await matches(teamA.helper.token, request.id);
    expect(response.status).toBe(200);
    const [first, ...rest] = response.body.matches;
    expect(first).toMatchObject({ id: 'gnumeric-freeze-header-row', kind: 'walkthrough', app: 'Gnumeric' });
    expect(first!.reason).toMatch(/^(Strong|Possible) match for Gnumeric; it has “/);
    expect(first!.confidence).toBeGreaterThanOrEqual(0.25);
    for (const [i, match] of rest.entries()) {
      expect(match.score).toBeLessThanOrEqual((i === 0 ? first! : rest[i - 1]!).score);
    }
    // Only the request's app competes; team B's tip about the same thing never appears.
    expect(response.body.matches.every((m) => m.app === 'Gnumeric')).toBe(true);
    expect(response.body.matches.map((m) => m.id)).not.toContain('team-b-freeze-secret');
    console.log('freeze matches:', JSON.stringify(response.body.matches.map((m) => [m.id, m.score, m.reason])));
  });

  it('finds a tip, with its text, and other walkthroughs for other wordings and apps', async () => {
    const tip = await matches(teamA.helper.token, (await ask(teamA.member.token, 'can I print just a few cells?')).id);
    expect(tip.body.matches[0]).toMatchObject({ id: 'tip-print-selection', kind: 'tip', text: PRINT_TIP.body });
    const chart = await matches(teamA.admin.token, (await ask(teamA.member.token, 'visualize sales as a graph')).id);
    expect(chart.body.matches[0]?.id).toBe('gnumeric-insert-chart');
    const wrap = await ask(teamA.member.token, 'long lines run off the right edge', 'Mousepad', 'File Edit View');
    const wrapped = await matches(teamA.helper.token, wrap.id);
    expect(wrapped.body.matches[0]?.id).toBe('mousepad-word-wrap');
    expect(wrapped.body.matches.every((m) => m.app === 'Mousepad')).toBe(true);
  });

  it("keeps each team to its own library, and other teams' requests unseen", async () => {
    const request = await ask(teamB.member.token, 'keep my header row on screen when scrolling');
    const response = await matches(teamB.helper.token, request.id);
    expect(response.status).toBe(200);
    expect(response.body.matches.map((m) => m.id)).toEqual(['team-b-freeze-secret']);
    const fromA = await matches(teamA.helper.token, request.id);
    expect(fromA.status).toBe(404);
    expect(fromA.body.error.message).toContain('was not found in your team');
  });

  it('says why the list is empty: an empty library, or nothing close', async () => {
    const teamC = await newTeam(server, 'C');
    const empty = await matches(teamC.helper.token, (await ask(teamC.member.token, 'how do I freeze the top row')).id);
    expect(empty.status).toBe(200);
    expect(empty.body.matches).toEqual([]);
    expect(empty.body.message).toMatch(/library is empty: resolve a request and Save as tip/);
    // A save, and a question learned from use, count at once (the team's index is rebuilt).
    const asked = await ask(teamC.member.token, 'the purple banana trick');
    await save(teamC.helper.token, { ...B_FREEZE_TIP, id: 'c-freeze', title: 'Freeze panes' });
    const before = await matches(teamC.helper.token, asked.id);
    expect(before.body.matches).toEqual([]);
    const learned = await api(server.url, 'POST', '/api/v1/library/c-freeze/questions', {
      token: teamC.member.token,
      body: { question: 'the purple banana trick' },
    });
    expect(learned.status).toBe(201);
    const after = await matches(teamC.helper.token, asked.id);
    expect(after.body.matches.map((m) => m.id)).toEqual(['c-freeze']);
    expect(after.body.matches[0]!.reason).toContain('in its questions');
    const far = await matches(teamA.helper.token, (await ask(teamA.member.token, 'send an email to my boss')).id);
    expect(far.body.matches).toEqual([]);
    expect(far.body.message).toMatch(/Nothing in your team's library for Gnumeric is close to this question/);
  });

  it('is for helpers and admins', async () => {
    const request = await ask(teamA.member.token, 'how do I freeze the top row');
    const response = await matches(teamA.member.token, request.id);
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(
      /admins can see the team library's matches for a request; you are a member/,
    );
  });
});

describe('library items in the chat', () => {
  it('sends a tip over REST with its text, refuses members and items of another team', async () => {
    const request = await ask(teamA.member.token, 'can I print just a few cells?');
    const post = (token: string, itemId: string, clientId: string) =>
      api<MessageReply & ApiError>(server.url, 'POST', `/api/v1/requests/${request.id}/messages`, {
        token,
        body: { clientId, kind: 'library', itemId },
      });
    const sent = await post(teamA.helper.token, 'tip-print-selection', 'lib-rest-1');
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.message).toMatchObject({
      kind: 'library',
      text: PRINT_TIP.body,
      library: { id: 'tip-print-selection', kind: 'tip', title: PRINT_TIP.title, app: 'Gnumeric' },
    });
    const foreign = await post(teamA.helper.token, 'team-b-freeze-secret', 'lib-rest-2');
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toBe("library item team-b-freeze-secret was not found in your team's library");
    const byMember = await post(teamA.member.token, 'tip-print-selection', 'lib-rest-3');
    expect(byMember.status).toBe(403);
    const listed = await api<{ messages: ChatMessage[] }>(
      server.url,
      'GET',
      `/api/v1/requests/${request.id}/messages`,
      { token: teamA.member.token },
    );
    expect(listed.body.messages.filter((m) => m.kind === 'library').map((m) => m.library?.id)).toEqual([
      'tip-print-selection',
    ]);
  });

  it('sends a walkthrough over the stream, in order with the text after it, to the person live', async () => {
    const request = await ask(teamA.member.token, 'my column titles vanish when I scroll down the sheet');
    const person = liveClient(server.url, teamA.member.token);
    const helper = liveClient(server.url, teamA.helper.token);
    person.stream.start();
    helper.stream.start();
    try {
      await person.until(() => person.stream.status === 'live', 'the person connected');
      await helper.until(() => helper.stream.status === 'live', 'the helper connected');
      const [walkthrough, text] = await Promise.all([
        helper.stream.send(request.id, { clientId: 'lib-ws-1', kind: 'library', itemId: 'gnumeric-freeze-header-row' }),
        helper.stream.send(request.id, { clientId: 'lib-ws-2', kind: 'text', text: 'Press Play on the card' }),
      ]);
      expect(walkthrough).toMatchObject({
        kind: 'library',
        text: 'Keep the header row visible while scrolling',
        library: { id: 'gnumeric-freeze-header-row', kind: 'walkthrough', app: 'Gnumeric' },
      });
      expect(text.seq).toBe(walkthrough.seq + 1);
      const heard = (): ChatMessage[] =>
        person.events
          .filter((e): e is Extract<TeamEvent, { type: 'message' }> => e.type === 'message')
          .map((e) => e.message)
          .filter((m) => m.requestId === request.id);
      await person.until(() => heard().length >= 2, 'the person hears both messages');
      expect(heard().map((m) => m.library?.id ?? m.text)).toEqual([
        'gnumeric-freeze-header-row',
        'Press Play on the card',
      ]);
      await expect(
        helper.stream.send(request.id, { clientId: 'lib-ws-3', kind: 'library', itemId: 'team-b-freeze-secret' }),
      ).rejects.toThrow(/was not found in your team's library/);
    } finally {
      person.stream.stop();
      helper.stream.stop();
    }
  });
});
