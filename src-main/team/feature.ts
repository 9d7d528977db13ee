/**
 * The team ("Ask a human") as a feature of the app core (one line in src-main/app/features.ts): the
 * `team:*` IPC handlers over a TeamService that reads the current help session for the prefilled
 * request. The shell passes the OS secret store for the team token and the tray's notifier in
 * `teamFeature({ secrets, notify })`; elsewhere (browser host, tests) the token goes to a private file.
 */
import { join } from 'node:path';
import type { SidekickFeature } from '../base/feature';
import { sidekickConfigDir } from '../base/paths';
import { defaultSecretStore, type SecretStore } from '../base/secrets';
import { encodePng, type RgbaImage } from '../base/image';
import { redactScreen, redactText } from '../privacy';
import type { RequestContext, UsageObservation } from '../../src-shared/team';
import { teamIpcHandlers } from './index';
import { TeamService, type TeamServiceOptions } from './team-service';

const TOKEN_SECRET = 'team.token';
/** Id of the overlay highlight that shows where the helper pointed. */
export const HELPER_POINTER_ID = 'helper-pointer';
/** Where the team feature keeps its data (outbox, synced team library). */
export function teamDataDir(): string {
  return join(sidekickConfigDir(), 'team');
}

/** Decodes a captured image (raw pixels or an encoded file) to RGBA. */
async function toRgba(image: unknown): Promise<RgbaImage | null> {
  if (!image) return null;
  if (Buffer.isBuffer(image)) {
    const { default: sharp } = await import('sharp');
    const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  }
  const pixels = image as RgbaImage;
  return pixels.width && pixels.height && pixels.data ? pixels : null;
}

/** Options of the team feature; each defaults to the real thing. */
export interface TeamFeatureOptions {
  dataDir?: string;
  /** Where the team token is kept (the shell passes the OS-encrypted store; default: `defaultSecretStore()`). */
  secrets?: SecretStore;
  /** Tells a helper about a new help request (the shell passes a tray notification; default: nothing). */
  notify?: (title: string, body: string) => void;
  /** The team library changed on disk (reload the walkthrough library). */
  onLibraryChanged?: (ids: string[]) => void;
  /** Where the person is in a playing walkthrough, attached to a help request. */
  currentWalkthrough?: () => RequestContext['walkthrough'];
  /** How often a waiting person's place in the queue is refreshed (default 15 s). */
  queuePollMs?: number;
  /** Batching and backoff of the opt-in usage events (tests make them quick). */
  usage?: TeamServiceOptions['usage'];
}

/**
 * The team feature, plus `learn()`: share a question a person asked before picking a team library item, and
 * `recordUsage()`: an opt-in usage event (kept only when the person shares usage with their team).
 */
export type TeamFeature = SidekickFeature & {
  learn(id: string, question: string): Promise<{ ok: true } | { ok: false; problem: string }>;
  recordUsage(observation: UsageObservation): boolean;
};

/** The team feature. */
export function teamFeature(options: TeamFeatureOptions = {}): TeamFeature {
  let team: TeamService | null = null;
  return {
    name: 'team',
    learn: (id, question) => team?.learn(id, question) ?? Promise.resolve({ ok: false, problem: 'not started' }),
    recordUsage: (observation) => team?.recordUsage(observation) ?? false,
    setup(context) {
      const secrets = options.secrets ?? defaultSecretStore();
      // The question the person last typed in the overlay that nothing answered: the ask-a-human form starts with it.
      let unanswered: { sessionId: string; question: string } | null = null;
      const service = new TeamService({
        dataDir: options.dataDir ?? teamDataDir(),
        ...(options.onLibraryChanged ? { onLibraryChanged: options.onLibraryChanged } : {}),
        ...(options.queuePollMs ? { queuePollMs: options.queuePollMs } : {}),
        ...(options.usage ? { usage: options.usage } : {}),
        settings: {
          get: () => context.settings.get().team,
          update: (patch) => {
            const saved = context.settings.update({ team: patch });
            if (!saved.ok) context.log(`Could not save team settings: ${saved.problem}`);
          },
        },
        tokens: {
          get: () => secrets.get(TOKEN_SECRET),
          // The token must be kept to stay in the team; without an OS keyring it is kept in a private file.
          set: (token) => void secrets.set(TOKEN_SECRET, token, true),
          clear: () => secrets.delete(TOKEN_SECRET),
        },
        context: {
          snapshot: async () => {
            const state = context.sessions.current();
            if (!state) return null;
            const read = await context.sessions.context(state.sessionId);
            if (!read) return null;
            return {
              window: read.window,
              screen: read.screen,
              image: await toRgba((read as { image?: unknown }).image),
              walkthrough: options.currentWalkthrough?.() ?? null,
              frame: read.frame,
              ...(unanswered?.sessionId === state.sessionId ? { question: unanswered.question } : {}),
            };
          },
          // The helper's pointer joins the overlay's highlights (until the session's next update).
          showPointer: async (box, label) => {
            const state = context.sessions.current();
            if (!state || state.phase !== 'ready') return;
            const read = await context.sessions.context(state.sessionId);
            if (!read) return;
            const highlight = {
              id: HELPER_POINTER_ID,
              box: { x: box.x - read.frame.x, y: box.y - read.frame.y, w: box.w, h: box.h },
              label,
            };
            const current = context.sessions.current() ?? state;
            context.emit('overlay:state', {
              ...current,
              highlights: [...current.highlights.filter((h) => h.id !== HELPER_POINTER_ID), highlight],
            });
          },
        },
        redaction: {
          redactText: (text) => redactText(text),
          redactScreen: (screen, image) => redactScreen(screen, image),
          encodePng,
        },
        emit: ((event: 'team:state', payload: never) => context.emit(event, payload)) as never,
        notify: (title, body) => options.notify?.(title, body),
        log: context.log,
      });
      service.start();
      team = service;
      return {
        handlers: teamIpcHandlers(service),
        // Listed last, so it runs only when no walkthrough or AI answered: it remembers the question and answers
        // nothing.
        answer: async (ask) => {
          const state = context.sessions.current();
          if (state) unanswered = { sessionId: state.sessionId, question: ask.question };
          return null;
        },
        dispose: () => service.shutdown(),
      };
    },
  };
}
