/**
 * Nothing secret leaves the machine: the real mousepad screenshot with planted secrets is sent
 * (with the image, as for a vision model) to a real HTTP server on 127.0.0.1, and what the server
 * received is checked in text and in pixels — the image it got is OCRed again and none of the
 * secrets may be readable; the pixels over each secret must have changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { AiConversation } from '../../src-main/ai';
import { createScreenReader } from '../../src-main/ocr';
import type { RgbaImage } from '../../src-main/privacy';
import type { ScreenText } from '../../src-shared/screen';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { idFor, startFakeOpenAI, type FakeOpenAI } from './fake-openai';
import { SECRETS_PNG, readSecretsFixture } from './fixture-screen';
import { PLANTED_SECRETS, compactSecret } from './planted-secrets';

const run = promisify(execFile);

/** Native tesseract (sparse text), an OCR independent of Sidekick's. */
async function nativeOcr(file: string): Promise<string> {
  const { stdout } = await run('tesseract', [file, '-', '--psm', '11'], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  return stdout;
}

let screen: ScreenText;
let image: RgbaImage;
let server: FakeOpenAI;

beforeAll(async () => {
  ({ screen, image } = await readSecretsFixture());
  server = await startFakeOpenAI((r) => ({
    content: JSON.stringify({ steps: [{ instruction: 'Open the Search menu.', elementId: idFor(r, 'Search') }] }),
  }));
});

afterAll(async () => {
  await server?.close();
});

const LABELS: Record<keyof typeof PLANTED_SECRETS, string> = {
  email: 'Email:',
  phone: 'Phone:',
  card: 'Card:',
  iban: 'IBAN:',
  apiKey: 'Key:',
  jwt: 'JWT:',
  ip: 'Server:',
};

/** The box of a secret: everything right of its label on the label's row, as OCR located it. */
function secretBox(kind: keyof typeof PLANTED_SECRETS): { x: number; y: number; w: number; h: number } {
  const label = screen.elements.find((e) => e.text.startsWith(LABELS[kind]));
  if (!label)
    throw new Error(`OCR did not find the label "${LABELS[kind]}" in the fixture; the fixture or OCR changed`);
  const labelRight =
    label.box.x + (label.text === LABELS[kind] ? label.box.w : (label.box.w * LABELS[kind].length) / label.text.length);
  const centre = (e: { box: { y: number; h: number } }) => e.box.y + e.box.h / 2;
  const rest = screen.elements.filter(
    (e) => e.kind === 'word' && Math.abs(centre(e) - centre(label)) < label.box.h / 2 && e.box.x >= labelRight - 1,
  );
  if (!rest.length) throw new Error(`no OCR words right of "${LABELS[kind]}"`);
  const x = Math.min(...rest.map((e) => e.box.x));
  const y = Math.min(...rest.map((e) => e.box.y));
  return {
    x,
    y,
    w: Math.max(...rest.map((e) => e.box.x + e.box.w)) - x,
    h: Math.max(...rest.map((e) => e.box.y + e.box.h)) - y,
  };
}

describe('redaction of a real screenshot before it is sent', () => {
  it('sends neither the secrets text nor readable secret pixels', async () => {
    // The fixture really shows the secrets (else this test proves nothing).
    const ocrText = screen.elements.map((e) => e.text).join(' ');
    for (const secret of [PLANTED_SECRETS.email, PLANTED_SECRETS.card, PLANTED_SECRETS.ip, PLANTED_SECRETS.apiKey])
      expect(compactSecret(ocrText)).toContain(compactSecret(secret));

    const conversation = new AiConversation({
      provider: 'custom',
      baseUrl: server.baseUrl,
      apiKey: 'x',
      model: 'vision-m',
      sendImage: true,
      stream: true,
      timeoutMs: 10_000,
      idleTimeoutMs: 5_000,
      maxRetries: 0,
      customPatterns: [],
    });
    const result = await conversation.ask({
      question: 'My email is ana.lopez@example.org, how do I find text?',
      app: 'Mousepad',
      title: 'customer-notes.txt - Mousepad',
      screen,
      image,
    });
    expect(result.ok).toBe(true);

    const [request] = server.chats();
    const raw = request!.raw.replace(/\s+/g, '').toLowerCase();
    for (const [kind, secret] of Object.entries(PLANTED_SECRETS))
      expect(raw, `${kind} leaked in the request text`).not.toContain(compactSecret(secret));

    // The image the server received.
    const imagePart = (request!.body.messages as { content: unknown }[])
      .flatMap((m) => (Array.isArray(m.content) ? (m.content as { type: string; image_url?: { url: string } }[]) : []))
      .find((p) => p.type === 'image_url');
    expect(imagePart?.image_url?.url).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(imagePart!.image_url!.url.split(',')[1]!, 'base64');
    if (process.env.SIDEKICK_KEEP_SENT_IMAGE)
      (await import('node:fs')).writeFileSync(process.env.SIDEKICK_KEEP_SENT_IMAGE, png);
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([image.width, image.height]);

    // Pixels over every secret changed; ordinary text (the menu bar) did not.
    const changed = (box: { x: number; y: number; w: number; h: number }) => {
      let diff = 0;
      for (let y = Math.floor(box.y); y < box.y + box.h; y++) {
        for (let x = Math.floor(box.x); x < box.x + box.w; x++) {
          const i = (y * info.width + x) * 4;
          if (data[i] !== image.data[i] || data[i + 1] !== image.data[i + 1] || data[i + 2] !== image.data[i + 2])
            diff++;
        }
      }
      return diff / (box.w * box.h);
    };
    for (const kind of Object.keys(PLANTED_SECRETS) as (keyof typeof PLANTED_SECRETS)[]) {
      expect(changed(secretBox(kind)), `pixels over the ${kind}`).toBeGreaterThan(0.3);
    }
    expect(changed({ x: 0, y: 0, w: 320, h: 22 })).toBe(0);

    // OCR the image the server got, with Sidekick's reader and independently with native tesseract:
    // none of the secrets (nor any 8-character piece of one) is readable.
    const reader = createScreenReader();
    const readings: Record<string, string> = {};
    try {
      readings.sidekick = compactSecret((await reader.read(png)).elements.map((e) => e.text).join(' '));
    } finally {
      await reader.close();
    }
    if (existsSync('/usr/bin/tesseract')) {
      const file = join(mkdtempSync(join(tmpdir(), 'sidekick-sent-')), 'sent.png');
      writeFileSync(file, png);
      readings.tesseract = compactSecret(await nativeOcr(file));
      // The independent reader does read this kind of image: the untouched text, and the secrets in the original.
      expect(readings.tesseract).toContain('refundapproved');
      expect(compactSecret(await nativeOcr(SECRETS_PNG))).toContain(compactSecret(PLANTED_SECRETS.card));
    } else {
      console.warn(
        `native tesseract is not installed (apt-get install tesseract-ocr): ` +
          `the sent image is checked with Sidekick's OCR only`,
      );
    }
    for (const [engine, text] of Object.entries(readings)) {
      for (const [kind, secret] of Object.entries(PLANTED_SECRETS)) {
        const compact = compactSecret(secret);
        for (let i = 0; i + 8 <= compact.length; i++)
          expect(
            text,
            `${engine}: ${kind} fragment "${compact.slice(i, i + 8)}" readable in the sent image`,
          ).not.toContain(compact.slice(i, i + 8));
      }
    }
  });
});
