/**
 * Settings kept by electron-store (a JSON file in the app's userData folder) with a JSON schema
 * derived from the zod schema, and parsed with zod on every read so a hand-edited file can only
 * ever yield valid settings.
 */
import Store from 'electron-store';
import { defaultSettings, SettingsSchema, type Settings } from '../../src-shared/settings';
import { BaseSettingsStore, settingsJsonSchemaProperties } from '../app/settings-store';

/** The settings store of the installed app. */
export class ElectronSettingsStore extends BaseSettingsStore {
  private readonly store: Store<Settings>;

  constructor() {
    super();
    this.store = new Store<Settings>({
      name: 'settings',
      defaults: defaultSettings(),
      schema: settingsJsonSchemaProperties() as never,
      // A corrupt file is replaced by the defaults instead of stopping the app.
      clearInvalidConfig: true,
    });
  }

  get(): Settings {
    const parsed = SettingsSchema.safeParse(this.store.store);
    return parsed.success ? parsed.data : defaultSettings();
  }

  protected save(settings: Settings): void {
    this.store.set(settings);
  }
}
