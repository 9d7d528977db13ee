/**
 * Secrets (the AI API key, the team token), kept out of the settings file: encrypted by the OS
 * secure store (Electron safeStorage in the app, see src-main/shell/secrets.ts) in their own file.
 * Where the OS has no secure store, nothing is stored unless the person agreed after being told.
 * The shell hands its store to the features' setup (src-main/app/features.ts); elsewhere (the
 * browser host, tests) `defaultSecretStore()` keeps them in a private file without OS encryption.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { KeyStorage } from '../../src-shared/ipc/ai';
import { sidekickConfigDir } from './paths';

/** The OS encryption the store uses (Electron safeStorage in the app). */
export interface SecretEncryption {
  /** Whether strings can be encrypted at all. */
  available(): boolean;
  /** Whether the encryption is backed by a real OS secret store (not a fixed key). */
  secure(): boolean;
  /** The store's name, e.g. "keychain", "dpapi", "gnome_libsecret", "basic_text". */
  backend(): string;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

/** Result of storing a secret. */
export type StoreSecretResult = { ok: true } | { ok: false; needsConsent: true; message: string };

const SecretFileSchema = z.record(z.string(), z.object({ encoding: z.enum(['os', 'plain']), value: z.string() }));

/** Named secrets in one file (mode 0600), encrypted by the OS where it can. */
export class SecretStore {
  constructor(
    private readonly file: string,
    private readonly encryption: SecretEncryption | null,
  ) {}

  /** How secrets are kept here, said in words when it is not secure. */
  storage(name: string): KeyStorage {
    const secure = Boolean(this.encryption?.available() && this.encryption.secure());
    const backend = this.encryption?.available() ? this.encryption.backend() : 'none';
    return {
      secure,
      backend,
      warning: secure
        ? null
        : `This computer has no secure password store available to Sidekick ` +
          `(${backend === 'none' ? 'none found' : backend}). The key would be kept in a file only your user account ` +
          `can read, but not encrypted by the system. Install/unlock a keyring (e.g. GNOME Keyring or KWallet) to ` +
          `keep it encrypted.`,
      hasKey: this.get(name) !== null,
    };
  }

  /** The secret, or null when none is stored (or it can no longer be decrypted). */
  get(name: string): string | null {
    const entry = this.read()[name];
    if (!entry) return null;
    if (entry.encoding === 'plain') return Buffer.from(entry.value, 'base64').toString('utf8');
    try {
      return this.encryption?.available() ? this.encryption.decrypt(Buffer.from(entry.value, 'base64')) : null;
    } catch {
      return null; // e.g. the OS keyring was reset: the person enters the key again
    }
  }

  /** Stores a secret; without a secure store only when `allowInsecure` (the person agreed). */
  set(name: string, value: string, allowInsecure = false): StoreSecretResult {
    const storage = this.storage(name);
    if (!storage.secure && !allowInsecure) return { ok: false, needsConsent: true, message: storage.warning ?? '' };
    const entries = this.read();
    entries[name] = storage.secure
      ? { encoding: 'os', value: this.encryption!.encrypt(value).toString('base64') }
      : this.encryption?.available()
        ? { encoding: 'os', value: this.encryption.encrypt(value).toString('base64') }
        : { encoding: 'plain', value: Buffer.from(value, 'utf8').toString('base64') };
    this.write(entries);
    return { ok: true };
  }

  /** Removes a secret. */
  delete(name: string): void {
    const entries = this.read();
    if (!(name in entries)) return;
    delete entries[name];
    this.write(entries);
  }

  private read(): z.infer<typeof SecretFileSchema> {
    if (!existsSync(this.file)) return {};
    try {
      const parsed = SecretFileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  private write(entries: z.infer<typeof SecretFileSchema>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(entries), { mode: 0o600 });
    renameSync(temp, this.file);
    chmodSync(this.file, 0o600);
    if (Object.keys(entries).length === 0) rmSync(this.file, { force: true });
  }
}

/** The secret store where there is no OS store (browser host, tests): `secrets.json` in the config folder. */
export function defaultSecretStore(): SecretStore {
  return new SecretStore(join(sidekickConfigDir(), 'secrets.json'), null);
}
