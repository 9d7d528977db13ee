/**
 * `sidekick guide --json` with the AI configured through the environment, against a real
 * OpenAI-compatible server on 127.0.0.1: `source: "ai"` with steps located on the screenshot;
 * a dead endpoint gives `source: "none"` with a reason; no endpoint leaves the command as it was.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuideAnswer, GuideAnswerSchema } from '../../src-shared/walkthrough';
import { idFor, startFakeOpenAI, type FakeOpenAI } from './fake-openai';
import { SECRETS_PNG } from './fixture-screen';
import { PLANTED_SECRETS, compactSecret } from './planted-secrets';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url));
const emptyLibrary = mkdtempSync(join(tmpdir(), 'sidekick-empty-library-'));
let server: FakeOpenAI;

beforeAll(async () => {
  server = await startFakeOpenAI((r) => ({
    content: JSON.stringify({
      steps: [
        { instruction: 'Open the Document menu.', elementId: idFor(r, 'Document') },
        { instruction: 'Choose "Word Count".', elementId: null },
        { instruction: 'Read the count, then close with the Help menu still available.', elementId: idFor(r, 'Help') },
      ],
    }),
    chunkSize: 10,
  }));
});

afterAll(async () => {
  await server?.close();
});

async function guide(env: Record<string, string>) {
  const cleanEnv = { ...process.env };
  for (const k of ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'SIDEKICK_AI_MODEL']) delete cleanEnv[k];
  try {
    const { stdout, stderr } = await run(
      'node',
      [
        BIN,
        'guide',
        SECRETS_PNG,
        '--ask',
        'how do I count the words in this document',
        '--library',
        emptyLibrary,
        '--json',
      ],
      { env: { ...cleanEnv, ...env, SIDEKICK_PROGRESS: '1' }, timeout: 90_000 },
    );
    return { code: 0, json: JSON.parse(stdout) as GuideAnswer | null, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, json: e.stdout ? (JSON.parse(e.stdout) as GuideAnswer) : null, stderr: e.stderr };
  }
}

describe('sidekick guide with an AI endpoint', () => {
  it('answers source "ai" with steps located on the screenshot, and sends nothing secret', async () => {
    const { code, json, stderr } = await guide({
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_API_KEY: 'x',
      SIDEKICK_AI_MODEL: 'm',
    });
    expect(code, stderr).toBe(0);
    const answer = GuideAnswerSchema.parse(json);
    expect(answer.source).toBe('ai');
    expect(answer.steps.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(answer.steps[0]!.target).toMatchObject({
      text: 'Document',
      box: { x: expect.any(Number) as unknown, y: expect.any(Number) as unknown },
    });
    // The Document menu is in the real screenshot's menu bar (x≈196, y≈6).
    expect(answer.steps[0]!.target!.box!.y).toBeLessThan(25);
    expect(answer.steps[0]!.target!.box!.x).toBeGreaterThan(150);
    expect(answer.steps[1]!.target).toEqual({ text: 'Word Count', box: null });
    expect(answer.steps[2]!.target?.text).toBe('Help');
    const request = server.chats().at(-1)!;
    expect(request.body.model).toBe('m');
    const sent = request.raw.replace(/\s+/g, '').toLowerCase();
    for (const secret of Object.values(PLANTED_SECRETS)) expect(sent).not.toContain(compactSecret(secret));
  });

  it('sends the redacted screenshot too with SIDEKICK_AI_SEND_IMAGE=1', async () => {
    const before = server.chats().length;
    const { code, json, stderr } = await guide({
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_API_KEY: 'x',
      SIDEKICK_AI_MODEL: 'm',
      SIDEKICK_AI_SEND_IMAGE: '1',
    });
    expect(code, stderr).toBe(0);
    expect(json?.source).toBe('ai');
    const request = server.chats()[before]!;
    const parts = (request.body.messages as { content: unknown }[]).flatMap((m) =>
      Array.isArray(m.content) ? (m.content as { type: string; image_url?: { url: string } }[]) : [],
    );
    expect(parts.find((p) => p.type === 'image_url')?.image_url?.url).toMatch(/^data:image\/png;base64,iVBOR/);
  });

  it('a dead endpoint gives source "none" with the reason, exit code 0', async () => {
    const dead = await startFakeOpenAI(() => ({ content: '' }));
    await dead.close();
    const { code, json, stderr } = await guide({
      OPENAI_BASE_URL: dead.baseUrl,
      OPENAI_API_KEY: 'x',
      SIDEKICK_AI_MODEL: 'm',
      SIDEKICK_AI_MAX_RETRIES: '1',
    });
    expect(code, stderr).toBe(0);
    expect(json).toMatchObject({
      source: 'none',
      walkthrough: null,
      steps: [],
      reason: expect.stringMatching(/Could not reach the AI endpoint http:\/\/127\.0\.0\.1:\d+\/v1/) as unknown,
    });
    expect(stderr).toMatch(/AI answer failed/);
  });

  it('without AI configured, the command answers from the library only', async () => {
    const { code, json } = await guide({});
    expect(code).toBe(0);
    expect(json).toMatchObject({ source: 'none', walkthrough: null, steps: [], candidates: [], confidence: 0 });
  });
});
