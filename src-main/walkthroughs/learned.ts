/**
 * Questions the library learned from use: when a person asks something and then picks a walkthrough
 * (from "Did you mean…", the suggestions or the library), that question — redacted first — is kept
 * with the walkthrough in one JSON file beside the person's library, and search treats it like the
 * walkthrough's own questions. A damaged file is reported with its path and skipped (and kept aside,
 * never overwritten), so nothing else is lost.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { LibraryProblem } from '../../src-shared/walkthrough';
import { redactText } from '../privacy';

/** The learned-questions file's format tag. */
export const LEARNED_FORMAT = 'sidekick.learned-questions/1';
/** The file's name, beside the walkthrough folders of the person's library. */
export const LEARNED_FILE_NAME = 'learned-questions.json';
/** Limits: per walkthrough the newest questions are kept; long questions are cut. */
export const LEARNED_LIMITS = { perWalkthrough: 50, questionChars: 200, fileBytes: 4 * 1024 * 1024 } as const;

const LearnedFileSchema = z.object({
  format: z.literal(LEARNED_FORMAT),
  walkthroughs: z.record(
    z.string().max(100),
    z
      .array(z.object({ question: z.string().min(1).max(LEARNED_LIMITS.questionChars), at: z.string().max(40) }))
      .max(500),
  ),
});
type LearnedFile = z.infer<typeof LearnedFileSchema>;

/** Where the learned questions of a library folder live. */
export function learnedQuestionsPath(libraryDir: string): string {
  return join(libraryDir, LEARNED_FILE_NAME);
}

/** A question as it is kept: redacted (emails, numbers, keys…), one line, at most 200 characters. */
export function cleanLearnedQuestion(question: string): string {
  const oneLine = redactText(question).text.replace(/\s+/g, ' ').trim();
  return oneLine.length > LEARNED_LIMITS.questionChars
    ? oneLine.slice(0, LEARNED_LIMITS.questionChars).trimEnd()
    : oneLine;
}

/** The learned questions of one library, read from and written to its file. */
export class LearnedQuestions {
  private data: LearnedFile = { format: LEARNED_FORMAT, walkthroughs: {} };
  private damaged = false;
  /** Why the file could not be read (path, what is wrong), or null. */
  problem: LibraryProblem | null = null;

  constructor(readonly path: string) {
    this.reload();
  }

  /** Reads the file again; a damaged one becomes `problem` and counts as empty. */
  reload(): void {
    this.data = { format: LEARNED_FORMAT, walkthroughs: {} };
    this.problem = null;
    this.damaged = false;
    if (!existsSync(this.path)) return;
    try {
      const text = readFileSync(this.path, 'utf8');
      if (Buffer.byteLength(text) > LEARNED_LIMITS.fileBytes)
        throw new Error(`larger than ${LEARNED_LIMITS.fileBytes / 1024 / 1024} MB`);
      const parsed = LearnedFileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`${issue.path.join('.') || 'the file'}: ${issue.message}`);
      }
      this.data = parsed.data;
    } catch (error) {
      this.damaged = true;
      this.problem = {
        path: this.path,
        field: '',
        message:
          `learned questions could not be read and were skipped ` +
          `(${(error as Error).message}); the file is kept as it is`,
      };
    }
  }

  /** Walkthrough id → its learned questions, for the search index. */
  all(): Map<string, string[]> {
    return new Map(Object.entries(this.data.walkthroughs).map(([id, list]) => [id, list.map((q) => q.question)]));
  }

  /** The learned questions of one walkthrough, oldest first. */
  list(id: string): string[] {
    return (this.data.walkthroughs[id] ?? []).map((q) => q.question);
  }

  /**
   * Keeps `question` (redacted) with walkthrough `id`; returns what was stored, or null when there was nothing to keep.
   */
  add(id: string, question: string, now = new Date()): string | null {
    const clean = cleanLearnedQuestion(question);
    if (!clean) return null;
    const list = (this.data.walkthroughs[id] ?? []).filter((q) => q.question.toLowerCase() !== clean.toLowerCase());
    list.push({ question: clean, at: now.toISOString() });
    this.data.walkthroughs[id] = list.slice(-LEARNED_LIMITS.perWalkthrough);
    this.write();
    return clean;
  }

  /** Forgets one learned question of walkthrough `id`; true when it was there. */
  remove(id: string, question: string): boolean {
    const list = this.data.walkthroughs[id];
    if (!list) return false;
    const kept = list.filter((q) => q.question !== question);
    if (kept.length === list.length) return false;
    if (kept.length) this.data.walkthroughs[id] = kept;
    else delete this.data.walkthroughs[id];
    this.write();
    return true;
  }

  private write(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    if (this.damaged && existsSync(this.path)) {
      // Never overwrite what could not be read: keep it beside, for a person to look at.
      const aside = `${this.path}.damaged-${Date.now()}`;
      renameSync(this.path, aside);
      this.problem = {
        path: this.path,
        field: '',
        message: `learned questions could not be read; the damaged file was kept as ${aside}`,
      };
      this.damaged = false;
    }
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n');
    renameSync(tmp, this.path);
  }
}
