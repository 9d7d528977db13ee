/**
 * The help session against real OCR on real screenshots (e2e/fixtures/screens): phases and
 * progress, HiDPI geometry of highlights, and every kind of bad capture giving a clear problem.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCREEN_FIXTURES_DIR } from '../../e2e/fixtures/screens/truth';
import type { HelpState } from '../../src-shared/ipc/overlay';
import { createScreenReader } from '../ocr';
import { locateLabel } from '../screen';
import type { HelpCapture } from '../base/feature';
import { HelpSessions, NO_ANSWER_MESSAGE } from './help-session';

const reader = createScreenReader();
afterAll(() => reader.close());

/** The parts of a fixture's `.truth.json` these tests read. */
interface Truth {
  app: string;
  title: string;
  scale: number;
  elements: { name: string; box: { x: number; y: number; w: number; h: number } }[];
}

function fixture(name: string): { png: Buffer; truth: Truth } {
  return {
    png: readFileSync(join(SCREEN_FIXTURES_DIR, `${name}.png`)),
    truth: JSON.parse(readFileSync(join(SCREEN_FIXTURES_DIR, `${name}.truth.json`), 'utf8')) as Truth,
  };
}

function sessions(capture: () => Promise<HelpCapture>, frame = { x: 0, y: 0, width: 1920, height: 1080 }) {
  const states: HelpState[] = [];
  const help = new HelpSessions({
    capture,
    reader,
    locate: locateLabel,
    placeOverlay: () => frame,
    publish: (state) => states.push(state),
  });
  return { help, states };
}

describe('a help session over real OCR', () => {
  it('goes capturing → reading (with partial word counts) → ready; maps HiDPI boxes to overlay pixels', async () => {
    const { png, truth } = fixture('gnumeric-hidpi');
    // A 2x display whose top-left is at (1920, 0) in screen points; the window sits at (2000, 100).
    const frame = { x: 1920, y: 0, width: 1600, height: 1000 };
    const { help, states } = sessions(
      async () => ({
        window: { app: truth.app, title: truth.title, bounds: { x: 2000, y: 100, w: 800, h: 450 }, scale: 2 },
        image: png,
      }),
      frame,
    );
    const final = await help.start();
    expect(states.map((s) => s.phase).filter((p, i, all) => p !== all[i - 1])).toEqual([
      'capturing',
      'reading',
      'ready',
    ]);
    expect(final.window).toEqual({ app: 'Gnumeric', title: truth.title, bounds: { x: 80, y: 100, w: 800, h: 450 } });
    expect(final.textCount).toBeGreaterThan(20);
    const { highlights, matches } = await help.locate(final.sessionId, ['Format', 'no such label here']);
    expect(matches[1]).toEqual({ query: 'no such label here', text: null, box: null });
    expect(highlights).toHaveLength(1);
    const widget = truth.elements.find((e) => e.name === 'Format')!.box; // device pixels
    const h = highlights[0]!.box;
    expect(h.x).toBeGreaterThanOrEqual(80 + widget.x / 2 - 1);
    expect(h.x + h.w).toBeLessThanOrEqual(80 + (widget.x + widget.w) / 2 + 1);
    expect(h.y).toBeGreaterThanOrEqual(100 + widget.y / 2 - 1);
    expect(h.y + h.h).toBeLessThanOrEqual(100 + (widget.y + widget.h) / 2 + 1);
    expect(states.at(-1)!.highlights).toEqual(highlights);
    expect(await help.ask(final.sessionId, 'how do I freeze the top row')).toEqual({
      kind: 'none',
      message: NO_ANSWER_MESSAGE,
      next: 'ask-human',
    });
  });

  it('uses the first answer provider that answers, and survives one that throws', async () => {
    const { png, truth } = fixture('gnumeric');
    const states: HelpState[] = [];
    const logged: string[] = [];
    const help = new HelpSessions({
      capture: async () => ({
        window: { app: truth.app, title: truth.title, bounds: { x: 0, y: 0, w: 1600, h: 900 }, scale: 1 },
        image: png,
      }),
      reader,
      locate: locateLabel,
      placeOverlay: () => ({ x: 0, y: 0, width: 1920, height: 1080 }),
      publish: (state) => states.push(state),
      log: (message) => logged.push(message),
      answerProviders: [
        async () => {
          throw new Error('library offline');
        },
        async (context) => {
          const highlight = await context.highlight('View');
          return {
            kind: 'steps',
            source: 'library',
            title: 'Freeze',
            walkthroughId: 'x',
            steps: [{ index: 0, instruction: 'Open View', target: { text: 'View', highlight } }],
          };
        },
      ],
    });
    const { sessionId } = await help.start();
    const answer = await help.ask(sessionId, 'freeze');
    expect(answer.kind).toBe('steps');
    expect(answer.kind === 'steps' && answer.steps[0]!.target!.highlight!.label).toBe('View');
    expect(logged).toContain('An answer provider failed');
  });

  it('reports a blank window as read with no text, with a next step', async () => {
    const blank = { width: 400, height: 300, data: new Uint8Array(400 * 300 * 4).fill(255) };
    const { help } = sessions(async () => ({
      window: { app: 'Blank', title: '', bounds: { x: 0, y: 0, w: 400, h: 300 }, scale: 1 },
      image: blank,
    }));
    const final = await help.start();
    expect(final.phase).toBe('ready');
    expect(final.problem?.message).toBe('Sidekick found no text in Blank.');
  });

  it.each([
    ['an empty file', Buffer.alloc(0), /could not be read/],
    ['a truncated PNG', readFileSync(join(SCREEN_FIXTURES_DIR, 'gnumeric.png')).subarray(0, 300), /could not be read/],
    ['text that is not an image', Buffer.from('hello, not an image'), /could not be read/],
    ['raw pixels of the wrong length', { width: 10, height: 10, data: new Uint8Array(7) }, /could not be read/],
  ])('fails clearly on %s', async (_what, image, message) => {
    const { help, states } = sessions(async () => ({
      window: { app: 'App', title: 'T', bounds: { x: 0, y: 0, w: 10, h: 10 }, scale: 1 },
      image,
    }));
    const final = await help.start();
    expect(final.phase).toBe('failed');
    expect(final.problem!.message).toMatch(message);
    expect(final.problem!.nextStep).toMatch(/hotkey again/);
    expect(states.at(-1)).toEqual(final);
    expect((await help.ask(final.sessionId, 'anything')).kind).toBe('problem');
  });

  it('a new hotkey press replaces the running session; answers to the old one say it ended', async () => {
    const { png, truth } = fixture('gnumeric');
    const { help } = sessions(async () => ({
      window: { app: truth.app, title: truth.title, bounds: { x: 0, y: 0, w: 1600, h: 900 }, scale: 1 },
      image: png,
    }));
    const first = help.start();
    const firstId = help.current()!.sessionId;
    const second = await help.start();
    await first;
    expect(second.sessionId).not.toBe(firstId);
    expect(help.current()!.sessionId).toBe(second.sessionId);
    expect(await help.ask(firstId, 'x')).toMatchObject({
      kind: 'problem',
      problem: { message: 'This help session has ended.' },
    });
  });
});
