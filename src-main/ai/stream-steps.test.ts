import { describe, expect, it } from 'vitest';
import { StepObjectScanner, extractJsonDocument } from './stream-steps';
import { quotedLabel, answerToWalkthrough } from './walkthrough';
import { endpointFromEnv } from './endpoint';

describe('StepObjectScanner', () => {
  const answer = JSON.stringify({
    steps: [
      { instruction: 'Open the "View {menu}".', elementId: 'e3' },
      { instruction: 'Pick \\"Zoom\\" ]}', elementId: null },
    ],
  });

  it('yields each step as soon as its closing brace arrives, whatever the chunking', () => {
    for (const size of [1, 3, 7, 500]) {
      const scanner = new StepObjectScanner();
      const seen: { at: number; raw: string }[] = [];
      for (let i = 0; i < answer.length; i += size)
        for (const raw of scanner.push(answer.slice(i, i + size))) seen.push({ at: i, raw });
      expect(seen.map((s): unknown => JSON.parse(s.raw))).toEqual((JSON.parse(answer) as { steps: unknown[] }).steps);
      // One character at a time: the first step is out the moment its "}" arrives.
      if (size === 1) expect(seen[0]!.at).toBe(answer.indexOf('"e3"}') + 4);
    }
  });

  it('ignores prose and fences before the JSON', () => {
    const scanner = new StepObjectScanner();
    expect(scanner.push('Sure! ```json\n{"steps": [{"instruction": "a", "elementId": null}]}\n```')).toHaveLength(1);
    expect(extractJsonDocument(scanner.received)).toBe('{"steps": [{"instruction": "a", "elementId": null}]}');
  });
});

describe('AI steps as walkthroughs', () => {
  it('takes a quoted control name as the target of a step without an element', () => {
    expect(quotedLabel('Choose “Word Wrap” in the menu.')).toBe('Word Wrap');
    expect(quotedLabel('Press Enter.')).toBeNull();
  });
  it('makes a valid walkthrough with a safe id', () => {
    const w = answerToWalkthrough({
      question: 'How do I wrap ../../etc text?',
      app: 'Gnumeric',
      steps: [
        {
          index: 0,
          instruction: 'Open Format.',
          elementId: 'e1',
          target: { text: 'Format', box: { x: 1, y: 2, w: 3, h: 4 } },
        },
      ],
      now: new Date('2026-11-28T00:00:00Z'),
    });
    expect(w).toMatchObject({
      id: 'gnumeric-how-do-i-wrap-etc-text',
      title: 'How do I wrap ../../etc text',
      steps: [{ instruction: 'Open Format.', target: { text: 'Format' } }],
      tags: ['ai'],
    });
  });
});

describe('endpointFromEnv', () => {
  it('is off without a model, and names what is missing', () => {
    expect(endpointFromEnv({})).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/AI answers are off/) as unknown,
    });
    expect(endpointFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/SIDEKICK_AI_MODEL/) as unknown,
    });
    expect(endpointFromEnv({ OPENAI_BASE_URL: 'not a url', SIDEKICK_AI_MODEL: 'm' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not a URL/) as unknown,
    });
    expect(endpointFromEnv({ SIDEKICK_AI_MODEL: 'gpt-4o-mini', OPENAI_API_KEY: 'k' })).toMatchObject({
      ok: true,
      endpoint: { baseUrl: 'https://api.openai.com/v1', provider: 'openai', sendImage: false, stream: true },
    });
  });
});
