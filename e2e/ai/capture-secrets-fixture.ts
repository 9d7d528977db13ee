/**
 * Makes the redaction fixture for real: mousepad under a private Xvfb desktop showing a document
 * with planted secrets, captured with ImageMagick `import`
 * (`npx tsx e2e/ai/capture-secrets-fixture.ts`; writes e2e/ai/fixtures/mousepad-secrets.png).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startDesktop } from '../support/desktop';
import { SECRETS_DOCUMENT } from './planted-secrets';

const run = promisify(execFile);
const out = fileURLToPath(new URL('./fixtures/mousepad-secrets.png', import.meta.url));

const desktop = await startDesktop({ width: 1600, height: 900 });
try {
  const doc = join(desktop.home, 'customer-notes.txt');
  writeFileSync(doc, SECRETS_DOCUMENT);
  const win = await desktop.launch('mousepad', [doc], /customer-notes/);
  await desktop.focus(win.windowId, { width: 1200, height: 700 });
  await sleep(2000);
  await run('import', ['-window', String(win.windowId), out], { env: desktop.env });
  console.log('wrote', out);
} finally {
  await desktop.stop();
}
