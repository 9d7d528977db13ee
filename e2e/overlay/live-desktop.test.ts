/**
 * The whole chain on a real desktop: a real Gnumeric window under Xvfb + openbox is captured by
 * src-main/capture (as the hotkey does), read by real OCR, and the overlay in Chromium shows it
 * and highlights a located label at the right place over the (drawn-in) window.
 * Screenshot: e2e/artifacts/overlay-live.png.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../src-main/base/image';
import { captureFocusedWindow } from '../../src-main/capture';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { desktopUnavailableReason, startDesktop, type Desktop } from '../support/desktop';
import { buildRendererPages, startOverlayHost, type OverlayHost } from './overlay-host';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCREEN = { width: 1600, height: 1000 };
const skipReason =
  browserUnavailableReason() ??
  desktopUnavailableReason() ??
  (process.platform !== 'linux' ? 'needs Linux (Xvfb)' : null);
if (skipReason) console.warn(`[live desktop overlay suite skipped] ${skipReason}`);

describe.skipIf(skipReason)('hotkey → capture → OCR → overlay on a real desktop', () => {
  let desktop: Desktop;
  let rendererDir: string;
  let overlay: OverlayHost;
  let browser: TestBrowser;
  const previousDisplay = process.env.DISPLAY;

  beforeAll(async () => {
    desktop = await startDesktop(SCREEN);
    process.env.DISPLAY = desktop.display;
    const gnumeric = await desktop.launch('gnumeric', [], /Gnumeric/);
    await desktop.focus(gnumeric.windowId, { width: 1100, height: 700 });
    rendererDir = await buildRendererPages();
    overlay = await startOverlayHost({ rendererDir, frame: { x: 0, y: 0, ...SCREEN } });
    browser = await launchBrowser({ viewport: SCREEN });
  });

  afterAll(async () => {
    await browser?.close();
    await overlay?.close();
    await desktop?.stop();
    if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
    if (previousDisplay === undefined) delete process.env.DISPLAY;
    else process.env.DISPLAY = previousDisplay;
  });

  it('shows the focused Gnumeric window and highlights its Format menu', async () => {
    let captured: Awaited<ReturnType<typeof captureFocusedWindow>> | null = null;
    overlay.setCapture(async () => {
      captured = await captureFocusedWindow();
      overlay.host.setBackdrop(await encodePng(captured.image));
      return captured;
    });
    const page = await browser.context.newPage();
    await page.goto(overlay.host.url('overlay', { backdrop: '1' }));
    await page.waitForFunction(() => typeof window.sidekick?.invoke === 'function');

    const state = await overlay.core.sessions.start();
    expect(state.phase, state.problem?.message).toBe('ready');
    const win = captured!.window;
    expect(win.title).toMatch(/Gnumeric/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(win.app);
    expect(state.window!.bounds).toEqual({ x: win.bounds.x, y: win.bounds.y, w: win.bounds.w, h: win.bounds.h });

    const { matches, highlights } = await overlay.core.sessions.locate(state.sessionId, ['Format']);
    expect(matches[0]!.text).toBe('Format');
    const box = matches[0]!.box!;
    // Overlay CSS pixels = window origin + image pixels / scale (frame at 0,0).
    expect(highlights[0]!.box.x).toBeCloseTo(win.bounds.x + box.x / win.scale, 1);
    expect(highlights[0]!.box.y).toBeCloseTo(win.bounds.y + box.y / win.scale, 1);
    const drawn = (await page.locator('.highlight[data-label="Format"]').boundingBox())!;
    expect(Math.abs(drawn.x + 4 - highlights[0]!.box.x)).toBeLessThan(1.5);
    expect(Math.abs(drawn.y + 4 - highlights[0]!.box.y)).toBeLessThan(1.5);

    mkdirSync(join(ROOT, 'e2e/artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'e2e/artifacts/overlay-live.png') });
    await page.close();
  });
});
