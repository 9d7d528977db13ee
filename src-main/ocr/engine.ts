/**
 * The recognition engine: a small pool of warm tesseract.js workers (one per core), offline
 * language data, a per-user cache folder, per-job timeouts, crash recovery and recycling.
 */
import { accessSync, constants as fsConstants, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { bundledResource } from '../base/resources';

/** One word as tesseract reported it, in the coordinates of the image it was given. */
export interface EngineWord {
  text: string;
  conf: number;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Tesseract's own block/paragraph/line numbering, joined: words with equal keys share a line. */
  lineKey: string;
}

/** A recognition that failed twice (worker crashed or hung), or data that could not be loaded. */
export class OcrEngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OcrEngineError';
  }
}

/** Where the language data comes from. */
export interface LanguageData {
  langPath: string;
  /** A short id of the model, used to keep caches of different models apart. */
  model: string;
  gzip: boolean;
}

// Not named `require`: electron-vite's ESM shim declares a top-level `require` in the bundled main chunk.
const requireHere = createRequire(import.meta.url);

function bundledTessdataDir(): string {
  // bundledResource: the repository's resources/, or the installed app's resources folder (src-main/base/resources.ts).
  const candidates = [bundledResource('tessdata'), resolve(process.cwd(), 'resources/tessdata')];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

/**
 * Finds offline language data: SIDEKICK_TESSDATA, then Sidekick's bundled fast model, then @tesseract.js-data. Never
 * the CDN.
 */
export function findLanguageData(language = 'eng'): LanguageData {
  const fromEnv = process.env.SIDEKICK_TESSDATA;
  const options: LanguageData[] = [];
  if (fromEnv)
    options.push({ langPath: fromEnv, model: 'env', gzip: existsSync(join(fromEnv, `${language}.traineddata.gz`)) });
  options.push({ langPath: bundledTessdataDir(), model: 'fast', gzip: true });
  try {
    const pkg = requireHere.resolve(`@tesseract.js-data/${language}/package.json`);
    options.push({ langPath: join(dirname(pkg), '4.0.0'), model: 'npm-4.0.0', gzip: true });
  } catch {
    /* package not installed for this language */
  }
  for (const option of options) {
    if (existsSync(join(option.langPath, `${language}.traineddata${option.gzip ? '.gz' : ''}`))) return option;
  }
  throw new OcrEngineError(
    `No OCR language data for "${language}" was found. Reinstall Sidekick (npm install), ` +
      `or point SIDEKICK_TESSDATA at a folder holding ${language}.traineddata.`,
  );
}

/** A writable per-user cache folder: the given one, SIDEKICK_CACHE_DIR, XDG cache, ~/.cache, else the temp folder. */
export function resolveCacheDir(preferred?: string): string {
  const user = (() => {
    try {
      return userInfo().username;
    } catch {
      return String(process.getuid?.() ?? 'user');
    }
  })();
  const candidates = [
    preferred,
    process.env.SIDEKICK_CACHE_DIR,
    process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, 'sidekick') : undefined,
    (() => {
      try {
        return join(homedir(), '.cache', 'sidekick');
      } catch {
        return undefined;
      }
    })(),
    join(tmpdir(), `sidekick-cache-${user}`),
  ].filter((dir): dir is string => typeof dir === 'string' && dir.length > 0);
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, fsConstants.W_OK);
      return dir;
    } catch {
      /* not writable: try the next */
    }
  }
  throw new OcrEngineError(
    `No writable cache folder found (tried ${candidates.join(', ')}). Set SIDEKICK_CACHE_DIR to a writable folder.`,
  );
}

/** Options for the worker pool. */
export interface EnginePoolOptions {
  language?: string;
  workers?: number;
  cacheDir?: string;
  /** A job taking longer than this (scaled up for images over 2 MP) counts as hung. */
  jobTimeoutMs?: number;
  /** A worker is replaced after this many jobs, to keep wasm heap growth in check. */
  recycleAfterJobs?: number;
}

/** One job: an encoded image (PGM/PNG) and the page segmentation mode to read it with. */
export interface EngineJob {
  image: Uint8Array;
  psm: '6' | '7' | '11' | '4';
  /** Pixel count, to scale the timeout. */
  pixels: number;
}

interface Slot {
  index: number;
  worker: Promise<Tesseract.Worker> | null;
  thread: ThreadWorker | null;
  busy: boolean;
  jobs: number;
  /** Rejects the running job when the thread dies. */
  onDeath: ((error: Error) => void) | null;
}

interface Pending {
  job: EngineJob;
  resolve(words: EngineWord[]): void;
  reject(error: Error): void;
  attempt: number;
  signal?: AbortSignal;
}

/** Counters for tests and the benchmark. */
export interface EngineStats {
  jobs: number;
  retries: number;
  workersStarted: number;
  workersReplaced: number;
}

/** A pool of warm tesseract.js workers. */
export class RecognizerPool {
  readonly stats: EngineStats = { jobs: 0, retries: 0, workersStarted: 0, workersReplaced: 0 };
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private readonly language: string;
  private readonly data: LanguageData;
  private readonly cachePath: string;
  private readonly jobTimeoutMs: number;
  private readonly recycleAfterJobs: number;
  private closed = false;

  constructor(options: EnginePoolOptions = {}) {
    this.language = options.language ?? 'eng';
    this.data = findLanguageData(this.language);
    this.cachePath = join(resolveCacheDir(options.cacheDir), 'tessdata', this.data.model);
    mkdirSync(this.cachePath, { recursive: true });
    this.jobTimeoutMs = options.jobTimeoutMs ?? 15_000;
    this.recycleAfterJobs = options.recycleAfterJobs ?? 300;
    const size = Math.max(1, Math.min(8, options.workers ?? 2));
    this.slots = Array.from({ length: size }, (_, index) => ({
      index,
      worker: null,
      thread: null,
      busy: false,
      jobs: 0,
      onDeath: null,
    }));
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /** The model in use (e.g. "fast"). */
  get model(): string {
    return this.data.model;
  }

  /** Starts every worker now, so the first read is warm. */
  async warm(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.ensureWorker(slot)));
  }

  /** The live worker threads (for crash-recovery tests). */
  threads(): ThreadWorker[] {
    return this.slots.map((slot) => slot.thread).filter((t): t is ThreadWorker => t !== null);
  }

  /** Whether any worker is running a job right now. */
  busyThreads(): ThreadWorker[] {
    return this.slots.filter((slot) => slot.busy && slot.thread).map((slot) => slot.thread!);
  }

  /** Recognizes one image; retried once on another fresh worker if a worker crashes or hangs. */
  recognize(job: EngineJob, signal?: AbortSignal): Promise<EngineWord[]> {
    if (this.closed) return Promise.reject(new OcrEngineError('The OCR reader was closed; create a new one.'));
    return new Promise((resolvePromise, rejectPromise) => {
      const pending: Pending = { job, resolve: resolvePromise, reject: rejectPromise, attempt: 0 };
      if (signal) pending.signal = signal;
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0))
      pending.reject(new OcrEngineError('The OCR reader was closed before this image was read.'));
    await Promise.all(this.slots.map((slot) => this.stopWorker(slot)));
  }

  private ensureWorker(slot: Slot): Promise<Tesseract.Worker> {
    if (slot.worker) return slot.worker;
    this.stats.workersStarted++;
    const created = Tesseract.createWorker(
      this.language,
      Tesseract.OEM.LSTM_ONLY,
      {
        langPath: this.data.langPath,
        cachePath: this.cachePath,
        gzip: this.data.gzip,
        cacheMethod: 'write',
        // Without an errorHandler tesseract.js throws from its message listener, which would crash the process.
        errorHandler: () => {},
        logger: () => {},
      },
      INIT_PARAMETERS,
    ).then((worker) => {
      const thread = (worker as unknown as { worker: ThreadWorker }).worker;
      slot.thread = thread;
      thread.once('exit', (code) => {
        if (slot.thread !== thread) return;
        slot.thread = null;
        slot.worker = null;
        slot.onDeath?.(new Error(`OCR worker exited unexpectedly (code ${code})`));
      });
      thread.once('error', (error) => {
        if (slot.thread !== thread) return;
        slot.onDeath?.(error instanceof Error ? error : new Error(String(error)));
      });
      return worker;
    });
    created.catch(() => {
      if (slot.worker === created) slot.worker = null;
    });
    slot.worker = created;
    return created;
  }

  private async stopWorker(slot: Slot): Promise<void> {
    const worker = slot.worker;
    slot.worker = null;
    slot.thread = null;
    slot.jobs = 0;
    if (!worker) return;
    try {
      await (await worker).terminate();
    } catch {
      /* already dead */
    }
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => !s.busy);
      if (!slot) return;
      const pending = this.queue.shift()!;
      if (pending.signal?.aborted) {
        pending.reject(new OcrEngineError('OCR was cancelled.'));
        continue;
      }
      slot.busy = true;
      void this.run(slot, pending);
    }
  }

  private async run(slot: Slot, pending: Pending): Promise<void> {
    try {
      if (slot.jobs >= this.recycleAfterJobs) await this.stopWorker(slot);
      const words = await this.runOnSlot(slot, pending.job);
      slot.jobs++;
      this.stats.jobs++;
      pending.resolve(words);
    } catch (error) {
      this.stats.workersReplaced++;
      await this.stopWorker(slot);
      if (pending.attempt === 0 && !this.closed) {
        this.stats.retries++;
        pending.attempt++;
        this.queue.unshift(pending);
      } else {
        const reason = error instanceof Error ? error.message : String(error);
        pending.reject(
          new OcrEngineError(
            `OCR failed twice (${reason}). Try again; if it keeps failing, ` +
              `restart Sidekick or report the screenshot that causes it.`,
          ),
        );
      }
    } finally {
      slot.busy = false;
      slot.onDeath = null;
      if (!this.closed) this.pump();
    }
  }

  private async runOnSlot(slot: Slot, job: EngineJob): Promise<EngineWord[]> {
    const worker = await this.ensureWorker(slot);
    // close() may have terminated this worker while it was starting: tesseract.js would then reject from
    // inside its own job promise, unhandled. Stop here instead.
    if (this.closed || !slot.worker) throw new OcrEngineError('The OCR reader was closed before this image was read.');
    const timeoutMs = this.jobTimeoutMs * (1 + job.pixels / 2_000_000);
    let timer: NodeJS.Timeout | undefined;
    const failure = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`OCR worker did not answer within ${Math.round(timeoutMs)} ms`)),
        timeoutMs,
      );
      slot.onDeath = reject;
    });
    try {
      const result = await Promise.race([
        worker.recognize(
          Buffer.from(job.image.buffer, job.image.byteOffset, job.image.byteLength),
          JOB_PARAMETERS[job.psm] as never,
          {
            text: false,
            tsv: true,
          },
        ),
        failure,
      ]);
      return parseTsv(result.data.tsv ?? '');
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Init-only parameters. The word lists (system and frequent-word dawgs) cost about 10 MB per worker and
 * changed no word read on the own or dev screens: UI labels and identifiers are not prose.
 */
const INIT_PARAMETERS = { load_system_dawg: '0', load_freq_dawg: '0' };

/**
 * Parameters per job. user_defined_dpi stops tesseract guessing (and printing) a resolution;
 * tessedit_do_invert=0 skips its second, inverted pass on low-confidence lines: crops are
 * already normalized to dark text on white, so that pass only doubled the work on icons.
 */
const JOB_PARAMETERS: Record<EngineJob['psm'], Record<string, string>> = {
  '4': { tessedit_pageseg_mode: '4', user_defined_dpi: '300', tessedit_do_invert: '0' },
  '6': { tessedit_pageseg_mode: '6', user_defined_dpi: '300', tessedit_do_invert: '0' },
  '7': { tessedit_pageseg_mode: '7', user_defined_dpi: '300', tessedit_do_invert: '0' },
  '11': { tessedit_pageseg_mode: '11', user_defined_dpi: '300', tessedit_do_invert: '0' },
};

/** Words (level 5 rows) from tesseract TSV output; empty and whitespace-only words dropped. */
export function parseTsv(tsv: string): EngineWord[] {
  const words: EngineWord[] = [];
  for (const row of tsv.split('\n')) {
    if (!row.startsWith('5\t')) continue;
    const cols = row.split('\t');
    if (cols.length < 12) continue;
    const text = cols.slice(11).join('\t').trim();
    if (!text) continue;
    words.push({
      text,
      conf: Math.max(0, Math.min(100, Number(cols[10]))),
      x: Number(cols[6]),
      y: Number(cols[7]),
      w: Number(cols[8]),
      h: Number(cols[9]),
      lineKey: `${cols[2]}.${cols[3]}.${cols[4]}`,
    });
  }
  return words;
}
