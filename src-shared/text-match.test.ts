/** The shared matcher: stems and synonyms fold word forms together, and BM25F ranks by shared rare words. */
import { describe, expect, it } from 'vitest';
import { Bm25Index, PRUNE_FROM_DOCS, stem, tokenize, weightedQuery } from './text-match';

describe('tokenize', () => {
  it('folds word forms and everyday synonyms, drops stop words, keeps numbers and non-English letters', () => {
    expect(['printing', 'printed', 'prints', 'print'].map(stem)).toEqual(['print', 'print', 'print', 'print']);
    expect(['merge', 'merging', 'merged'].map(stem)).toEqual(['merg', 'merg', 'merg']);
    expect(tokenize('How do I print my graph on the printer?')).toEqual(['print', 'chart', 'print']);
    expect(tokenize("It's page 14 of Größe-Tabelle")).toEqual(['it', 'page', '14', 'größ', 'tabell']);
    expect(tokenize('')).toEqual([]);
  });
});

describe('Bm25Index', () => {
  it('ranks the document sharing the rarest words first, weighing fields', () => {
    const index = new Bm25Index({ weights: { question: 3, screen: 0.5 } });
    index.add({ question: 'the spreadsheet prints on 14 pages', screen: 'File Edit View Print Preview' });
    index.add({ question: 'pivot table of sales per region', screen: 'File Edit View Data Pivot Table' });
    index.add({ question: 'bold and italic keys', screen: 'File Edit View Format Print' });
    const scores = index.score(weightedQuery({ q: { text: 'my table prints on too many pages', weight: 1 } }));
    const ranked = [...scores].sort((a, b) => b[1] - a[1]).map(([doc]) => doc);
    expect(ranked[0]).toBe(0);
    expect(index.idf('file')).toBeLessThan(index.idf('pivot'));
    expect(index.idf('absent')).toBe(0);
  });

  it('skips words most documents share only in large indexes', () => {
    const small = new Bm25Index({ weights: {}, maxDocShare: 0.3 });
    small.add({ text: 'print' });
    small.add({ text: 'print page' });
    expect(small.score(new Map([['print', 1]])).size).toBe(2);
    const large = new Bm25Index({ weights: {}, maxDocShare: 0.3 });
    for (let i = 0; i < PRUNE_FROM_DOCS; i++) large.add({ text: i % 10 ? 'file print' : `file pivot ${i}` });
    expect(large.score(new Map([['file', 1]])).size).toBe(0);
    expect(large.score(new Map([['pivot', 1]])).size).toBe(PRUNE_FROM_DOCS / 10);
  });
});
