import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLibrary, starterPackDir } from './library';
import { LearnedQuestions, learnedQuestionsPath } from './learned';
import { WalkthroughIndex } from '../../src-shared/search/walkthrough-search';
import { WalkthroughService } from './service';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-learned-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('learned questions', () => {
  it('keeps a question redacted, once, and forgets it on request', () => {
    const dir = tempDir();
    const learned = new LearnedQuestions(learnedQuestionsPath(dir));
    const stored = learned.add('gnumeric-sort-rows', 'sort   the list ana.lopez@example.org sent me\n');
    expect(stored).not.toContain('ana.lopez@example.org');
    expect(stored).toMatch(/^sort the list .+ sent me$/);
    learned.add('gnumeric-sort-rows', stored!.toUpperCase());
    expect(learned.list('gnumeric-sort-rows')).toHaveLength(1);

    const reread = new LearnedQuestions(learnedQuestionsPath(dir));
    expect(reread.problem).toBeNull();
    expect(reread.list('gnumeric-sort-rows')).toEqual([stored!.toUpperCase()]);
    expect(reread.remove('gnumeric-sort-rows', stored!.toUpperCase())).toBe(true);
    expect(new LearnedQuestions(learnedQuestionsPath(dir)).all().size).toBe(0);
  });

  it('reports a damaged file with its path, skips it, and keeps it aside instead of overwriting it', () => {
    const dir = tempDir();
    const path = learnedQuestionsPath(dir);
    writeFileSync(path, '{"format": "sidekick.learned-questions/1", "walkthroughs": {"x": [{"question": ');
    const learned = new LearnedQuestions(path);
    expect(learned.problem?.path).toBe(path);
    expect(learned.problem?.message).toMatch(/could not be read/);
    expect(learned.all().size).toBe(0);

    learned.add('gnumeric-zoom', 'see the whole sheet');
    const aside = readdirSync(dir).filter((name) => name.startsWith('learned-questions.json.damaged-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toContain('"walkthroughs": {"x"');
    expect(new LearnedQuestions(path).list('gnumeric-zoom')).toEqual(['see the whole sheet']);
  });

  it('makes search find a walkthrough by the words people used for it', () => {
    const entries = loadLibrary({ folder: starterPackDir() }).entries;
    const question = 'the thing with the little funnel icon';
    const before = new WalkthroughIndex(entries).best(question, { app: 'Gnumeric' });
    expect(before.hit?.entry.walkthrough.id).not.toBe('gnumeric-sort-rows');
    const learned = new Map([['gnumeric-sort-rows', [question]]]);
    const after = new WalkthroughIndex(entries, { learned }).best(question, { app: 'Gnumeric' });
    expect(after.hit?.entry.walkthrough.id).toBe('gnumeric-sort-rows');
  });

  it('the library service learns, reports a damaged file among its problems, and loses no walkthrough', () => {
    const userDir = tempDir();
    writeFileSync(learnedQuestionsPath(userDir), 'not json at all');
    const service = new WalkthroughService({ userDir, emit: () => {} });
    const library = service.catalog.load();
    expect(library.entries.length).toBe(loadLibrary({ folder: starterPackDir() }).entries.length);
    expect(library.problems.map((p) => p.path)).toContain(learnedQuestionsPath(userDir));

    expect(service.catalog.learn('gnumeric-sort-rows', 'put the biggest first')).toEqual({
      ok: true,
      stored: 'put the biggest first',
    });
    expect(service.catalog.learnedQuestions('gnumeric-sort-rows')).toEqual(['put the biggest first']);
    expect(service.catalog.learn('no-such-walkthrough', 'x')).toMatchObject({ ok: false });
    expect(service.catalog.forget('gnumeric-sort-rows', 'put the biggest first')).toEqual({ ok: true, questions: [] });
    expect(existsSync(learnedQuestionsPath(userDir))).toBe(true);
  });
});
