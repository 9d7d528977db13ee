/**
 * The team library on this computer: a folder of the team's walkthroughs (`<id>.walkthrough.json`,
 * loadable by the walkthrough library) and tips (`<id>.tip.json`), kept in sync with the team server.
 * Pull on start and on every change notification; push on save with the version that was edited.
 * When someone else saved first (409), their version is kept under the id and ours is saved under
 * a new `<id>-conflict-…` id on the server and on disk: neither side is lost. When a member may not
 * change the item (403: only helpers, admins and its author may), the edit is saved as the member's
 * own `<id>-proposal-…` item for a helper to merge.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type LibraryDoc, LibraryDocSchema, type LibraryItem, LibraryItemSchema } from '../../src-shared/team';
import { LEARNED_FILE_NAME, LEARNED_FORMAT } from '../walkthroughs/learned';
import { TeamApiError, type TeamClient } from './team-client';

/** Where the team's walkthroughs and tips are synced to under the team data folder (the library loads it). */
export function teamLibraryDir(dataDir: string): string {
  return join(dataDir, 'team-library');
}

const SyncStateSchema = z.object({ seq: z.number().int(), versions: z.record(z.string(), z.number().int()) });
type SyncState = z.infer<typeof SyncStateSchema>;

/** The item was deleted from the team library (the server holds only its tombstone). */
export class TeamLibraryGoneError extends Error {
  constructor(readonly id: string) {
    super(`“${id}” was deleted from your team's library`);
  }
}

/** Result of saving a document to the team library. */
export type TeamSaveResult =
  | { ok: true; item: LibraryItem }
  | { ok: false; conflict: true; current: LibraryItem; savedAs: LibraryItem; message: string }
  | { ok: false; conflict: false; savedAs: LibraryItem; message: string };

/** The synced folder. */
export class TeamLibrarySync {
  private state: SyncState;
  private pulling: Promise<string[]> | null = null;

  constructor(
    readonly dir: string,
    private readonly client: () => TeamClient | null,
  ) {
    mkdirSync(dir, { recursive: true });
    this.state = this.readState();
  }

  /** The team sequence number this folder is current to. */
  get seq(): number {
    return this.state.seq;
  }

  /** The version of an item this folder holds (0 when none). */
  version(id: string): number {
    return this.state.versions[id] ?? 0;
  }

  /** Every document in the folder. */
  documents(): LibraryDoc[] {
    const docs: LibraryDoc[] = [];
    for (const name of readdirSync(this.dir).filter((file) => file.endsWith('.json') && !file.startsWith('.'))) {
      try {
        docs.push(LibraryDocSchema.parse(JSON.parse(readFileSync(join(this.dir, name), 'utf8'))));
      } catch {
        // Not a library document (or half-written by hand): ignored here, reported by the library loader.
      }
    }
    return docs;
  }

  /** Forgets the sync position and versions (the server was restored from a backup); the next pull takes everything. */
  resetPosition(): void {
    this.state = { seq: 0, versions: {} };
    this.saveState();
  }

  /** Fetches changes since the last pull and applies them; resolves to the changed ids. */
  pull(): Promise<string[]> {
    this.pulling ??= this.pullNow().finally(() => {
      this.pulling = null;
    });
    return this.pulling;
  }

  /** Applies one item from a change notification (or a pull). Older versions are ignored. */
  apply(item: LibraryItem): boolean {
    if (item.version <= this.version(item.id)) return false;
    for (const suffix of ['.walkthrough.json', '.tip.json'])
      rmSync(join(this.dir, `${item.id}${suffix}`), { force: true });
    if (!item.deleted && item.doc)
      writeAtomically(join(this.dir, fileName(item)), JSON.stringify(item.doc, null, 2) + '\n');
    this.state.versions[item.id] = item.version;
    this.state.seq = Math.max(this.state.seq, item.seq);
    this.saveState();
    return true;
  }

  /** True when the folder holds item `id` (a walkthrough or tip file). */
  has(id: string): boolean {
    return ['.walkthrough.json', '.tip.json'].some((suffix) => existsSync(join(this.dir, `${id}${suffix}`)));
  }

  /**
   * Makes sure item `id` is in the folder, fetching it from the server when it is not (a helper sent it into the
   * chat before it synced). Resolves to whether it was fetched; rejects with what went wrong.
   */
  async ensure(id: string): Promise<{ item: LibraryItem | null; fetched: boolean }> {
    if (this.has(id)) return { item: null, fetched: false };
    const { item } = await this.requireClient().libraryItem(id);
    if (item.deleted || !item.doc) throw new TeamLibraryGoneError(id);
    // Written even when the folder thinks it has this version (its file was removed behind its back).
    writeAtomically(join(this.dir, fileName(item)), JSON.stringify(item.doc, null, 2) + '\n');
    this.state.versions[item.id] = Math.max(item.version, this.version(item.id));
    this.saveState();
    return { item, fetched: true };
  }

  /** Saves a document to the team (push on save). */
  async save(doc: LibraryDoc): Promise<TeamSaveResult> {
    const client = this.requireClient();
    try {
      const { item } = await client.saveLibrary(doc.id, this.version(doc.id), doc);
      this.apply(item);
      return { ok: true, item };
    } catch (error) {
      if (error instanceof TeamApiError && error.code === 'forbidden') {
        const proposalId = `${doc.id.slice(0, 70)}-proposal-${new Date()
          .toISOString()
          .replace(/[^0-9]/g, '')
          .slice(0, 14)}`;
        const { item: savedAs } = await client.saveLibrary(proposalId, 0, { ...doc, id: proposalId });
        this.apply(savedAs);
        const message =
          `Only helpers and admins can change “${doc.id}”. ` +
          `Your version was saved as “${proposalId}” for a helper to merge.`;
        return { ok: false, conflict: false, savedAs, message };
      }
      if (!(error instanceof TeamApiError) || error.code !== 'version_conflict') throw error;
      const current = LibraryItemSchema.parse((error.body as { current: unknown }).current);
      this.apply(current);
      const conflictId = `${doc.id.slice(0, 70)}-conflict-${new Date()
        .toISOString()
        .replace(/[^0-9]/g, '')
        .slice(0, 14)}`;
      const { item: savedAs } = await client.saveLibrary(conflictId, 0, { ...doc, id: conflictId });
      this.apply(savedAs);
      return {
        ok: false,
        conflict: true,
        current,
        savedAs,
        message:
          `${current.updatedBy.name} changed “${doc.id}” first. Their version is kept; ` +
          `yours was saved as “${conflictId}” so you can merge them.`,
      };
    }
  }

  /**
   * Shares a question a person asked before picking team item `id` (already redacted): the server keeps it
   * for everyone's searches, and this folder's copy of the team's learned questions is updated at once.
   */
  async learn(id: string, question: string): Promise<void> {
    const { questions } = await this.requireClient().learnQuestion(id, question);
    this.writeLearned({ ...this.readLearned(), [id]: questions });
  }

  private async pullNow(): Promise<string[]> {
    const client = this.requireClient();
    const { items, seq } = await client.library(this.state.seq);
    const changed = items.filter((item) => this.apply(item)).map((item) => item.id);
    this.state.seq = Math.max(this.state.seq, seq);
    this.saveState();
    // The team's learned questions are small (≤ 50 per item): take them whole on every pull.
    const previous = this.readLearned();
    let learned: Record<string, string[]>;
    try {
      learned = (await client.learnedQuestions()).items;
    } catch (error) {
      // A server from before learned questions: the library itself is synced all the same.
      if (error instanceof TeamApiError && error.status === 404) return changed;
      throw error;
    }
    const learnedChanged = [...new Set([...Object.keys(previous), ...Object.keys(learned)])].filter(
      (id) => JSON.stringify(previous[id] ?? []) !== JSON.stringify(learned[id] ?? []),
    );
    if (learnedChanged.length) this.writeLearned(learned);
    return [...new Set([...changed, ...learnedChanged])];
  }

  /** The team's learned questions as last synced (in the walkthrough library's learned-questions format). */
  private readLearned(): Record<string, string[]> {
    try {
      const file = JSON.parse(readFileSync(join(this.dir, LEARNED_FILE_NAME), 'utf8')) as {
        walkthroughs?: Record<string, Array<{ question: string }>>;
      };
      return Object.fromEntries(
        Object.entries(file.walkthroughs ?? {}).map(([id, list]) => [id, list.map((entry) => entry.question)]),
      );
    } catch {
      return {};
    }
  }

  private writeLearned(items: Record<string, string[]>): void {
    const walkthroughs = Object.fromEntries(
      Object.entries(items).map(([id, list]) => [id, list.map((question) => ({ question, at: '' }))]),
    );
    writeAtomically(join(this.dir, LEARNED_FILE_NAME), JSON.stringify({ format: LEARNED_FORMAT, walkthroughs }) + '\n');
  }

  private requireClient(): TeamClient {
    const client = this.client();
    if (!client) throw new TeamApiError(401, 'not_joined', 'Join a team first (Settings → Team).');
    return client;
  }

  private readState(): SyncState {
    try {
      return SyncStateSchema.parse(JSON.parse(readFileSync(join(this.dir, '.team-sync.json'), 'utf8')));
    } catch {
      return { seq: 0, versions: {} };
    }
  }

  private saveState(): void {
    writeAtomically(join(this.dir, '.team-sync.json'), JSON.stringify(this.state));
  }
}

function fileName(item: LibraryItem): string {
  return `${item.id}${item.kind === 'walkthrough' ? '.walkthrough.json' : '.tip.json'}`;
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}
