/**
 * The player inside the real overlay page in Chromium, over the real core and library feature:
 * ask → the library walkthrough → "Show me on screen" → the step card in the help panel and the
 * pointer on the target; the "live window" (real Gnumeric screenshots, really OCR'd) changes as
 * if the person opened the View menu and chose Freeze Panes, and the card advances by itself.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkthroughsFeature } from '../../src-main/walkthroughs/feature';
import type { WindowInfo } from '../../src-shared/screen';
import { buildRendererPages, startOverlayHost, type OverlayHost } from '../overlay/overlay-host';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[overlay player suite skipped] ${skipReason}`);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VIEW_MENU_PNG = readFileSync(join(ROOT, 'src-main/screen/fixtures/gnumeric-view-menu.png'));
const MENU_CLOSED_PNG = readFileSync(join(ROOT, 'src-main/screen/fixtures/gnumeric-page-setup.png'));
const WINDOW: WindowInfo = { id: 4242, app: 'Gnumeric', title: 'Book1.gnumeric - Gnumeric', bounds: { x: 16, y: 40, w: 1280, h: 800 }, scale: 1 };
const VIEWPORT = { width: 1800, height: 900 };

describe.skipIf(skipReason)('the walkthrough player in the overlay', () => {
  let rendererDir: string;
  let userDir: string;
  let overlay: OverlayHost;
  let browser: TestBrowser;
  let page: Page;
  let frames: Buffer[] = [];
  let frame = 0;

  beforeAll(async () => {
    rendererDir = await buildRendererPages();
    userDir = mkdtempSync(join(tmpdir(), 'sidekick-overlay-player-'));
    overlay = await startOverlayHost({
      rendererDir,
      frame: { x: 0, y: 0, ...VIEWPORT },
      features: () => [walkthroughsFeature({ userDir, captureWindow: async () => ({ window: WINDOW, image: frames[Math.min(frame++, frames.length - 1)]! }) })],
    });
    overlay.setCapture(() => Promise.resolve({ window: WINDOW, image: MENU_CLOSED_PNG }));
    browser = await launchBrowser({ viewport: VIEWPORT });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error('[overlay page error]', error));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await overlay?.close();
    for (const dir of [rendererDir, userDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('asks, starts the walkthrough, points at each target and advances as the window changes', async () => {
    overlay.host.setBackdrop(MENU_CLOSED_PNG); // the captured window drawn under the overlay, as on a desktop
    await page.goto(overlay.host.url('overlay', { backdrop: '1' }));
    await page.waitForFunction(() => typeof window.sidekick?.invoke === 'function');
    const state = await overlay.core.sessions.start();
    expect(state.phase).toBe('ready');

    // Before any question: suggestions for the app in front.
    const suggested = page.getByRole('region', { name: 'Suggested walkthroughs' });
    await suggested.waitFor({ timeout: 30_000 });
    expect(await suggested.getByRole('button').count()).toBe(3);
    expect(await suggested.textContent()).toMatch(/Suggested for Gnumeric/);

    const input = page.getByLabel('What do you want to do?');
    await input.fill('how do I keep the header row on screen');
    await input.press('Enter');
    const start = page.getByRole('button', { name: 'Show me on screen' });
    await start.waitFor({ timeout: 60_000 });

    frames = [MENU_CLOSED_PNG, MENU_CLOSED_PNG, VIEW_MENU_PNG, VIEW_MENU_PNG, MENU_CLOSED_PNG];
    frame = 0;
    await start.click();
    const card = page.getByRole('region', { name: 'Walkthrough: Keep the header row visible while scrolling' });
    await card.waitFor({ timeout: 30_000 });
    await expect.poll(() => card.textContent(), { timeout: 60_000 }).toMatch(/Step 1 of 2/);
    // The pointer sits on "View" in the window's menu bar (window at 16,40 on the overlay).
    const pointer = page.locator('.player-target[data-label="View"] .player-target__spot');
    await pointer.waitFor({ timeout: 60_000 });
    const spot = (await pointer.boundingBox())!;
    expect(spot.x).toBeGreaterThan(WINDOW.bounds.x);
    expect(spot.y).toBeGreaterThan(WINDOW.bounds.y);
    expect(spot.y).toBeLessThan(WINDOW.bounds.y + 80);
    // The card is inside the help panel, whose area takes clicks.
    const panel = (await page.getByRole('dialog', { name: 'Sidekick help for Gnumeric' }).boundingBox())!;
    const cardBox = (await card.boundingBox())!;
    expect(cardBox.x).toBeGreaterThanOrEqual(panel.x);
    expect(cardBox.y + cardBox.height).toBeLessThanOrEqual(panel.y + panel.height + 1);
    mkdirSync(join(ROOT, 'e2e/artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'e2e/artifacts/overlay-player.png') });
    if (process.env.SIDEKICK_UPDATE_DOCS === '1') copyFileSync(join(ROOT, 'e2e/artifacts/overlay-player.png'), join(ROOT, 'docs/player.png'));

    await expect.poll(() => card.textContent(), { timeout: 60_000 }).toMatch(/Step 2 of 2.*Freeze Panes/);
    await expect.poll(() => card.textContent(), { timeout: 60_000 }).toMatch(/Done!/);
    await card.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => card.count()).toBe(0);
  }, 240_000);
});
