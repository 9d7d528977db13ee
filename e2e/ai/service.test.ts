/**
 * AI assist as the desktop app uses it (AiService): off by default, the API key only in the
 * secret store (and only after consent where the store is not secure), streamed progress to the
 * overlay, follow-ups, the "what will be sent" preview, and "Save as walkthrough" producing a
 * library file that the walkthrough player plays on the real screen.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiService } from '../../src-main/ai';
import { SecretStore, type SecretEncryption } from '../../src-main/base/secrets';
import { loadWalkthroughFolder } from '../../src-main/walkthroughs/library';
import { WalkthroughPlayer } from '../../src-main/walkthroughs/player';
import { AiSettingsSchema, type AiSettings } from '../../src-shared/ai';
import type { AiProgress } from '../../src-shared/ipc/ai';
import type { RgbaImage } from '../../src-main/privacy';
import type { ScreenText } from '../../src-shared/screen';
import { idFor, startFakeOpenAI, type FakeOpenAI } from './fake-openai';
import { readSecretsFixture } from './fixture-screen';
import { PLANTED_SECRETS, compactSecret } from './planted-secrets';

/**
 * Stands in for the OS store (Electron safeStorage exists only inside Electron): reversible, and flagged secure or not.
 */
function osEncryption(secure: boolean): SecretEncryption {
  return {
    available: () => true,
    secure: () => secure,
    backend: () => (secure ? 'gnome_libsecret' : 'basic_text'),
    encrypt: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
    decrypt: (cipher) => Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8'),
  };
}

let screen: ScreenText;
let image: RgbaImage;
let server: FakeOpenAI;
const window = {
  app: 'Mousepad',
  title: 'customer-notes.txt - Mousepad',
  bounds: { x: 0, y: 0, w: 1200, h: 700 },
  scale: 1,
};

beforeAll(async () => {
  ({ screen, image } = await readSecretsFixture());
  server = await startFakeOpenAI((r) => ({
    content: JSON.stringify({
      steps: [
        { instruction: 'Open the Search menu.', elementId: idFor(r, 'Search') },
        { instruction: 'Choose "Find and Replace".', elementId: null },
      ],
    }),
    chunkSize: 9,
    delayMs: 5,
  }));
});

afterAll(async () => {
  await server?.close();
});

function setup(settings: Partial<AiSettings>, secure = true) {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-assist-'));
  const current = AiSettingsSchema.parse(settings);
  const events: AiProgress[] = [];
  const secrets = new SecretStore(join(dir, 'secrets.json'), osEncryption(secure));
  const service = new AiService({
    settings: () => current,
    secrets,
    emit: (e) => events.push(e),
    snapshot: async (id) => (id === 's1' ? { window, screen, image } : null),
    libraryDir: () => join(dir, 'library'),
  });
  const handlers = service.handlers();
  const highlight = async (label: string) => {
    const el = screen.elements.find((e) => e.text === label);
    return el ? { id: `h-${label}`, box: el.box, label } : null;
  };
  return { dir, service, handlers, events, secrets, current, highlight };
}

describe('AI assist in the app', () => {
  it('is off by default and says so; the overlay then falls through to human help', async () => {
    const { service, highlight } = setup({});
    expect(service.status()).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/AI answers are off.*library and human help/) as unknown,
    });
    expect(
      await service.answer({ sessionId: 's1', question: 'how do I find text', window, screen, highlight }),
    ).toBeNull();
  });

  it('keeps the API key out of settings, and asks before storing it without a secure store', async () => {
    const insecure = setup({ enabled: true, provider: 'openai', model: 'm' }, false);
    const refused = await insecure.handlers['ai:set-api-key'](
      { apiKey: 'sk-test-1234567890abcdef', allowInsecure: false },
      null,
    );
    expect(refused).toMatchObject({
      ok: false,
      needsConsent: true,
      message: expect.stringMatching(/no secure password store.*basic_text/) as unknown,
    });
    expect(existsSync(join(insecure.dir, 'secrets.json'))).toBe(false);
    expect(insecure.service.status().reason).toMatch(/API key is needed/);
    const agreed = await insecure.handlers['ai:set-api-key'](
      { apiKey: 'sk-test-1234567890abcdef', allowInsecure: true },
      null,
    );
    expect(agreed).toMatchObject({ ok: true, keyStorage: { secure: false, hasKey: true } });
    expect(insecure.service.status().enabled).toBe(true);

    const secure = setup({ enabled: true, provider: 'openai', model: 'm' }, true);
    await secure.handlers['ai:set-api-key']({ apiKey: 'sk-test-1234567890abcdef', allowInsecure: false }, null);
    const file = readFileSync(join(secure.dir, 'secrets.json'), 'utf8');
    expect(file).not.toContain('sk-test');
    expect(JSON.stringify(secure.current)).not.toContain('sk-test');
    expect(secure.secrets.get('ai.apiKey')).toBe('sk-test-1234567890abcdef');
    expect(await secure.handlers['ai:clear-api-key']({}, null)).toMatchObject({ hasKey: false });
  });

  it('streams steps to the overlay, keeps the conversation, previews what is sent, saves a walkthrough', async () => {
    const { service, handlers, events, highlight, dir } = setup({
      enabled: true,
      provider: 'ollama',
      baseUrl: server.baseUrl,
      model: 'm',
    });
    const preview = await handlers['ai:preview'](
      { sessionId: 's1', question: 'how do I find text? mail me at ana.lopez@example.org' },
      null,
    );
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    const previewText = compactSecret(JSON.stringify(preview.preview));
    for (const secret of Object.values(PLANTED_SECRETS)) expect(previewText).not.toContain(compactSecret(secret));
    expect(preview.preview.redacted.email).toBeGreaterThanOrEqual(2);
    expect(preview.preview.imageDataUrl).toBeNull(); // images are off unless chosen

    const result = await service.answer({
      sessionId: 's1',
      question: 'how do I find text',
      window,
      screen,
      image,
      highlight,
    });
    expect(result).toMatchObject({ kind: 'steps', source: 'ai' });
    if (result?.kind !== 'steps') return;
    expect(result.steps[0]!.target).toMatchObject({ text: 'Search', highlight: { label: 'Search' } });
    expect(result.steps[1]!.target).toEqual({ text: 'Find and Replace', highlight: null });
    expect(events.map((e) => e.type)).toEqual(['sending', 'step', 'step', 'done']);

    await service.answer({ sessionId: 's1', question: 'and replace all?', window, screen, image, highlight });
    expect(JSON.stringify(server.chats().at(-1)!.body.messages)).toContain('how do I find text');

    const done = events.find((e) => e.type === 'done')!;
    const saved = await handlers['ai:save-walkthrough']({ requestId: done.requestId }, null);
    expect(saved).toMatchObject({ ok: true, id: 'mousepad-how-do-i-find-text' });
    const library = loadWalkthroughFolder(join(dir, 'library'), 'user', false);
    expect(library.problems).toEqual([]);
    const walkthrough = library.entries[0]!.walkthrough;
    expect(walkthrough).toMatchObject({
      format: 'sidekick.walkthrough/1',
      app: { name: 'Mousepad' },
      questions: ['how do I find text'],
      steps: [{ target: { text: 'Search' } }, { target: { text: 'Find and Replace' } }],
    });
    // The walkthrough player plays it on the real screen: the first target is found.
    const state = new WalkthroughPlayer(walkthrough).feed(screen, window);
    expect(state.target?.box).toMatchObject({ y: expect.any(Number) as unknown });
    expect(state.target!.box!.y).toBeLessThan(25);
  });
});
