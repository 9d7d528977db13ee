/**
 * AI answers as a feature of the app core (listed in src-main/app/features.ts): the `ai:*`
 * IPC handlers and the answer provider tried after the walkthrough library. The Electron shell
 * passes the OS-encrypted secret store in `aiFeature({ secrets })`; elsewhere (the browser host,
 * tests) keys go to a file only after the person agreed, as there is no OS store.
 */
import type { SidekickFeature } from '../base/feature';
import type { ImageInput } from '../ocr';
import { userLibraryDir } from '../walkthroughs/library';
import { defaultSecretStore, type SecretStore } from '../base/secrets';
import { AiService } from './service';

/** Options of the AI feature; each defaults to the real thing. */
export interface AiFeatureOptions {
  /** Where the API key is kept (the shell passes the OS-encrypted store; default: `defaultSecretStore()`). */
  secrets?: SecretStore;
}

/** The AI feature. */
export function aiFeature(options: AiFeatureOptions = {}): SidekickFeature {
  return {
    name: 'ai',
    setup(context) {
      const service = new AiService({
        settings: () => context.settings.get().ai,
        secrets: options.secrets ?? defaultSecretStore(),
        emit: (progress) => context.emit('ai:progress', progress),
        snapshot: async (sessionId) => {
          const read = await context.sessions.context(sessionId);
          return read
            ? { window: read.window, screen: read.screen, image: (read as { image?: ImageInput }).image ?? null }
            : null;
        },
        libraryDir: () => userLibraryDir(),
        log: context.log,
      });
      return {
        handlers: service.handlers(),
        answer: (ask) => service.answer({ ...ask, image: (ask as { image?: ImageInput }).image ?? null }),
      };
    },
  };
}
