/**
 * Fan-out of committed team events to connected WebSocket clients. Each subscriber receives only
 * the events its member may read, each at most once and in sequence order: events published while
 * the subscriber is still replaying its backlog are buffered and deduplicated by sequence number.
 */
import { type Member, STREAM_CLOSE, type StreamServerMessage, type TeamEvent } from '../src-shared/team';
import { requestFor } from './routes/context';

/** One connected client. */
export interface LiveSubscriber {
  teamId: string;
  member: Member;
  /** Hash of the token the connection said hello with. */
  tokenHash: string;
  send(message: StreamServerMessage): void;
  /** Sends an already serialized message (one JSON.stringify per event, not per subscriber). */
  sendRaw(text: string): void;
  close(code: number, reason: string): void;
  /** Highest team sequence number delivered (or skipped as invisible). */
  lastSeq: number;
  /** True while the backlog is replayed; live events wait in `pending`. */
  replaying: boolean;
  pending: Array<{ event: TeamEvent; requesterId: string | null }>;
  /** More pending events than this close the connection as a slow reader. */
  maxPending: number;
}

/** Whether a member may read an event about a request of `requesterId` (null: team-wide). */
export function canSeeEvent(member: Member, requesterId: string | null): boolean {
  return requesterId === null || member.role !== 'member' || requesterId === member.id;
}

/** Keeps the live subscribers of every team. */
export class LiveHub {
  private readonly teams = new Map<string, Set<LiveSubscriber>>();
  private readonly serialized = new WeakMap<TeamEvent, string>();
  private readonly serializedForMembers = new WeakMap<TeamEvent, string>();
  /**
   * Called when an event arrives for a subscriber that has not had the one before it (another
   * instance committed it and we have not read it yet). The cluster feed catches the team up.
   */
  onGap: ((teamId: string) => void) | null = null;

  /** Teams with live subscribers on this instance. */
  teamIds(): string[] {
    return [...this.teams].filter(([, set]) => set.size > 0).map(([teamId]) => teamId);
  }

  /** The live subscribers of one team. */
  subscribersOf(teamId: string): Iterable<LiveSubscriber> {
    return this.teams.get(teamId) ?? [];
  }

  add(subscriber: LiveSubscriber): void {
    let set = this.teams.get(subscriber.teamId);
    if (!set) this.teams.set(subscriber.teamId, (set = new Set()));
    set.add(subscriber);
  }

  remove(subscriber: LiveSubscriber): void {
    const set = this.teams.get(subscriber.teamId);
    set?.delete(subscriber);
    if (set && set.size === 0) this.teams.delete(subscriber.teamId);
  }

  /**
   * Delivers one subscriber an event, unless already delivered or not theirs to see. Events go out
   * strictly in sequence: one that would skip a sequence number is held back and reported as a gap.
   */
  deliver(subscriber: LiveSubscriber, event: TeamEvent, requesterId: string | null): void {
    if (event.seq <= subscriber.lastSeq) return;
    if (event.seq > subscriber.lastSeq + 1) {
      this.onGap?.(subscriber.teamId);
      return;
    }
    subscriber.lastSeq = event.seq;
    if (!canSeeEvent(subscriber.member, requesterId)) return;
    // Members get their requests without `routing` (other people's questions, names the admin may hide).
    const cache = subscriber.member.role === 'member' ? this.serializedForMembers : this.serialized;
    let text = cache.get(event);
    if (text === undefined) {
      const shown =
        cache === this.serializedForMembers && event.type === 'request'
          ? { ...event, request: requestFor(subscriber.member, event.request) }
          : event;
      text = JSON.stringify({ type: 'event', event: shown } satisfies StreamServerMessage);
      cache.set(event, text);
    }
    subscriber.sendRaw(text);
  }

  /** Publishes committed events of a team. */
  publish(teamId: string, events: TeamEvent[], requesterId: string | null): void {
    const set = this.teams.get(teamId);
    if (!set) return;
    for (const subscriber of set) {
      for (const event of events) {
        const who = event.type === 'library' ? null : requesterId;
        if (!subscriber.replaying) this.deliver(subscriber, event, who);
        else if (subscriber.pending.push({ event, requesterId: who }) > subscriber.maxPending) {
          subscriber.close(STREAM_CLOSE.slowReader, 'too slow: too many events waiting; reconnect to resume');
          break;
        }
      }
    }
  }

  /**
   * Closes every connection of a member: `STREAM_CLOSE.unauthorized` when revoked (final),
   * `STREAM_CLOSE.reconnect` when their role changed (the client reconnects with the new role).
   */
  disconnectMember(teamId: string, memberId: string, code: number, reason: string): void {
    for (const subscriber of this.teams.get(teamId) ?? []) {
      if (subscriber.member.id === memberId) subscriber.close(code, reason);
    }
  }

  /** Closes the connections opened with one token (that token was revoked; the member's other devices stay). */
  disconnectToken(teamId: string, tokenHash: string, reason: string): void {
    for (const subscriber of this.teams.get(teamId) ?? []) {
      if (subscriber.tokenHash === tokenHash) subscriber.close(STREAM_CLOSE.unauthorized, reason);
    }
  }

  /** Live connections of one member. */
  connections(teamId: string, memberId: string): number {
    let count = 0;
    for (const subscriber of this.teams.get(teamId) ?? []) if (subscriber.member.id === memberId) count++;
    return count;
  }

  /** Distinct helpers and admins of a team connected to this instance, not counting `exceptMemberId`. */
  helpersOnline(teamId: string, exceptMemberId: string): number {
    const ids = new Set<string>();
    for (const subscriber of this.teams.get(teamId) ?? []) {
      if (subscriber.member.role !== 'member' && subscriber.member.id !== exceptMemberId) ids.add(subscriber.member.id);
    }
    return ids.size;
  }

  /** Number of connected clients (all teams). */
  get size(): number {
    let total = 0;
    for (const set of this.teams.values()) total += set.size;
    return total;
  }

  closeAll(reason: string): void {
    for (const set of this.teams.values()) for (const subscriber of set) subscriber.close(1001, reason);
  }
}
