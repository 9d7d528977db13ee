/**
 * The OS secure store for secrets (the AI API key), through Electron safeStorage: Keychain on
 * macOS, DPAPI on Windows, libsecret/KWallet on Linux. On Linux without a keyring, safeStorage
 * falls back to "basic_text" (a fixed key), which we treat as not secure, so the person is told
 * and asked before a key is stored.
 */
import { app, safeStorage } from 'electron';
import { join } from 'node:path';
import { SecretStore, type SecretEncryption } from '../base/secrets';

/** safeStorage as the core's SecretEncryption. */
export function safeStorageEncryption(): SecretEncryption {
  const backend = (): string =>
    process.platform === 'linux'
      ? safeStorage.getSelectedStorageBackend()
      : process.platform === 'darwin'
        ? 'keychain'
        : 'dpapi';
  return {
    available: () => safeStorage.isEncryptionAvailable(),
    // Linux "basic_text" encrypts with a hard-coded password: not a secure store.
    secure: () => safeStorage.isEncryptionAvailable() && !['basic_text', 'unknown'].includes(backend()),
    backend,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  };
}

/** The app's secret store: `secrets.json` in userData, never the settings file. Call after `app` is ready. */
export function createAppSecretStore(): SecretStore {
  return new SecretStore(join(app.getPath('userData'), 'secrets.json'), safeStorageEncryption());
}
