import { describe, expect, it } from 'vitest';
import { topicsOf } from './insights';

describe('topicsOf', () => {
  it('labels a topic with the words as people wrote them, not their stems', () => {
    const topics = topicsOf([
      'the letter prints on two pages',
      'my letters print on two pages',
      'the letter prints with a blank page',
      'the shared folder is empty',
      'the team folder is gone',
    ]);
    expect(topics.map((topic) => [topic.label, topic.requests])).toEqual([
      ['letter pages', 3],
      ['folder', 2],
    ]);
    expect(topics[0]!.examples).toHaveLength(3);
  });
});
