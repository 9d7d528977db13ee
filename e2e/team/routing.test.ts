/**
 * Who gets a new request first, on a real server process (SQLite) with a seeded history resolved through the
 * API: the team settings (defaults, admin-only changes, clear 400s), each request's routing (top suggested
 * helpers, never the asker, members or revoked helpers; `wholeTeamAt` from the setting; everyone at once with
 * no history or 0 minutes), what the person who asked is told (names on and off, never the routing itself,
 * neither over REST nor on the live stream), and the people directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, HelpRequest, People, QueueStatus, TeamEvent, TeamSettingsAnswer } from '../../src-shared/team';
import { RESOLVED_HISTORY, type ExpertiseCase, type ResolvedCase } from './expertise-data';
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
async function ask(token: string, item: ExpertiseCase) {
  const response = await api<{ request: HelpRequest }>(server.url, 'POST', '/api/v1/requests', {
    token,
    body: {
      clientId: `routing-${process.pid}-${++counter}`,
      question: item.question,
      context: { app: item.app, windowTitle: item.windowTitle, os: 'linux', displayScale: 1, ocrText: item.ocrText },
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.request;
}

async function resolveAs(askerToken: string, helperToken: string, item: ResolvedCase) {
  const request = await ask(askerToken, item);
  for (const [action, body] of [
    ['claim', {}],
    ['resolve', { resolution: item.resolution }],
  ] as const) {
    const response = await api(server.url, 'POST', `/api/v1/requests/${request.id}/${action}`, {
      token: helperToken,
      body,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  }
}

const readRequest = (token: string, id: string) =>
  api<{ request: HelpRequest }>(server.url, 'GET', `/api/v1/requests/${id}`, { token });
const queue = (token: string, id: string) =>
  api<QueueStatus>(server.url, 'GET', `/api/v1/requests/${id}/queue`, { token });
const settings = (token: string) => api<TeamSettingsAnswer>(server.url, 'GET', '/api/v1/team/settings', { token });
const patchSettings = (token: string, body: unknown) =>
  api<TeamSettingsAnswer & ApiError>(server.url, 'PATCH', '/api/v1/team/settings', { token, body });
const people = (token: string, q: string) =>
  api<People>(server.url, 'GET', `/api/v1/people?q=${encodeURIComponent(q)}`, { token });

const byHelper = (name: string) => RESOLVED_HISTORY.filter((item) => item.helper === name);
const PRINTING: ExpertiseCase = {
  app: 'Gnumeric',
  windowTitle: 'sales-2026.gnumeric : Gnumeric',
  question: 'my table comes out of the printer spread over nine pages',
  ocrText: 'File Edit View Insert Format Tools Statistics Data Help Print Preview Page 3 of 9',
};

describe('routing new requests to who knows (real server)', () => {
  it('keeps team settings: everyone reads them, only admins change them, bad values get clear 400s', async () => {
    const team = await newTeam(server, 'S');
    const defaults = await settings(team.member.token);
    expect(defaults.status).toBe(200);
    expect(defaults.body).toEqual({
      settings: { routeToTeamAfterMinutes: 5, showHelperNamesToRequester: true },
      updatedAt: null,
      updatedBy: null,
    });
    for (const token of [team.member.token, team.helper.token]) {
      const refused = await patchSettings(token, { routeToTeamAfterMinutes: 1 });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/only admins can change the team's settings/);
    }
    const bad: Array<[unknown, RegExp]> = [
      [{ routeToTeamAfterMinutes: -1 }, /routeToTeamAfterMinutes must be 0 \(everyone at once\) or more/],
      [{ routeToTeamAfterMinutes: 2.5 }, /whole number of minutes/],
      [{ routeToTeamAfterMinutes: 'ten' }, /whole number of minutes/],
      [{ routeToTeamAfterMinutes: 5000 }, /at most 1440/],
      [{ showHelperNamesToRequester: 'no' }, /true or false/],
      [{ showNames: true }, /showNames/],
      [{}, /send at least one setting/],
    ];
    for (const [body, message] of bad) {
      const refused = await patchSettings(team.admin.token, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('invalid_input');
      expect(refused.body.error.message).toMatch(/^team settings is invalid: /);
      expect(refused.body.error.message).toMatch(message);
    }
    expect((await settings(team.helper.token)).body.updatedAt).toBeNull(); // nothing was changed
    const changed = await patchSettings(team.admin.token, { routeToTeamAfterMinutes: 12 });
    expect(changed.status).toBe(200);
    expect(changed.body.settings).toEqual({ routeToTeamAfterMinutes: 12, showHelperNamesToRequester: true });
    expect(changed.body.updatedBy?.name).toBe('S Admin');
    expect((await settings(team.helper.token)).body).toEqual(changed.body);
    // Members see the settings, not who changed them.
    expect((await settings(team.member.token)).body).toEqual({ ...changed.body, updatedAt: null, updatedBy: null });
  });

  it('asks the top suggested helpers first, then the whole team; the asker sees who and why', async () => {
    const team = await newTeam(server, 'R');
    const url = server.url;
    const priya = await addMember(url, team.admin.token, 'helper', 'Priya');
    const tomasz = await addMember(url, team.admin.token, 'helper', 'Tomasz');
    const leaver = await addMember(url, team.admin.token, 'helper', 'Leaver');
    const demoted = await addMember(url, team.admin.token, 'helper', 'Demoted');

    // Before any history: everyone at once, and the routing says why.
    const first = await ask(team.member.token, PRINTING);
    expect(first.routing).toBeUndefined(); // the asker never gets the routing itself
    const firstRouting = (await readRequest(team.helper.token, first.id)).body.request.routing!;
    expect(firstRouting.suggested).toEqual([]);
    expect(firstRouting.wholeTeamAt).toBe(first.createdAt);
    expect(firstRouting.message).toMatch(/^no one has solved this yet/);

    for (const item of byHelper('Priya').slice(0, 4)) await resolveAs(team.member.token, priya.token, item);
    for (const item of byHelper('Tomasz').slice(0, 4)) await resolveAs(team.member.token, tomasz.token, item);
    // More printing experts, who then leave the team or stop being helpers: never asked first.
    for (const item of byHelper('Priya').slice(4, 10)) {
      await resolveAs(team.member.token, counter % 2 ? leaver.token : demoted.token, item);
    }
    expect(
      (await api(url, 'POST', `/api/v1/members/${leaver.memberId}/revoke`, { token: team.admin.token })).status,
    ).toBe(200);
    const demote = await api(url, 'PATCH', `/api/v1/members/${demoted.memberId}`, {
      token: team.admin.token,
      body: { role: 'member' },
    });
    expect(demote.status).toBe(200);
    expect((await patchSettings(team.admin.token, { routeToTeamAfterMinutes: 10 })).status).toBe(200);

    // A helper's console and the asker's app are connected while the request comes in.
    const helperLive = liveClient(url, team.helper.token);
    const askerLive = liveClient(url, team.member.token);
    helperLive.stream.start();
    askerLive.stream.start();
    let printing: HelpRequest;
    try {
      await helperLive.until(() => helperLive.stream.status === 'live', 'the helper live');
      await askerLive.until(() => askerLive.stream.status === 'live', 'the asker live');
      printing = await ask(team.member.token, PRINTING);
      expect(printing.routing).toBeUndefined();
      const routing = (await readRequest(team.admin.token, printing.id)).body.request.routing!;
      const asked = routing.suggested.map((helper) => helper.member.name);
      expect(asked[0]).toBe('Priya');
      expect(asked.length).toBeLessThanOrEqual(3);
      for (const never of ['Leaver', 'Demoted', 'R Member']) expect(asked).not.toContain(never);
      expect(routing.suggested[0]!.reasons[0]).toMatch(/^resolved \d+ similar requests? in .+, e\.g\. '.+'$/);
      expect(routing.suggested[0]!.askerReason).toMatch(/^solved \d+ similar problems? about \w+/);
      expect(Date.parse(routing.wholeTeamAt) - Date.parse(printing.createdAt)).toBe(10 * 60_000);
      expect((await readRequest(team.member.token, printing.id)).body.request.routing).toBeUndefined();
      const listed = await api<{ requests: HelpRequest[] }>(url, 'GET', '/api/v1/requests', {
        token: team.member.token,
      });
      expect(listed.body.requests.every((request) => request.routing === undefined)).toBe(true);

      // Live: the helper's event carries the routing, the asker's does not.
      const eventOf = (events: TeamEvent[]) =>
        events.find((event) => event.type === 'request' && event.request.id === printing.id) as
          Extract<TeamEvent, { type: 'request' }> | undefined;
      await helperLive.until(() => eventOf(helperLive.events) !== undefined, 'the request on the helper stream');
      await askerLive.until(() => eventOf(askerLive.events) !== undefined, 'the request on the asker stream');
      expect(eventOf(helperLive.events)!.request.routing).toEqual(routing);
      expect(eventOf(askerLive.events)!.request.routing).toBeUndefined();

      // What the person who asked is told: who, why (in their own words), and when the whole team sees it.
      const named = await queue(team.member.token, printing.id);
      expect(named.status).toBe(200);
      expect(named.body.asking).toEqual(
        routing.suggested.map((helper) => ({ name: helper.member.name, reason: helper.askerReason })),
      );
      expect(named.body.askingAbout).toBe(routing.topic);
      expect(routing.topic).toMatch(/printer|pages/);
      expect(named.body.wholeTeamAt).toBe(routing.wholeTeamAt);
      // Other people's questions never reach the asker.
      const history = RESOLVED_HISTORY.map((item) => item.question);
      expect(history.some((question) => JSON.stringify(named.body).includes(question))).toBe(false);
      expect((await patchSettings(team.admin.token, { showHelperNamesToRequester: false })).status).toBe(200);
      const anonymous = await queue(team.member.token, printing.id);
      expect(anonymous.body.asking).toEqual(named.body.asking!.map((entry) => ({ ...entry, name: null })));
      expect(JSON.stringify(anonymous.body)).not.toContain('Priya');
    } finally {
      helperLive.stream.stop();
      askerLive.stream.stop();
    }

    // The asker is never asked first for their own request, even as the expert.
    const own = await ask(priya.token, PRINTING);
    const ownRouting = (await readRequest(team.admin.token, own.id)).body.request.routing!;
    expect(ownRouting.suggested.map((helper) => helper.member.id)).not.toContain(priya.memberId);
    expect(own.routing).toBeDefined(); // a helper asking sees routing like any helper

    // A first-asked helper who leaves the team is no longer said to be asked.
    const before = (await queue(team.member.token, printing.id)).body.asking!;
    expect(
      (await api(url, 'POST', `/api/v1/members/${priya.memberId}/revoke`, { token: team.admin.token })).status,
    ).toBe(200);
    const after = (await queue(team.member.token, printing.id)).body.asking!;
    expect(after).toHaveLength(before.length - 1);
    expect(after).toEqual(before.slice(1));

    // 0 minutes: everyone at once.
    expect((await patchSettings(team.admin.token, { routeToTeamAfterMinutes: 0 })).status).toBe(200);
    const atOnce = await ask(team.member.token, PRINTING);
    const atOnceRouting = (await readRequest(team.helper.token, atOnce.id)).body.request.routing!;
    expect(atOnceRouting.suggested).toEqual([]);
    expect(atOnceRouting.wholeTeamAt).toBe(atOnce.createdAt);
    expect((await queue(team.member.token, atOnce.id)).body.asking).toEqual([]);
  });

  it('lists who knows what: solved per app, examples, what they wrote; ranked by a search', async () => {
    const team = await newTeam(server, 'P');
    const url = server.url;
    const priya = await addMember(url, team.admin.token, 'helper', 'Priya');
    const tomasz = await addMember(url, team.admin.token, 'helper', 'Tomasz');
    const grace = await addMember(url, team.admin.token, 'helper', 'Grace');
    const leaver = await addMember(url, team.admin.token, 'helper', 'Leaver');
    for (const item of byHelper('Priya').slice(0, 5)) await resolveAs(team.member.token, priya.token, item);
    for (const item of byHelper('Tomasz').slice(0, 3)) await resolveAs(team.member.token, tomasz.token, item);
    for (const item of byHelper('Tomasz').slice(3, 6)) await resolveAs(team.member.token, leaver.token, item);
    const tip = await api(url, 'PUT', '/api/v1/library/grace-mail-merge-labels', {
      token: grace.token,
      body: {
        baseVersion: 0,
        doc: {
          format: 'sidekick.tip/1',
          id: 'grace-mail-merge-labels',
          title: 'Print address labels with mail merge',
          body: 'Tools > Mail Merge, choose Labels, pick the address list.',
          app: { name: 'LibreOffice Writer' },
          labels: ['Mail Merge'],
        },
      },
    });
    expect(tip.status, JSON.stringify(tip.body)).toBe(200);
    expect(
      (await api(url, 'POST', `/api/v1/members/${leaver.memberId}/revoke`, { token: team.admin.token })).status,
    ).toBe(200);

    expect((await people(team.member.token, '')).status).toBe(403);
    const everyone = await people(team.helper.token, '');
    expect(everyone.status).toBe(200);
    const names = everyone.body.people.map((person) => person.member.name);
    expect(names.slice(0, 3)).toEqual(['Priya', 'Tomasz', 'Grace']);
    expect(names).not.toContain('Leaver');
    expect(names).toContain('P Member'); // everyone who is not revoked, even with nothing solved
    const priyaProfile = everyone.body.people[0]!;
    expect(priyaProfile.solved).toBe(5);
    expect(priyaProfile.apps.reduce((sum, app) => sum + app.solved, 0)).toBe(5);
    expect(priyaProfile.examples).toHaveLength(3);
    expect(priyaProfile.examples[0]).toBe(byHelper('Priya')[4]!.question); // newest first
    expect(priyaProfile.score).toBeNull();
    const graceProfile = everyone.body.people.find((person) => person.member.name === 'Grace')!;
    expect(graceProfile.written).toEqual({
      tips: 1,
      walkthroughs: 0,
      titles: ['Print address labels with mail merge'],
    });

    const pivot = await people(team.admin.token, 'pivot tables');
    expect(pivot.body.q).toBe('pivot tables');
    expect(pivot.body.people[0]!.member.name).toBe('Tomasz');
    expect(pivot.body.people[0]!.score).toBeGreaterThan(0);
    expect(pivot.body.people[0]!.examples.some((question) => /pivot/i.test(question))).toBe(true);
    expect(pivot.body.people.map((person) => person.member.name)).not.toContain('Leaver');
    const labels = await people(team.admin.token, 'mail merge labels');
    expect(labels.body.people[0]!.member.name).toBe('Grace');
    expect(labels.body.people[0]!.written.titles).toEqual(['Print address labels with mail merge']);
    expect((await people(team.admin.token, 'x'.repeat(201))).status).toBe(400);
  });
});
