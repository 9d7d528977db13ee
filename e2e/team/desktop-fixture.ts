/**
 * A TeamService wired as the desktop app wires it, with real redaction (src-main/privacy) and a
 * real rendered window image whose text boxes are known, for driving "Ask a human" from Node.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { TeamPointer, TeamSettings, TeamView } from '../../src-shared/ipc/team';
import { TeamSettingsSchema } from '../../src-shared/ipc/team';
import type { ScreenText, WindowInfo } from '../../src-shared/screen';
import type { ChatMessage } from '../../src-shared/team';
import { encodePng, redactScreen, redactText } from '../../src-main/privacy';
import { type HelpContextSnapshot, TeamService } from '../../src-main/team';

/** The window the person is stuck in: 640x400 at (100, 50) on screen, scale 1. */
export const WINDOW: WindowInfo = {
  app: 'Gnumeric',
  title: 'budget.gnumeric — ana@example.org',
  bounds: { x: 100, y: 50, w: 640, h: 400 },
  scale: 1,
};

/** A rendered window with a menu bar and an e-mail address on it, and its ScreenText. */
export async function renderStuckWindow(): Promise<{
  snapshot: HelpContextSnapshot;
  emailBox: { x: number; y: number; w: number; h: number };
}> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400">
    <rect width="640" height="400" fill="#f6f6f6"/>
    <rect width="640" height="28" fill="#e3e3e3"/>
    <text x="10" y="19" font-family="sans-serif" font-size="14" fill="#111">File</text>
    <text x="50" y="19" font-family="sans-serif" font-size="14" fill="#111">Edit</text>
    <text x="92" y="19" font-family="sans-serif" font-size="14" fill="#111">View</text>
    <text x="20" y="120" font-family="sans-serif" font-size="16" fill="#111">Owner: ana@example.org</text>
  </svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const emailBox = { x: 78, y: 105, w: 160, h: 20 };
  const screen: ScreenText = {
    image: { width: 640, height: 400 },
    timings: { totalMs: 1 },
    elements: [
      { id: 'w1', text: 'File', conf: 95, box: { x: 8, y: 6, w: 30, h: 16 }, kind: 'word' },
      { id: 'w2', text: 'Edit', conf: 95, box: { x: 48, y: 6, w: 30, h: 16 }, kind: 'word' },
      { id: 'w3', text: 'View', conf: 95, box: { x: 90, y: 6, w: 36, h: 16 }, kind: 'word' },
      { id: 'l1', text: 'Owner: ana@example.org', conf: 92, box: { x: 18, y: 105, w: 222, h: 20 }, kind: 'line' },
      { id: 'w4', text: 'Owner:', conf: 92, box: { x: 18, y: 105, w: 54, h: 20 }, kind: 'word', lineId: 'l1' },
      { id: 'w5', text: 'ana@example.org', conf: 92, box: emailBox, kind: 'word', lineId: 'l1' },
    ],
  };
  return {
    snapshot: {
      window: WINDOW,
      image: {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      },
      screen,
      walkthrough: {
        id: 'gnumeric-freeze-header-row',
        title: 'Keep the header row visible',
        stepIndex: 1,
        stepInstruction: 'Choose Freeze Panes.',
      },
      question: 'Where is Freeze Panes?',
    },
    emailBox,
  };
}

/** A desktop TeamService with recorded events. */
export function desktopTeamService(snapshot: HelpContextSnapshot | null, options: { retryMs?: number } = {}) {
  let settings: TeamSettings = TeamSettingsSchema.parse({});
  let token: string | null = null;
  const states: TeamView[] = [];
  const messages: ChatMessage[] = [];
  const pointers: TeamPointer[] = [];
  const shown: Array<{ box: unknown; label: string }> = [];
  const notifications: Array<{ title: string; body: string }> = [];
  const libraryChanges: string[][] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'sidekick-desktop-team-'));
  const service = new TeamService({
    dataDir,
    settings: { get: () => settings, update: (patch) => (settings = { ...settings, ...patch }) },
    tokens: { get: () => token, set: (value) => (token = value), clear: () => (token = null) },
    context: {
      snapshot: () => snapshot,
      showPointer: (box, label) => {
        shown.push({ box, label });
      },
    },
    redaction: {
      redactText: (text) => redactText(text),
      redactScreen: (screen, image) => redactScreen(screen, image),
      encodePng,
    },
    emit: (event: string, payload: unknown) => {
      if (event === 'team:state') states.push(payload as TeamView);
      if (event === 'team:message') messages.push(payload as ChatMessage);
      if (event === 'team:pointer') pointers.push(payload as TeamPointer);
    },
    notify: (title, body) => notifications.push({ title, body }),
    onLibraryChanged: (ids) => libraryChanges.push(ids),
    retryMs: options.retryMs ?? 500,
    platform: 'linux',
  });
  return {
    service,
    dataDir,
    states,
    messages,
    pointers,
    shown,
    notifications,
    libraryChanges,
    settings: () => settings,
    /** The team token the service holds (to act as this person over the API). */
    token: () => token,
  };
}

/** Waits until `check` returns a truthy value. */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 90_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
