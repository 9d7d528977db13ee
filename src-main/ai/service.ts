/**
 * AI assist inside the app: an answer provider for help sessions that streams grounded steps to
 * the overlay, the conversation per help session (follow-up questions), the "what will be sent"
 * preview, Settings helpers (test connection, detect Ollama, API key in the secure store) and
 * "Save as walkthrough". Plain Node: the shell passes in settings, secrets and the event sender.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_BASE_URLS,
  type AiSettings,
  type AiStep,
  type ConnectionCheck,
  type SendPreview,
} from '../../src-shared/ai';
import type { AiProgress, AiStatus, KeyStorage } from '../../src-shared/ipc/ai';
import type { AnswerStep, AskResult, Highlight } from '../../src-shared/ipc/overlay';
import type { ScreenText, WindowInfo } from '../../src-shared/screen';
import type { Walkthrough } from '../../src-shared/walkthrough';
import type { InvokeChannel, IpcHandlers } from '../../src-shared/ipc';
import { decodeImage, type ImageInput } from '../ocr';
import { saveWalkthrough } from '../walkthroughs/library';
import { AiConversation, type AskInput } from './assistant';
import { endpointFromSettings, type AiEndpoint, type EndpointResult } from './endpoint';
import { detectOllama, testConnection } from './connection';
import type { SecretStore } from '../base/secrets';
import { answerToWalkthrough, quotedLabel } from './walkthrough';
import { pickFromLibrary } from './library-pick';

/** The name the AI API key is stored under in the secret store. */
export const AI_API_KEY_SECRET = 'ai.apiKey';

/** What a help session offers the AI: the question, the read window, and how to highlight a label. */
export interface AiAskContext {
  sessionId: string;
  question: string;
  /** The library's best (unsure) candidates for the app on screen: the model chooses among them first. */
  libraryCandidates?: readonly Walkthrough[];
  window: WindowInfo;
  screen: ScreenText;
  image?: ImageInput | null;
  highlight(label: string): Promise<Highlight | null>;
}

/** A help session's window, for previews. */
export interface AiSnapshot {
  window: WindowInfo;
  screen: ScreenText;
  image?: ImageInput | null;
}

/** What the service needs from the app. */
export interface AiServiceOptions {
  settings(): AiSettings;
  secrets: SecretStore;
  emit(progress: AiProgress): void;
  /** The read window of a session, or null when the session is gone. */
  snapshot(sessionId: string): Promise<AiSnapshot | null>;
  /** Where "Save as walkthrough" writes (the person's library folder). */
  libraryDir(): string;
  log?(message: string, error?: unknown): void;
}

interface SavedAnswer {
  question: string;
  app: string;
  steps: AiStep[];
}

type AiChannel = Extract<InvokeChannel, `ai:${string}`>;

/** AI assist for the desktop app. */
export class AiService {
  private readonly conversations = new Map<string, { key: string; conversation: AiConversation }>();
  private readonly answers = new Map<string, SavedAnswer>();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly options: AiServiceOptions) {}

  /** The endpoint from Settings and the stored key, or why AI is off. */
  endpoint(): EndpointResult {
    return endpointFromSettings(this.options.settings(), this.options.secrets.get(AI_API_KEY_SECRET));
  }

  /** Whether AI answers are on, for the overlay and Settings. */
  status(): AiStatus {
    const result = this.endpoint();
    return {
      enabled: result.ok,
      reason: result.ok ? null : result.reason,
      endpoint: result.ok
        ? { baseUrl: result.endpoint.baseUrl, model: result.endpoint.model, sendImage: result.endpoint.sendImage }
        : null,
      keyStorage: this.keyStorage(),
    };
  }

  /** How the key is kept. */
  keyStorage(): KeyStorage {
    return this.options.secrets.storage(AI_API_KEY_SECRET);
  }

  /**
   * The help-session answer provider: null when AI is off (so the person is offered a human);
   * otherwise streams `ai:progress` events and resolves to the steps (or a problem).
   */
  async answer(context: AiAskContext): Promise<AskResult | null> {
    const configured = this.endpoint();
    if (!configured.ok) return null;
    const conversation = this.conversationFor(context.sessionId, configured.endpoint);
    const requestId = randomUUID();
    const { sessionId } = context;
    const abort = new AbortController();
    this.running.set(requestId, abort);
    const emit = (progress: AiProgress) => {
      try {
        this.options.emit(progress);
      } catch (error) {
        this.options.log?.('Could not send AI progress to the overlay', error);
      }
    };
    const toAnswerStep = async (step: AiStep): Promise<AnswerStep> => {
      const text = step.target?.text ?? quotedLabel(step.instruction);
      return {
        index: step.index,
        instruction: step.instruction,
        target: text ? { text, highlight: step.target ? await context.highlight(step.target.text) : null } : null,
      };
    };
    try {
      if (context.libraryCandidates?.length) {
        // The library first: a walkthrough someone wrote beats a generated plan.
        const request = { question: context.question, app: context.window.app, candidates: context.libraryCandidates };
        const pick = await pickFromLibrary(configured.endpoint, request, abort.signal);
        const chosen = pick.ok ? context.libraryCandidates.find((w) => w.id === pick.id) : undefined;
        if (chosen) {
          const steps: AnswerStep[] = [];
          for (const [index, step] of chosen.steps.entries()) {
            const highlight = step.target ? await context.highlight(step.target.text) : null;
            const target = step.target ? { text: step.target.text, highlight } : null;
            steps.push({ index, instruction: step.instruction, target });
          }
          return { kind: 'steps', source: 'library', title: chosen.title, walkthroughId: chosen.id, steps };
        }
        if (!pick.ok) this.options.log?.(`AI library pick failed: ${pick.failure.message}`);
      }
      const input: AskInput = {
        question: context.question,
        app: context.window.app,
        title: context.window.title,
        screen: context.screen,
        image: configured.endpoint.sendImage && context.image ? await decodeImage(context.image) : null,
      };
      const prepared = await conversation.prepare(input);
      emit({ type: 'sending', sessionId, requestId, preview: prepared.preview });
      // Events arrive synchronously; highlights are async, so they are sent in order through a queue.
      let queue = Promise.resolve();
      const result = await conversation.ask(prepared, {
        requestId,
        signal: abort.signal,
        onEvent: (event) => {
          queue = queue.then(async () => {
            if (event.type === 'step')
              emit({ type: 'step', sessionId, requestId, step: await toAnswerStep(event.step) });
            else if (event.type === 'restart') emit({ type: 'restart', sessionId, requestId, reason: event.reason });
            else if (event.type === 'done') emit({ type: 'done', sessionId, requestId, answer: event.answer });
            else emit({ type: 'failed', sessionId, requestId, failure: event.failure });
          });
        },
      });
      await queue;
      if (!result.ok) {
        return {
          kind: 'problem',
          problem: {
            message: result.failure.message,
            nextStep:
              result.failure.code === 'cancelled'
                ? 'Ask again when you are ready.'
                : 'Try again, check Settings → AI, or ask a human.',
          },
        };
      }
      this.answers.set(requestId, { question: input.question, app: input.app, steps: result.answer.steps });
      if (this.answers.size > 20) this.answers.delete(this.answers.keys().next().value!);
      const steps: AnswerStep[] = [];
      for (const step of result.answer.steps) steps.push(await toAnswerStep(step));
      // The highlight shown is the first step's target (each lookup replaces the session's highlights).
      const first = result.answer.steps.find((s) => s.target)?.target;
      if (first) await context.highlight(first.text);
      return { kind: 'steps', source: 'ai', title: context.question, walkthroughId: null, steps };
    } finally {
      this.running.delete(requestId);
    }
  }

  /** Exactly what asking `question` about the session's window would send. */
  async preview(
    sessionId: string,
    question: string,
  ): Promise<{ ok: true; preview: SendPreview } | { ok: false; problem: string }> {
    const configured = this.endpoint();
    if (!configured.ok) return { ok: false, problem: configured.reason };
    const snapshot = await this.options.snapshot(sessionId);
    if (!snapshot)
      return {
        ok: false,
        problem: 'This help session has ended. Press the hotkey again over the window you need help with.',
      };
    const conversation = this.conversationFor(sessionId, configured.endpoint);
    const image = configured.endpoint.sendImage && snapshot.image ? await decodeImage(snapshot.image) : null;
    const prepared = await conversation.prepare({
      question,
      app: snapshot.window.app,
      title: snapshot.window.title,
      screen: snapshot.screen,
      image,
    });
    return { ok: true, preview: prepared.preview };
  }

  /** "Test connection" with what the form holds (a typed key, else the stored one). */
  testConnection(draft: {
    provider: AiSettings['provider'];
    baseUrl: string;
    model: string;
    apiKey?: string;
  }): Promise<ConnectionCheck> {
    const settings = this.options.settings();
    const endpoint: AiEndpoint = {
      provider: draft.provider,
      baseUrl: draft.baseUrl || DEFAULT_BASE_URLS[draft.provider],
      apiKey: draft.apiKey ?? this.options.secrets.get(AI_API_KEY_SECRET) ?? '',
      model: draft.model,
      sendImage: false,
      stream: true,
      timeoutMs: settings.timeoutMs,
      idleTimeoutMs: settings.idleTimeoutMs,
      maxRetries: 0,
      customPatterns: [],
    };
    return testConnection(endpoint);
  }

  /** A finished AI answer as a walkthrough document. */
  asWalkthrough(requestId: string): { ok: true; walkthrough: Walkthrough } | { ok: false; problem: string } {
    const saved = this.answers.get(requestId);
    if (!saved) return { ok: false, problem: 'That answer is no longer available. Ask again, then save it.' };
    return {
      ok: true,
      walkthrough: answerToWalkthrough({ question: saved.question, app: saved.app, steps: saved.steps }),
    };
  }

  /** Saves a finished AI answer as a walkthrough in the person's library. */
  saveWalkthrough(
    requestId: string,
    title?: string,
  ): { ok: true; id: string; path: string } | { ok: false; problem: string } {
    const saved = this.answers.get(requestId);
    if (!saved) return { ok: false, problem: 'That answer is no longer available. Ask again, then save it.' };
    try {
      const walkthrough = answerToWalkthrough({ question: saved.question, app: saved.app, steps: saved.steps });
      if (title) walkthrough.title = title;
      const path = saveWalkthrough(this.options.libraryDir(), walkthrough);
      return { ok: true, id: walkthrough.id, path };
    } catch (error) {
      this.options.log?.('Could not save the AI answer as a walkthrough', error);
      return { ok: false, problem: `The walkthrough could not be saved: ${(error as Error).message}` };
    }
  }

  /** The IPC handlers of the `ai:*` channels. */
  handlers(): IpcHandlers<AiChannel, unknown> {
    return {
      'ai:status': () => this.status(),
      'ai:preview': ({ sessionId, question }) => this.preview(sessionId, question),
      'ai:test-connection': (draft) => this.testConnection(draft),
      'ai:detect-ollama': () => detectOllama(),
      'ai:set-api-key': ({ apiKey, allowInsecure }) => {
        const stored = this.options.secrets.set(AI_API_KEY_SECRET, apiKey, allowInsecure);
        this.conversations.clear();
        return stored.ok ? { ok: true, keyStorage: this.keyStorage() } : stored;
      },
      'ai:clear-api-key': () => {
        this.options.secrets.delete(AI_API_KEY_SECRET);
        this.conversations.clear();
        return this.keyStorage();
      },
      'ai:cancel': ({ requestId }) => {
        this.running.get(requestId)?.abort();
        return {};
      },
      'ai:new-topic': ({ sessionId }) => {
        this.conversations.delete(sessionId);
        return {};
      },
      'ai:as-walkthrough': ({ requestId }) => this.asWalkthrough(requestId),
      'ai:save-walkthrough': ({ requestId, title }) => this.saveWalkthrough(requestId, title),
    };
  }

  private conversationFor(sessionId: string, endpoint: AiEndpoint): AiConversation {
    const key = JSON.stringify(endpoint);
    const existing = this.conversations.get(sessionId);
    if (existing && existing.key === key) return existing.conversation;
    const conversation = new AiConversation(endpoint);
    this.conversations.set(sessionId, { key, conversation });
    // One help session at a time: keep the map small.
    for (const id of this.conversations.keys())
      if (this.conversations.size > 4 && id !== sessionId) this.conversations.delete(id);
    return conversation;
  }
}
