/**
 * The library window, the recorder window and the player's step card in real Chromium, through
 * the browser host, over the real WalkthroughService (real files, real OCR of real Gnumeric
 * screenshots standing in for captures of the live window). Screenshots: e2e/artifacts/library*.png,
 * e2e/artifacts/recorder*.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_ROOT, rendererPages } from '../../electron.vite.config';
import { startBrowserHost, type BrowserHost } from '../../src-main/app/browser-host';
import { IpcDispatcher } from '../../src-main/base/ipc-dispatch';
import { WalkthroughService } from '../../src-main/walkthroughs/service';
import { createScreenReader, type ScreenReader } from '../../src-main/ocr';
import type { WindowInfo } from '../../src-shared/screen';
import type { Walkthrough } from '../../src-shared/walkthrough';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[walkthrough windows suite skipped] ${skipReason}`);

const FIXTURES = resolve(RENDERER_ROOT, '../src-main/screen/fixtures');
const VIEW_MENU_PNG = readFileSync(join(FIXTURES, 'gnumeric-view-menu.png'));
// The player's live window: Gnumeric with the menu closed (no dialog in front), then with View open.
const SCREENS = resolve(RENDERER_ROOT, '../e2e/fixtures/screens');
const MENU_CLOSED_PNG = readFileSync(join(SCREENS, 'gnumeric.png'));
const PLAYER_VIEW_MENU_PNG = readFileSync(join(SCREENS, 'gnumeric-view-menu.png'));
const ARTIFACTS = resolve(RENDERER_ROOT, '../e2e/artifacts');
const WINDOW: WindowInfo = {
  id: 99,
  app: 'Gnumeric',
  title: 'Book1.gnumeric - Gnumeric',
  bounds: { x: 0, y: 0, w: 1280, h: 800 },
  scale: 1,
};

describe.skipIf(skipReason)('walkthrough windows in Chromium', () => {
  let rendererDir: string;
  let userDir: string;
  let host: BrowserHost;
  let browser: TestBrowser;
  let reader: ScreenReader;
  let service: WalkthroughService;
  let playerFrames: Buffer[] = [];
  const opened: string[] = [];
  let shownUpTo = Number.MAX_SAFE_INTEGER;

  beforeAll(async () => {
    rendererDir = mkdtempSync(join(tmpdir(), 'sidekick-wt-renderer-'));
    userDir = mkdtempSync(join(tmpdir(), 'sidekick-wt-library-'));
    const pages = rendererPages();
    await build({
      configFile: false,
      logLevel: 'warn',
      root: RENDERER_ROOT,
      plugins: [react()],
      build: {
        outDir: rendererDir,
        emptyOutDir: true,
        minify: false,
        rollupOptions: {
          input: {
            library: pages.library!,
            recorder: pages.recorder!,
            'player-preview': resolve(RENDERER_ROOT, 'walkthroughs/player/preview.html'),
          },
        },
      },
    });
    reader = createScreenReader();
    let hostRef: BrowserHost | null = null;
    let frame = 0;
    service = new WalkthroughService({
      userDir,
      reader,
      intervalMs: 50,
      captureForRecording: async () => ({ window: WINDOW, image: VIEW_MENU_PNG }),
      // The live window: each re-read shows the next frame, but never past `shownUpTo` (the test moves it on).
      captureWindow: async () => ({
        window: WINDOW,
        image: playerFrames[Math.min(frame++, shownUpTo, playerFrames.length - 1)]!,
      }),
      currentTarget: () => ({ window: WINDOW, toOverlay: (box) => box }),
      emit: (event, payload) => hostRef?.emit(event, payload),
      emitLibraryChanged: () => hostRef?.emit('walkthroughs:changed', {}),
      emitRecorderCaptured: (result) => hostRef?.emit('walkthroughs:record-captured', result),
    });
    const dispatcher = new IpcDispatcher<string>().register({
      ...service.handlers(),
      'overlay:open-window': ({ window }) => {
        opened.push(window);
        return {};
      },
    });
    host = await startBrowserHost({
      rendererDir,
      dispatch: (channel, request, page) => dispatcher.dispatch(channel, request, page),
    });
    hostRef = host;
    browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
  }, 240_000);

  afterAll(async () => {
    service?.stopPlayer();
    await browser?.close();
    await host?.close();
    await reader?.close();
    for (const dir of [rendererDir, userDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error(`[${name} page error]`, error));
    await page.goto(`${host.origin}/${name}.html`);
    await page.waitForFunction(() => typeof window.sidekick?.invoke === 'function');
    return page;
  }

  it('library: browse, search by paraphrase, filter by app, edit a step, delete the copy, export', async () => {
    const page = await open('library');
    const list = page.getByRole('list', { name: 'Walkthroughs' });
    await expect.poll(() => list.getByRole('listitem').count()).toBeGreaterThanOrEqual(20);

    // Before a pick the right side says what to do, and "Record new" is one click away.
    await page.getByRole('region', { name: 'About the library' }).waitFor();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'library.png') });
    await page.getByRole('button', { name: 'Record new' }).first().click();
    await expect.poll(() => opened).toEqual(['recorder']);

    await page.getByLabel('Search walkthroughs').fill('cross out some words');
    await expect.poll(() => list.locator('.library-title').first().textContent()).toBe('Strike through text');
    // Weak matches ("Lay text out in columns", "Zoom the sheet in or out") are hidden behind a link.
    await page.getByLabel('Search walkthroughs').fill('cross out');
    await expect.poll(() => list.locator('.library-title').allTextContents()).toEqual(['Strike through text']);
    await page.screenshot({ path: join(ARTIFACTS, 'library-search.png') });
    await list.getByRole('button', { name: /Show \d+ weaker match/ }).click();
    await expect.poll(() => list.locator('.library-title').allTextContents()).toContain('Zoom the sheet in or out');

    await page.getByLabel('Search walkthroughs').fill('');
    await page.getByLabel('Filter by app').selectOption('Mousepad');
    await expect
      .poll(async () => (await list.locator('.library-meta').allTextContents()).every((t) => t.startsWith('Mousepad')))
      .toBe(true);
    await page.getByLabel('Filter by app').selectOption('');

    // Play from the library: the walkthrough starts on the window behind it.
    await list.getByRole('button', { name: 'Play Show line numbers' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Playing “Show line numbers”/);
    expect(service.position()).toMatchObject({ id: 'mousepad-line-numbers', stepIndex: 0 });
    service.stopPlayer();

    await list.locator('.library-open', { hasText: 'Show line numbers' }).click();
    const step1 = page.getByLabel('Instruction of step 1');
    await expect(step1.inputValue()).resolves.toBe('Open the View menu in the menu bar.');
    await step1.fill('Click View at the top.');
    await page.getByRole('button', { name: 'Save as my copy' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Saved your own copy/);
    const saved = JSON.parse(
      readFileSync(join(userDir, 'mousepad-line-numbers', 'mousepad-line-numbers.walkthrough.json'), 'utf8'),
    ) as Walkthrough;
    expect(saved.steps[0]?.instruction).toBe('Click View at the top.');

    const download = page.waitForEvent('download');
    await list.getByRole('button', { name: 'Export Show line numbers' }).click();
    expect((await download).suggestedFilename()).toBe('mousepad-line-numbers.zip');

    page.once('dialog', (dialog) => void dialog.accept());
    await list.getByRole('button', { name: 'Delete Show line numbers' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Deleted/);
    await expect.poll(() => list.getByRole('button', { name: 'Delete Show line numbers' }).count()).toBe(0);
    await page.close();
  });

  it('recorder: goal first, capture, click controls on the 1:1 picture, menu path, reorder, save', async () => {
    const page = await open('recorder');
    await page.getByRole('heading', { name: 'Record a walkthrough' }).waitFor();
    // Finish is visibly disabled and says why.
    const finish = page.getByRole('button', { name: 'Finish and save' });
    expect(await finish.isDisabled()).toBe(true);
    expect(Number(await finish.evaluate((element) => getComputedStyle(element).opacity))).toBeLessThan(0.6);
    expect(await page.locator('#recorder-finish-why').textContent()).toMatch(/Say what the walkthrough teaches first/);
    // The goal comes first and names the walkthrough and its question.
    await page.getByLabel('What should it teach?').fill('freeze the header row');
    expect(await page.getByLabel('Title').inputValue()).toBe('Freeze the header row');
    expect(await page.getByLabel('Questions people ask (one per line)').inputValue()).toBe(
      'how do I freeze the header row',
    );
    expect(await page.locator('#recorder-finish-why').textContent()).toMatch(/Add a step first/);

    await page.getByRole('button', { name: 'Capture window' }).click();
    const picture = page.getByRole('img', { name: /Capture 1/ });
    await picture.waitFor({ timeout: 60_000 });
    // The frozen picture is shown at its real size (1:1) and scrolls; "Fit" shrinks it to the pane.
    const shown = (await picture.boundingBox())!;
    expect(shown.width).toBe(1280);
    const frame = page.getByTestId('recorder-frame');
    expect(await frame.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    const scale = shown.width / 1280;
    const ocr = await reader.read(VIEW_MENU_PNG);
    const word = (text: string) => ocr.elements.find((e) => e.kind === 'word' && e.text === text)!.box;
    const clickWord = async (text: string) => {
      const b = word(text);
      await picture.click({ position: { x: (b.x + b.w / 2) * scale, y: (b.y + b.h / 2) * scale } });
    };
    await clickWord('View');
    await expect.poll(() => page.getByLabel('Instruction of step 1').inputValue()).toBe('Open the View menu.');
    await clickWord('Panes');
    await expect.poll(() => page.getByLabel('Instruction of step 2').inputValue()).toBe('Choose View ▸ Freeze Panes.');
    await page
      .getByLabel('Instruction of step 2')
      .fill('Choose View ▸ Freeze Panes. The rows above the selected cell stay in place when you scroll.');
    await page.getByLabel('Instruction of step 1').click();
    // The whole instruction stays readable: the box grows instead of cutting it off.
    const box = page.getByLabel('Instruction of step 2');
    await expect.poll(() => box.evaluate((element) => element.scrollHeight <= element.clientHeight + 1)).toBe(true);
    expect(await finish.isDisabled()).toBe(false);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'recorder.png') });
    await page.getByRole('button', { name: 'Fit' }).click();
    await expect.poll(async () => (await picture.boundingBox())!.width).toBeLessThan(1280);
    await page.screenshot({ path: join(ARTIFACTS, 'recorder-fit.png') });
    await page.getByRole('button', { name: 'Move step 2 up' }).click();
    await expect
      .poll(() => page.getByLabel('Instruction of step 1').inputValue())
      .toMatch(/^Choose View ▸ Freeze Panes/);
    await page.getByRole('button', { name: 'Move step 2 up' }).click();
    await expect.poll(() => page.getByLabel('Instruction of step 1').inputValue()).toBe('Open the View menu.');
    await finish.click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Saved “Freeze the header row”/);
    const saved = JSON.parse(
      readFileSync(
        join(userDir, 'gnumeric-freeze-the-header-row', 'gnumeric-freeze-the-header-row.walkthrough.json'),
        'utf8',
      ),
    ) as Walkthrough;
    expect(saved.steps.map((s) => s.target?.text)).toEqual(['View', 'Freeze Panes']);
    expect(saved.app).toEqual({ name: 'Gnumeric', match: ['gnumeric'] });
    expect(saved.questions).toEqual(['how do I freeze the header row']); // from the goal, not from the first click

    // Saved, the next recording starts empty; a press of the help hotkey (what the shell calls)
    // captures its first picture into the open recorder window.
    await expect(picture.count()).resolves.toBe(0);
    expect(service.takeHotkey()).toBe(true);
    await picture.waitFor({ timeout: 60_000 });
    await page.close();
    // Closed, the recorder no longer takes the hotkey: it opens help again.
    await expect.poll(() => service.takeHotkey()).toBe(false);
  }, 120_000);

  it('player: the card follows the live window, points at the target, advances itself, never takes focus', async () => {
    playerFrames = [MENU_CLOSED_PNG, MENU_CLOSED_PNG, PLAYER_VIEW_MENU_PNG, PLAYER_VIEW_MENU_PNG, MENU_CLOSED_PNG];
    // Warm re-reads take milliseconds: hold each state of the window until the test has seen the step.
    shownUpTo = 1; // the menu stays closed
    const page = await open('walkthroughs/player/preview');
    const started = await page.evaluate(() =>
      window.sidekick!.invoke('walkthroughs:player-start', { id: 'gnumeric-freeze-header-row' }),
    );
    expect(started.ok).toBe(true);
    const card = page.getByRole('region', { name: /Walkthrough: Keep the header row visible/ });
    await card.waitFor();
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    await expect.poll(() => card.textContent(), { timeout: 60_000 }).toMatch(/Step 1 of 2/);
    await expect.poll(() => page.locator('.player-target[data-label="View"]').count(), { timeout: 60_000 }).toBe(1);
    shownUpTo = 3; // the person opens the View menu
    await expect.poll(() => card.textContent(), { timeout: 60_000 }).toMatch(/Step 2 of 2.*Freeze Panes/);
    shownUpTo = 4; // and chooses Freeze Panes: the menu closes
    await expect.poll(() => card.textContent(), { timeout: 60_000 }).toMatch(/Done!/);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);

    // Keyboard: Tab into the card, Back with the arrow key.
    playerFrames = [MENU_CLOSED_PNG];
    await page.evaluate(() => window.sidekick!.invoke('walkthroughs:player-start', { id: 'gnumeric-zoom' }));
    await expect.poll(() => card.count()).toBe(0);
    const zoom = page.getByRole('region', { name: /Walkthrough: Zoom the sheet/ });
    await zoom.waitFor();
    await zoom.getByRole('button', { name: 'Next' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => zoom.textContent()).toMatch(/Step 2 of 2/);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => zoom.textContent()).toMatch(/Step 1 of 2/);
    await page.keyboard.press('Escape');
    await expect.poll(() => zoom.count()).toBe(0);
    await page.close();
  }, 180_000);
});
