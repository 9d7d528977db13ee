/**
 * AI picks from the library first (`sidekick guide` with an endpoint in the environment), against the
 * real OpenAI-compatible fake server on 127.0.0.1: one json_schema call shows the model the library's
 * candidates for the app on screen; a pick answers with that walkthrough, "none" goes on to the model's
 * own plan, and a dead endpoint still answers "none" with the reason.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiService } from '../../src-main/ai';
import { SecretStore, type SecretEncryption } from '../../src-main/base/secrets';
import { loadLibrary, starterPackDir } from '../../src-main/walkthroughs/library';
import { AiSettingsSchema } from '../../src-shared/ai';
import type { ScreenText } from '../../src-shared/screen';
import type { GuideAnswer } from '../../src-shared/walkthrough';
import { idFor, startFakeOpenAI, type FakeOpenAI, type ReceivedRequest } from './fake-openai';
import { SECRETS_PNG } from './fixture-screen';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url));
/** Vague: no Mousepad walkthrough is a sure match. */
const QUESTION = 'my lines look wrong';
let library: string;
let server: FakeOpenAI;
let pickAnswer = 'mousepad-word-wrap';
// Each run reads the screenshot with OCR in a fresh process: minutes on a loaded machine.

function isPick(request: ReceivedRequest): boolean {
  return request.body?.response_format?.json_schema?.name === 'sidekick_library_pick';
}

beforeAll(async () => {
  library = mkdtempSync(join(tmpdir(), 'sidekick-pick-library-'));
  // Mousepad's walkthroughs and one for another app, which must never be offered over Mousepad.
  cpSync(join(starterPackDir(), 'mousepad'), join(library, 'mousepad'), { recursive: true });
  cpSync(
    join(starterPackDir(), 'abiword', 'abiword-word-count.walkthrough.json'),
    join(library, 'abiword-word-count.walkthrough.json'),
  );
  server = await startFakeOpenAI((r) =>
    isPick(r)
      ? { content: JSON.stringify({ choice: pickAnswer }) }
      : {
          content: JSON.stringify({
            steps: [{ instruction: 'Open the Document menu.', elementId: idFor(r, 'Document') }],
          }),
        },
  );
});

afterAll(async () => {
  await server?.close();
  if (library) rmSync(library, { recursive: true, force: true });
});

async function guide(env: Record<string, string>) {
  const cleanEnv = { ...process.env };
  for (const k of ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'SIDEKICK_AI_MODEL']) delete cleanEnv[k];
  const args = [BIN, 'guide', SECRETS_PNG, '--ask', QUESTION, '--app', 'Mousepad', '--library', library, '--json'];
  const { stdout, stderr } = await run('node', args, { env: { ...cleanEnv, ...env }, timeout: 300_000 });
  return { json: JSON.parse(stdout) as GuideAnswer, stderr };
}

describe('AI picks from the library first', () => {
  it('shows the model the candidates in one json_schema call and plays the one it picks', async () => {
    pickAnswer = 'mousepad-word-wrap';
    const before = server.chats().length;
    const { json, stderr } = await guide({
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_API_KEY: 'x',
      SIDEKICK_AI_MODEL: 'm',
    });
    expect(json.source, stderr).toBe('library');
    expect(json.walkthrough).toEqual({ id: 'mousepad-word-wrap', title: 'Wrap long lines' });
    expect(json.steps.map((s) => s.target?.text)).toEqual(['Document', 'Word Wrap']);
    expect(json.candidates?.[0]?.id).toBe('mousepad-word-wrap');
    expect(json.app).toEqual({ name: 'Mousepad', source: 'flag' });
    const calls = server.chats().slice(before);
    expect(calls).toHaveLength(1);
    const pick = calls[0]!;
    expect(isPick(pick)).toBe(true);
    const schema = pick.body.response_format?.json_schema?.schema as { properties: { choice: { enum: string[] } } };
    const offered = schema.properties.choice.enum;
    expect(offered).toContain('none');
    expect(offered.filter((id) => id !== 'none').every((id) => id.startsWith('mousepad-'))).toBe(true);
    // The model sees titles and steps of each candidate.
    expect(pick.raw).toContain('Tick Word Wrap');
    expect(pick.raw).toContain(QUESTION);
  }, 320_000);

  it('"none" goes on to the model\'s own plan', async () => {
    pickAnswer = 'none';
    const before = server.chats().length;
    const { json, stderr } = await guide({
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_API_KEY: 'x',
      SIDEKICK_AI_MODEL: 'm',
    });
    expect(json.source, stderr).toBe('ai');
    expect(json.steps[0]?.instruction).toBe('Open the Document menu.');
    const calls = server.chats().slice(before);
    expect(calls.map(isPick)).toEqual([true, false]);
  }, 320_000);

  it('a dead endpoint still answers "none" with the reason', async () => {
    const dead = await startFakeOpenAI(() => ({ content: '' }));
    await dead.close();
    const { json } = await guide({
      OPENAI_BASE_URL: dead.baseUrl,
      OPENAI_API_KEY: 'x',
      SIDEKICK_AI_MODEL: 'm',
      SIDEKICK_AI_MAX_RETRIES: '1',
    });
    expect(json).toMatchObject({
      source: 'none',
      walkthrough: null,
      steps: [],
      reason: expect.stringMatching(/Could not reach the AI endpoint/) as unknown,
    });
  }, 320_000);
});

describe('AI picks from the library first in the overlay (AiService)', () => {
  const screen: ScreenText = {
    image: { width: 800, height: 600 },
    elements: [
      { id: 'w1', kind: 'word', text: 'Document', conf: 95, box: { x: 190, y: 4, w: 70, h: 16 } },
      { id: 'w2', kind: 'word', text: 'View', conf: 95, box: { x: 120, y: 4, w: 40, h: 16 } },
    ],
    timings: { totalMs: 0 },
  };
  const window = { app: 'Mousepad', title: 'notes.txt - Mousepad', bounds: { x: 0, y: 0, w: 800, h: 600 }, scale: 1 };
  const highlight = async (label: string) => {
    const el = screen.elements.find((e) => e.text === label);
    return el ? { id: `h-${label}`, box: el.box, label } : null;
  };

  function service(): AiService {
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-pick-service-'));
    const settings = AiSettingsSchema.parse({ enabled: true, provider: 'ollama', baseUrl: server.baseUrl, model: 'm' });
    const plainText: SecretEncryption = {
      available: () => false,
      secure: () => false,
      backend: () => 'basic_text',
      encrypt: (plain: string) => Buffer.from(plain, 'utf8'),
      decrypt: (cipher: Buffer) => cipher.toString('utf8'),
    };
    const secrets = new SecretStore(join(dir, 'secrets.json'), plainText);
    return new AiService({
      settings: () => settings,
      secrets,
      emit: () => {},
      snapshot: async () => null,
      libraryDir: () => join(dir, 'library'),
    });
  }

  it('plays the library walkthrough the model picks, highlighted on screen, before any plan of its own', async () => {
    pickAnswer = 'mousepad-word-wrap';
    const candidates = loadLibrary({ folder: library })
      .entries.map((e) => e.walkthrough)
      .filter((w) => w.app.name === 'Mousepad');
    const before = server.chats().length;
    const result = await service().answer({
      sessionId: 's1',
      question: QUESTION,
      window,
      screen,
      highlight,
      libraryCandidates: candidates,
    });
    expect(result).toMatchObject({
      kind: 'steps',
      source: 'library',
      walkthroughId: 'mousepad-word-wrap',
      title: 'Wrap long lines',
    });
    if (result?.kind !== 'steps') return;
    expect(result.steps[0]!.target).toMatchObject({ text: 'Document', highlight: { label: 'Document' } });
    expect(server.chats().slice(before).map(isPick)).toEqual([true]);

    pickAnswer = 'none';
    const own = await service().answer({
      sessionId: 's2',
      question: QUESTION,
      window,
      screen,
      highlight,
      libraryCandidates: candidates,
    });
    expect(own).toMatchObject({ kind: 'steps', source: 'ai' });
    // Without candidates (the person said "None of these"), no pick is asked for.
    const count = server.chats().length;
    await service().answer({ sessionId: 's3', question: QUESTION, window, screen, highlight });
    expect(server.chats().slice(count).map(isPick)).toEqual([false]);
  }, 120_000);
});
