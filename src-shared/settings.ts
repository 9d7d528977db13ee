/**
 * Sidekick's settings: one zod schema per section, merged into `SettingsSchema`, with defaults
 * for every field (so an empty or older settings file parses to a complete, valid value).
 *
 * Add a section (e.g. AI, team server) with ONE edit: declare its schema in your feature's shared
 * file (every field with `.default(...)`) and add one line to `SETTINGS_SECTIONS` below. The
 * settings store, the `settings:*` IPC channels and the electron-store schema pick it up.
 */
import { z } from 'zod';
import { AiSettingsSchema } from './ai';
import { TeamSettingsSchema } from './ipc/team';

/** The default global hotkey (Electron accelerator syntax). */
export const DEFAULT_HOTKEY = 'CommandOrControl+Alt+H';

const MODIFIERS = [
  'Command',
  'Cmd',
  'Control',
  'Ctrl',
  'CommandOrControl',
  'CmdOrCtrl',
  'Alt',
  'Option',
  'AltGr',
  'Shift',
  'Super',
  'Meta',
];
const KEYS =
  /^([A-Z0-9]|F([1-9]|1[0-9]|2[0-4])|[)!@#$%^&*(:;+=<,_\->.?/~`{\]}[|\\'"]|Plus|Space|Tab|Capslock|Numlock|Scrolllock|Backspace|Delete|Insert|Return|Enter|Up|Down|Left|Right|Home|End|PageUp|PageDown|Escape|Esc|PrintScreen|num[0-9]|numdec|numadd|numsub|nummult|numdiv)$/i;

/** Whether a string is an Electron accelerator with at least one modifier and exactly one key. */
export function isValidHotkey(accelerator: string): boolean {
  const parts = accelerator.split('+');
  // "Plus" is spelled out, so '+' only separates parts; a trailing '+' means an empty key.
  const key = parts.pop() ?? '';
  if (parts.length === 0 || !KEYS.test(key)) return false;
  return parts.every((part) => MODIFIERS.some((modifier) => modifier.toLowerCase() === part.toLowerCase()));
}

/** The general section: hotkey, OCR language, start at login. */
export const GeneralSettingsSchema = z.object({
  hotkey: z
    .string()
    .refine(isValidHotkey, { message: 'Use modifiers and one key joined by "+", e.g. CommandOrControl+Alt+H' })
    .default(DEFAULT_HOTKEY),
  /** Tesseract language code(s), e.g. "eng" or "eng+deu". */
  ocrLanguage: z
    .string()
    .regex(/^[a-z]{3}(_[a-z]+)?(\+[a-z]{3}(_[a-z]+)?)*$/, 'Use tesseract language codes such as "eng" or "eng+deu"')
    .default('eng'),
  startAtLogin: z.boolean().default(false),
  /** The first-run card was shown (it appears once, at the first start). */
  welcomed: z.boolean().default(false),
});
export type GeneralSettings = z.infer<typeof GeneralSettingsSchema>;

/** Every settings section by key. Add a section here with one line: `ai: AiSettingsSchema,`. */
export const SETTINGS_SECTIONS = {
  general: GeneralSettingsSchema,
  ai: AiSettingsSchema,
  team: TeamSettingsSchema,
};

/** The key of a settings section. */
export type SettingsSectionKey = keyof typeof SETTINGS_SECTIONS;

/** All settings; each missing section or field takes its default. */
export const SettingsSchema = z.object(
  Object.fromEntries(
    Object.entries(SETTINGS_SECTIONS).map(([key, schema]) => [key, (schema as z.ZodObject).prefault({})]),
  ) as {
    [K in SettingsSectionKey]: z.ZodPrefault<(typeof SETTINGS_SECTIONS)[K]>;
  },
);
export type Settings = z.infer<typeof SettingsSchema>;

/** A change to some fields of some sections; unnamed fields keep their value. */
export type SettingsPatch = { [K in SettingsSectionKey]?: Partial<Settings[K]> };

/** Shape check for a patch (section → object); the merged result is then parsed with SettingsSchema. */
export const SettingsPatchSchema = z
  .partialRecord(
    z.enum(Object.keys(SETTINGS_SECTIONS) as [SettingsSectionKey, ...SettingsSectionKey[]]),
    z.record(z.string(), z.unknown()),
  )
  .transform((patch) => patch as SettingsPatch) as unknown as z.ZodType<SettingsPatch>;

/** The settings every new install starts with. */
export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

/** Applies a patch to settings: the typed result, or the problems in words. */
export function applySettingsPatch(
  current: Settings,
  patch: SettingsPatch,
): { ok: true; settings: Settings } | { ok: false; problem: string } {
  const merged: Record<string, unknown> = { ...current };
  for (const [section, values] of Object.entries(patch)) {
    merged[section] = { ...(current as Record<string, object>)[section], ...values };
  }
  const result = SettingsSchema.safeParse(merged);
  if (!result.success) return { ok: false, problem: z.prettifyError(result.error).replace(/\n/g, ' ') };
  return { ok: true, settings: result.data };
}
