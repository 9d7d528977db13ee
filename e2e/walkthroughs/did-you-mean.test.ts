/**
 * "Did you mean…" in the real overlay page in Chromium, over the real core, library feature and OCR of a
 * real Gnumeric screenshot: a question search is unsure about lists the closest Gnumeric walkthroughs
 * (never another app's); "None of these" goes on (no AI here, so to a human); picking one starts it on
 * screen and teaches the library the question, so asking it again plays that walkthrough at once.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkthroughsFeature } from '../../src-main/walkthroughs/feature';
import { learnedQuestionsPath } from '../../src-main/walkthroughs/learned';
import type { WindowInfo } from '../../src-shared/screen';
import { buildRendererPages, startOverlayHost, type OverlayHost } from '../overlay/overlay-host';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[did-you-mean suite skipped] ${skipReason}`);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'e2e/artifacts');
const SHEET_PNG = readFileSync(join(ROOT, 'src-main/screen/fixtures/gnumeric-page-setup.png'));
const WINDOW: WindowInfo = {
  id: 4343,
  app: 'Gnumeric',
  title: 'Book1.gnumeric - Gnumeric',
  bounds: { x: 16, y: 40, w: 1280, h: 800 },
  scale: 1,
};
const VIEWPORT = { width: 1800, height: 900 };
/** Vague on purpose: finding, sorting and splitting names all fit. */
const VAGUE_QUESTION = 'fix the names in my list';

describe.skipIf(skipReason)('"Did you mean…" in the overlay', () => {
  let rendererDir: string;
  let userDir: string;
  let overlay: OverlayHost;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    rendererDir = await buildRendererPages();
    userDir = mkdtempSync(join(tmpdir(), 'sidekick-did-you-mean-'));
    overlay = await startOverlayHost({
      rendererDir,
      frame: { x: 0, y: 0, ...VIEWPORT },
      features: () => [
        walkthroughsFeature({ userDir, captureWindow: async () => ({ window: WINDOW, image: SHEET_PNG }) }),
      ],
    });
    overlay.setCapture(() => Promise.resolve({ window: WINDOW, image: SHEET_PNG }));
    browser = await launchBrowser({ viewport: VIEWPORT });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error('[overlay page error]', error));
    mkdirSync(ARTIFACTS, { recursive: true });
    overlay.host.setBackdrop(SHEET_PNG);
    await page.goto(overlay.host.url('overlay', { backdrop: '1' }));
    await page.waitForFunction(() => typeof window.sidekick?.invoke === 'function');
    const state = await overlay.core.sessions.start();
    expect(state.phase).toBe('ready');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await overlay?.close();
    for (const dir of [rendererDir, userDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function ask(question: string): Promise<void> {
    const input = page.getByLabel('What do you want to do?');
    await input.fill(question);
    await input.press('Enter');
  }

  it('lists the closest walkthroughs for the app on screen, and "None of these" goes on to a human', async () => {
    await ask(VAGUE_QUESTION);
    const list = page.getByRole('region', { name: 'Did you mean' });
    await list.waitFor({ timeout: 60_000 });
    const titles = await list.getByRole('button').allTextContents();
    // Two or three walkthroughs, then "None of these"; all of them Gnumeric's (titles of the starter pack).
    expect(titles.at(-1)).toBe('None of these');
    const picks = titles.slice(0, -1);
    expect(picks.length).toBeGreaterThanOrEqual(2);
    expect(picks.length).toBeLessThanOrEqual(3);
    const gnumericTitles = await gnumericWalkthroughTitles();
    for (const title of picks) expect(gnumericTitles).toContain(title);
    await page.screenshot({ path: join(ARTIFACTS, 'did-you-mean.png') });

    await list.getByRole('button', { name: 'None of these' }).click();
    // No AI is configured here: the next step is a human, and the list is gone.
    await page.getByRole('button', { name: 'Ask a human' }).waitFor({ timeout: 60_000 });
    expect(await list.count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'did-you-mean-none-of-these.png') });
  }, 180_000);

  it('picking one starts it on screen and the library learns the question', async () => {
    await ask(VAGUE_QUESTION);
    const list = page.getByRole('region', { name: 'Did you mean' });
    await list.waitFor({ timeout: 60_000 });
    const chosen = (await list.getByRole('button').first().textContent())!;
    await list.getByRole('button', { name: chosen }).click();
    const card = page.getByRole('region', { name: `Walkthrough: ${chosen}` });
    await card.waitFor({ timeout: 60_000 });

    // The question is stored with the walkthrough, beside the person's library.
    const file = learnedQuestionsPath(userDir);
    await expect.poll(() => existsSync(file), { timeout: 30_000 }).toBe(true);
    const learned = JSON.parse(readFileSync(file, 'utf8')) as { walkthroughs: Record<string, { question: string }[]> };
    const [id, questions] = Object.entries(learned.walkthroughs)[0]!;
    expect(questions.map((q) => q.question)).toEqual([VAGUE_QUESTION]);
    await card
      .getByRole('button', { name: /stop|close/i })
      .first()
      .click();

    // Asked again, the same words now play that walkthrough without asking back.
    await ask(VAGUE_QUESTION);
    await page.getByRole('button', { name: 'Show me on screen' }).waitFor({ timeout: 60_000 });
    const answer = page.locator('.help-panel__answer h2');
    expect(await answer.textContent()).toBe(chosen);
    expect(id).toMatch(/^gnumeric-/);
    await page.screenshot({ path: join(ARTIFACTS, 'did-you-mean-learned.png') });
  }, 180_000);

  it('the library editor shows the learned question and removes it', async () => {
    const library = await browser.context.newPage();
    await library.goto(overlay.host.url('library'));
    const list = library.getByRole('list', { name: 'Walkthroughs' });
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(20);
    const learned = JSON.parse(readFileSync(learnedQuestionsPath(userDir), 'utf8')) as {
      walkthroughs: Record<string, unknown[]>;
    };
    const id = Object.keys(learned.walkthroughs)[0]!;
    const title = (await library.evaluate((wid) => window.sidekick!.invoke('walkthroughs:get', { id: wid }), id)) as {
      walkthrough: { title: string };
    };
    await list.locator('.library-open', { hasText: title.walkthrough.title }).click();
    const section = library.getByRole('region', { name: 'Learned questions' });
    await section.waitFor({ timeout: 30_000 });
    expect(await section.textContent()).toContain(VAGUE_QUESTION);
    await library.screenshot({ path: join(ARTIFACTS, 'library-learned-questions.png') });
    await section.getByRole('button', { name: `Remove learned question “${VAGUE_QUESTION}”` }).click();
    await expect.poll(() => section.count(), { timeout: 30_000 }).toBe(0);
    const after = JSON.parse(readFileSync(learnedQuestionsPath(userDir), 'utf8')) as {
      walkthroughs: Record<string, unknown[]>;
    };
    expect(after.walkthroughs[id]).toBeUndefined();
    await library.close();
  }, 180_000);

  async function gnumericWalkthroughTitles(): Promise<string[]> {
    const list = await page.evaluate(() => window.sidekick!.invoke('walkthroughs:list', { app: 'Gnumeric' }));
    return (list as { entries: { title: string }[] }).entries.map((e) => e.title);
  }
});
