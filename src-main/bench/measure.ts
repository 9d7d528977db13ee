/**
 * What the benchmark measures outside its own process or against the anchors: native tesseract runs
 * (wall and CPU time), cold start and peak memory in fresh `sidekick` processes, and label recall of
 * a read.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { ScreenText, TextElement } from '../../src-shared/screen';
import type { EngineWord } from '../ocr/engine';
import { decodeImage, type RgbaImage } from '../ocr/image';
import { createScreenReader } from '../ocr/reader';
import { labelRecall, type TruthScreen } from './recall';
import { r1, type RecallPair } from './report';

/** Words from a TSV result as a ScreenText (one line element per tesseract line), for recall of the anchors. */
export function wordsToDoc(words: EngineWord[], width: number, height: number, scale: number): ScreenText {
  const elements: TextElement[] = [];
  const lineIds = new Map<string, string>();
  words.forEach((w, i) => {
    if (!lineIds.has(w.lineKey)) lineIds.set(w.lineKey, `l${lineIds.size}`);
    elements.push({
      id: `w${i}`,
      kind: 'word',
      lineId: lineIds.get(w.lineKey)!,
      text: w.text,
      conf: w.conf,
      box: { x: w.x / scale, y: w.y / scale, w: w.w / scale, h: w.h / scale },
    });
  });
  return { image: { width, height }, elements, timings: { totalMs: 0 } };
}

/** Label recall of a read, split into UI labels and document words. */
export function recallPair(doc: ScreenText, screen: TruthScreen): RecallPair {
  return {
    labels: labelRecall(doc, screen.truth, (role) => role !== 'word'),
    words: labelRecall(doc, screen.truth, (role) => role === 'word'),
  };
}

/** Whether the native `tesseract` CLI is installed (the anchor). */
export function nativeTesseractAvailable(): boolean {
  return spawnSync('tesseract', ['--version'], { stdio: 'ignore' }).status === 0;
}

const GNU_TIME = '/usr/bin/time';

/** Runs native tesseract (PSM 11, one thread); wall time, and CPU time when GNU time is installed. */
export function runNative(file: string): Promise<{ ms: number; cpuMs: number | null; tsv: string }> {
  const withTime = existsSync(GNU_TIME);
  const [command, args] = withTime
    ? [GNU_TIME, ['-f', 'SIDEKICK_CPU %U %S', 'tesseract', file, 'stdout', '--psm', '11', 'tsv']]
    : ['tesseract', [file, 'stdout', '--psm', '11', 'tsv']];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(
      command,
      args,
      { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(error instanceof Error ? error : new Error(error.message, { cause: error }));
        const cpu = /SIDEKICK_CPU ([\d.]+) ([\d.]+)/.exec(stderr);
        resolve({
          ms: performance.now() - started,
          cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null,
          tsv: stdout,
        });
      },
    );
  });
}

/** CPU milliseconds this process (main thread and OCR worker threads) has used so far. */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** `timings.totalMs` of `sidekick ocr <image> --json` run in a new process (workers start inside the read). */
export function coldReadInFreshProcess(imagePath: string): Promise<number> {
  const bin = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url)); // also from out/cli
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, 'ocr', imagePath, '--json'],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`cold run of sidekick ocr failed: ${stderr || error.message}`));
        else resolve((JSON.parse(stdout) as ScreenText).timings.totalMs);
      },
    );
  });
}

/**
 * Wall time of `sidekick guide <image> --ask ... --json` in a new process: process start, library,
 * OCR workers (started while the screenshot is read) and the located answer.
 */
export function coldGuideInFreshProcess(imagePath: string, question: string): Promise<number> {
  const bin = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url)); // also from out/cli
  // No AI: the cold path measured is the library walkthrough located on the screenshot.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OPENAI_')));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(
      process.execPath,
      [bin, 'guide', imagePath, '--ask', question, '--json'],
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`cold run of sidekick guide failed: ${stderr || error.message}`));
        else resolve(performance.now() - started);
      },
    );
  });
}

/** Peak RSS of a process that only reads (the OCR side, without the benchmark's own image edits and copies). */
export interface MemoryProbe {
  baselineMb: number;
  peakMb: number;
}

/**
 * Memory probe (`sidekick bench --memory-probe`): in this process, reads every screenshot twice, warm,
 * plus an unchanged and an edited re-read, sampling RSS every 5 ms.
 */
export async function probeMemory(screens: TruthScreen[]): Promise<MemoryProbe> {
  const images: RgbaImage[] = [];
  for (const screen of screens) images.push(await decodeImage(readFileSync(screen.imagePath)));
  sharp.cache(false);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const reader = createScreenReader();
  try {
    await reader.warm();
    for (let round = 0; round < 2; round++) {
      for (const [i, image] of images.entries())
        await reader.read(image, { windowKey: `probe-${i}`, onPartial: () => {} });
    }
    for (const image of images) await reader.read(image, { onPartial: () => {} });
  } finally {
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    await reader.close();
  }
  return { baselineMb: r1(baseline / 1e6), peakMb: r1(peak / 1e6) };
}

/** Peak memory of the OCR side, measured in a fresh `sidekick bench --memory-probe` process. */
export function memoryInFreshProcess(fixturesDir: string | undefined, only: string[]): Promise<MemoryProbe> {
  const bin = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url)); // also from out/cli
  const args = [
    bin,
    'bench',
    '--memory-probe',
    '--json',
    ...(fixturesDir ? ['--fixtures', fixturesDir] : []),
    '--only',
    only.join(','),
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`memory probe failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as MemoryProbe);
    });
  });
}
