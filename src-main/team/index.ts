/**
 * The team feature's entry for the shell and the browser host: `teamIpcHandlers(service)` gives the
 * `team:*` channel handlers to register with the core's IpcDispatcher.
 */
import type { PartialIpcHandlers } from '../base/ipc-dispatch';
import type { TeamService } from './team-service';

export { TeamService, screenTextToPlain } from './team-service';
export type {
  HelpContextSnapshot,
  HelpContextSource,
  TeamRedaction,
  TeamServiceOptions,
  TeamSettingsAccess,
  TeamTokenStore,
} from './team-service';
export { TeamClient, TeamApiError, normalizeServerUrl } from './team-client';
export { HelpRequestOutbox } from './outbox';
export { TeamLibrarySync } from './library-sync';
export { pointerToScreenBox } from './pointer-mapping';

/** Handlers of the `team:*` channels over a TeamService. */
export function teamIpcHandlers<Caller>(service: TeamService): PartialIpcHandlers<Caller> {
  return {
    'team:get-state': () => service.view(),
    'team:join': ({ invite, name }) => service.join(invite, name),
    'team:leave': () => service.leave(),
    'team:draft': ({ question }) => service.draft(question),
    'team:ask': ({ question, includeScreenshot }) => service.ask(question, includeScreenshot),
    'team:messages': ({ requestId }) => service.chat(requestId),
    'team:send': ({ requestId, text }) => service.send(requestId, text),
    'team:cancel': ({ requestId }) => service.cancel(requestId),
    'team:library-item': ({ itemId }) => service.libraryItem(itemId),
    'team:open-request': ({ requestId }) => service.openRequest(requestId),
  };
}
