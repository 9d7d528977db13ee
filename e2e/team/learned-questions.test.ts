/**
 * The team library learns from use, through a real server process: one person asks in their own words,
 * picks a team walkthrough, and the question (redacted) goes to the team; a colleague's Sidekick syncs it,
 * and the same words now find that walkthrough first on their computer too.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LibraryCatalog } from '../../src-main/walkthroughs/catalog';
import { api, joinTeam, type ServerProcess, startServerProcess, tempDataDir } from './team-server-process';
import { desktopTeamService, until } from './desktop-fixture';

let server: ServerProcess | null = null;
const cleanups: Array<() => void> = [];
afterAll(async () => {
  cleanups.forEach((stop) => stop());
  await server?.stop();
});

const tip = (id: string, title: string, body: string, labels: string[]) => ({
  baseVersion: 0,
  doc: { format: 'sidekick.tip/1', id, title, body, app: { name: 'Gnumeric', match: ['gnumeric'] }, labels },
});

/** The walkthrough the person's library is confident enough to play for a question over Gnumeric, if any. */
function answerFor(catalog: LibraryCatalog, question: string): string | null {
  return catalog.searchIndex().best(question, { app: 'Gnumeric' }).hit?.entry.walkthrough.id ?? null;
}

describe('learned questions shared through the team server', () => {
  it('a question one person picked a team walkthrough for finds it first for a colleague', async () => {
    server = await startServerProcess({ dataDir: tempDataDir() });
    const { url } = server;
    const admin = await joinTeam(url, server.report.adminInvites[0]!.code, 'Ana Admin');
    for (const item of [
      tip('team-wrap-text', 'Wrap text inside a cell', 'Format → Cells → Alignment → Wrap text.', ['Format', 'Cells']),
      tip('team-freeze-row', 'Keep the header row visible', 'Select A2, then View → Freeze Panes.', ['View']),
    ]) {
      const saved = await api(url, 'PUT', `/api/v1/library/${item.doc.id}`, { token: admin.token, body: item });
      expect(saved.status).toBe(200);
    }

    const people = await Promise.all(
      ['Mia', 'Max'].map(async (name) => {
        const invite = await api<{ link: string }>(url, 'POST', '/api/v1/invites', {
          token: admin.token,
          body: { role: 'member' },
        });
        const app = desktopTeamService(null);
        cleanups.push(() => app.service.stop());
        expect(await app.service.join(invite.body.link, name)).toMatchObject({ ok: true });
        await until(() => app.service.view().connection === 'live', `${name} live`);
        await until(() => app.service.library.version('team-wrap-text') > 0, `${name} synced the team library`);
        const catalog = new LibraryCatalog({
          userDir: mkdtempSync(join(tmpdir(), 'sidekick-learned-user-')),
          teamDir: app.service.library.dir,
          starterDir: null,
          shareLearned: (id, question) => app.service.learn(id, question),
        });
        return { app, catalog };
      }),
    );
    const [mia, max] = people as [(typeof people)[0], (typeof people)[0]];

    // In their own words, with an e-mail address in it: nothing in the team library comes close.
    const question = 'the sentence runs into the neighbour box, ask bob@example.org';
    expect(max.catalog.searchIndex().search(question, { app: 'Gnumeric' }, 3)).toEqual([]);
    expect(answerFor(max.catalog, 'the sentence runs into the neighbour box')).toBeNull();

    // Mia picks the wrap-text walkthrough after asking: kept for her, and shared (redacted) with the team.
    const learned = mia.catalog.learn('team-wrap-text', question);
    expect(learned).toMatchObject({ ok: true });
    const stored = (learned as { stored: string }).stored;
    expect(stored).not.toContain('bob@example.org');
    const onServer = await until(async () => {
      const list = await api<{ items: Record<string, string[]> }>(url, 'GET', '/api/v1/library/questions', {
        token: admin.token,
      });
      return list.body.items['team-wrap-text']?.includes(stored) ? list.body.items : null;
    }, 'the question on the server');
    expect(JSON.stringify(onServer)).not.toContain('bob@example.org');

    // Max's Sidekick takes it on its next pull; the same words now find the walkthrough first.
    await max.app.service.library.pull();
    max.catalog.reload();
    expect(answerFor(max.catalog, 'the sentence runs into the neighbour box')).toBe('team-wrap-text');
    expect(answerFor(max.catalog, 'my sentence runs into the next box')).toBe('team-wrap-text');

    // A member cannot teach a walkthrough the team does not have.
    const refused = await api(url, 'POST', '/api/v1/library/no-such-item/questions', {
      token: admin.token,
      body: { question: 'anything' },
    });
    expect(refused.status).toBe(404);
    const hidden = await api(url, 'POST', '/api/v1/library/team-wrap-text/questions', {
      token: admin.token,
      body: { question: 'right\u202Eto left' },
    });
    expect(hidden.status).toBe(400);
  }, 240_000);
});
