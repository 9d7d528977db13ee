/**
 * Where settings live. The shell keeps them in electron-store (src-main/shell/settings-store.ts);
 * the browser host and tests use the JSON file store here. Both parse with `SettingsSchema`, so a
 * hand-edited or older file loads with defaults for what is missing and never half-way.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { SettingsStore } from '../base/feature';
import {
  applySettingsPatch,
  defaultSettings,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../src-shared/settings';

/** The settings as JSON Schema properties, for electron-store's `schema` option (conf validates with Ajv 2020). */
export function settingsJsonSchemaProperties(): Record<string, unknown> {
  const json = z.toJSONSchema(SettingsSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return json.properties ?? {};
}

/** Shared listener plumbing for stores. */
export abstract class BaseSettingsStore implements SettingsStore {
  private readonly listeners = new Set<(settings: Settings) => void>();

  abstract get(): Settings;
  protected abstract save(settings: Settings): void;

  update(patch: SettingsPatch): { ok: true; settings: Settings } | { ok: false; problem: string } {
    const result = applySettingsPatch(this.get(), patch);
    if (!result.ok) return result;
    this.save(result.settings);
    for (const listener of this.listeners) listener(result.settings);
    return result;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Settings in one JSON file; a malformed file is set aside (`.broken`) and defaults are used, with a note. */
export class JsonFileSettingsStore extends BaseSettingsStore {
  private settings: Settings;
  /** Set when the file on disk could not be used. */
  readonly loadProblem: string | null;

  constructor(private readonly path: string) {
    super();
    const loaded = loadSettingsFile(path);
    this.settings = loaded.settings;
    this.loadProblem = loaded.problem;
  }

  get(): Settings {
    return this.settings;
  }

  protected save(settings: Settings): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(settings, null, 2) + '\n');
    renameSync(temporary, this.path);
    this.settings = settings;
  }
}

function loadSettingsFile(path: string): { settings: Settings; problem: string | null } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { settings: defaultSettings(), problem: null };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return setAside(path, `${path} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = SettingsSchema.safeParse(json);
  if (!parsed.success)
    return setAside(
      path,
      `${path} has invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return { settings: parsed.data, problem: null };
}

function setAside(path: string, problem: string): { settings: Settings; problem: string } {
  try {
    renameSync(path, `${path}.broken`);
  } catch {
    // Read-only folder: keep the file; defaults are used in memory.
  }
  return { settings: defaultSettings(), problem: `${problem}. It was kept as ${path}.broken and defaults are in use.` };
}
