/**
 * Measures AI grounding on the real ground-truth screenshots (e2e/fixtures/screens, AT-SPI boxes)
 * and the time to the first streamed step against a local OpenAI-compatible server
 * (`npx tsx e2e/ai/measure.ts`). No real model runs here: the "model" is the test server
 * answering with the element id whose text is the control's name — i.e. a model that picks the
 * right control — so the share measures whether Sidekick's element list and id resolution can
 * point at each control, and the timings measure Sidekick's own overhead plus streaming.
 */
import { readFileSync } from 'node:fs';
import { AiConversation, buildGrounding, type AiEndpoint } from '../../src-main/ai';
import { createScreenReader } from '../../src-main/ocr';
import { redactScreen } from '../../src-main/privacy';
import { loadScreenFixtures } from '../fixtures/screens/truth';
import { sentElements, startFakeOpenAI } from './fake-openai';
import { z } from 'zod';

const CONTROL_ROLES = new Set([
  'menu',
  'menu item',
  'push button',
  'page tab',
  'check box',
  'radio button',
  'toggle button',
  'label',
  'combo box',
]);
const clean = (s: string) =>
  s
    .replace(/[_&…]|\.\.\.$/g, '')
    .trim()
    .toLowerCase();

const reader = createScreenReader();
const rows: string[] = [];
let found = 0;
let total = 0;
let firstStepTimes: number[] = [];
const server = await startFakeOpenAI((r) => {
  const intro = r.body.messages?.find((m) => typeof m.content === 'string' && m.content.startsWith('Application:'));
  const question = typeof intro?.content === 'string' ? intro.content.split('Question: ')[1] : undefined;
  if (question === undefined) throw new Error('the client sent no "Application: ... Question: ..." message');
  const wanted = z.array(z.string()).parse(JSON.parse(question));
  const elements = sentElements(r);
  const steps = wanted.map((name) => ({
    instruction: `Click "${name}".`,
    elementId:
      elements.find((e) => clean(e.text) === clean(name))?.id ??
      elements.find((e) => clean(e.text).split(/\s+/).includes(clean(name)))?.id ??
      null,
  }));
  // ~40 characters per chunk every 25 ms: a fast local model streaming ~400 tokens/s is not the point; the first step
  // matters.
  return { content: JSON.stringify({ steps }), chunkSize: 40, delayMs: 25 };
});
const endpoint: AiEndpoint = {
  provider: 'custom',
  baseUrl: server.baseUrl,
  apiKey: 'x',
  model: 'm',
  sendImage: false,
  stream: true,
  timeoutMs: 30_000,
  idleTimeoutMs: 10_000,
  maxRetries: 0,
  customPatterns: [],
};

try {
  for (const fixture of loadScreenFixtures()) {
    const png = readFileSync(fixture.imagePath);
    const screen = await reader.read(png);
    const controls = fixture.truth.elements.filter(
      (e) => CONTROL_ROLES.has(e.role) && /[a-z]/i.test(e.name) && e.name.length <= 40,
    );
    const grounding = buildGrounding(redactScreen(screen).screen);
    // Ask for every control in groups of 8 (one "question" each), as steps.
    let hits = 0;
    for (let i = 0; i < controls.length; i += 8) {
      const group = controls.slice(i, i + 8);
      const conversation = new AiConversation(endpoint);
      const started = performance.now();
      let first: number | null = null;
      const result = await conversation.ask(
        {
          question: JSON.stringify(group.map((c) => c.name)),
          app: fixture.truth.app,
          title: fixture.truth.title,
          screen,
        },
        {
          onEvent: (e) => {
            if (e.type === 'step' && first === null) first = performance.now() - started;
          },
        },
      );
      if (first !== null) firstStepTimes.push(first);
      if (!result.ok) throw new Error(result.failure.message);
      result.answer.steps.forEach((step, k) => {
        const truth = group[k]!.box;
        const box = step.target?.box;
        if (!box) return;
        const cx = box.x + box.w / 2;
        const cy = box.y + box.h / 2;
        // The highlight lands on the control: its centre inside the control's box (4 px slack).
        if (cx >= truth.x - 4 && cx <= truth.x + truth.w + 4 && cy >= truth.y - 4 && cy <= truth.y + truth.h + 4)
          hits++;
      });
    }
    found += hits;
    total += controls.length;
    rows.push(
      `| ${fixture.name} | ${grounding.elements.length} | ${controls.length} | ${hits} ` +
        `| ${controls.length ? Math.round((hits / controls.length) * 100) : 0}% |`,
    );
  }
} finally {
  await server.close();
  await reader.close();
}
firstStepTimes = firstStepTimes.sort((a, b) => a - b);
const median = firstStepTimes[Math.floor(firstStepTimes.length / 2)] ?? 0;
console.log('| screen | elements sent | controls asked | pointed at the right control | share |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
console.log(`| all | | ${total} | ${found} | ${Math.round((found / total) * 100)}% |`);
console.log(
  `\ntime to first streamed step (redaction + grounding + HTTP + first step parsed), local test server: median ` +
    `${Math.round(median)} ms, min ${Math.round(firstStepTimes[0] ?? 0)} ms, max ` +
    `${Math.round(firstStepTimes.at(-1) ?? 0)} ms over ${firstStepTimes.length} requests`,
);
