/**
 * The player inside the real overlay page in Chromium, over the real core and library feature, on real
 * Gnumeric screenshots that OCR really reads: ask → the library walkthrough → "Show me on screen". A
 * modal Page Setup dialog is open first, so the spotlight and the step card say to close it (on its
 * Cancel button); with the dialog closed the card sits beside "View" with the rest of the screen dimmed;
 * the person opens the menu and the card moves beside "Freeze Panes"; the side panel lists the steps once
 * with the current one marked. A walkthrough closed with Close (Esc) does not come back in the next
 * help session. Screenshots: e2e/artifacts/overlay-player*.png (SIDEKICK_UPDATE_DOCS=1 also writes docs/player.png).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkthroughsFeature, type WalkthroughsFeature } from '../../src-main/walkthroughs/feature';
import type { Box, WindowInfo } from '../../src-shared/screen';
import { SCREEN_FIXTURES_DIR } from '../fixtures/screens/truth';
import { buildRendererPages, startOverlayHost, type OverlayHost } from '../overlay/overlay-host';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[overlay player suite skipped] ${skipReason}`);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'e2e/artifacts');
// 1280×800, dialog open
const PAGE_SETUP_PNG = readFileSync(join(ROOT, 'src-main/screen/fixtures/gnumeric-page-setup.png'));
const MENU_CLOSED_PNG = readFileSync(join(SCREEN_FIXTURES_DIR, 'gnumeric.png')); // 1600×900
// 1280×800, no dialog
const LOOKALIKE_PNG = readFileSync(join(ROOT, 'src-main/screen/fixtures/gnumeric-lookalike-cells.png'));
const VIEW_MENU_PNG = readFileSync(join(SCREEN_FIXTURES_DIR, 'gnumeric-view-menu.png')); // 1600×900, View menu open
const AT = { x: 16, y: 40 };
const SMALL: WindowInfo = {
  id: 4242,
  app: 'Gnumeric',
  title: 'lookalikes.csv - Gnumeric',
  bounds: { ...AT, w: 1280, h: 800 },
  scale: 1,
};
const LARGE: WindowInfo = { ...SMALL, title: 'Book1.gnumeric - Gnumeric', bounds: { ...AT, w: 1600, h: 900 } };
const VIEWPORT = { width: 1980, height: 1000 };

/** Mean brightness (0-255) of an image. */
async function meanBrightness(png: Buffer): Promise<number> {
  const { data } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (const value of data) sum += value;
  return sum / data.length;
}

/** Mean brightness of a 5×5 patch of a captured window at a point. */
async function brightnessInCapture(png: Buffer, at: { x: number; y: number }): Promise<number> {
  return meanBrightness(
    await sharp(png)
      .extract({ left: at.x - 2, top: at.y - 2, width: 5, height: 5 })
      .png()
      .toBuffer(),
  );
}

function overlaps(a: Box, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.w && a.y < b.y + b.height && b.y < a.y + a.h;
}

describe.skipIf(skipReason)('the walkthrough player in the overlay', () => {
  let rendererDir: string;
  let userDir: string;
  let overlay: OverlayHost;
  let browser: TestBrowser;
  let page: Page;
  let walkthroughs: WalkthroughsFeature;
  /** What the window looks like now: the player re-captures this on every re-read. */
  let desktop: { window: WindowInfo; image: Buffer } = { window: SMALL, image: PAGE_SETUP_PNG };

  /** The person changes the window: the player's next capture sees it, and the backdrop shows it. */
  async function show(window: WindowInfo, image: Buffer): Promise<void> {
    desktop = { window, image };
    overlay.host.setBackdrop(image);
    await page.evaluate((b) => {
      const backdrop = document.getElementById('sidekick-backdrop') as HTMLImageElement;
      backdrop.src = `/__sidekick/backdrop.png?t=${Date.now()}`;
      Object.assign(backdrop.style, { left: `${b.x}px`, top: `${b.y}px`, width: `${b.w}px`, height: `${b.h}px` });
    }, window.bounds);
  }

  /** Mean brightness (0-255) of a 5×5 patch of the page at a point of the window (window pixels). */
  async function brightnessOnPage(at: { x: number; y: number }): Promise<number> {
    const png = await page.screenshot({ clip: { x: AT.x + at.x - 2, y: AT.y + at.y - 2, width: 5, height: 5 } });
    return meanBrightness(png);
  }

  async function shoot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, name);
    await page.waitForTimeout(250); // let the spotlight's 160 ms move finish before the picture
    await page.screenshot({ path });
    return path;
  }

  /** The card sits beside the spotlight's cut-out, on screen, clear of it and of the help panel. */
  async function expectCardBeside(card: Locator, label: string): Promise<void> {
    const hole = (await page.locator(`.player-target[data-label="${label}"] .player-target__spot`).boundingBox())!;
    const box = (await card.boundingBox())!;
    const panel = (await page.getByRole('dialog', { name: 'Sidekick help for Gnumeric' }).boundingBox())!;
    expect(overlaps({ x: hole.x, y: hole.y, w: hole.width, h: hole.height }, box)).toBe(false);
    expect(overlaps({ x: panel.x, y: panel.y, w: panel.width, h: panel.height }, box)).toBe(false);
    const gap = Math.max(
      box.x - (hole.x + hole.width),
      hole.x - (box.x + box.width),
      box.y - (hole.y + hole.height),
      hole.y - (box.y + box.height),
    );
    expect(gap).toBeLessThanOrEqual(24); // beside it, not a panel's width away
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
    // The arrow points into the cut-out, and main knows the card takes clicks.
    const arrow = (await card.locator('.player-card__arrow').boundingBox())!;
    const arrowCentre = { x: arrow.x + arrow.width / 2, y: arrow.y + arrow.height / 2 };
    expect(arrowCentre.y >= hole.y - 16 && arrowCentre.y <= hole.y + hole.height + 16).toBe(true);
    expect(arrowCentre.x >= hole.x - 16 && arrowCentre.x <= hole.x + hole.width + 16).toBe(true);
    await expect.poll(() => overlay.windows.others.length).toBe(1);
  }

  beforeAll(async () => {
    rendererDir = await buildRendererPages();
    userDir = mkdtempSync(join(tmpdir(), 'sidekick-overlay-player-'));
    overlay = await startOverlayHost({
      rendererDir,
      frame: { x: 0, y: 0, ...VIEWPORT },
      features: () => [(walkthroughs = walkthroughsFeature({ userDir, captureWindow: async () => desktop }))],
    });
    overlay.setCapture(() => Promise.resolve({ window: desktop.window, image: desktop.image }));
    browser = await launchBrowser({ viewport: VIEWPORT });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error('[overlay page error]', error));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await overlay?.close();
    for (const dir of [rendererDir, userDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A help session over the window as it is now, the question asked, and "Show me on screen" pressed. */
  async function playFreezeWalkthrough(): Promise<Locator> {
    overlay.host.setBackdrop(desktop.image);
    await page.goto(overlay.host.url('overlay', { backdrop: '1' }));
    await page.waitForFunction(() => typeof window.sidekick?.invoke === 'function');
    const state = await overlay.core.sessions.start();
    expect(state.phase).toBe('ready');
    const input = page.getByLabel('What do you want to do?');
    await input.fill('how do I keep the header row on screen');
    await input.press('Enter');
    const start = page.getByRole('button', { name: 'Show me on screen' });
    await start.waitFor({ timeout: 60_000 });
    await start.click();
    return page.getByRole('region', { name: 'Walkthrough: Keep the header row visible while scrolling' });
  }

  it('spotlights each target with the card beside it, dims the rest, and lists the steps once', async () => {
    desktop = { window: LARGE, image: MENU_CLOSED_PNG };
    const card = await playFreezeWalkthrough();
    await expect.poll(() => card.textContent(), { timeout: 90_000 }).toMatch(/Step 1 of 2.*open the View menu/i);
    const view = page.locator('.player-target--target[data-label="View"] .player-target__spot');
    await view.waitFor({ timeout: 60_000 });
    const spot = (await view.boundingBox())!;
    expect(spot.x).toBeGreaterThan(AT.x);
    expect(spot.y).toBeGreaterThan(AT.y);
    expect(spot.y).toBeLessThan(AT.y + 60);
    await expectCardBeside(card, 'View');
    // The rest of the screen is dimmed, the target is not: pixels of the screenshot against the capture's.
    const cell = { x: 900, y: 500 }; // an empty cell of the sheet, far from the target
    const inHole = { x: Math.round(spot.x + spot.width / 2 - AT.x), y: Math.round(spot.y + spot.height / 2 - AT.y) };
    expect(await brightnessOnPage(cell)).toBeLessThan(0.6 * (await brightnessInCapture(MENU_CLOSED_PNG, cell)));
    expect(
      Math.abs((await brightnessOnPage(inHole)) - (await brightnessInCapture(MENU_CLOSED_PNG, inHole))),
    ).toBeLessThan(12);

    // The side panel lists the steps once, the current one marked; the answer's own list is gone.
    const panel = page.getByRole('dialog', { name: 'Sidekick help for Gnumeric' });
    const steps = panel.getByRole('region', { name: 'Steps of Keep the header row visible while scrolling' });
    expect(await steps.getByRole('listitem').count()).toBe(2);
    expect(await steps.locator('[aria-current="step"]').textContent()).toMatch(/open the View menu/i);
    expect(await panel.getByText('Choose Freeze Panes.', { exact: false }).count()).toBe(1);
    expect(await panel.getByRole('button', { name: 'Show me on screen' }).count()).toBe(0);
    const playerShot = await shoot('overlay-player.png');
    if (process.env.SIDEKICK_UPDATE_DOCS === '1') copyFileSync(playerShot, join(ROOT, 'docs/player.png'));

    // The pulsing ring: animated, and steady for people who ask for reduced motion.
    const ring = page.locator('.player-target__ring');
    expect(await ring.evaluate((element) => getComputedStyle(element).animationName)).toBe('player-ring-pulse');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await ring.evaluate((element) => getComputedStyle(element).animationName)).toBe('none');
    expect(await ring.evaluate((element) => getComputedStyle(element).borderTopWidth)).toBe('3px');
    await page.emulateMedia({ reducedMotion: 'no-preference' });

    // The person opens the View menu: step 2, the card beside "Freeze Panes" in the menu.
    await show(LARGE, VIEW_MENU_PNG);
    await expect.poll(() => card.textContent(), { timeout: 90_000 }).toMatch(/Step 2 of 2.*Freeze Panes/);
    const freeze = page.locator('.player-target--target[data-label="Freeze Panes"] .player-target__spot');
    await freeze.waitFor({ timeout: 60_000 });
    const item = (await freeze.boundingBox())!;
    expect(item.y).toBeLessThan(AT.y + 90); // the menu item
    await expectCardBeside(card, 'Freeze Panes');
    expect(await steps.locator('[aria-current="step"]').textContent()).toMatch(/Choose Freeze Panes/);
    await shoot('overlay-player-step2.png');

    // Chosen, the menu closes: done; the card sits in the panel (nothing to point at) and closes.
    await show(LARGE, MENU_CLOSED_PNG);
    await expect.poll(() => card.textContent(), { timeout: 90_000 }).toMatch(/Done!/);
    const cardBox = (await card.boundingBox())!;
    const panelBox = (await panel.boundingBox())!;
    expect(cardBox.y + cardBox.height).toBeLessThanOrEqual(panelBox.y + panelBox.height + 1);
    expect(await page.locator('.player-target').count()).toBe(0);
    await shoot('overlay-player-done.png');
    await card.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => card.count()).toBe(0);
  }, 400_000);

  it('says which dialog to close first when a modal dialog blocks the step, on its Cancel button', async () => {
    desktop = { window: SMALL, image: PAGE_SETUP_PNG };
    const card = await playFreezeWalkthrough();
    await expect
      .poll(() => card.textContent(), { timeout: 90_000 })
      .toMatch(/First close the open dialog \(the one with Cancel and OK\).*Click Cancel.*Then: .*View menu/);
    const blocker = page.locator('.player-target--blocker[data-label="close the dialog"] .player-target__spot');
    await blocker.waitFor({ timeout: 30_000 });
    const cancel = (await blocker.boundingBox())!; // Cancel sits at about (601, 713) in the 1280×800 capture
    expect(cancel.x).toBeLessThan(AT.x + 601);
    expect(cancel.x + cancel.width).toBeGreaterThan(AT.x + 601);
    expect(Math.abs(cancel.y + cancel.height / 2 - (AT.y + 713))).toBeLessThan(12);
    await expectCardBeside(card, 'close the dialog');
    // The card leaves the dialog's buttons visible (OK sits at about (899, 713)).
    const cardBox = (await card.boundingBox())!;
    expect(overlaps({ x: AT.x + 880, y: AT.y + 700, w: 40, h: 26 }, cardBox)).toBe(false);
    await shoot('overlay-player-dialog.png');

    // The person clicks Cancel: the dialog is gone, and so is the warning; the spotlight is on a step's own target.
    await show(SMALL, LOOKALIKE_PNG);
    await expect.poll(() => card.textContent(), { timeout: 90_000 }).not.toMatch(/First close/);
    await page.locator('.player-target--target').waitFor({ timeout: 60_000 });
    expect(await page.locator('.player-target--blocker').count()).toBe(0);
    await card.getByRole('button', { name: 'Stop the walkthrough' }).click();
    await expect.poll(() => card.count()).toBe(0);
  }, 400_000);

  it('a walkthrough closed with Close (Esc) does not come back in the next help session', async () => {
    await show(LARGE, MENU_CLOSED_PNG);
    await overlay.core.sessions.start();
    const started = await page.evaluate(() =>
      window.sidekick!.invoke('walkthroughs:player-start', { id: 'mousepad-go-to-line' }),
    );
    expect(started.ok).toBe(true);
    const card = page.getByRole('region', { name: /Walkthrough: / });
    await card.waitFor({ timeout: 30_000 });
    expect(walkthroughs.position()).not.toBeNull();
    const closedBefore = overlay.windows.closed;
    await page.getByRole('button', { name: 'Close (Esc)' }).click();
    await expect.poll(() => overlay.windows.closed).toBe(closedBefore + 1);
    expect(walkthroughs.position()).toBeNull(); // the player stopped with its help session

    // The next hotkey press, over the same or another app: no walkthrough card, no spotlight.
    await overlay.core.sessions.start();
    const panel = page.getByRole('dialog', { name: 'Sidekick help for Gnumeric' });
    await panel.waitFor({ timeout: 30_000 });
    await page.getByLabel('What do you want to do?').waitFor();
    expect(await card.count()).toBe(0);
    expect(await page.locator('.player-target').count()).toBe(0);
    await shoot('overlay-player-after-close.png');
  }, 240_000);
});
