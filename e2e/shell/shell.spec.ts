/**
 * The packaged shell under Playwright's Electron driver, on a private Xvfb desktop with a real
 * Gnumeric window: single instance, tray menu, the help trigger (SIDEKICK_E2E=1 hook, since
 * Playwright cannot press global hotkeys) capturing Gnumeric and opening the overlay, and the
 * walkthrough library window. Skips, saying why, where no Electron binary is installed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { test, expect, _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { desktopUnavailableReason, startDesktop, type Desktop } from '../support/desktop';
import { electronBinaryPath, electronUnavailableReason } from './electron-binary';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const skipReason = electronUnavailableReason() ?? (process.platform === 'linux' ? desktopUnavailableReason() : null);
if (skipReason) console.log(`[electron shell suite skipped] ${skipReason}`);

test.describe('the Electron shell', () => {
  test.skip(!!skipReason, skipReason ?? '');

  let desktop: Desktop;
  let app: ElectronApplication;
  let userData: string;

  test.beforeAll(async () => {
    if (!existsSync(join(ROOT, 'out/main/main.js'))) {
      const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
      if (built.status !== 0) throw new Error('electron-vite build failed');
    }
    desktop = await startDesktop({ width: 1600, height: 1000 });
    const gnumeric = await desktop.launch('gnumeric', [], /Gnumeric/);
    await desktop.focus(gnumeric.windowId, { width: 1000, height: 700 });
    userData = mkdtempSync(join(tmpdir(), 'sidekick-electron-'));
    app = await electron.launch({
      executablePath: electronBinaryPath()!,
      args: [ROOT, `--user-data-dir=${userData}`],
      cwd: ROOT,
      env: { ...desktop.env, SIDEKICK_E2E: '1' },
    });
  });

  test.afterAll(async () => {
    await app?.close();
    await desktop?.stop();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('is a single instance: a second launch leaves and the first keeps running', async () => {
    const second = spawn(electronBinaryPath()!, [ROOT, `--user-data-dir=${userData}`], {
      env: { ...desktop.env, SIDEKICK_E2E: '1' },
      stdio: 'ignore',
    });
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(code).toBe(0);
    expect(await app.evaluate(({ app: electronApp }) => electronApp.isReady())).toBe(true);
  });

  test('has the tray menu, every entry honest about what works', async () => {
    const labels = await app.evaluate(() =>
      (globalThis as unknown as { sidekickE2E: { trayMenuLabels(): string[] } }).sidekickE2E.trayMenuLabels(),
    );
    expect(labels).toEqual([
      expect.stringMatching(/^Get help now \(Ctrl\+Alt\+H\)$|^Get help now$/),
      'Ask a human',
      '',
      'Walkthrough library',
      'Record a walkthrough',
      '',
      'Settings',
      'Quit',
    ]);
    await app.evaluate(() =>
      (globalThis as unknown as { sidekickE2E: { openWindow(name: string): void } }).sidekickE2E.openWindow('library'),
    );
    const library = await waitForPage(app, 'library.html');
    await expect(library.getByRole('heading', { level: 1 })).toHaveText('Walkthroughs');
  });

  test('the help trigger captures Gnumeric and opens the overlay with its name and the ask box', async () => {
    await app.evaluate(({ app: electronApp }) => electronApp.emit('sidekick-e2e-help'));
    const overlay = await waitForPage(app, 'overlay.html');
    await expect(overlay.getByRole('heading', { level: 1 })).toHaveText('Gnumeric', { timeout: 30_000 });
    await expect(overlay.getByRole('status').first()).toContainText(/Read \d+ words/, { timeout: 60_000 });
    await expect(overlay.getByLabel('What do you want to do?')).toBeVisible();
    await overlay.screenshot({ path: join(ROOT, 'e2e/artifacts/electron-overlay.png') });
    await overlay.keyboard.press('Escape');
    await expect(overlay.locator('.help-panel')).toHaveCount(0);
  });
});

async function waitForPage(app: ElectronApplication, file: string): Promise<Page> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const page = app.windows().find((w) => w.url().endsWith(file));
    if (page) return page;
    await sleep(200);
  }
  throw new Error(`No window showing ${file} after 30 s`);
}
