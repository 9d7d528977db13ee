/**
 * The help request outbox: a request the person sent while the team server was unreachable is
 * kept as a file on disk and sent when the server is back. Sending is idempotent (each request
 * carries its clientId), so a request that reached the server just before a crash is never doubled.
 * A request the server refuses (4xx) stays on disk marked failed, with the server's reason.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CreateRequestBodySchema, type CreateRequestBody, type HelpRequest } from '../../src-shared/team';
import { TeamApiError, type TeamClient } from './team-client';

/** One kept request. */
export const OutboxEntrySchema = z.object({
  clientId: z.string(),
  body: CreateRequestBodySchema,
  queuedAt: z.string(),
  attempts: z.number().int(),
  state: z.enum(['queued', 'failed']),
  lastError: z.string().nullable(),
});
export type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

/** What a flush did. */
export interface OutboxFlushResult {
  sent: HelpRequest[];
  failed: OutboxEntry[];
  /** Still queued because the server is unreachable. */
  waiting: number;
}

/** The outbox folder. */
export class HelpRequestOutbox {
  private flushing: Promise<OutboxFlushResult> | null = null;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Every kept request, oldest first. Unreadable files are skipped (and left for inspection). */
  list(): OutboxEntry[] {
    const entries: OutboxEntry[] = [];
    for (const name of readdirSync(this.dir)
      .filter((file) => file.endsWith('.request.json'))
      .sort()) {
      try {
        entries.push(OutboxEntrySchema.parse(JSON.parse(readFileSync(join(this.dir, name), 'utf8'))));
      } catch {
        // A half-written or foreign file: keep it on disk, never send it.
      }
    }
    return entries.sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1));
  }

  /** Keeps a request on disk (written atomically and synced) before anything is sent. */
  add(body: CreateRequestBody): OutboxEntry {
    const entry: OutboxEntry = {
      clientId: body.clientId,
      body,
      queuedAt: new Date().toISOString(),
      attempts: 0,
      state: 'queued',
      lastError: null,
    };
    this.write(entry);
    return entry;
  }

  remove(clientId: string): void {
    rmSync(this.file(clientId), { force: true });
  }

  /** Sends queued requests in order; stops at the first "unreachable". One flush at a time. */
  flush(client: TeamClient): Promise<OutboxFlushResult> {
    this.flushing ??= this.flushNow(client).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushNow(client: TeamClient): Promise<OutboxFlushResult> {
    const result: OutboxFlushResult = { sent: [], failed: [], waiting: 0 };
    const queued = this.list().filter((entry) => entry.state === 'queued');
    for (const [index, entry] of queued.entries()) {
      try {
        const { request } = await client.createRequest(entry.body);
        this.remove(entry.clientId);
        result.sent.push(request);
      } catch (error) {
        if (error instanceof TeamApiError && error.retryable) {
          this.write({ ...entry, attempts: entry.attempts + 1, lastError: error.message });
          result.waiting = queued.length - index;
          break;
        }
        const failed: OutboxEntry = {
          ...entry,
          attempts: entry.attempts + 1,
          state: 'failed',
          lastError: error instanceof Error ? error.message : String(error),
        };
        this.write(failed);
        result.failed.push(failed);
      }
    }
    return result;
  }

  private file(clientId: string): string {
    return join(this.dir, `${clientId}.request.json`);
  }

  private write(entry: OutboxEntry): void {
    const target = this.file(entry.clientId);
    const temp = `${target}.tmp`;
    writeFileSync(temp, JSON.stringify(entry, null, 2));
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  }
}
