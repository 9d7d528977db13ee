/**
 * The app core the Electron shell and the browser host share: one help session manager, the
 * settings store, and the IPC handlers for the overlay and settings channels, typed by the
 * contract in src-shared/ipc.ts. Windows, the hotkey and start-at-login are collaborators, so
 * the same handlers run inside Electron and behind the browser host's WebSocket.
 */
import type { HelpState } from '../../src-shared/ipc/overlay';
import type { HotkeyStatus, SettingsView } from '../../src-shared/ipc/settings';
import type { EventChannel, EventPayload } from '../../src-shared/ipc';
import type { Settings } from '../../src-shared/settings';
import type {
  AnswerProvider,
  FeatureContext,
  IpcCaller,
  SettingsStore,
  SidekickFeature,
  WindowControl,
} from '../base/feature';
import { HelpSessions, type HelpSessionCollaborators } from './help-session';
import { IpcDispatcher, checkEventPayload } from '../base/ipc-dispatch';

/** The global hotkey and login item, as the core drives them. */
export interface SystemIntegration {
  /** Registers `accelerator` as the help hotkey (replacing the previous one) and reports the result. */
  registerHotkey(accelerator: string): HotkeyStatus;
  hotkeyStatus(): HotkeyStatus;
  /** Whether start-at-login can be set here. */
  startAtLoginSupported(): boolean;
  setStartAtLogin(enabled: boolean): void;
}

/** Everything the core needs. */
export interface SidekickCoreOptions {
  help: Omit<HelpSessionCollaborators, 'publish'>;
  /** Features beyond help and settings (src-main/app/features.ts). */
  features?: SidekickFeature[];
  settings: SettingsStore;
  windows: WindowControl;
  system: SystemIntegration;
  /** Sends an event to the renderer windows. */
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  log?: (message: string, error?: unknown) => void;
}

/** The assembled core. */
export interface SidekickCore {
  sessions: HelpSessions;
  dispatcher: IpcDispatcher<IpcCaller>;
  settings: SettingsStore;
  /** Releases what features hold (on quit). */
  dispose(): Promise<void>;
  /** Registers the hotkey from settings (at startup); the status says whether it worked. */
  applySettingsToSystem(): HotkeyStatus;
  settingsView(): SettingsView;
  /** Offers a hotkey press to the features first (the recorder takes it while recording); true when one took it. */
  takeHotkey(): boolean;
}

/** Builds the core: help sessions, settings, and the handlers for overlay and settings channels. */
export function createSidekickCore(options: SidekickCoreOptions): SidekickCore {
  const { settings, windows, system } = options;
  const emit = <E extends EventChannel>(event: E, payload: EventPayload<E>): void =>
    options.emit(event, checkEventPayload(event, payload));
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const answerProviders: AnswerProvider[] = [...(options.help.answerProviders ?? [])];
  const sessions = new HelpSessions({
    ...options.help,
    answerProviders,
    publish: (state: HelpState) => emit('overlay:state', state),
  });
  const featureContext: FeatureContext = {
    sessions,
    settings,
    windows,
    emit,
    log,
    reader: options.help.reader,
    capture: () => options.help.capture(),
  };
  const features = (options.features ?? []).map((feature) => ({
    name: feature.name,
    ...feature.setup(featureContext),
  }));
  for (const feature of features) if (feature.answer) answerProviders.push(feature.answer);

  function settingsView(): SettingsView {
    return {
      settings: settings.get(),
      hotkey: system.hotkeyStatus(),
      startAtLoginSupported: system.startAtLoginSupported(),
    };
  }

  function applyToSystem(previous: Settings | null, next: Settings): HotkeyStatus {
    if (!previous || previous.general.startAtLogin !== next.general.startAtLogin) {
      try {
        if (system.startAtLoginSupported()) system.setStartAtLogin(next.general.startAtLogin);
      } catch (error) {
        options.log?.('Could not change start at login', error);
      }
    }
    if (!previous || previous.general.hotkey !== next.general.hotkey) return system.registerHotkey(next.general.hotkey);
    return system.hotkeyStatus();
  }

  const dispatcher = new IpcDispatcher<IpcCaller>().register({
    'overlay:get-state': () => sessions.current(),
    'overlay:ask': ({ sessionId, question, skipLibrary }) => sessions.ask(sessionId, question, { skipLibrary }),
    'overlay:locate': ({ sessionId, labels }) => sessions.locate(sessionId, labels),
    'overlay:set-click-through': ({ passThrough }) => {
      windows.setOverlayClickThrough(passThrough);
      return {};
    },
    'overlay:set-panel-bounds': ({ box, others }) => {
      windows.setPanelBounds(box, others ?? []);
      return {};
    },
    'overlay:start-help': () => {
      sessions.start().catch((error) => log('Help session crashed', error));
      return {};
    },
    'overlay:close': () => {
      for (const feature of features) {
        try {
          feature.onOverlayClose?.();
        } catch (error) {
          log(`Feature ${feature.name} failed to close its part of the overlay`, error);
        }
      }
      sessions.close();
      windows.closeOverlay();
      return {};
    },
    'overlay:open-window': ({ window }) => {
      windows.openWindow(window);
      return {};
    },
    'settings:get': () => settingsView(),
    'settings:update': ({ patch }) => {
      const previous = settings.get();
      const saved = settings.update(patch);
      if (!saved.ok) return { ok: false, problem: saved.problem };
      const status = applyToSystem(previous, saved.settings);
      if (!status.registered && patch.general?.hotkey !== undefined) {
        // The new hotkey belongs to another program: keep the one that works.
        settings.update({ general: { hotkey: previous.general.hotkey } });
        system.registerHotkey(previous.general.hotkey);
        return { ok: false, problem: status.problem ?? `${saved.settings.general.hotkey} could not be registered.` };
      }
      const view = settingsView();
      emit('settings:changed', view);
      return { ok: true, view };
    },
  });

  for (const feature of features) if (feature.handlers) dispatcher.register(feature.handlers);

  return {
    sessions,
    dispatcher,
    settings,
    async dispose() {
      for (const feature of features) {
        try {
          await feature.dispose?.();
        } catch (error) {
          log(`Feature ${feature.name} failed to stop`, error);
        }
      }
    },
    applySettingsToSystem: () => applyToSystem(null, settings.get()),
    settingsView,
    takeHotkey: () => features.some((feature) => feature.onHotkey?.() === true),
  };
}
