/**
 * The settings window and a not-yet-available feature page in real Chromium over the real core
 * (browser host): record a hotkey by pressing it, a hotkey another program owns is refused with
 * a message, a good one is saved; pages carry the CSP header; the Team section leads someone not in
 * a team to the join form.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailableReason, launchBrowser, type TestBrowser } from '../support/browser';
import { teamFeature } from '../../src-main/team/feature';
import { buildRendererPages, startOverlayHost, type OverlayHost } from './overlay-host';

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
    await expect.poll(() => hotkey.inputValue()).toBe('CommandOrControl+Alt+H');

    await hotkey.focus();
    await page.keyboard.press('Control+Shift+KeyK');
    expect(await hotkey.inputValue()).toBe('CommandOrControl+Shift+K');

    const general = page.getByRole('form', { name: 'General settings' });
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
    await expect.poll(async () => (await general.getByRole('status').textContent()) ?? '').toMatch(/ocrLanguage|language codes/);
    expect(host.core.settings.get().general.ocrLanguage).toBe('eng');
  });

  it('shows the problem and keeps the old hotkey when the new one is taken', async () => {
    await page.goto(host.host.url('settings'));
    const hotkey = page.getByLabel('Press the keys you want to use');
    await expect.poll(() => hotkey.inputValue()).toBe('CommandOrControl+Shift+K');
    await page.getByLabel('OCR language').fill('eng');
    await hotkey.focus();
    await page.keyboard.down('Control');
    await page.keyboard.down('Alt');
    await page.keyboard.press('KeyT');
    await page.keyboard.up('Alt');
    await page.keyboard.up('Control');
    expect(await hotkey.inputValue()).toBe('CommandOrControl+Alt+T');
    // Another program owns it (simulated: like globalShortcut.register returning false).
    const general = page.getByRole('form', { name: 'General settings' });
    await general.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(async () => (await general.getByRole('status').textContent()) ?? '')
      .toBe('CommandOrControl+Alt+T is already used by another program. Pick another hotkey in Sidekick Settings.');
    expect(host.system.hotkeyStatus()).toMatchObject({ hotkey: 'CommandOrControl+Shift+K', registered: true });
    expect(host.core.settings.get().general.hotkey).toBe('CommandOrControl+Shift+K');
  });

  it('has a Team section that sends someone not in a team to the join form', async () => {
    await page.goto(host.host.url('settings'));
    const team = page.getByRole('form', { name: 'Team' });
    await expect.poll(() => team.textContent()).toMatch(/Not in a team on this computer/);
    await team.getByRole('button', { name: 'Join a team…' }).click();
    await expect.poll(() => host.windows.opened).toEqual(['ask-human']);
  });
});
