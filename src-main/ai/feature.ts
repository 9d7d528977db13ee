/**
 * AI assist as a feature of the app core (listed in src-main/app/features.ts): the `assist:*`
 * IPC handlers and the answer provider tried after the library. The Electron shell hands in the
 * OS-encrypted secret store with `useAssistSecretStore(createAppSecretStore())`; elsewhere (the
 * browser host, tests) keys go to a file only after the person agreed, as there is no OS store.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SidekickFeature } from '../app/core';
import type { ImageInput } from '../ocr';
import { userLibraryDir } from '../walkthroughs/library';
import { SecretStore } from './secrets';
import { AiService } from './service';

let secretStore: SecretStore | null = null;

/** Sets the secret store the AI feature keeps its API key in (the shell passes the safeStorage one). */
export function useAssistSecretStore(store: SecretStore): void {
  secretStore = store;
}

function defaultSecretStore(): SecretStore {
  const config = process.env.XDG_CONFIG_HOME || join(process.env.HOME || homedir(), '.config');
  return new SecretStore(join(config, 'sidekick', 'secrets.json'), null);
}

/** The AI assist feature. */
export function aiFeature(): SidekickFeature {
  return {
    name: 'ai',
    setup(context) {
      const service = new AiService({
        settings: () => context.settings.get().ai,
        secrets: secretStore ?? defaultSecretStore(),
        emit: (progress) => context.emit('ai:progress', progress),
        snapshot: async (sessionId) => {
          const read = await context.sessions.context(sessionId);
          return read ? { window: read.window, screen: read.screen, image: (read as { image?: ImageInput }).image ?? null } : null;
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
