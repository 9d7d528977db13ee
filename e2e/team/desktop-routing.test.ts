/**
 * The desktop app's notification for helpers follows the request's routing, like the console: the
 * helper a request is routed to first is told at once ("for you", with why), another helper only when
 * the whole team's turn comes (`wholeTeamAt`), and not at all when the request was claimed before that.
 * Real server process, real TeamService instances (the tray's notifier recorded), a history resolved
 * through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedInvite, HelpRequest } from '../../src-shared/team';
import { desktopTeamService, until } from './desktop-fixture';
import { addMember, api, joinTeam, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';

let server: ServerProcess;
const stops: Array<() => void> = [];
beforeAll(async () => {
  server = await startServerProcess({ dataDir: tempDataDir() });
}, 400_000);
afterAll(async () => {
  stops.forEach((stop) => stop());
  await server?.stop();
});

const CONTEXT = {
  app: 'Gnumeric',
  windowTitle: 'budget.gnumeric : Gnumeric',
  os: 'linux',
  displayScale: 1,
  ocrText: 'File Edit View Insert Format Tools Data Help Print Preview Page Setup',
};
let counter = 0;
async function ask(token: string, question: string): Promise<HelpRequest> {
  const response = await api<{ request: HelpRequest }>(server.url, 'POST', '/api/v1/requests', {
    token,
    body: { clientId: `desk-routing-${++counter}`, question, context: CONTEXT },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.request;
}
async function act(token: string, id: string, action: 'claim' | 'resolve', body: object = {}) {
  const response = await api(server.url, 'POST', `/api/v1/requests/${id}/${action}`, { token, body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

describe('desktop helper notifications follow routing (real server)', () => {
  it('tells the first-asked helper at once and the others at the whole team’s turn, unless claimed', async () => {
    const admin = await joinTeam(server.url, server.report.adminInvites[0]!.code, 'Ada Admin');
    const asker = await addMember(server.url, admin.token, 'member', 'Mia Member');
    const settings = await api(server.url, 'PATCH', '/api/v1/team/settings', {
      token: admin.token,
      body: { routeToTeamAfterMinutes: 1 },
    });
    expect(settings.status).toBe(200);
    const invite = async () =>
      (
        await api<CreatedInvite>(server.url, 'POST', '/api/v1/invites', {
          token: admin.token,
          body: { role: 'helper' },
        })
      ).body.link;
    const expert = desktopTeamService(null);
    const other = desktopTeamService(null);
    stops.push(
      () => expert.service.stop(),
      () => other.service.stop(),
    );
    expect(await expert.service.join(await invite(), 'Pia Printing')).toMatchObject({ ok: true });
    expect(await other.service.join(await invite(), 'Otto Other')).toMatchObject({ ok: true });
    await until(
      () => expert.service.view().connection === 'live' && other.service.view().connection === 'live',
      'both helpers live',
    );
    const expertToken = await until(() => expert.token(), 'expert token');
    // Pia solved printing problems before: printing questions go to her first.
    for (const question of [
      'the sheet prints on too many pages',
      'how do I print only the selected cells',
      'printout is cut off at the right edge',
    ]) {
      const past = await ask(asker.token, question);
      await act(expertToken, past.id, 'claim');
      await act(expertToken, past.id, 'resolve', { resolution: 'Page Setup → Scale → fit to 1 page wide' });
    }
    const before = { expert: expert.notifications.length, other: other.notifications.length };

    const unclaimed = await ask(asker.token, 'my spreadsheet comes out of the printer on nine pages');
    const claimed = await ask(asker.token, 'printing cuts my columns in half');
    const routedTo = (
      await api<{ request: HelpRequest }>(server.url, 'GET', `/api/v1/requests/${unclaimed.id}`, {
        token: admin.token,
      })
    ).body.request.routing;
    expect(routedTo?.suggested.map((helper) => helper.member.name)).toEqual(['Pia Printing']);

    // Pia is told at once, for both, and why; Otto is not told yet.
    await until(() => expert.notifications.length >= before.expert + 2, 'the expert told at once');
    const told = expert.notifications.slice(before.expert);
    expect(told.map((n) => n.title)).toEqual([
      'Help request for you from Mia Member',
      'Help request for you from Mia Member',
    ]);
    expect(told[0]!.body).toMatch(/nine pages — Gnumeric \(solved \d+ similar problems?/);
    await act(expertToken, claimed.id, 'claim');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(other.notifications.length, 'nobody else is told before the whole team’s turn').toBe(before.other);

    // At wholeTeamAt (one minute after asking) Otto is told of the unclaimed one only.
    const turn = Date.parse(routedTo!.wholeTeamAt);
    await until(() => other.notifications.length > before.other, 'the whole team told', 120_000);
    expect(Date.now()).toBeGreaterThanOrEqual(turn);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(other.notifications.slice(before.other)).toEqual([
      {
        title: 'Help request from Mia Member',
        body: 'my spreadsheet comes out of the printer on nine pages — Gnumeric',
      },
    ]);
  }, 300_000);
});
