/**
 * The settings window in real Chromium over the real core (browser host): the hotkey shown as the
 * person's keys ("Ctrl+Alt+H"), recorded by pressing it; a hotkey another program owns is refused
 * with a message, a good one is saved by the page's one Save; words to hide are asked in plain words
 * (regular expressions only in the advanced mode); pages carry the CSP header; the Team section leads
 * someone not in a team to the join form. Screenshot: e2e/artifacts/settings.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { redactText } from '../../src-main/privacy';
import { SCREEN_FIXTURES_DIR } from '../fixtures/screens/truth';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { teamFeature } from '../../src-main/team/feature';
import { buildRendererPages, startOverlayHost, type OverlayHost } from './overlay-host';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[settings page suite skipped] ${skipReason}`);

describe.skipIf(skipReason)('the settings window in Chromium over the real core', () => {
  let rendererDir: string;
  let host: OverlayHost;
  let browser: TestBrowser;
  let page: Page;
  let teamDir: string | undefined;

  beforeAll(async () => {
    rendererDir = await buildRendererPages();
    teamDir = mkdtempSync(join(tmpdir(), 'sidekick-settings-team-'));
    host = await startOverlayHost({
      rendererDir,
      frame: { x: 0, y: 0, width: 800, height: 600 },
      takenHotkeys: ['CommandOrControl+Alt+T'],
      features: () => [teamFeature({ dataDir: teamDir })],
    });
    browser = await launchBrowser({ viewport: { width: 640, height: 720 } });
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
    if (teamDir) rmSync(teamDir, { recursive: true, force: true });
  });

  it('records a hotkey by pressing it, refuses one another program owns, saves a free one', async () => {
    const response = await page.goto(host.host.url('settings'));
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    const hotkey = page.getByLabel('Press the keys you want to use');
    await expect.poll(() => hotkey.inputValue()).toBe('Ctrl+Alt+H'); // the keys, not "CommandOrControl+Alt+H"
    expect(await page.getByText('Ctrl+Alt+H works now.').count()).toBe(1);

    await hotkey.focus();
    await page.keyboard.press('Control+Shift+KeyK');
    expect(await hotkey.inputValue()).toBe('Ctrl+Shift+K');

    // One Save for the whole page.
    expect(await page.getByRole('button', { name: /Save/ }).count()).toBe(1);
    const general = page.getByRole('form', { name: 'Settings' });
    const save = general.getByRole('button', { name: 'Save', exact: true });
    await save.click();
    await general.getByText('Saved.').waitFor();
    expect(host.system.hotkeyStatus()).toEqual({ hotkey: 'CommandOrControl+Shift+K', registered: true, problem: null });
    expect(host.core.settings.get().general.hotkey).toBe('CommandOrControl+Shift+K');

    // The Tab key moves on instead of being recorded; OCR language is validated by the contract.
    await hotkey.focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Reset');
    await page.getByLabel('OCR language').fill('english please');
    await save.click();
    await expect
      .poll(async () => (await general.getByRole('status', { name: 'Save status' }).textContent()) ?? '')
      .toMatch(/ocrLanguage|language codes/);
    expect(host.core.settings.get().general.ocrLanguage).toBe('eng');
  });

  it('shows the problem and keeps the old hotkey when the new one is taken', async () => {
    await page.goto(host.host.url('settings'));
    const hotkey = page.getByLabel('Press the keys you want to use');
    await expect.poll(() => hotkey.inputValue()).toBe('Ctrl+Shift+K');
    await page.getByLabel('OCR language').fill('eng');
    await hotkey.focus();
    await page.keyboard.down('Control');
    await page.keyboard.down('Alt');
    await page.keyboard.press('KeyT');
    await page.keyboard.up('Alt');
    await page.keyboard.up('Control');
    expect(await hotkey.inputValue()).toBe('Ctrl+Alt+T');
    // Another program owns it (simulated: like globalShortcut.register returning false).
    const general = page.getByRole('form', { name: 'Settings' });
    await general.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(async () => (await general.getByRole('status', { name: 'Save status' }).textContent()) ?? '')
      .toBe('Ctrl+Alt+T is already used by another program. Pick another hotkey in Sidekick Settings.');
    expect(host.system.hotkeyStatus()).toMatchObject({ hotkey: 'CommandOrControl+Shift+K', registered: true });
    expect(host.core.settings.get().general.hotkey).toBe('CommandOrControl+Shift+K');
  });

  it('asks for words to hide in plain words, with regular expressions as an advanced option', async () => {
    await page.goto(host.host.url('settings'));
    const words = page.getByLabel('Words or numbers to always hide (one per line)');
    await words.fill('Project (Falcon)\nACME-204511');
    const general = page.getByRole('form', { name: 'Settings' });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}settings.png`, fullPage: true });
    await general.getByRole('button', { name: 'Save', exact: true }).click();
    await general.getByText('Saved.').waitFor();
    const patterns = host.core.settings.get().ai.customPatterns;
    expect(patterns.map((p) => p.pattern)).toEqual(['Project \\(Falcon\\)', 'ACME-204511']);
    // Saved as patterns that hide exactly those words, parentheses and all.
    const redacted = redactText('Budget for Project (Falcon) and ticket ACME-204511, not Project Falcon.', {
      customPatterns: patterns,
    });
    expect(redacted.text).not.toMatch(/Project \(Falcon\)|ACME-204511/);
    expect(redacted.text).toMatch(/not Project Falcon\.$/);

    // Reopened, they read as the words typed; the advanced mode shows the patterns themselves.
    await page.goto(host.host.url('settings'));
    await expect.poll(() => words.inputValue()).toBe('Project (Falcon)\nACME-204511');
    await page.getByLabel('Advanced: use regular expressions').check();
    const regexes = page.getByLabel('Also hide text matching (one regular expression per line)');
    expect(await regexes.inputValue()).toBe('Project \\(Falcon\\)\nACME-204511');
    await regexes.fill('ACME-\\d{6}');
    await general.getByRole('button', { name: 'Save', exact: true }).click();
    await general.getByText('Saved.').waitFor();
    expect(host.core.settings.get().ai.customPatterns).toEqual([{ pattern: 'ACME-\\d{6}' }]);
    await page.goto(host.host.url('settings'));
    await expect.poll(() => page.getByLabel('Advanced: use regular expressions').isChecked()).toBe(true);
  });

  it('shows the first-run card once: the hotkey as the keys, what stays here, and Try it now', async () => {
    expect(host.core.settings.get().general.welcomed).toBe(false);
    host.setCapture(async () => ({
      window: { id: 7, app: 'Gnumeric', title: 'Book1 - Gnumeric', bounds: { x: 0, y: 0, w: 1600, h: 900 }, scale: 1 },
      image: readFileSync(join(SCREEN_FIXTURES_DIR, 'gnumeric.png')),
    }));
    await page.goto(host.host.url('welcome'));
    await page.getByRole('heading', { name: 'Sidekick is ready' }).waitFor();
    await expect.poll(() => page.locator('kbd').textContent()).toBe('Ctrl+Shift+K'); // the hotkey saved above, as keys
    expect(await page.getByRole('region', { name: 'The help hotkey' }).textContent()).toMatch(
      /Stuck in any program\? Press Ctrl\+Shift\+K\./,
    );
    expect(await page.getByRole('region', { name: 'What stays on this computer' }).textContent()).toMatch(
      /Nothing is sent anywhere unless/,
    );
    await expect.poll(() => host.core.settings.get().general.welcomed).toBe(true); // shown once
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}welcome.png` });
    expect(host.core.sessions.current()).toBeNull();
    await page.getByRole('button', { name: 'Try it now' }).click();
    // a help session, as the hotkey starts
    await expect.poll(() => host.core.sessions.current()?.window?.app ?? null, { timeout: 30_000 }).toBe('Gnumeric');
  });

  it('has a Team section that sends someone not in a team to the join form', async () => {
    await page.goto(host.host.url('settings'));
    const team = page.getByRole('form', { name: 'Team' });
    await expect.poll(() => team.textContent()).toMatch(/Not in a team on this computer/);
    await team.getByRole('button', { name: 'Join a team…' }).click();
    await expect.poll(() => host.windows.opened).toEqual(['ask-human']);
  });
});
