/** The console's calls for the Insights page: the team's insights and saving a walkthrough to the team library. */
import { z } from 'zod';
import { InsightsSchema, LibraryItemSchema } from '../../src-shared/team';
import type { Walkthrough } from '../../src-shared/walkthrough';
import { call } from './console-api';

/** Typed calls of the Insights page. */
export function insightsApi(token: string | null) {
  return {
    /** Where the team got stuck in the last `days` days (helpers and admins). */
    insights: (days: number) => call(InsightsSchema, 'GET', `/api/v1/insights?days=${days}`, token),
    /** Saves a new walkthrough (version 0) into the team library; every member's Sidekick syncs it. */
    saveWalkthrough: (walkthrough: Walkthrough) =>
      call(
        z.object({ item: LibraryItemSchema }),
        'PUT',
        `/api/v1/library/${encodeURIComponent(walkthrough.id)}`,
        token,
        {
          baseVersion: 0,
          doc: walkthrough,
        },
      ),
  };
}

/** The Insights page's API object. */
export type InsightsApi = ReturnType<typeof insightsApi>;
