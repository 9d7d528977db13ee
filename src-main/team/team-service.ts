/**
 * "Ask a human" in the desktop app, in plain Node: joins a team, builds the prefilled and redacted
 * request from the current help session, sends it (or keeps it in the outbox while the server is
 * unreachable, sending it when the server is back), keeps the live chat, maps a helper's pointer
 * onto the person's window, syncs the team library, and tells helpers about new requests.
 * The shell and the browser host register `teamIpcHandlers(service)` with the core's dispatcher.
 */
import { join } from 'node:path';
import type { RgbaImage } from '../base/image';
import type { RedactedScreen } from '../privacy/redact';
import type { Box, ScreenText, WindowInfo } from '../../src-shared/screen';
import type { TeamDraft, TeamAskResult, TeamPointer, TeamSettings, TeamView } from '../../src-shared/ipc/team';
import {
  type ChatMessage,
  type CreateRequestBody,
  type HelpRequest,
  isRequestForMe,
  newClientId,
  parseInviteLink,
  type QueueStatus,
  type RequestContext,
  type StreamStatus,
  TEAM_LIMITS,
  type TeamEvent,
  type TeamStream,
  type UsageObservation,
} from '../../src-shared/team';
import { HelpRequestOutbox } from './outbox';
import { pointerToScreenBox } from './pointer-mapping';
import { TeamApiError, TeamClient, normalizeServerUrl } from './team-client';
import { TeamLibraryGoneError, TeamLibrarySync, teamLibraryDir } from './library-sync';
import { UsageReporter, type UsageReporterOptions } from './usage-reporter';

/** What the current help session knows, for prefilling a request. */
export interface HelpContextSnapshot {
  window: WindowInfo;
  /** The captured window pixels (RGBA), or null. */
  image: RgbaImage | null;
  screen: ScreenText | null;
  walkthrough: RequestContext['walkthrough'];
  /** The last question typed in the overlay. */
  question?: string;
  /** Where the overlay window sits on screen (DIP), to draw pointers in overlay coordinates. */
  frame?: { x: number; y: number } | null;
}

/** Where the service gets the current help context and shows pointers (the core provides it). */
export interface HelpContextSource {
  snapshot(): Promise<HelpContextSnapshot | null> | HelpContextSnapshot | null;
  /** Highlights a screen rectangle (DIP) on the live window, e.g. through the overlay. */
  showPointer?(box: Box, label: string): void | Promise<void>;
}

/** Where the team token is kept (the OS secret store in the app, a file in tests). */
export interface TeamTokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

/** Settings → Team, read and written by the service. */
export interface TeamSettingsAccess {
  get(): TeamSettings;
  update(patch: Partial<TeamSettings>): void;
}

/** Redaction and encoding (src-main/privacy). */
export interface TeamRedaction {
  redactText(text: string): { text: string; findings: unknown[] };
  redactScreen(screen: ScreenText, image: RgbaImage | null): RedactedScreen;
  encodePng(image: RgbaImage): Promise<Buffer>;
}

/** Everything the service needs. */
export interface TeamServiceOptions {
  /** Folder for the outbox and the synced team library. */
  dataDir: string;
  settings: TeamSettingsAccess;
  tokens: TeamTokenStore;
  context: HelpContextSource;
  redaction: TeamRedaction;
  /** Sends an event to the renderer windows. */
  emit(event: 'team:state', payload: TeamView): void;
  emit(event: 'team:message', payload: ChatMessage): void;
  emit(event: 'team:pointer', payload: TeamPointer): void;
  /** Shows a desktop notification (tray app). */
  notify?(title: string, body: string): void;
  /** Called after team library files changed on disk (reload the walkthrough library). */
  onLibraryChanged?(ids: string[]): void;
  /** How often the outbox is retried while the server is unreachable. */
  retryMs?: number;
  /** How often a waiting person's place in the queue is refreshed (also on every change of their request). */
  queuePollMs?: number;
  platform?: string;
  /** Batching and backoff of the opt-in usage events (defaults: `USAGE_DEFAULTS`). */
  usage?: Pick<UsageReporterOptions, 'flushMs' | 'batchSize' | 'maxQueued' | 'minBackoffMs' | 'maxBackoffMs'>;
  log?(message: string, error?: unknown): void;
}

/** How long stopping the service waits for the last batch of usage events (the rest stays on disk). */
const USAGE_SHUTDOWN_MS = 3000;

/** Geometry of a sent screenshot, to map pointers back onto the live window. */
interface SentShot {
  shot: { width: number; height: number };
  capture: { width: number; height: number };
  window: WindowInfo;
  frame: { x: number; y: number } | null;
}

/** The desktop side of the team feature. */
export class TeamService {
  readonly outbox: HelpRequestOutbox;
  readonly library: TeamLibrarySync;
  /** Opt-in usage events for the team's insights, queued on disk (`usage-events.json`). */
  readonly usage: UsageReporter;
  private client: TeamClient | null = null;
  private stream: TeamStream | null = null;
  private connection: StreamStatus | 'not-joined' = 'not-joined';
  private connectionDetail = '';
  private readonly requests = new Map<string, HelpRequest>();
  private readonly messages = new Map<string, Map<string, ChatMessage>>();
  private readonly shots = new Map<string, SentShot>();
  private activeRequestId: string | null = null;
  private retryTimer: ReturnType<typeof setInterval> | null = null;
  private queueTimer: ReturnType<typeof setInterval> | null = null;
  /** New requests routed first to other helpers: the time this helper is told, if still unclaimed then. */
  private readonly turnTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private queue: QueueStatus | null = null;
  private lastDraft: { body: CreateRequestBody; shot: SentShot | null; screenshotBase64: string | null } | null = null;

  constructor(private readonly options: TeamServiceOptions) {
    this.outbox = new HelpRequestOutbox(join(options.dataDir, 'outbox'));
    this.library = new TeamLibrarySync(teamLibraryDir(options.dataDir), () => this.client);
    this.usage = new UsageReporter({
      ...options.usage,
      file: join(options.dataDir, 'usage-events.json'),
      client: () => this.client,
      enabled: () => {
        const settings = options.settings.get();
        return settings.shareUsage && Boolean(settings.serverUrl && options.tokens.get());
      },
      redactText: (text) => options.redaction.redactText(text),
      log: (message, error) => options.log?.(message, error),
    });
  }

  /** Connects when a team is joined: live stream, outbox flush, library pull. */
  start(): void {
    const settings = this.options.settings.get();
    const token = this.options.tokens.get();
    if (!settings.serverUrl || !token) {
      this.connection = 'not-joined';
      this.publish();
      return;
    }
    this.client = new TeamClient(settings.serverUrl, token);
    this.stream?.stop();
    this.stream = this.client.stream({
      afterSeq: 0,
      backoff: { minMs: 500, maxMs: 10_000 },
      onStatus: (status, detail) => this.onStatus(status, detail),
      onEvent: (event) => this.onEvent(event),
      // The server was restored from a backup: its history ends before ours, so sync the library from scratch.
      onReset: () => {
        this.library.resetPosition();
        void this.pullLibrary();
      },
    });
    this.stream.start();
    this.usage.start();
    this.retryTimer ??= setInterval(() => void this.flushOutbox(), this.options.retryMs ?? 5000);
    this.queueTimer ??= setInterval(() => void this.refreshQueue(), this.options.queuePollMs ?? 15_000);
    void this.refreshRequests();
    void this.flushOutbox();
    void this.pullLibrary();
  }

  /** Disconnects (the app quits or the person leaves the team). */
  stop(): void {
    this.stream?.stop();
    this.stream = null;
    this.usage.stop();
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
    if (this.queueTimer) clearInterval(this.queueTimer);
    this.queueTimer = null;
    for (const timer of this.turnTimers.values()) clearTimeout(timer);
    this.turnTimers.clear();
  }

  /**
   * The app quits: disconnects and sends the last batch of usage events, waiting at most a few seconds
   * (what is not acknowledged by then stays on disk for the next start).
   */
  async shutdown(): Promise<void> {
    this.stop();
    if (!this.usage.pending()) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.usage.flush(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, USAGE_SHUTDOWN_MS))),
    ]).finally(() => clearTimeout(timer));
  }

  /** Something happened that the person's opt-in usage sharing counts (nothing is kept when it is off). */
  recordUsage(observation: UsageObservation): boolean {
    return this.usage.record(observation);
  }

  /** What the windows show. */
  view(): TeamView {
    const settings = this.options.settings.get();
    const joined = Boolean(settings.serverUrl && this.options.tokens.get());
    return {
      joined,
      serverUrl: settings.serverUrl,
      teamName: settings.teamName,
      memberName: settings.memberName,
      role: settings.role,
      connection: joined ? (this.connection === 'not-joined' ? 'connecting' : this.connection) : 'not-joined',
      connectionDetail: this.connectionDetail,
      outbox: this.outbox.list().map((entry) => ({
        clientId: entry.clientId,
        question: entry.body.question,
        queuedAt: entry.queuedAt,
        state: entry.state,
        lastError: entry.lastError,
      })),
      requests: [...this.requests.values()]
        .filter((request) => request.requester.id === this.memberId())
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
        .slice(0, 20),
      activeRequestId: this.activeRequestId,
      queue: this.queue && this.queue.requestId === this.activeRequestId ? this.queue : null,
    };
  }

  /** Joins a team with an invite link; the token goes to the secret store. */
  async join(inviteText: string, name: string): Promise<{ ok: true; view: TeamView } | { ok: false; problem: string }> {
    const invite = parseInviteLink(inviteText);
    const serverText = invite?.serverUrl ?? this.options.settings.get().serverUrl;
    if (!invite)
      return {
        ok: false,
        problem: 'Paste the whole invite link your team admin sent (it looks like http://server:4300/#join=sk_inv_…).',
      };
    if (!serverText)
      return { ok: false, problem: 'This invite has no server address. Paste the invite link, not only the code.' };
    let serverUrl: string;
    try {
      serverUrl = normalizeServerUrl(serverText);
    } catch {
      return { ok: false, problem: `“${serverText}” is not a server address.` };
    }
    try {
      const joined = await TeamClient.join(serverUrl, invite.code, name);
      this.stop();
      this.usage.clear('joined another team');
      this.options.tokens.set(joined.token);
      this.options.settings.update({
        serverUrl,
        teamName: joined.team.name,
        memberName: joined.member.name,
        role: joined.member.role,
      });
      this.requests.clear();
      this.messages.clear();
      this.start();
      return { ok: true, view: this.view() };
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Leaves the team on this computer (revoking the token on the server when reachable). */
  async leave(): Promise<TeamView> {
    try {
      await this.client?.revokeOwnToken();
    } catch (error) {
      this.options.log?.('Could not revoke the team token on the server (it is forgotten here anyway)', error);
    }
    this.stop();
    this.client = null;
    this.usage.clear('left the team');
    this.options.tokens.clear();
    this.options.settings.update({ serverUrl: '', teamName: '', memberName: '', role: null });
    this.requests.clear();
    this.messages.clear();
    this.activeRequestId = null;
    this.connection = 'not-joined';
    this.publish();
    return this.view();
  }

  /** Builds the prefilled request from the current help session, redacted, with a preview. */
  async draft(question?: string): Promise<TeamDraft> {
    const snapshot = await this.options.context.snapshot();
    const notes: string[] = [];
    const platform = this.options.platform ?? process.platform;
    let context: RequestContext = {
      app: '',
      windowTitle: '',
      os: platform,
      displayScale: 1,
      ocrText: '',
      walkthrough: null,
    };
    let screenshot: TeamDraft['screenshot'] = null;
    let redactedTexts = 0;
    let shot: SentShot | null = null;
    let screenshotBase64: string | null = null;
    if (!snapshot) {
      notes.push(
        'No window was captured: press the Sidekick hotkey over the app you need help with to attach its context.',
      );
    } else {
      const title = this.options.redaction.redactText(snapshot.window.title);
      redactedTexts += title.findings.length;
      let ocrText = '';
      let regions = 0;
      let image: RgbaImage | null = snapshot.image;
      if (snapshot.screen) {
        const redacted = this.options.redaction.redactScreen(snapshot.screen, snapshot.image);
        ocrText = screenTextToPlain(redacted.screen);
        redactedTexts += redacted.findings.length;
        regions = redacted.findings.length;
        image = redacted.image;
        notes.push(...redacted.warnings);
      } else if (snapshot.image) {
        notes.push(
          'The screen text is still being read, so nothing could be ' +
            'blurred in the screenshot yet; wait a moment before sharing it.',
        );
        image = null;
      }
      context = {
        app: snapshot.window.app.slice(0, 200),
        windowTitle: title.text.slice(0, 500),
        os: platform,
        displayScale: snapshot.window.scale,
        ocrText: ocrText.slice(0, TEAM_LIMITS.ocrTextChars),
        walkthrough: snapshot.walkthrough ?? null,
      };
      if (image) {
        const png = await this.options.redaction.encodePng(image);
        if (png.length <= TEAM_LIMITS.screenshotBytes) {
          screenshotBase64 = png.toString('base64');
          screenshot = {
            dataUrl: `data:image/png;base64,${screenshotBase64}`,
            width: image.width,
            height: image.height,
            redactedRegions: regions,
          };
          shot = {
            shot: { width: image.width, height: image.height },
            capture: { width: image.width, height: image.height },
            window: snapshot.window,
            frame: snapshot.frame ?? null,
          };
        } else {
          notes.push('The screenshot is larger than the team server accepts (8 MB); only the text will be sent.');
        }
      }
    }
    const text = (question ?? snapshot?.question ?? '').trim();
    const body: CreateRequestBody = { clientId: newClientId(), question: text || '…', context };
    this.lastDraft = { body, shot, screenshotBase64 };
    return { question: text, context, screenshot, redactedTexts, notes };
  }

  /** Sends the request (with the screenshot only when the person agreed), or keeps it in the outbox. */
  async ask(question: string, includeScreenshot: boolean): Promise<TeamAskResult> {
    if (!this.client)
      return { outcome: 'problem', message: 'Join your team first: open Settings → Team and paste the invite link.' };
    if (!this.lastDraft) await this.draft(question);
    const draft = this.lastDraft!;
    this.lastDraft = null;
    const body: CreateRequestBody = {
      clientId: draft.body.clientId,
      question,
      context: draft.body.context,
      ...(includeScreenshot && draft.screenshotBase64 && draft.shot
        ? {
            screenshot: {
              mime: 'image/png' as const,
              width: draft.shot.shot.width,
              height: draft.shot.shot.height,
              dataBase64: draft.screenshotBase64,
            },
          }
        : {}),
    };
    // On disk first: whatever happens next, the request is not lost.
    this.outbox.add(body);
    const result = await this.outbox.flush(this.client);
    const sent = result.sent.find((request) => request.clientId === body.clientId);
    if (sent) {
      if (body.screenshot && draft.shot) this.shots.set(sent.id, draft.shot);
      this.upsertRequest(sent);
      this.activeRequestId = sent.id;
      this.publish();
      void this.refreshQueue();
      return { outcome: 'sent', request: sent };
    }
    const failed = result.failed.find((entry) => entry.clientId === body.clientId);
    if (failed) {
      this.publish();
      return { outcome: 'problem', message: `The team server refused the request: ${failed.lastError}` };
    }
    if (draft.shot && body.screenshot) this.pendingShots.set(body.clientId, draft.shot);
    this.publish();
    return {
      outcome: 'queued',
      clientId: body.clientId,
      message:
        'The team server is not reachable right now. Your request is saved ' +
        'on this computer and will be sent as soon as the server is back.',
    };
  }

  /** Chat history of a request (from the server, merged with what arrived live). */
  async chat(requestId: string): Promise<ChatMessage[]> {
    if (this.client) {
      try {
        const { messages } = await this.client.messages(requestId);
        for (const message of messages) this.addMessage(message, false);
      } catch (error) {
        if (!(error instanceof TeamApiError) || !error.retryable) throw error;
      }
    }
    return [...(this.messages.get(requestId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  /** Sends a chat line; it is resent after a reconnect until the server acknowledges it. */
  async send(
    requestId: string,
    text: string,
  ): Promise<{ ok: true; message: ChatMessage } | { ok: false; problem: string }> {
    if (!this.stream) return { ok: false, problem: 'Join your team first.' };
    try {
      const message = await this.stream.send(requestId, { clientId: newClientId(), kind: 'text', text });
      this.addMessage(message, true);
      return { ok: true, message };
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Makes team library item `id` (sent into the chat by a helper) available to the walkthrough library, fetching it
   * from the server when it has not synced yet; then the library can play it. A problem says what to do next.
   */
  async libraryItem(id: string): Promise<{ ok: true; fetched: boolean } | { ok: false; problem: string }> {
    if (this.library.has(id)) return { ok: true, fetched: false };
    if (!this.client) return { ok: false, problem: 'Join your team first: this walkthrough is in its library.' };
    try {
      const { fetched } = await this.library.ensure(id);
      if (fetched) this.options.onLibraryChanged?.([id]);
      return { ok: true, fetched };
    } catch (error) {
      if (error instanceof TeamLibraryGoneError)
        return { ok: false, problem: `${error.message}; ask your helper for another way.` };
      if (error instanceof TeamApiError && error.status === 404)
        return { ok: false, problem: `“${id}” is not in your team's library; ask your helper to send it again.` };
      if (error instanceof TeamApiError && error.retryable) {
        return {
          ok: false,
          problem: `Could not fetch it from your team server (${error.message}). Try again once Sidekick is connected.`,
        };
      }
      this.options.log?.(`Could not fetch team library item ${id}`, error);
      return { ok: false, problem: `Could not fetch it from your team server: ${(error as Error).message}` };
    }
  }

  /** Cancels one of this person's requests (or drops it from the outbox if not sent yet). */
  async cancel(requestId: string): Promise<{ ok: true } | { ok: false; problem: string }> {
    const queued = this.outbox.list().find((entry) => entry.clientId === requestId);
    if (queued) {
      this.outbox.remove(queued.clientId);
      this.publish();
      return { ok: true };
    }
    if (!this.client) return { ok: false, problem: 'Join your team first.' };
    try {
      const { request } = await this.client.act(requestId, 'cancel');
      this.upsertRequest(request);
      this.publish();
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Chooses the request the chat panel shows. */
  openRequest(requestId: string | null): TeamView {
    this.activeRequestId = requestId;
    this.publish();
    void this.refreshQueue();
    return this.view();
  }

  /** Sends the outbox now (also runs every few seconds and when the stream comes back). */
  async flushOutbox(): Promise<void> {
    if (!this.client || this.outbox.list().every((entry) => entry.state !== 'queued')) return;
    const result = await this.outbox.flush(this.client);
    for (const request of result.sent) {
      const shot = this.pendingShots.get(request.clientId);
      if (shot) this.shots.set(request.id, shot);
      this.pendingShots.delete(request.clientId);
      this.upsertRequest(request);
      this.activeRequestId ??= request.id;
    }
    if (result.sent.length || result.failed.length) this.publish();
  }

  private readonly pendingShots = new Map<string, SentShot>();

  private memberId(): string | null {
    return this.memberIdFromStream;
  }

  private memberIdFromStream: string | null = null;

  private async refreshRequests(): Promise<void> {
    if (!this.client) return;
    try {
      const me = await this.client.me();
      this.memberIdFromStream = me.member.id;
      const { requests } = await this.client.listRequests();
      for (const request of requests) this.upsertRequest(request);
      this.publish();
    } catch (error) {
      if (error instanceof TeamApiError && error.status === 401) this.onStatus('unauthorized', error.message);
    }
  }

  /**
   * A person picked team library item `id` after asking `question` (already redacted): the team keeps the
   * question for everyone's searches. Not in a team, or the server unreachable: a problem to log, nothing else.
   */
  async learn(id: string, question: string): Promise<{ ok: true } | { ok: false; problem: string }> {
    if (!this.client) return { ok: false, problem: 'not in a team' };
    try {
      await this.library.learn(id, question);
      this.options.onLibraryChanged?.([id]);
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Asks the server where the active request stands while it waits for a helper. */
  private async refreshQueue(): Promise<void> {
    const active = this.activeRequestId ? this.requests.get(this.activeRequestId) : undefined;
    if (!this.client || !active || active.state !== 'open') {
      if (this.queue) {
        this.queue = null;
        this.publish();
      }
      return;
    }
    try {
      const status = await this.client.queue(active.id);
      if (status.requestId !== this.activeRequestId) return;
      this.queue = status.state === 'open' ? status : null;
      this.publish();
    } catch (error) {
      // Unreachable: the connection line says so, and the last known standing stays until the next poll.
      if (!(error instanceof TeamApiError && error.retryable)) this.options.log?.('Could not read the queue', error);
    }
  }

  private async pullLibrary(): Promise<void> {
    try {
      const changed = await this.library.pull();
      if (changed.length) this.options.onLibraryChanged?.(changed);
    } catch (error) {
      if (!(error instanceof TeamApiError && error.retryable))
        this.options.log?.('Could not pull the team library', error);
    }
  }

  private onStatus(status: StreamStatus, detail: string): void {
    const wasLive = this.connection === 'live';
    this.connection = status;
    this.connectionDetail = detail;
    if (status === 'live' && !wasLive) {
      void this.flushOutbox();
      void this.pullLibrary();
      void this.refreshRequests().then(() => this.refreshQueue());
    }
    this.publish();
  }

  private onEvent(event: TeamEvent): void {
    if (event.type === 'library') {
      if (this.library.apply(event.item)) this.options.onLibraryChanged?.([event.item.id]);
      return;
    }
    if (event.type === 'request') {
      const isNew = !this.requests.has(event.request.id);
      this.upsertRequest(event.request);
      const settings = this.options.settings.get();
      if (
        isNew &&
        event.request.state === 'open' &&
        settings.role !== 'member' &&
        settings.notifyNewRequests &&
        event.request.requester.id !== this.memberId()
      ) {
        this.notifyOnMyTurn(event.request);
      }
      this.publish();
      if (event.request.id === this.activeRequestId) void this.refreshQueue();
      return;
    }
    this.addMessage(event.message, true);
  }

  /**
   * Tells this helper about a new request when it is theirs: at once when they are among the helpers it
   * was routed to first (or it went to everyone), else when the whole team's turn comes and nobody has
   * claimed it yet — the same rule as the console's (`isRequestForMe`).
   */
  private notifyOnMyTurn(request: HelpRequest): void {
    const me = this.memberId();
    if (!me) return;
    const tell = (current: HelpRequest) => {
      const routedToMe = current.routing?.suggested.find((helper) => helper.member.id === me);
      this.options.notify?.(
        routedToMe
          ? `Help request for you from ${current.requester.name}`
          : `Help request from ${current.requester.name}`,
        `${current.question} — ${current.context.app}${routedToMe ? ` (${routedToMe.askerReason})` : ''}`,
      );
    };
    if (isRequestForMe(request, me)) return tell(request);
    const wait = Math.max(0, Date.parse(request.routing!.wholeTeamAt) - Date.now());
    this.turnTimers.set(
      request.id,
      setTimeout(() => {
        this.turnTimers.delete(request.id);
        const current = this.requests.get(request.id);
        if (current?.state === 'open') tell(current);
      }, wait),
    );
  }

  private upsertRequest(request: HelpRequest): void {
    const previous = this.requests.get(request.id);
    if (!previous || previous.updatedAt <= request.updatedAt) this.requests.set(request.id, request);
  }

  private addMessage(message: ChatMessage, live: boolean): void {
    let byId = this.messages.get(message.requestId);
    if (!byId) this.messages.set(message.requestId, (byId = new Map<string, ChatMessage>()));
    if (byId.has(message.id)) return; // exactly once in the UI
    byId.set(message.id, message);
    if (!live) return;
    this.options.emit('team:message', message);
    if (message.kind === 'pointer' && message.pointer) {
      const sent = this.shots.get(message.requestId);
      const screenBox = sent ? pointerToScreenBox(message.pointer, sent.shot, sent.capture, sent.window) : null;
      const label = message.text || 'Here';
      const overlayBox =
        screenBox && sent?.frame
          ? { ...screenBox, x: screenBox.x - sent.frame.x, y: screenBox.y - sent.frame.y }
          : null;
      this.options.emit('team:pointer', {
        requestId: message.requestId,
        messageId: message.id,
        pointer: message.pointer,
        label,
        screenBox,
        overlayBox,
      });
      if (screenBox) {
        Promise.resolve(this.options.context.showPointer?.(screenBox, label)).catch((error: unknown) =>
          this.options.log?.('Could not show the helper pointer', error),
        );
      }
    }
  }

  private publish(): void {
    this.options.emit('team:state', this.view());
  }
}

/** The screen's text as lines, top to bottom (what a helper reads). */
export function screenTextToPlain(screen: ScreenText): string {
  const lines = screen.elements.filter((element) => element.kind === 'line');
  const source = lines.length ? lines : screen.elements;
  return [...source]
    .sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x)
    .map((element) => element.text)
    .join('\n');
}
