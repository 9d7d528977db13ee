/**
 * Live delivery when several server instances share one database.
 *
 * Every team event has a team sequence number, and a subscriber receives them strictly in order
 * (`LiveHub.deliver` refuses to skip one and reports the gap instead). Events committed by this
 * instance are published at once; events committed by another instance reach us as a notification
 * (`ClusterSignals.commit`, PostgreSQL LISTEN/NOTIFY carrying team and seq). Either way, a subscriber
 * that is behind is caught up by reading the event log after the lowest seq its team's subscribers
 * have: one query per team, however many subscribers, single-flight per team. A lost notification
 * connection is covered by `resync` (catch up every team) and by polling while it is down.
 *
 * `SIDEKICK_CLUSTER_FEED=poll:MS` makes an instance ignore commit notifications and poll every MS ms
 * instead (the benchmark's comparison of the two; membership changes still arrive by notification).
 */
import type { LiveHub } from './live-hub';
import type { MemberChange, TeamStore } from './store/team-store';

/** How a member change from another instance closes connections here. */
export interface MemberChangeHandler {
  (teamId: string, change: MemberChange): void;
}

/** How the feed learns of other instances' commits. */
export interface ClusterFeedOptions {
  /** Poll interval while the notification connection is down (always, with `pollOnly`). */
  pollMs: number;
  /** Ignore commit notifications and only poll (for measuring polling against LISTEN/NOTIFY). */
  pollOnly: boolean;
}

/** The feed options: LISTEN/NOTIFY with a 2 s fallback poll, or `SIDEKICK_CLUSTER_FEED=poll:MS`. */
export function clusterFeedOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ClusterFeedOptions {
  const poll = /^poll:(\d+)$/.exec(env.SIDEKICK_CLUSTER_FEED ?? '');
  if (poll) return { pollMs: Math.max(10, Number(poll[1])), pollOnly: true };
  return { pollMs: 2000, pollOnly: false };
}

/** Keeps this instance's subscribers up to date with commits made anywhere. */
export class ClusterFeed {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private stopWatching: (() => void) | null = null;
  private poll: NodeJS.Timeout | null = null;
  /** Catch-up reads made and events they delivered (for the benchmark and tests). */
  readonly stats = { catchUps: 0, eventsRead: 0 };

  constructor(
    private readonly store: TeamStore,
    private readonly hub: LiveHub,
    private readonly onMemberChanged: MemberChangeHandler,
  ) {
    hub.onGap = (teamId) => this.catchUp(teamId);
  }

  /** Starts listening to the store's cluster signals (no-op for a store without them). */
  start(options: ClusterFeedOptions = clusterFeedOptionsFromEnv()): void {
    if (!this.store.watch) return;
    const { pollMs, pollOnly } = options;
    this.stopWatching = this.store.watch({
      commit: (teamId, seq) => {
        if (!pollOnly && this.behind(teamId, seq)) this.catchUp(teamId);
      },
      memberChanged: (teamId, change) => this.onMemberChanged(teamId, change),
      resync: () => {
        for (const teamId of this.hub.teamIds()) this.catchUp(teamId);
      },
    });
    // While the notification connection is down, poll instead (the store reports `listening`).
    this.poll = setInterval(() => {
      if (pollOnly || this.store.listening === false) for (const teamId of this.hub.teamIds()) this.catchUp(teamId);
    }, pollMs);
    this.poll.unref();
  }

  stop(): void {
    this.stopWatching?.();
    if (this.poll) clearInterval(this.poll);
  }

  private behind(teamId: string, seq: number): boolean {
    for (const subscriber of this.hub.subscribersOf(teamId))
      if (!subscriber.replaying && subscriber.lastSeq < seq) return true;
    return false;
  }

  /** Reads the team's event log after its slowest live subscriber and delivers it (single flight). */
  catchUp(teamId: string): void {
    if (this.running.has(teamId)) {
      this.again.add(teamId);
      return;
    }
    const run = this.readAndDeliver(teamId)
      .catch((error: unknown) => {
        // The database is unreachable: the poll (or the next notification) tries again.
        process.stderr.write(
          `team server: live catch-up of ${teamId} failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      })
      .finally(() => {
        this.running.delete(teamId);
        if (this.again.delete(teamId)) this.catchUp(teamId);
      });
    this.running.set(teamId, run);
  }

  private async readAndDeliver(teamId: string): Promise<void> {
    for (;;) {
      let from = Infinity;
      for (const subscriber of this.hub.subscribersOf(teamId))
        if (!subscriber.replaying) from = Math.min(from, subscriber.lastSeq);
      if (from === Infinity) return;
      this.stats.catchUps++;
      const batch = await this.store.eventsAfter(teamId, from, 500);
      this.stats.eventsRead += batch.length;
      for (const { event, requesterId } of batch) {
        for (const subscriber of this.hub.subscribersOf(teamId)) {
          if (!subscriber.replaying) this.hub.deliver(subscriber, event, requesterId);
        }
      }
      if (batch.length < 500) return;
    }
  }
}
