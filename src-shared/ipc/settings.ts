/**
 * IPC channels of the settings window: read settings, change them, and learn whether the
 * global hotkey is ours.
 */
import { z } from 'zod';
import { SettingsPatchSchema, SettingsSchema } from '../settings';
import { defineIpcFeature } from './contract';

/** Whether the global hotkey is registered, and if not, why. */
export const HotkeyStatusSchema = z.object({
  hotkey: z.string(),
  registered: z.boolean(),
  /** Shown to the person when not registered, with a next step. */
  problem: z.string().nullable(),
});
export type HotkeyStatus = z.infer<typeof HotkeyStatusSchema>;

/** The settings window's view: settings plus live status. */
export const SettingsViewSchema = z.object({
  settings: SettingsSchema,
  hotkey: HotkeyStatusSchema,
  /** Whether "start at login" can be set on this platform (not on Linux without a desktop file). */
  startAtLoginSupported: z.boolean(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

/** Result of saving settings: the new view, or a problem the form shows beside the fields. */
export const SettingsUpdateResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), view: SettingsViewSchema }),
  z.object({ ok: z.literal(false), problem: z.string() }),
]);
export type SettingsUpdateResult = z.infer<typeof SettingsUpdateResultSchema>;

/** The settings feature's channels. */
export const settingsIpc = defineIpcFeature({
  name: 'settings',
  invoke: {
    'settings:get': { request: z.object({}), response: SettingsViewSchema },
    'settings:update': { request: z.object({ patch: SettingsPatchSchema }), response: SettingsUpdateResultSchema },
  },
  events: {
    'settings:changed': SettingsViewSchema,
  },
});
