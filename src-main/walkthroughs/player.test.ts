import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScreenTextSchema, type ScreenText } from '../../src-shared/screen';
import { WALKTHROUGH_FORMAT, type Walkthrough } from '../../src-shared/walkthrough';
import { loadLibrary, starterPackDir } from './library';
import { WalkthroughPlayer, type PlayerState } from './player';

/** Real OCR of real Gnumeric screenshots (src-main/screen/fixtures). */
const screen = (name: string): ScreenText =>
  ScreenTextSchema.parse(
    JSON.parse(readFileSync(new URL(`../screen/fixtures/${name}.ocr.json`, import.meta.url), 'utf8')),
  );
const FORMAT_MENU = screen('gnumeric-page-setup'); // View in the menu bar; Freeze Panes not visible (a dialog is open)
const VIEW_MENU = screen('gnumeric-view-menu'); // View menu open: Freeze Panes visible
const freeze = loadLibrary({ folder: starterPackDir() }).entries.find(
  (e) => e.walkthrough.id === 'gnumeric-freeze-header-row',
)!.walkthrough;

function clock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('WalkthroughPlayer on real Gnumeric readings', () => {
  it('points at View, advances when Freeze Panes appears, finishes when it is gone', () => {
    const player = new WalkthroughPlayer(freeze);
    const seen: PlayerState[] = [];
    player.onChange((s) => seen.push(s));

    let state = player.feed(FORMAT_MENU, {
      app: 'Gnumeric',
      title: 'Book1',
      bounds: { x: 100, y: 50, w: 1280, h: 800 },
      scale: 1,
    });
    expect(state).toMatchObject({ status: 'showing', stepIndex: 0, stepCount: 2, reason: 'start' });
    expect(state.target!.text).toBe('View');
    expect(state.target!.box!.y).toBeLessThan(80);
    expect(state.screenBox!.x).toBeCloseTo(100 + state.target!.box!.x);

    state = player.feed(VIEW_MENU);
    expect(state).toMatchObject({ stepIndex: 1, reason: 'next-target', status: 'showing' });
    expect(state.target!.text).toBe('Freeze Panes');
    expect(state.target!.box).not.toBeNull();

    state = player.feed(FORMAT_MENU);
    expect(state.status).toBe('finished');
    expect(seen.length).toBe(3);
  });

  it('does not advance on a next target that was already visible when the step began', () => {
    const player = new WalkthroughPlayer(freeze);
    player.feed(VIEW_MENU);
    expect(player.state.stepIndex).toBe(0);
    expect(player.feed(VIEW_MENU).stepIndex).toBe(0);
    expect(player.state.needsNext).toBe(true);
  });

  it('textGone only counts after the text was seen in this step', () => {
    const player = new WalkthroughPlayer(freeze);
    player.goTo(1);
    expect(player.feed(FORMAT_MENU).status).toBe('waiting');
    expect(player.feed(FORMAT_MENU).status).toBe('waiting');
    player.feed(VIEW_MENU);
    expect(player.feed(FORMAT_MENU).status).toBe('finished');
  });

  it('waits quietly while the target is not visible, then says so', () => {
    const time = clock();
    const player = new WalkthroughPlayer(freeze, { now: time.now, waitNoticeMs: 4000 });
    player.goTo(1);
    let state = player.feed(FORMAT_MENU);
    expect(state).toMatchObject({ status: 'waiting', notice: null });
    expect(state.target!.box).toBeNull();
    time.advance(2000);
    expect(player.feed(FORMAT_MENU).notice).toBeNull();
    time.advance(2500);
    state = player.feed(FORMAT_MENU);
    expect(state.waitingMs).toBe(4500);
    expect(state.notice).toMatch(/can't see “Freeze Panes” yet.*“View”/);
    state = player.feed(VIEW_MENU);
    expect(state).toMatchObject({ status: 'showing', notice: null, waitingMs: 0 });
  });

  it('Back, Next, Skip and stop', () => {
    const player = new WalkthroughPlayer(freeze);
    player.feed(FORMAT_MENU);
    expect(player.back().stepIndex).toBe(0);
    expect(player.next()).toMatchObject({ stepIndex: 1, reason: 'next', canGoBack: true });
    expect(player.back()).toMatchObject({ stepIndex: 0, reason: 'back' });
    expect(player.skip()).toMatchObject({ stepIndex: 1, reason: 'skip' });
    expect(player.next().status).toBe('finished');
    expect(player.feed(VIEW_MENU).status).toBe('finished');
    const other = new WalkthroughPlayer(freeze);
    expect(other.stop().status).toBe('stopped');
    expect(other.next().status).toBe('stopped');
  });

  it('advances on doneWhen.textVisible and handles steps without a target', () => {
    const walkthrough: Walkthrough = {
      format: WALKTHROUGH_FORMAT,
      id: 'format-cells',
      title: 'Format cells',
      app: { name: 'Gnumeric', match: [] },
      questions: [],
      tags: [],
      steps: [
        {
          instruction: 'Select the cells you want to change.',
          target: null,
          doneWhen: { textVisible: 'Freeze Panes' },
        },
        { instruction: 'Open Format.', target: { text: 'Format', region: 'top' } },
      ],
    };
    const player = new WalkthroughPlayer(walkthrough);
    expect(player.feed(FORMAT_MENU)).toMatchObject({ status: 'showing', stepIndex: 0, target: null });
    expect(player.feed(VIEW_MENU)).toMatchObject({ stepIndex: 1, reason: 'done-when' });
  });
});
