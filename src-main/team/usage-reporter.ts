/**
 * Opt-in usage events for the team's insights (Settings → Team → "Share anonymous usage with my team"):
 * a question nothing answered (redacted first), a walkthrough closed at step k, a walkthrough finished.
 * Off: nothing is recorded or sent, and what was queued is dropped. On: each event is written to a JSON
 * file in the team folder before anything is sent, then sent in batches (every few minutes, as soon as a
 * batch is full, and once more when the app stops) to `POST /api/v1/events`. An event leaves the file only
 * when the server acknowledged it; while the server is unreachable or asks us to slow down, sending backs
 * off (honouring `Retry-After`). The file holds at most `maxQueued` events: past that the oldest are
 * dropped, with a log line saying how many.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import {
  newClientId,
  TEAM_LIMITS,
  type UsageEvent,
  USAGE_EVENTS_PER_BATCH,
  UsageEventSchema,
  type UsageObservation,
} from '../../src-shared/team';
import { TeamApiError, type TeamClient } from './team-client';

/** Defaults: a batch every 3 minutes or when 20 events wait; 1,000 events kept at most; back off 5 s → 10 min. */
export const USAGE_DEFAULTS = {
  flushMs: 3 * 60_000,
  batchSize: 20,
  maxQueued: 1000,
  minBackoffMs: 5000,
  maxBackoffMs: 10 * 60_000,
} as const;

const QueueFileSchema = z.object({ version: z.literal(1), events: z.array(z.unknown()) });

/** What the reporter needs. */
export interface UsageReporterOptions {
  /** The queue file (in the team folder of Sidekick's user data). */
  file: string;
  /** The team client while joined, else null. */
  client(): TeamClient | null;
  /** Whether the person shares usage with their team now (read at every record and every send). */
  enabled(): boolean;
  /** Redaction of the question text (src-main/privacy `redactText`). */
  redactText(text: string): { text: string };
  flushMs?: number;
  batchSize?: number;
  maxQueued?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  log?(message: string, error?: unknown): void;
}

/** What one send did. */
export interface UsageFlushResult {
  sent: number;
  /** Still on disk (not acknowledged). */
  pending: number;
  /** Why sending stopped early, if it did. */
  problem: string | null;
}

/** The queue of usage events and its sender. */
export class UsageReporter {
  private events: UsageEvent[];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private running = false;
  private flushing: Promise<UsageFlushResult> | null = null;

  constructor(private readonly options: UsageReporterOptions) {
    this.events = this.load();
  }

  /** Events waiting on disk. */
  pending(): number {
    return this.events.length;
  }

  /** Starts sending (the team is joined); a first send happens soon if events wait from last time. */
  start(): void {
    this.running = true;
    this.schedule(this.events.length ? this.minBackoff() : this.flushMs());
  }

  /** Stops the timers (sending again needs `start`). */
  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Records one observation when the person shares usage: stamped, redacted, checked with the wire schema and
   * written to disk. Returns whether it was kept.
   */
  record(observation: UsageObservation): boolean {
    if (!this.options.enabled()) return false;
    const base = { clientId: newClientId(), at: new Date().toISOString(), app: observation.app.slice(0, 200) };
    const candidate =
      observation.type === 'no_match'
        ? {
            ...base,
            type: observation.type,
            question: this.options
              .redactText(observation.question)
              .text.trim()
              .slice(0, TEAM_LIMITS.learnedQuestionChars),
          }
        : {
            ...base,
            type: observation.type,
            walkthroughId: observation.walkthroughId,
            stepIndex: observation.stepIndex,
          };
    const parsed = UsageEventSchema.safeParse(candidate);
    if (!parsed.success) return false; // an empty question, an id too long: nothing worth counting
    this.events.push(parsed.data);
    const max = this.options.maxQueued ?? USAGE_DEFAULTS.maxQueued;
    if (this.events.length > max) {
      const dropped = this.events.length - max;
      this.events.splice(0, dropped);
      this.options.log?.(
        `Usage events: the queue is full (${max} events not yet accepted by the team server); ` +
          `dropped the ${dropped} oldest`,
      );
    }
    this.save();
    if (this.running && this.failures === 0 && this.events.length >= this.batchSize()) this.schedule(0);
    return true;
  }

  /** Drops every queued event (the person stopped sharing, or left the team). */
  clear(reason: string): void {
    if (!this.events.length) return;
    this.options.log?.(`Usage events: dropped ${this.events.length} unsent events (${reason})`);
    this.events = [];
    this.save();
  }

  /** Sends what waits, in batches, until done or the server cannot take more now. One send at a time. */
  flush(): Promise<UsageFlushResult> {
    this.flushing ??= this.flushNow().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushNow(): Promise<UsageFlushResult> {
    if (!this.options.enabled()) {
      this.clear('sharing usage with the team is off');
      return { sent: 0, pending: 0, problem: null };
    }
    const client = this.options.client();
    if (!client) return { sent: 0, pending: this.events.length, problem: 'not in a team' };
    let sent = 0;
    while (this.events.length) {
      const batch = this.events.slice(0, USAGE_EVENTS_PER_BATCH);
      try {
        await client.sendUsageEvents({ events: batch });
      } catch (error) {
        this.failures++;
        const message = error instanceof Error ? error.message : String(error);
        const wait = this.backoff(error);
        if (!(error instanceof TeamApiError && error.retryable))
          this.options.log?.(`Usage events: the team server refused a batch (kept, retrying later): ${message}`);
        if (this.running) this.schedule(wait);
        return { sent, pending: this.events.length, problem: message };
      }
      // Acknowledged: only now do these events leave the file (the server keeps each clientId once).
      const acknowledged = new Set(batch.map((event) => event.clientId));
      this.events = this.events.filter((event) => !acknowledged.has(event.clientId));
      this.save();
      sent += batch.length;
      this.failures = 0;
    }
    if (this.running) this.schedule(this.flushMs());
    return { sent, pending: 0, problem: null };
  }

  private backoff(error: unknown): number {
    const max = this.options.maxBackoffMs ?? USAGE_DEFAULTS.maxBackoffMs;
    const exponential = Math.min(max, this.minBackoff() * 2 ** Math.min(this.failures - 1, 20));
    const asked = error instanceof TeamApiError ? (error.retryAfterMs ?? 0) : 0;
    return Math.max(exponential, Math.min(asked, max));
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delayMs);
    this.timer.unref?.();
  }

  private flushMs(): number {
    return this.options.flushMs ?? USAGE_DEFAULTS.flushMs;
  }

  private batchSize(): number {
    return this.options.batchSize ?? USAGE_DEFAULTS.batchSize;
  }

  private minBackoff(): number {
    return this.options.minBackoffMs ?? USAGE_DEFAULTS.minBackoffMs;
  }

  private load(): UsageEvent[] {
    let text: string;
    try {
      text = readFileSync(this.options.file, 'utf8');
    } catch {
      return [];
    }
    try {
      const file = QueueFileSchema.parse(JSON.parse(text));
      const events = file.events.flatMap((event) => {
        const parsed = UsageEventSchema.safeParse(event);
        return parsed.success ? [parsed.data] : [];
      });
      if (events.length < file.events.length)
        this.options.log?.(
          `Usage events: skipped ${file.events.length - events.length} unreadable events in ${this.options.file}`,
        );
      return events;
    } catch (error) {
      const aside = `${this.options.file}.broken`;
      try {
        renameSync(this.options.file, aside);
      } catch {
        // Read-only folder: start empty in memory; the file stays as it is.
      }
      this.options.log?.(`Usage events: ${this.options.file} is damaged; kept it as ${aside} and started empty`, error);
      return [];
    }
  }

  /** Writes the queue atomically and synced, so an event recorded is never half-written or lost to a crash. */
  private save(): void {
    const file = this.options.file;
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.tmp`;
    writeFileSync(temp, JSON.stringify({ version: 1, events: this.events }));
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  }
}
