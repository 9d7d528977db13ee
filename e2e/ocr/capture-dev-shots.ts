/**
 * Development helper: captures real application windows under a private Xvfb desktop as PNGs
 * (`npx tsx e2e/ocr/capture-dev-shots.ts <outDir>`). Used to make the OCR test fixtures.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDesktop } from '../support/desktop';

const run = promisify(execFile);
const outDir = process.argv[2] ?? '/tmp/ocr-dev';
mkdirSync(outDir, { recursive: true });

async function shoot(name: string, command: string, args: string[], title: RegExp | string, env: NodeJS.ProcessEnv = {}, size = { width: 1600, height: 900 }) {
  const desktop = await startDesktop({ width: 1920, height: 1080 });
  try {
    const win = await desktop.launch(command, args, title, env);
    await desktop.focus(win.windowId, size);
    await new Promise((r) => setTimeout(r, 2500));
    const file = join(outDir, `${name}.png`);
    await run('import', ['-window', String(win.windowId), file], { env: desktop.env });
    console.log('wrote', file);
  } finally {
    await desktop.stop();
  }
}

const which = process.argv.slice(3);
const all: Record<string, () => Promise<void>> = {
  'gnumeric': () => shoot('gnumeric', 'gnumeric', [], /Gnumeric|Book1/),
  'gnumeric-dark': () => shoot('gnumeric-dark', 'gnumeric', [], /Gnumeric|Book1/, { GTK_THEME: 'Adwaita:dark' }),
  'mousepad': () => shoot('mousepad', 'mousepad', [], /Mousepad|Untitled/),
  'abiword': () => shoot('abiword', 'abiword', [], /AbiWord|Untitled/),
};
for (const [name, fn] of Object.entries(all)) {
  if (which.length && !which.includes(name)) continue;
  await fn().catch((e) => console.error(name, e));
}
writeFileSync(join(outDir, '.done'), '');
