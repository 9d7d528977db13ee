/**
 * The walkthrough library as the windows and the ask box use it: loaded once and reloaded after every
 * change, searched, suggested for the window in front, and edited (save, delete, export) from the
 * library window. The answer provider the help session asks first lives here too.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AskResult, Highlight } from '../../src-shared/ipc/overlay';
import type { WalkthroughSummary } from '../../src-shared/ipc/walkthroughs';
import type { ScreenText, WindowInfo } from '../../src-shared/screen';
import { formatFieldPath, WalkthroughSchema, type LibraryEntry, type Walkthrough } from '../../src-shared/walkthrough';
import { candidatesOf } from './answer';
import { LearnedQuestions, learnedQuestionsPath } from './learned';
import {
  deleteWalkthrough,
  exportWalkthroughs,
  libraryProblem,
  loadLibrary,
  readWalkthroughImages,
  saveWalkthrough,
  type Library,
} from './library';
import {
  CANDIDATE_CONFIDENCE,
  WalkthroughIndex,
  walkthroughMatchesApp,
} from '../../src-shared/search/walkthrough-search';

/** What a help-session answer provider gets (see src-main/base/feature.ts `AskContext`). */
export interface LibraryAskContext {
  question: string;
  /** The person declined the library's candidates: answer nothing, so the AI or a human gets the question. */
  skipLibrary?: boolean;
  /** Filled in when the library is unsure and shows nothing: its best few, for the AI to choose from first. */
  libraryCandidates?: Walkthrough[];
  window: WindowInfo;
  screen: ScreenText;
  highlight(label: string): Promise<Highlight | null>;
}

/** Where the catalog reads and writes, and whom it tells. */
export interface LibraryCatalogOptions {
  /** The user library folder. */
  userDir: string;
  /** The starter pack (default: resources/walkthroughs; null: none). */
  starterDir?: string | null;
  /** The team's synced walkthroughs (read-only), when the person joined a team. */
  teamDir?: string | null;
  /** Shares a question (redacted) learned for a team walkthrough with the team, for everyone's searches. */
  shareLearned?(id: string, question: string): Promise<{ ok: true } | { ok: false; problem: string }>;
  /** The app and what was read on screen in a help session (for suggestions). */
  sessionScreen?(sessionId: string): Promise<{ app: string; screen: ScreenText } | null>;
  emitLibraryChanged?(): void;
  log?(message: string, error?: unknown): void;
}

/** The library behind the library window, the suggestions and the ask box. */
export class LibraryCatalog {
  private library: Library | null = null;
  private index: WalkthroughIndex | null = null;
  private learned: LearnedQuestions | null = null;
  /** What the team library learned (synced into the team folder; read-only here). */
  private teamLearned: LearnedQuestions | null = null;

  constructor(private readonly options: LibraryCatalogOptions) {}

  /** The user library folder. */
  get userDir(): string {
    return this.options.userDir;
  }

  /** The loaded library (reloaded after every change). */
  load(): Library {
    if (!this.library) {
      const teamDir = this.options.teamDir ?? null;
      const library = loadLibrary({ userDir: this.userDir, teamDir, starterDir: this.options.starterDir });
      this.learned = new LearnedQuestions(learnedQuestionsPath(this.userDir));
      if (this.learned.problem) library.problems.push(this.learned.problem);
      this.teamLearned = teamDir ? new LearnedQuestions(learnedQuestionsPath(teamDir)) : null;
      if (this.teamLearned?.problem) library.problems.push(this.teamLearned.problem);
      this.library = library;
      this.index = null;
      for (const p of library.problems) this.options.log?.(`Walkthrough skipped: ${p.path} ${p.field}: ${p.message}`);
    }
    return this.library;
  }

  /** The search index over the loaded library and the questions it learned. */
  searchIndex(): WalkthroughIndex {
    const library = this.load();
    if (!this.index) {
      const learned = new Map(this.learned?.all());
      for (const [id, questions] of this.teamLearned?.all() ?? []) {
        learned.set(id, [...new Set([...(learned.get(id) ?? []), ...questions])]);
      }
      this.index = new WalkthroughIndex(library.entries, { learned });
    }
    return this.index;
  }

  /** The person asked `question`, then picked walkthrough `id`: keep the question (redacted) for later searches. */
  learn(id: string, question: string): { ok: true; stored: string | null } | { ok: false; problem: string } {
    this.load();
    const learned = this.learned!;
    const entry = this.entry(id);
    if (!entry) return { ok: false, problem: `There is no walkthrough "${id}".` };
    try {
      const stored = learned.add(id, question);
      this.index = null;
      // A team walkthrough learns for the whole team too (this person's copy above works offline).
      if (stored && entry.origin === 'team' && this.options.shareLearned) {
        this.options.shareLearned(id, stored).then(
          (shared) =>
            !shared.ok && this.options.log?.(`Could not share the learned question of ${id}: ${shared.problem}`),
          (error: unknown) => this.options.log?.(`Could not share the learned question of ${id}`, error),
        );
      }
      if (learned.problem) this.options.log?.(`Learned questions: ${learned.problem.path}: ${learned.problem.message}`);
      return { ok: true, stored };
    } catch (error) {
      const why = (error as Error).message;
      return { ok: false, problem: `Could not save the learned question in ${learned.path}: ${why}` };
    }
  }

  /** The questions walkthrough `id` learned from use. */
  learnedQuestions(id: string): string[] {
    this.load();
    return this.learned!.list(id);
  }

  /** Forgets one learned question of walkthrough `id`. */
  forget(id: string, question: string): { ok: true; questions: string[] } | { ok: false; problem: string } {
    this.load();
    const learned = this.learned!;
    try {
      learned.remove(id, question);
      this.index = null;
      return { ok: true, questions: learned.list(id) };
    } catch (error) {
      return { ok: false, problem: `Could not change ${learned.path}: ${(error as Error).message}` };
    }
  }

  /** Reloads from disk on next use (after a change here, or the team library synced) and tells the windows. */
  reload(): void {
    this.library = null;
    this.index = null;
    this.options.emitLibraryChanged?.();
  }

  /** One walkthrough by id. */
  entry(id: string): LibraryEntry | undefined {
    return this.load().entries.find((e) => e.walkthrough.id === id);
  }

  /** The help session's answer provider: the best library walkthrough, with its visible targets highlighted. */
  async answer(context: LibraryAskContext): Promise<AskResult | null> {
    if (context.skipLibrary) return null;
    const { hit, ranked } = this.searchIndex().best(context.question, {
      app: context.window.app,
      screen: context.screen,
    });
    if (!hit) {
      // Not sure: offer the close ones ("Did you mean…") instead of nothing; when nothing is close, say
      // nothing here, and leave the best few for the AI (when on) to choose from before it writes a plan.
      if (!ranked[0] || ranked[0].confidence < CANDIDATE_CONFIDENCE) {
        context.libraryCandidates = ranked.slice(0, 5).map((h) => h.entry.walkthrough);
        return null;
      }
      const candidates = candidatesOf(ranked, 3);
      return { kind: 'candidates', message: 'Not sure which walkthrough you mean. Did you mean…', candidates };
    }
    const w = hit.entry.walkthrough;
    const steps = [];
    for (const [index, step] of w.steps.entries()) {
      const highlight = step.target ? await context.highlight(step.target.text) : null;
      steps.push({
        index,
        instruction: step.instruction,
        target: step.target ? { text: step.target.text, highlight } : null,
      });
    }
    return { kind: 'steps', source: 'library', title: w.title, walkthroughId: w.id, steps };
  }

  /** Suggestions for the app in front before any question. */
  suggest(app: string | null, screen: ScreenText | null, limit = 5): WalkthroughSummary[] {
    return this.searchIndex()
      .suggest({ app, screen }, limit)
      .map((h) => this.summary(h.entry, h.score));
  }

  /** Suggestions for the window of a help session (none when the session is gone). */
  async suggestForSession(sessionId: string): Promise<{ entries: WalkthroughSummary[] }> {
    const read = await this.options.sessionScreen?.(sessionId);
    return { entries: read ? this.suggest(read.app, read.screen) : [] };
  }

  /** The library window's list: everything by app and title, or ranked by `query`; filtered to `app`. */
  list(query?: string, app?: string) {
    const library = this.load();
    const apps = [...new Set(library.entries.map((e) => e.walkthrough.app.name))].sort();
    let entries: WalkthroughSummary[];
    if (query?.trim()) {
      entries = this.searchIndex()
        .search(query, { app: app ?? null }, 50)
        .filter((h) => !app || walkthroughMatchesApp(h.entry.walkthrough, app))
        .map((h) => this.summary(h.entry, h.score));
    } else {
      entries = library.entries
        .filter((e) => !app || walkthroughMatchesApp(e.walkthrough, app))
        .map((e) => this.summary(e, null))
        .sort((a, b) => a.app.localeCompare(b.app) || a.title.localeCompare(b.title));
    }
    return { entries, problems: library.problems, apps, userDir: this.userDir };
  }

  /** One walkthrough, whole, with its step pictures as data URLs. */
  get(id: string) {
    const entry = this.entry(id);
    if (!entry) return { ok: false as const, problem: `There is no walkthrough "${id}".` };
    const images: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(readWalkthroughImages(entry)))
      images[name] = `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;
    return {
      ok: true as const,
      walkthrough: entry.walkthrough,
      readOnly: entry.readOnly,
      origin: entry.origin,
      images,
    };
  }

  /** Saves an edited walkthrough into the user library, keeping the step pictures it still names. */
  save(walkthrough: unknown) {
    const parsed = WalkthroughSchema.safeParse(walkthrough);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false as const, problem: `${formatFieldPath(issue.path) || 'walkthrough'}: ${issue.message}` };
    }
    try {
      const existing = this.entry(parsed.data.id);
      const images = existing ? readWalkthroughImages(existing) : {};
      const steps = parsed.data.steps.map((s) => (s.image && !(s.image in images) ? { ...s, image: undefined } : s));
      saveWalkthrough(this.userDir, { ...parsed.data, steps, updated: new Date().toISOString() }, images);
      this.reload();
      return { ok: true as const, id: parsed.data.id };
    } catch (error) {
      return libraryProblem(error);
    }
  }

  /** Deletes a walkthrough from the user library. */
  remove(id: string) {
    const entry = this.entry(id);
    if (!entry) return { ok: false as const, problem: `There is no walkthrough "${id}".` };
    try {
      deleteWalkthrough(entry, this.userDir);
      this.reload();
      return { ok: true as const };
    } catch (error) {
      return libraryProblem(error);
    }
  }

  /** A bundle (.zip with images) of the given walkthroughs, base64, for the window to download. */
  exportBundle(ids: string[]) {
    const entries = this.load().entries.filter((e) => ids.includes(e.walkthrough.id));
    const dir = mkdtempSync(join(tmpdir(), 'sidekick-export-'));
    try {
      const file = join(dir, 'walkthroughs.zip');
      exportWalkthroughs(entries, file);
      const fileName =
        entries.length === 1 ? `${entries[0]!.walkthrough.id}.zip` : `sidekick-walkthroughs-${entries.length}.zip`;
      return { ok: true as const, fileName, base64: readFileSync(file).toString('base64') };
    } catch (error) {
      return libraryProblem(error);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private summary(e: LibraryEntry, score: number | null): WalkthroughSummary {
    const w = e.walkthrough;
    return {
      id: w.id,
      title: w.title,
      app: w.app.name,
      tags: w.tags,
      steps: w.steps.length,
      origin: e.origin,
      readOnly: e.readOnly,
      score,
    };
  }
}
