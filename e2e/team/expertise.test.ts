/**
 * Who knows what, on a real server process (SQLite) with real WebSocket clients: suggested helpers from a
 * seeded history resolved through the API (order, exclusions, availability and load), an empty history,
 * cross-team isolation, insights numbers on a seeded history, and the usage events endpoint.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, HelpRequest, Insights, Me, Suggestions } from '../../src-shared/team';
import { RESOLVED_HISTORY, type ExpertiseCase } from './expertise-data';
import {
  addMember,
  api,
  liveClient,
  newTeam,
  startServerProcess,
  tempDataDir,
  type ServerProcess,
} from './team-server-process';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess({ dataDir: tempDataDir() });
}, 400_000);

afterAll(async () => {
  await server?.stop();
});

let counter = 0;
function contextOf(item: ExpertiseCase, walkthrough?: { id: string; stepIndex: number }) {
  return {
    app: item.app,
    windowTitle: item.windowTitle,
    os: 'linux',
    displayScale: 1,
    ocrText: item.ocrText,
    ...(walkthrough ? { walkthrough: { ...walkthrough, title: 'A walkthrough' } } : {}),
  };
}

async function ask(token: string, item: ExpertiseCase, walkthrough?: { id: string; stepIndex: number }) {
  const response = await api<{ request: HelpRequest }>(server.url, 'POST', '/api/v1/requests', {
    token,
    body: {
      clientId: `expertise-${process.pid}-${++counter}`,
      question: item.question,
      context: contextOf(item, walkthrough),
    },
  });
  expect(response.status).toBe(201);
  return response.body.request;
}

async function act(token: string, id: string, action: 'claim' | 'resolve', resolution?: string) {
  const body = action === 'resolve' ? { resolution } : {};
  const response = await api(server.url, 'POST', `/api/v1/requests/${id}/${action}`, { token, body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

/** Asks as `askerToken`, then the helper claims, chats and resolves, all through the API. */
async function resolveAs(askerToken: string, helperToken: string, item: (typeof RESOLVED_HISTORY)[number]) {
  const request = await ask(askerToken, item);
  await act(helperToken, request.id, 'claim');
  const chat = await api(server.url, 'POST', `/api/v1/requests/${request.id}/messages`, {
    token: helperToken,
    body: { clientId: `chat-${process.pid}-${++counter}`, kind: 'text', text: item.chat[0] ?? 'let me look' },
  });
  expect(chat.status).toBe(201);
  await act(helperToken, request.id, 'resolve', item.resolution);
  return request;
}

async function suggestions(token: string, id: string) {
  return api<Suggestions>(server.url, 'GET', `/api/v1/requests/${id}/suggestions`, { token });
}

const byHelper = (name: string) => RESOLVED_HISTORY.filter((item) => item.helper === name);
const PRINTING_IN_A_SPREADSHEET: ExpertiseCase = {
  app: 'Gnumeric',
  windowTitle: 'sales-2026.gnumeric : Gnumeric',
  question: 'my table comes out of the printer spread over nine pages',
  ocrText: 'File Edit View Insert Format Tools Statistics Data Help Print Preview Page 3 of 9',
};
const PIVOT: ExpertiseCase = {
  app: 'LibreOffice Calc',
  windowTitle: 'budget.ods - LibreOffice Calc',
  question: 'summarise the expenses by department in a pivot table',
  ocrText: 'File Edit View Insert Format Styles Sheet Data Tools Window Help Pivot Table',
};

describe('suggested helpers for a request (real server)', () => {
  it('ranks by work done; never the asker, members or revoked helpers; presence and load count', async () => {
    const team = await newTeam(server, 'X');
    const priya = await addMember(server.url, team.admin.token, 'helper', 'Priya');
    const tomasz = await addMember(server.url, team.admin.token, 'helper', 'Tomasz');
    const leaver = await addMember(server.url, team.admin.token, 'helper', 'Leaver');
    const demoted = await addMember(server.url, team.admin.token, 'helper', 'Demoted');
    for (const item of byHelper('Priya').slice(0, 4)) await resolveAs(team.member.token, priya.token, item);
    for (const item of byHelper('Tomasz').slice(0, 4)) await resolveAs(team.member.token, tomasz.token, item);
    // Two more printing experts, who then leave the team or stop being helpers: never suggested.
    for (const item of byHelper('Priya').slice(4, 10)) {
      await resolveAs(team.member.token, item.question.length % 2 ? leaver.token : demoted.token, item);
    }
    const revoked = await api(server.url, 'POST', `/api/v1/members/${leaver.memberId}/revoke`, {
      token: team.admin.token,
      body: {},
    });
    expect(revoked.status).toBe(200);
    const demote = await api(server.url, 'PATCH', `/api/v1/members/${demoted.memberId}`, {
      token: team.admin.token,
      body: { role: 'member' },
    });
    expect(demote.status).toBe(200);

    const printing = await ask(team.member.token, PRINTING_IN_A_SPREADSHEET);
    const pivot = await ask(team.member.token, PIVOT);
    let first = await suggestions(team.helper.token, printing.id);
    expect(first.status).toBe(200);
    const names = first.body.suggestions.map((s) => s.member.name);
    expect(names[0]).toBe('Priya');
    expect(names).not.toContain('Leaver');
    expect(names).not.toContain('Demoted');
    expect(first.body.suggestions[0]!.reasons[0]).toMatch(/^resolved \d+ similar requests? in .+, e\.g\. '.+'$/);
    expect(first.body.suggestions[0]!.reasons).toContain('not connected right now');
    expect(first.body.suggestions[0]!.member).toEqual({ id: priya.memberId, name: 'Priya', role: 'helper' });
    const scores = first.body.suggestions.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect((await suggestions(team.admin.token, pivot.id)).body.suggestions[0]!.member.name).toBe('Tomasz');

    // A member may not ask who knows what.
    expect((await suggestions(team.member.token, printing.id)).status).toBe(403);

    // The asker is never suggested for their own request, even as the expert.
    const own = await ask(priya.token, PRINTING_IN_A_SPREADSHEET);
    const forOwn = await suggestions(team.admin.token, own.id);
    expect(forOwn.body.suggestions.map((s) => s.member.id)).not.toContain(priya.memberId);

    // Presence: Tomasz connects; load: Priya takes two open requests. Both show in reasons and scores.
    const before = first.body.suggestions.find((s) => s.member.name === 'Priya')!.score;
    const live = liveClient(server.url, tomasz.token);
    live.stream.start();
    await live.until(() => live.stream.status === 'live', 'a live connection');
    try {
      await act(priya.token, pivot.id, 'claim');
      await act(priya.token, own.id, 'claim');
      first = await suggestions(team.helper.token, printing.id);
      const priyaNow = first.body.suggestions.find((s) => s.member.name === 'Priya')!;
      expect(priyaNow.reasons).toContain('already helping 2 people');
      expect(priyaNow.score).toBeLessThan(before);
      const tomaszNow = (await suggestions(team.helper.token, pivot.id)).body.suggestions[0]!;
      expect(tomaszNow.member.name).toBe('Tomasz');
      expect(tomaszNow.reasons).toContain('online now');
      expect(tomaszNow.reasons).toContain('not helping anyone right now');
    } finally {
      live.stream.stop();
    }

    // A resolve updates the index at once: a new pivot expert appears after one resolution.
    const newcomer = await addMember(server.url, team.admin.token, 'helper', 'Newcomer');
    await resolveAs(team.member.token, newcomer.token, byHelper('Tomasz')[5]!);
    const after = await suggestions(team.helper.token, pivot.id);
    expect(after.body.suggestions.map((s) => s.member.name)).toContain('Newcomer');
  }, 300_000);

  it('says no one has solved this yet in a team without history, and keeps teams apart', async () => {
    const empty = await newTeam(server, 'Empty');
    const request = await ask(empty.member.token, PRINTING_IN_A_SPREADSHEET);
    const response = await suggestions(empty.helper.token, request.id);
    expect(response.status).toBe(200);
    expect(response.body.suggestions).toEqual([]);
    expect(response.body.message).toMatch(/^no one has solved this yet/);

    // Another team with a printing expert: its history never answers for this team, and its ids are not found.
    const other = await newTeam(server, 'Other');
    for (const item of byHelper('Priya').slice(0, 3)) await resolveAs(other.member.token, other.helper.token, item);
    expect((await suggestions(empty.helper.token, request.id)).body.suggestions).toEqual([]);
    expect((await suggestions(other.helper.token, request.id)).status).toBe(404);
    const theirs = await ask(other.member.token, PRINTING_IN_A_SPREADSHEET);
    const ranked = await suggestions(other.admin.token, theirs.id);
    expect(ranked.body.suggestions.map((s) => s.member.name)).toEqual(['Other Helper']);
    // Huge and empty screen text are fine.
    const huge = await ask(other.member.token, {
      ...PRINTING_IN_A_SPREADSHEET,
      ocrText: 'Print Preview '.repeat(3500),
    });
    const blank = await ask(other.member.token, { ...PRINTING_IN_A_SPREADSHEET, ocrText: '' });
    for (const id of [huge.id, blank.id]) {
      expect((await suggestions(other.admin.token, id)).body.suggestions[0]?.member.name).toBe('Other Helper');
    }
  }, 300_000);
});

describe('insights and usage events (real server)', () => {
  it('counts apps, medians, topics and stuck steps of a seeded history; unanswered questions from events', async () => {
    const team = await newTeam(server, 'Ins');
    const calc = { app: 'Calc', windowTitle: 'b.ods', question: '', ocrText: 'File' };
    const asked: HelpRequest[] = [];
    for (const question of ['print only the selected range', 'print on one page', 'print the gridlines']) {
      asked.push(await ask(team.member.token, { ...calc, question }, { id: 'calc-print', stepIndex: 2 }));
    }
    asked.push(
      await ask(team.member.token, { ...calc, question: 'freeze the header row' }, { id: 'calc-print', stepIndex: 0 }),
    );
    asked.push(await ask(team.member.token, { ...calc, app: 'Mousepad', question: 'word wrap' }));
    for (const request of asked.slice(0, 3)) await act(team.helper.token, request.id, 'claim');
    for (const request of asked.slice(0, 2)) await act(team.helper.token, request.id, 'resolve', 'done');
    // Known times: asked at T, claimed after 2, 4, 6 minutes, resolved after 10 and 30 minutes.
    const db = new Database(join(server.report.data, 'team.sqlite'));
    db.pragma('busy_timeout = 10000');
    try {
      const at = (minutes: number) => new Date(Date.parse('2026-11-30T09:00:00.000Z') + minutes * 60_000).toISOString();
      const set = db.prepare(`UPDATE requests SET created_at = ?, claimed_at = ?, resolved_at = ? WHERE id = ?`);
      set.run(at(0), at(2), at(10), asked[0]!.id);
      set.run(at(0), at(4), at(30), asked[1]!.id);
      set.run(at(0), at(6), null, asked[2]!.id);
    } finally {
      db.close();
    }
    const events = (type: string, extra: object, n: number) =>
      Array.from({ length: n }, () => ({
        clientId: `ev-${process.pid}-${++counter}`,
        type,
        at: '2026-12-01T10:00:00.000Z',
        app: 'Calc',
        ...extra,
      }));
    const posted = await api(server.url, 'POST', '/api/v1/events', {
      token: team.member.token,
      body: {
        events: [
          ...events('no_match', { question: 'How do I add a watermark' }, 3),
          ...events('no_match', { question: 'split a cell diagonally' }, 1),
          ...events('walkthrough_abandoned', { walkthroughId: 'calc-print', stepIndex: 2 }, 2),
          ...events('walkthrough_completed', { walkthroughId: 'calc-print', stepIndex: 4 }, 5),
        ],
      },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    expect(posted.body).toEqual({ accepted: 11, stored: 11 });

    const response = await api<Insights>(server.url, 'GET', '/api/v1/insights?days=30', { token: team.helper.token });
    expect(response.status).toBe(200);
    const insights = response.body;
    const calcApp = insights.apps.find((a) => a.app === 'Calc')!;
    expect(calcApp).toMatchObject({ requests: 4, resolved: 2, medianMinutesToClaim: 4, medianMinutesToResolve: 20 });
    expect(calcApp.topics[0]?.label).toMatch(/^print/);
    expect(calcApp.topics[0]?.requests).toBe(3);
    expect(calcApp.topics[0]!.examples).toHaveLength(3);
    expect(insights.apps.find((a) => a.app === 'Mousepad')).toMatchObject({ requests: 1, resolved: 0 });
    expect(insights.stuckSteps).toEqual([
      { walkthroughId: 'calc-print', stepIndex: 2, requests: 3, abandoned: 2 },
      { walkthroughId: 'calc-print', stepIndex: 0, requests: 1, abandoned: 0 },
    ]);
    expect(insights.walkthroughs).toEqual([{ walkthroughId: 'calc-print', completed: 5, abandoned: 2 }]);
    expect(insights.unanswered.map((u) => [u.question, u.count])).toEqual([
      ['How do I add a watermark', 3],
      ['split a cell diagonally', 1],
    ]);
    expect((await api(server.url, 'GET', '/api/v1/insights', { token: team.member.token })).status).toBe(403);
    // Strictly per team: another team sees none of it.
    const other = await newTeam(server, 'Ins2');
    const theirs = await api<Insights>(server.url, 'GET', '/api/v1/insights?days=30', { token: other.admin.token });
    expect(theirs.body).toMatchObject({ apps: [], stuckSteps: [], walkthroughs: [], unanswered: [] });
  }, 300_000);

  it('validates events, refuses other teams, keeps resends once, rate-limits floods, loses nothing acked', async () => {
    const team = await newTeam(server, 'Ev');
    const other = await newTeam(server, 'Ev2');
    const event = (n: number) => ({
      clientId: `flood-${process.pid}-${n}`,
      type: 'no_match',
      at: '2026-12-01T10:00:00.000Z',
      app: 'Calc',
      question: `question number ${n}`,
    });
    const bad = await api<ApiError>(server.url, 'POST', '/api/v1/events', {
      token: team.member.token,
      body: { events: [{ ...event(0), type: 'clicked_around' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/usage events/);
    const tooMany = await api(server.url, 'POST', '/api/v1/events', {
      token: team.member.token,
      body: { events: Array.from({ length: 101 }, (_, i) => event(i)) },
    });
    expect(tooMany.status).toBe(400);
    const me = await api<Me>(server.url, 'GET', '/api/v1/me', { token: team.member.token });
    const wrongTeam = await api<ApiError>(server.url, 'POST', '/api/v1/events', {
      token: other.member.token,
      body: { teamId: me.body.team.id, events: [event(1)] },
    });
    expect(wrongTeam.status).toBe(403);
    expect(wrongTeam.body.error.code).toBe('wrong_team');

    // A flood: raw fetch (no automatic retry) of 25 one-event batches; some are refused with Retry-After.
    const acknowledged: string[] = [];
    let refused = 0;
    for (let n = 100; n < 125; n++) {
      const response = await fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${team.member.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [event(n)] }),
      });
      if (response.status === 200) acknowledged.push(`question number ${n}`);
      else {
        expect(response.status).toBe(429);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    // A resend of acknowledged events (same clientIds, honouring Retry-After) is stored once.
    const resend = await api(server.url, 'POST', '/api/v1/events', {
      token: team.member.token,
      body: { events: [event(100)] },
    });
    expect(resend.body).toEqual({ accepted: 1, stored: 0 });
    const insights = await api<Insights>(server.url, 'GET', '/api/v1/insights', { token: team.admin.token });
    expect(insights.body.unanswered.map((u) => u.question).sort()).toEqual([...acknowledged].sort());
    expect(insights.body.unanswered.every((u) => u.count === 1)).toBe(true);
    const theirs = await api<Insights>(server.url, 'GET', '/api/v1/insights', { token: other.admin.token });
    expect(theirs.body.unanswered).toEqual([]);
  }, 300_000);
});
