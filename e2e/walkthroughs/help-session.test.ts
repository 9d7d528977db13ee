/**
 * The library inside the app core: a help session over a real Gnumeric screenshot (real OCR)
 * asks a question and gets the starter walkthrough, with its visible targets highlighted, before
 * the AI is tried; a question nothing fits still ends in "ask a human".
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkthroughsFeature } from '../../src-main/walkthroughs/feature';
import { startOverlayHost, type OverlayHost } from '../overlay/overlay-host';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VIEW_MENU_PNG = readFileSync(join(ROOT, 'src-main/screen/fixtures/gnumeric-view-menu.png'));

describe('library answers in a help session', () => {
  let overlay: OverlayHost;
  const rendererDir = mkdtempSync(join(tmpdir(), 'sidekick-empty-renderer-'));
  const userDir = mkdtempSync(join(tmpdir(), 'sidekick-user-library-'));

  beforeAll(async () => {
    overlay = await startOverlayHost({
      rendererDir,
      frame: { x: 0, y: 0, width: 1600, height: 900 },
      features: () => [walkthroughsFeature({ userDir })],
    });
    overlay.setCapture(() =>
      Promise.resolve({
        window: {
          id: 4242,
          app: 'Gnumeric',
          title: 'Book1.gnumeric - Gnumeric',
          bounds: { x: 100, y: 50, w: 1280, h: 800 },
          scale: 1,
        },
        image: VIEW_MENU_PNG,
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await overlay?.close();
    rmSync(rendererDir, { recursive: true, force: true });
    rmSync(userDir, { recursive: true, force: true });
  });

  it('answers "lock the top row" with a starter walkthrough, highlights Freeze Panes where OCR found it', async () => {
    const state = await overlay.core.sessions.start();
    expect(state.phase).toBe('ready');
    const answer = await overlay.core.dispatcher.dispatch(
      'overlay:ask',
      { sessionId: state.sessionId, question: 'how can I lock the top row while scrolling' },
      { window: 'overlay' },
    );
    expect(answer).toMatchObject({
      kind: 'steps',
      source: 'library',
      walkthroughId: 'gnumeric-freeze-header-row',
      title: 'Keep the header row visible while scrolling',
    });
    const steps = (
      answer as { steps: { target: { text: string; highlight: { box: { x: number; y: number } } | null } | null }[] }
    ).steps;
    expect(steps[1]!.target!.text).toBe('Freeze Panes');
    expect(steps[1]!.target!.highlight!.box.x).toBeGreaterThan(100); // overlay pixels: window offset applied

    const none = await overlay.core.dispatcher.dispatch(
      'overlay:ask',
      { sessionId: state.sessionId, question: 'will it rain tomorrow afternoon' },
      { window: 'overlay' },
    );
    expect(none).toMatchObject({ kind: 'none', next: 'ask-human' });

    const suggested = (await overlay.core.dispatcher.dispatch(
      'walkthroughs:suggest',
      { sessionId: state.sessionId },
      { window: 'overlay' },
    )) as { entries: { id: string; app: string }[] };
    // the View menu is open: both its targets are visible
    expect(suggested.entries[0]!.id).toBe('gnumeric-freeze-header-row');
    expect(suggested.entries.every((e) => e.app === 'Gnumeric')).toBe(true);

    const list = (await overlay.core.dispatcher.dispatch(
      'walkthroughs:list',
      { app: 'Gnumeric' },
      { window: 'library' },
    )) as { entries: unknown[] };
    expect(list.entries.length).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
