/**
 * Regenerates the "unseen windows" fixture set in e2e/fixtures/unseen/{blind,dev}/: real windows of
 * applications that are not among the project's own fixtures, across toolkits, with ground truth
 * from each application's accessibility tree (AT-SPI: GTK 3, GTK 4, Qt 5) or from the toolkit itself
 * (Tk: winfo in IDLE's or turtledemo's own interpreter; Xt: app-defaults labels, or for Motif NEdit's compiled-in
 * labels checked against its binary, matched to the widget windows;
 * Chromium: the DOM's text boxes). Same `<name>.png` + `<name>.truth.json` format as
 * e2e/fixtures/screens (e2e/fixtures/screens/truth.ts), so the benchmark reads both sets.
 *
 *   npx tsx e2e/support/make-unseen-fixtures.ts [name ...] [--preview <dir>]
 *
 * Whole applications go to one half: blind (never tuned on) or dev. `--preview` (default
 * e2e/artifacts/unseen-previews) receives copies with the truth boxes drawn: look before trusting.
 * Needs the packages of make-fixtures.ts plus galculator gnome-calculator idle3 x11-apps gucharmap
 * zenity chromium libffi8 (for its HTML manual) speedcrunch featherpad nedit qalculate-gtk gtk-3-examples
 * gtk-4-examples qt5ct python3-examples (turtledemo).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { z } from 'zod';
import { captureWindow, type RgbaImage } from '../../src-main/capture';
import { ScreenTruthSchema, TruthElementSchema, type ScreenTruth, type TruthElement } from '../fixtures/screens/truth';
import { startDesktop, type AppWindow, type Desktop } from './desktop';
import { dropClippedCells, drawPreview, escapeRegExp } from './make-fixtures';

const run = promisify(execFile);
const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const OUT_DIR = join(REPO, 'e2e/fixtures/unseen');
const HELPERS = join(REPO, 'e2e/support/unseen');
const CHROMIUM = process.env.SIDEKICK_CHROMIUM ?? '/usr/bin/chromium';
/** A drawn character is at least this wide in device pixels at scale 1: longer names are drawn cut off. */
const MIN_CHAR_WIDTH = 4.5;

type Half = 'blind' | 'dev';
type Toolkit = 'GTK 3' | 'GTK 4' | 'Qt 5' | 'Tk' | 'Xt (Athena)' | 'Xt (Motif)' | 'Chromium (HTML)';

/** What one fixture produced before the common clean-up. */
interface Shot {
  image: RgbaImage;
  title: string;
  /** Boxes in image pixels. */
  elements: TruthElement[];
  /** Boxes are the text's own extent (DOM ranges): no clipped-cell check against the cell's edge. */
  textExtents?: boolean;
}

interface UnseenSpec {
  name: string;
  half: Half;
  app: string;
  toolkit: Toolkit;
  description: string;
  scale?: number;
  theme?: string;
  /** Roles whose boxes this toolkit reports wrongly here (left out of the truth). */
  dropRoles?: string[];
  make(desktop: Desktop): Promise<Shot>;
}

const AtspiOutputSchema = z.object({ window: z.string(), elements: z.array(TruthElementSchema) });

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

/** Applications started for the fixture being made; stopped by process id afterwards. */
const started: AppWindow[] = [];

async function launch(
  d: Desktop,
  cmd: string,
  args: string[],
  title: RegExp,
  env: NodeJS.ProcessEnv = {},
): Promise<AppWindow> {
  const app = await d.launch(cmd, args, title, env);
  started.push(app);
  return app;
}

/**
 * Starts an application that does not set _NET_WM_PID (Xt, Tk) and waits for a new window named
 * like `title` (found by name alone).
 */
async function launchByName(
  d: Desktop,
  cmd: string,
  args: string[],
  title: RegExp,
  env: NodeJS.ProcessEnv = {},
): Promise<AppWindow> {
  const search = async (): Promise<number[]> => {
    const { stdout } = await run('xdotool', ['search', '--onlyvisible', '--name', title.source], { env: d.env }).catch(
      () => ({ stdout: '' }),
    );
    return stdout.split('\n').filter(Boolean).map(Number);
  };
  const before = new Set(await search());
  const child = spawn(cmd, args, { env: { ...d.env, ...env }, stdio: 'ignore' });
  const app = { pid: child.pid!, windowId: 0 };
  started.push(app);
  app.windowId = await waitFor(`a window "${title.source}" from ${cmd}`, 60_000, async () => {
    if (child.exitCode !== null) throw new Error(`${cmd} exited with code ${child.exitCode}`);
    return (await search()).find((id) => !before.has(id)) ?? null;
  });
  return app;
}

/**
 * Captures the screen region of an X window (open popup menus included) and its title, through the
 * app's own capture code. Windows the capture library does not list (no _NET_WM_PID: Xt, Tk) are
 * grabbed from the root window with ImageMagick at the position xwininfo reports.
 */
async function captureX(
  d: Desktop,
  windowId: number,
): Promise<{ image: RgbaImage; title: string; x: number; y: number }> {
  // Menus and dialogs can take seconds to draw on a loaded machine (GTK 4 popovers especially):
  // capture until two captures 0.8 s apart are identical.
  let last = await captureOnce(d, windowId);
  for (let i = 0; i < 15; i++) {
    await sleep(800);
    const next = await captureOnce(d, windowId);
    if (Buffer.from(next.image.data).equals(Buffer.from(last.image.data))) return next;
    last = next;
  }
  throw new Error(`window ${windowId} kept changing for 12 s`);
}

async function captureOnce(
  d: Desktop,
  windowId: number,
): Promise<{ image: RgbaImage; title: string; x: number; y: number }> {
  try {
    const capture = await captureWindow(windowId, { mode: 'screen-region' });
    return {
      image: capture.image,
      title: capture.window.title,
      x: capture.window.bounds.x,
      y: capture.window.bounds.y,
    };
  } catch (error) {
    const { stdout: info } = await run('xwininfo', ['-id', String(windowId)], { env: d.env });
    const num = (re: RegExp): number => Number(re.exec(info)?.[1] ?? NaN);
    const [x, y, w, h] = [
      num(/Absolute upper-left X:\s+(-?\d+)/),
      num(/Absolute upper-left Y:\s+(-?\d+)/),
      num(/Width:\s+(\d+)/),
      num(/Height:\s+(\d+)/),
    ];
    const title = /xwininfo: Window id: \S+ "(.*)"/.exec(info)?.[1];
    if (![x, y, w, h].every(Number.isFinite) || title === undefined) throw error;
    const { stdout: png } = await run('import', ['-window', 'root', '-crop', `${w}x${h}+${x}+${y}`, 'png:-'], {
      env: d.env,
      encoding: 'buffer',
      maxBuffer: 1 << 28,
    });
    const { data, info: meta } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { image: rawImage(data, meta.width, meta.height), title, x, y };
  }
}

function rawImage(data: Buffer, width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Truth from the AT-SPI tree of `pid`'s top-level window named like the captured window. */
async function atspiShot(
  d: Desktop,
  toolkit: 'gtk3' | 'gtk4' | 'qt',
  pid: number,
  windowId: number,
  options: { scale?: number; title?: string; words?: boolean; comboBoxes?: boolean } = {},
): Promise<Shot> {
  const shot = await captureX(d, windowId);
  const { stdout } = await run(
    '/usr/bin/python3',
    [
      join(HELPERS, 'atspi_unseen.py'),
      '--toolkit',
      toolkit,
      '--pid',
      String(pid),
      '--title',
      options.title ?? `^${escapeRegExp(shot.title)}$`,
      '--origin',
      `${shot.x},${shot.y}`,
      '--size',
      `${shot.image.width},${shot.image.height}`,
      '--scale',
      String(options.scale ?? 1),
      ...(options.words ? ['--words'] : []),
      ...(options.comboBoxes ? ['--combo-boxes'] : []),
    ],
    { env: d.env, timeout: 180_000, maxBuffer: 1 << 26 },
  );
  return { image: shot.image, title: shot.title, elements: AtspiOutputSchema.parse(JSON.parse(stdout)).elements };
}

/** Moves screen boxes into image pixels (drops what lies outside the image). */
function toImage(elements: TruthElement[], x: number, y: number, image: RgbaImage): TruthElement[] {
  const out: TruthElement[] = [];
  for (const e of elements) {
    const left = Math.max(0, e.box.x - x);
    const top = Math.max(0, e.box.y - y);
    const right = Math.min(image.width, e.box.x - x + e.box.w);
    const bottom = Math.min(image.height, e.box.y - y + e.box.h);
    if (right - left < 0.5 * e.box.w || bottom - top < 0.5 * e.box.h) continue;
    out.push({
      ...e,
      box: { x: Math.round(left), y: Math.round(top), w: Math.round(right - left), h: Math.round(bottom - top) },
    });
  }
  return out;
}

// ---------- Tk: IDLE, truth from Tk in IDLE's own interpreter ----------

const TkOutputSchema = z.object({
  windows: z.array(
    z.object({
      title: z.string(),
      x: z.number(),
      y: z.number(),
      w: z.number(),
      h: z.number(),
      elements: z.array(TruthElementSchema),
    }),
  ),
});

/**
 * Runs a Tk truth script (tk_idle.py, tk_turtledemo.py: `--out FILE` is appended), waits for its
 * truth and captures its toplevel whose title starts with `window`.
 */
async function tkShot(d: Desktop, script: string, args: string[], launchTitle: RegExp, window: string): Promise<Shot> {
  const out = join(d.home, `tk-${Date.now()}.json`);
  await launchByName(d, '/usr/bin/python3', [join(HELPERS, script), ...args, '--out', out], launchTitle);
  await waitFor('Tk to write its truth', 60_000, async () => (existsSync(`${out}.ready`) ? true : null));
  const truth = TkOutputSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
  const win = truth.windows.find((w) => w.title.startsWith(window));
  if (!win) throw new Error(`Tk reported no window "${window}": ${truth.windows.map((w) => w.title).join(', ')}`);
  const id = Number(
    (await d.xdotool('search', '--onlyvisible', '--name', `^${escapeRegExp(win.title)}$`)).trim().split('\n')[0],
  );
  const shot = await captureX(d, id);
  // Tk's menu bar sits above the toplevel's own area, inside the same X window.
  if (shot.x !== win.x || win.y < shot.y || win.y - shot.y > 60)
    throw new Error(`Tk says ${win.title} is at ${win.x},${win.y}, the capture at ${shot.x},${shot.y}`);
  return { image: shot.image, title: shot.title, elements: toImage(win.elements, shot.x, shot.y, shot.image) };
}

async function idleShot(d: Desktop, window: 'IDLE Shell' | 'Settings', dark = false): Promise<Shot> {
  // IDLE's own built-in dark highlighting theme (text area colours), or its default.
  const idlerc = join(d.home, '.idlerc');
  rmSync(idlerc, { recursive: true, force: true });
  if (dark) {
    mkdirSync(idlerc, { recursive: true });
    writeFileSync(join(idlerc, 'config-main.cfg'), '[Theme]\ndefault = True\nname = IDLE Classic\nname2 = IDLE Dark\n');
  }
  const args = ['--delay', '9000', ...(window === 'Settings' ? ['--settings'] : [])];
  return tkShot(d, 'tk_idle.py', args, /IDLE Shell/, window);
}

/**
 * Python's turtledemo with an example's source loaded and its Examples menu posted (Alt+E) over
 * the source pane: menu bar, drop-down entries, START/STOP/CLEAR greyed out, the code as words.
 */
async function turtledemoShot(d: Desktop): Promise<Shot> {
  const title = 'bytedesign - a Python turtle graphics example';
  const posting = (async () => {
    const id = await waitFor('the turtledemo window', 60_000, async () => {
      const found = await d.xdotool('search', '--onlyvisible', '--name', `^${escapeRegExp(title)}$`).catch(() => '');
      return Number(found.trim().split('\n')[0]) || null;
    });
    await d.focus(id);
    await sleep(1000);
    await openMenu(d, 'alt+e');
  })();
  const args = ['--example', 'bytedesign', '--menu', '--delay', '3000'];
  const [shot] = await Promise.all([tkShot(d, 'tk_turtledemo.py', args, /turtle graphics/, title), posting]);
  return shot;
}

// ---------- Xt: labels from the app-defaults file, matched to widget windows ----------

interface XNode {
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  children: XNode[];
}

/** The window tree of `xwininfo -tree -id` with absolute screen positions. */
async function xTree(d: Desktop, windowId: number): Promise<XNode> {
  const { stdout } = await run('xwininfo', ['-tree', '-id', String(windowId)], { env: d.env, maxBuffer: 1 << 24 });
  const root: XNode = { id: windowId, x: 0, y: 0, w: 0, h: 0, children: [] };
  const stack: Array<{ indent: number; node: XNode }> = [{ indent: -1, node: root }];
  for (const line of stdout.split('\n')) {
    const m = /^(\s*)(0x[0-9a-f]+) .*?\s(\d+)x(\d+)[+-]-?\d+[+-]-?\d+\s+\+(-?\d+)\+(-?\d+)\s*$/.exec(line);
    if (!m) continue;
    const node: XNode = {
      id: parseInt(m[2]!, 16),
      w: Number(m[3]),
      h: Number(m[4]),
      x: Number(m[5]),
      y: Number(m[6]),
      children: [],
    };
    const indent = m[1]!.length;
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    stack[stack.length - 1]!.node.children.push(node);
    stack.push({ indent, node });
  }
  return root;
}

function allNodes(node: XNode): XNode[] {
  return [node, ...node.children.flatMap(allNodes)];
}

/** `Class*widget.label: text` values of an app-defaults file, octal escapes decoded (Latin-1). */
function appDefaultsLabels(file: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const line of readFileSync(file, 'latin1').split('\n')) {
    const m = /^\S*?[*.]([\w.]+)\.[Ll]abel:\s*(.*)$/.exec(line);
    if (m) labels.set(m[1]!, m[2]!.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))).trim());
  }
  return labels;
}

/** Pairs widget windows (sorted top-to-bottom, left-to-right) with their labels; null labels are icons. */
function pairWidgets(windows: XNode[], labels: Array<string | null>, what: string, role: string): TruthElement[] {
  if (windows.length !== labels.length)
    throw new Error(`${what}: ${windows.length} widget windows for ${labels.length} labels`);
  const sorted = [...windows].sort((a, b) => a.y - b.y || a.x - b.x);
  return sorted.flatMap((w, i) => {
    const name = labels[i];
    // Only text the core X fonts draw as written: ASCII (xcalc's symbol-font glyphs are not text).
    if (!name || !/^[\x21-\x7e][\x20-\x7e]*$/.test(name)) return [];
    return [{ name, role, box: { x: w.x, y: w.y, w: w.w, h: w.h } }];
  });
}

async function xcalcShot(d: Desktop): Promise<Shot> {
  const app = await launchByName(d, 'xcalc', [], /^Calculator$/);
  await d.focus(app.windowId);
  await sleep(800);
  const tree = await xTree(d, app.windowId);
  // The calculator form: the only window whose children are ~55 equal buttons.
  const form = allNodes(tree).find(
    (n) => n.children.filter((c) => c.w >= 30 && c.w <= 60 && c.h >= 20 && c.h <= 40).length > 40,
  );
  if (!form) throw new Error('xcalc: no button form in the window tree');
  const buttons = form.children.filter((c) => c.w >= 30 && c.w <= 60 && c.h >= 20 && c.h <= 40);
  const defaults = appDefaultsLabels('/etc/X11/app-defaults/XCalc');
  const resources = readFileSync('/etc/X11/app-defaults/XCalc', 'latin1');
  // Keys drawn in the Symbol font ("p" is drawn as π) carry no readable text.
  const symbolFont = (i: number): boolean => new RegExp(`ti\\.button${i}\\.font:.*symbol`).test(resources);
  const labels = buttons.map((_, i) => (symbolFont(i + 1) ? null : (defaults.get(`ti.button${i + 1}`) ?? null)));
  const shot = await captureX(d, app.windowId);
  const elements = pairWidgets(buttons, labels, 'xcalc', 'push button');
  return { image: shot.image, title: shot.title, elements: toImage(elements, shot.x, shot.y, shot.image) };
}

async function bitmapShot(d: Desktop): Promise<Shot> {
  const app = await launchByName(d, 'bitmap', [], /^bitmap$/);
  await d.focus(app.windowId, { width: 700, height: 640 });
  await sleep(800);
  const tree = await xTree(d, app.windowId);
  const nodes = allNodes(tree);
  const defaults = appDefaultsLabels('/etc/X11/app-defaults/Bitmap');
  // Creation order of bitmap's command form (bitmap.c): text buttons, then 9 arrow icons, then the drawing tools.
  const order = ['clear', 'set', 'invert', 'mark', 'unmark', 'copy', 'move'];
  const tools = [
    'point',
    'curve',
    'line',
    'rectangle',
    'filledRectangle',
    'circle',
    'filledCircle',
    'floodFill',
    'setHotSpot',
    'clearHotSpot',
    'undo',
  ];
  const formLabels = [
    ...order.map((k) => defaults.get(`form.${k}`)!),
    ...Array<null>(9).fill(null),
    ...tools.map((k) => defaults.get(`form.${k}`)!),
  ];
  const form = nodes.find((n) => n.children.length === formLabels.length);
  const bar = nodes.find((n) => n.children.length === 3 && n.children.every((c) => c.h < 24));
  if (!form || !bar) throw new Error('bitmap: command form or menu bar not found in the window tree');
  const menus = [...bar.children].sort((a, b) => a.x - b.x).slice(0, 2);
  const elements = [
    ...pairWidgets(menus, [defaults.get('fileButton')!, defaults.get('editButton')!], 'bitmap menus', 'menu'),
    ...pairWidgets(form.children, formLabels, 'bitmap form', 'push button'),
  ];
  const shot = await captureX(d, app.windowId);
  return { image: shot.image, title: shot.title, elements: toImage(elements, shot.x, shot.y, shot.image) };
}

/**
 * xfontsel: its 14 XLFD field menus (short names from the app-defaults file) between "-" labels,
 * and the quit/select buttons. The "N names match" count and the font name are set at run time:
 * not in the app-defaults, left out (as the dashes).
 */
async function xfontselShot(d: Desktop): Promise<Shot> {
  const app = await launchByName(d, 'xfontsel', [], /^xfontsel$/);
  await d.focus(app.windowId);
  await sleep(1500);
  const nodes = allNodes(await xTree(d, app.windowId));
  const defaults = appDefaultsLabels('/etc/X11/app-defaults/XFontSel');
  // The field box (xfontsel.c): a dash label, then field i's menu button, for each of the 14 fields.
  const fieldLabels = Array.from({ length: 14 }, (_, i) => [null, defaults.get(`field${i}`)!]).flat();
  const fields = nodes.find((n) => n.children.length === fieldLabels.length);
  const commands = nodes.find((n) => n.children.length === 3 && n.children.every((c) => c.h < 24));
  if (!fields || !commands) throw new Error('xfontsel: field box or command row not found in the window tree');
  const elements = [
    ...pairWidgets(
      commands.children,
      [defaults.get('quitButton')!, defaults.get('ownButton')!, null],
      'xfontsel commands',
      'push button',
    ),
    ...pairWidgets(fields.children, fieldLabels, 'xfontsel fields', 'menu'),
  ];
  const shot = await captureX(d, app.windowId);
  return { image: shot.image, title: shot.title, elements: toImage(elements, shot.x, shot.y, shot.image) };
}

/**
 * NEdit's Replace/Find dialog (Motif). Every control here is a widget with its own X window; the
 * labels are compiled into NEdit (no app-defaults), so they are listed in layout order (top to
 * bottom, left to right; null for the two text fields) and each must be a string, or the tail of
 * one, in the nedit binary. The number of leaf windows must match.
 */
const NEDIT_REPLACE_LABELS: Array<[string, string] | null> = [
  ['String to Find:', 'label'],
  ['(use up arrow key to recall previous)', 'label'],
  null,
  ['Replace With:', 'label'],
  null,
  ['Regular Expression', 'check box'],
  ['Case Sensitive', 'check box'],
  ['Whole Word', 'check box'],
  ['Search Backward', 'check box'],
  ['Keep Dialog', 'check box'],
  ['Window', 'push button'],
  ['Selection', 'push button'],
  ['Multiple Documents...', 'push button'],
  ['Replace all in:', 'label'],
  ['Replace', 'push button'],
  ['Find', 'push button'],
  ['Replace & Find', 'push button'],
  ['Cancel', 'push button'],
];

async function neditReplaceShot(d: Desktop): Promise<Shot> {
  const binary = readFileSync('/usr/bin/nedit');
  const absent = NEDIT_REPLACE_LABELS.flatMap((l) =>
    l && binary.indexOf(Buffer.from(`${l[0]}\0`, 'latin1')) < 0 ? [l[0]] : [],
  );
  if (absent.length) throw new Error(`nedit: labels not in /usr/bin/nedit: ${absent.join(', ')}`);
  rmSync(join(d.home, '.nedit'), { recursive: true, force: true });
  const app = await launchByName(d, 'nedit', [], /^Untitled$/);
  await d.focus(app.windowId);
  await sleep(800);
  await d.xdotool('key', 'ctrl+r');
  const dialog = await waitFor('the Replace/Find dialog', 30_000, async () => {
    const out = await d.xdotool('search', '--onlyvisible', '--name', '^Replace/Find$');
    return Number(out.trim().split('\n')[0]) || null;
  });
  await d.focus(dialog);
  // Text in both fields makes Replace, Find and Window sensitive (Selection and Multiple
  // Documents... stay greyed out: no selection, one document).
  await d.xdotool('type', '--delay', '40', 'kitchen');
  await d.xdotool('key', 'Tab');
  await d.xdotool('type', '--delay', '40', 'bathroom');
  await sleep(800);
  const leaves = allNodes(await xTree(d, dialog)).filter((n) => n.id !== dialog && n.children.length === 0);
  const roles = new Map(NEDIT_REPLACE_LABELS.flatMap((l) => (l ? [l] : [])));
  const elements = pairWidgets(
    leaves,
    NEDIT_REPLACE_LABELS.map((l) => l?.[0] ?? null),
    'nedit Replace/Find',
    'label',
  ).map((e) => ({ ...e, role: roles.get(e.name) ?? e.role }));
  const shot = await captureX(d, dialog);
  return { image: shot.image, title: shot.title, elements: toImage(elements, shot.x, shot.y, shot.image) };
}

// ---------- Chromium: text boxes from the DOM ----------

/** Visible text in the page: short whole-element texts as labels, everything else as words. */
function domTextBoxes(): Array<{ name: string; role: string; box: { x: number; y: number; w: number; h: number } }> {
  const out: Array<{ name: string; role: string; box: { x: number; y: number; w: number; h: number } }> = [];
  const roleOf = (el: Element): string => {
    const tag = el.closest('a,button,label,th,td,h1,h2,h3,h4,legend,li,dt,code')?.tagName.toLowerCase() ?? '';
    const roles: Record<string, string> = {
      a: 'link',
      button: 'push button',
      th: 'table column header',
      td: 'table cell',
      li: 'list item',
    };
    return roles[tag] ?? (/^h\d$/.test(tag) ? 'heading' : 'label');
  };
  const visible = (el: Element): boolean => {
    const style = getComputedStyle(el);
    return style.visibility === 'visible' && style.display !== 'none' && Number(style.opacity) > 0;
  };
  const inView = (r: DOMRect): boolean =>
    r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const raw = node.textContent ?? '';
    if (!el || !raw.trim() || el.closest('select,script,style') || !visible(el)) continue;
    const upper = getComputedStyle(el).textTransform === 'uppercase';
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const text = raw.replace(/\s+/g, ' ').trim();
    // A label is a whole element's text on one line; fragments of prose around inline code or links are words.
    const whole = (el.textContent ?? '').replace(/\s+/g, ' ').trim() === text;
    if (whole && rects.length === 1 && text.length <= 40 && inView(rects[0]!)) {
      const r = rects[0]!;
      out.push({
        name: upper ? text.toUpperCase() : text,
        role: roleOf(el),
        box: { x: r.left, y: r.top, w: r.width, h: r.height },
      });
      continue;
    }
    for (const m of raw.matchAll(/\S+/g)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const parts = [...range.getClientRects()].filter((r) => r.width > 0);
      if (parts.length !== 1 || !inView(parts[0]!)) continue; // hyphen-wrapped or scrolled out
      const r = parts[0]!;
      out.push({
        name: upper ? m[0].toUpperCase() : m[0],
        role: 'word',
        box: { x: r.left, y: r.top, w: r.width, h: r.height },
      });
    }
  }
  for (const select of document.querySelectorAll('select')) {
    const r = select.getBoundingClientRect();
    const text = select.selectedOptions[0]?.textContent?.trim();
    if (text && inView(r))
      out.push({ name: text, role: 'combo box', box: { x: r.left, y: r.top, w: r.width, h: r.height } });
  }
  return out;
}

async function webShot(
  url: string,
  options: { scale: number; dark: boolean; width: number; height: number; title: string },
): Promise<Shot> {
  const profile = mkdtempSync(join(tmpdir(), 'sidekick-unseen-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: options.width, height: options.height },
    deviceScaleFactor: options.scale,
    colorScheme: options.dark ? 'dark' : 'light',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.evaluate(() => document.fonts.ready.then(() => true));
    // tsx compiles functions with esbuild's keepNames, which calls a `__name` helper the page lacks.
    await page.evaluate('window.__name = (fn) => fn');
    const boxes = await page.evaluate(domTextBoxes);
    const png = await page.screenshot({ type: 'png' });
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const image = rawImage(data, info.width, info.height);
    const s = options.scale;
    const elements = boxes.map((b) => ({
      ...b,
      box: { x: b.box.x * s, y: b.box.y * s, w: b.box.w * s, h: b.box.h * s },
    }));
    return { image, title: options.title, elements: toImage(elements, 0, 0, image), textExtents: true };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// ---------- the fixture set ----------

/** Opens a menu of the focused window with a key and waits for it to draw. */
async function openMenu(d: Desktop, key: string): Promise<void> {
  await d.xdotool('key', key);
  await sleep(1200);
}

/** SpeedCrunch with no saved settings, history or docks from an earlier fixture. */
async function launchSpeedCrunch(d: Desktop, env: NodeJS.ProcessEnv = {}): Promise<AppWindow> {
  rmSync(join(d.home, '.config/SpeedCrunch'), { recursive: true, force: true });
  rmSync(join(d.home, '.local/share/SpeedCrunch'), { recursive: true, force: true });
  return launch(d, 'speedcrunch', [], /^SpeedCrunch$/, env);
}

/** FeatherPad showing a short plain-text note (every line in view, none wrapped). */
async function launchFeatherPad(d: Desktop): Promise<AppWindow> {
  rmSync(join(d.home, '.config/featherpad'), { recursive: true, force: true });
  const note = join(d.home, 'notes.txt');
  writeFileSync(
    note,
    'Shopping list for the weekend\n\nApples, pears and plums\nBread from the corner bakery\n' +
      'Call the plumber about the kitchen sink\nReturn library books by Friday\n',
  );
  return launch(d, 'featherpad', [note], /notes\.txt/);
}

/**
 * qalculate-gtk with its keypad open (a dev keypad: the blind half's calculators are other apps). A
 * fresh HOME has no configuration, so the keypad is turned on in the config file it reads at start.
 */
async function qalculateShot(d: Desktop, env: NodeJS.ProcessEnv = {}, scale = 1): Promise<Shot> {
  const configDir = join(d.home, '.config/qalculate');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'qalculate-gtk.cfg'), '[General]\nshow_keypad=1\nshow_history=0\n');
  const app = await launch(d, 'qalculate-gtk', [], /Qalculate/, env);
  await d.focus(app.windowId);
  await sleep(2500);
  const shot = await atspiShot(d, 'gtk3', app.pid, app.windowId, { scale });
  // Left out: the arrow buttons beside each function key (named "Menu", drawn as an arrow icon) and
  // the labels drawn with a superscript ("x^y", "a(x)^b": their names run the two lines together).
  const notDrawn = new Set(['Menu', 'xy', 'a(x)b']);
  return { ...shot, elements: shot.elements.filter((e) => !notDrawn.has(e.name)) };
}

/** The GTK 3 and GTK 4 widget factories: binary, X window name, where its first slider's knob is drawn. */
const WIDGET_FACTORIES = {
  // GTK 3's sets no title: X names its window after the binary, AT-SPI leaves the name empty.
  3: { binary: 'gtk3-widget-factory', window: /^gtk3-widget-factory$/, knob: [708, 151], env: {} },
  // GTK 4.8 needs these to publish its tree (as gnome-calculator); its X window adds resize margins.
  4: {
    binary: 'gtk4-widget-factory',
    window: /^GTK Widget Factory$/,
    knob: [846, 149],
    env: { GTK_A11Y: 'atspi', GSK_RENDERER: 'cairo' },
  },
} as const;

/**
 * Starts a widget factory at its default size with animations off (the spinners would keep
 * turning) and its pulsing progress bar stopped: the first slider at its maximum (End) stops the
 * pulse timer (widget-factory.c), so two captures can agree.
 */
async function startWidgetFactory(d: Desktop, gtk: 3 | 4, env: NodeJS.ProcessEnv = {}): Promise<AppWindow> {
  const factory = WIDGET_FACTORIES[gtk];
  mkdirSync(join(d.home, `.config/gtk-${gtk}.0`), { recursive: true });
  writeFileSync(join(d.home, `.config/gtk-${gtk}.0/settings.ini`), '[Settings]\ngtk-enable-animations=0\n');
  const app = await launch(d, factory.binary, [], factory.window, { ...factory.env, ...env });
  await d.focus(app.windowId);
  await sleep(2000);
  await clickIn(d, app.windowId, factory.knob[0], factory.knob[1]);
  await d.xdotool('key', 'End');
  return app;
}

async function clickIn(d: Desktop, windowId: number, x: number, y: number): Promise<void> {
  await d.xdotool('mousemove', '--window', String(windowId), String(x), String(y), 'click', '1');
  await sleep(300);
}

/** gtk3-widget-factory on page 1 or 2 of its stack. */
async function widgetFactoryShot(d: Desktop, page: 1 | 2, env: NodeJS.ProcessEnv = {}): Promise<Shot> {
  const app = await startWidgetFactory(d, 3, env);
  if (page === 2) await clickIn(d, app.windowId, 682, 27); // "Page 2" of the header bar's stack switcher
  await d.xdotool('mousemove', '1919', '1079');
  await sleep(1500);
  const shot = await atspiShot(d, 'gtk3', app.pid, app.windowId, { title: '^$', comboBoxes: true });
  // The combo boxes showing a row of its people list are named after the row's icon: their drawn
  // text is the row's name in the model (the .ui compiled into the binary).
  const ui = readFileSync('/usr/bin/gtk3-widget-factory', 'latin1');
  const people = new Map(
    [...ui.matchAll(/<col id="1">([\w-]+-symbolic)<\/col><col id="2" translatable="yes">([^<]+)<\/col>/g)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  );
  // Left out: the header bar's icon buttons ("Close", "Menu" also for the gear button of page 2) and the
  // expander, whose box is its whole open area. Page 2's labels that fill a pane ("Left", "Bottom") are
  // drawn as one line at the pane's middle (GtkLabel's yalign 0.5): their boxes become that line (17 px,
  // as the one-line labels "Row 1" and "Top" here).
  const line = 17;
  const elements = shot.elements
    .map((e) => (e.role === 'combo box' ? { ...e, name: people.get(e.name) ?? e.name } : e))
    .filter((e) => !['Close', 'Menu', 'Expander'].includes(e.name) && !e.name.endsWith('-symbolic'))
    .map((e) =>
      e.role === 'label' && e.box.h > 3 * line
        ? { ...e, box: { ...e.box, y: e.box.y + Math.round((e.box.h - line) / 2), h: line } }
        : e,
    );
  return { ...shot, elements };
}

const FIXTURES: UnseenSpec[] = [
  // ----- blind: galculator (GTK 3), gnome-calculator (GTK 4), IDLE (Tk), xcalc (Xt), settings page (Chromium),
  // SpeedCrunch (Qt 5)
  // (No gnome-text-editor: GTK 4.8 reports popover items relative to the popover's own surface and its
  // libadwaita dialogs are not drawn under Xvfb here, so its truth could not be trusted.)
  {
    name: 'galculator',
    half: 'blind',
    app: 'galculator',
    toolkit: 'GTK 3',
    description: 'galculator in basic mode, 1x, light',
    async make(d) {
      const app = await launch(d, 'galculator', [], /galculator/);
      await d.focus(app.windowId);
      await sleep(1500);
      return atspiShot(d, 'gtk3', app.pid, app.windowId);
    },
  },
  {
    name: 'galculator-dark-menu',
    half: 'blind',
    app: 'galculator',
    toolkit: 'GTK 3',
    theme: 'Adwaita:dark',
    description: 'galculator, Adwaita dark, its View menu open',
    async make(d) {
      const app = await launch(d, 'galculator', [], /galculator/, { GTK_THEME: 'Adwaita:dark' });
      await d.focus(app.windowId);
      await sleep(1500);
      await openMenu(d, 'alt+v');
      return atspiShot(d, 'gtk3', app.pid, app.windowId);
    },
  },
  {
    name: 'gnome-calculator',
    half: 'blind',
    app: 'GNOME Calculator',
    toolkit: 'GTK 4',
    description: 'gnome-calculator in advanced mode, light',
    async make(d) {
      const app = await launch(d, 'gnome-calculator', ['--mode=advanced'], /Calculator/, {
        GTK_A11Y: 'atspi',
        GSK_RENDERER: 'cairo',
      });
      await d.focus(app.windowId);
      await sleep(2500);
      return atspiShot(d, 'gtk4', app.pid, app.windowId);
    },
  },
  {
    name: 'gnome-calculator-2x',
    half: 'blind',
    app: 'GNOME Calculator',
    toolkit: 'GTK 4',
    scale: 2,
    description: 'gnome-calculator in basic mode at GDK_SCALE=2',
    async make(d) {
      const app = await launch(d, 'gnome-calculator', ['--mode=basic'], /Calculator/, {
        GTK_A11Y: 'atspi',
        GSK_RENDERER: 'cairo',
        GDK_SCALE: '2',
      });
      await d.focus(app.windowId);
      await sleep(2500);
      return atspiShot(d, 'gtk4', app.pid, app.windowId, { scale: 2 });
    },
  },
  {
    name: 'idle-shell-dark',
    half: 'blind',
    app: 'IDLE',
    toolkit: 'Tk',
    theme: "IDLE's built-in 'IDLE Dark' highlighting theme",
    description: "IDLE's Python shell window (menu bar, banner text as words, status bar), dark text area",
    make: (d) => idleShot(d, 'IDLE Shell', true),
  },
  {
    name: 'idle-settings',
    half: 'blind',
    app: 'IDLE',
    toolkit: 'Tk',
    description: "IDLE's Settings dialog (ttk notebook tabs, font list, buttons), captured alone",
    make: (d) => idleShot(d, 'Settings'),
  },
  {
    name: 'xcalc',
    half: 'blind',
    app: 'xcalc',
    toolkit: 'Xt (Athena)',
    description: 'xcalc (TI-30 mode): bitmap-font button labels; symbol-font keys left out',
    make: xcalcShot,
  },
  {
    name: 'web-settings',
    half: 'blind',
    app: 'Chromium settings page',
    toolkit: 'Chromium (HTML)',
    description: 'A web app settings page (e2e/support/unseen/settings.html) in Chromium, 1x, light',
    make: () =>
      webShot(pathToFileURL(join(HELPERS, 'settings.html')).href, {
        scale: 1,
        dark: false,
        width: 1280,
        height: 800,
        title: 'Preferences - Mailroom',
      }),
  },
  {
    name: 'web-settings-dark-2x',
    half: 'blind',
    app: 'Chromium settings page',
    toolkit: 'Chromium (HTML)',
    scale: 2,
    theme: 'prefers-color-scheme: dark',
    description: 'The same settings page, dark colour scheme, device scale factor 2',
    make: () =>
      webShot(pathToFileURL(join(HELPERS, 'settings.html')).href, {
        scale: 2,
        dark: true,
        width: 960,
        height: 640,
        title: 'Preferences - Mailroom',
      }),
  },
  {
    name: 'speedcrunch-keypad-constants',
    half: 'blind',
    app: 'SpeedCrunch',
    toolkit: 'Qt 5',
    description: 'SpeedCrunch 0.12 with its keypad and the Constants dock (list of constants, cut-off rows left out)',
    async make(d) {
      const app = await launchSpeedCrunch(d);
      await d.focus(app.windowId, { width: 1100, height: 720 });
      await sleep(1000);
      await d.xdotool('key', 'ctrl+k');
      await sleep(500);
      await d.xdotool('key', 'ctrl+2');
      await sleep(1500);
      return atspiShot(d, 'qt', app.pid, app.windowId);
    },
  },
  {
    name: 'speedcrunch-2x-menu',
    half: 'blind',
    app: 'SpeedCrunch',
    toolkit: 'Qt 5',
    scale: 2,
    description: 'SpeedCrunch at QT_SCALE_FACTOR=2, its View menu open',
    async make(d) {
      const app = await launchSpeedCrunch(d, { QT_SCALE_FACTOR: '2' });
      await d.focus(app.windowId);
      await sleep(1500);
      await openMenu(d, 'alt+v');
      return atspiShot(d, 'qt', app.pid, app.windowId, { scale: 2 });
    },
  },
  // ----- dev: gucharmap (GTK 3), GTK file chooser (zenity), bitmap (Xt), libffi manual (Chromium), NEdit (Motif),
  // FeatherPad (Qt), Qalculate! (GTK 3 keypad), GTK 3 and 4 Widget Factories,
  // qt5ct (Qt 5), turtledemo (Tk), xfontsel (Xt)
  {
    name: 'gucharmap-2x',
    half: 'dev',
    app: 'Character Map',
    toolkit: 'GTK 3',
    scale: 2,
    description: 'gucharmap at GDK_SCALE=2 (menus, sidebar list of scripts)',
    async make(d) {
      const app = await launch(d, 'gucharmap', [], /Character Map/, { GDK_SCALE: '2' });
      await d.focus(app.windowId, { width: 1600, height: 1000 });
      await sleep(2500);
      return atspiShot(d, 'gtk3', app.pid, app.windowId, { scale: 2 });
    },
  },
  {
    name: 'gucharmap-dark-menu',
    half: 'dev',
    app: 'Character Map',
    toolkit: 'GTK 3',
    theme: 'Adwaita:dark',
    description: 'gucharmap, Adwaita dark, View menu open',
    async make(d) {
      const app = await launch(d, 'gucharmap', [], /Character Map/, { GTK_THEME: 'Adwaita:dark' });
      await d.focus(app.windowId, { width: 1200, height: 800 });
      await sleep(2500);
      await openMenu(d, 'alt+v');
      return atspiShot(d, 'gtk3', app.pid, app.windowId);
    },
  },
  {
    name: 'file-chooser',
    half: 'dev',
    app: 'GTK file chooser (zenity --file-selection)',
    toolkit: 'GTK 3',
    description: "GTK 3's file chooser dialog (places sidebar, column headers, buttons; file list cells left out)",
    // GtkTreeView's cell extents drift by about a pixel per row from the drawn rows (13 px by row 12).
    dropRoles: ['table cell'],
    async make(d) {
      for (const f of ['budget-2026.ods', 'notes.txt', 'photo.png', 'report.pdf']) writeFileSync(join(d.home, f), f);
      mkdirSync(join(d.home, 'Documents'), { recursive: true });
      mkdirSync(join(d.home, 'Music'), { recursive: true });
      const app = await launch(
        d,
        'zenity',
        ['--file-selection', '--title=Open a spreadsheet', `--filename=${d.home}/`],
        /Open a spreadsheet/,
      );
      await d.focus(app.windowId, { width: 900, height: 600 });
      await sleep(2000);
      return atspiShot(d, 'gtk3', app.pid, app.windowId);
    },
  },
  {
    name: 'bitmap',
    half: 'dev',
    app: 'bitmap',
    toolkit: 'Xt (Athena)',
    description: 'The X bitmap editor: Athena command buttons and menu buttons; arrow icons left out',
    make: bitmapShot,
  },
  {
    name: 'web-libffi-manual',
    half: 'dev',
    app: 'libffi HTML manual',
    toolkit: 'Chromium (HTML)',
    description: "libffi8's bundled HTML manual (Texinfo) in Chromium, 1x: navigation links, headings, prose as words",
    make: () =>
      webShot(pathToFileURL('/usr/share/doc/libffi8/html/The-Basics.html').href, {
        scale: 1,
        dark: false,
        width: 1280,
        height: 800,
        title: 'The Basics (libffi)',
      }),
  },
  {
    name: 'nedit-replace',
    half: 'dev',
    app: 'NEdit',
    toolkit: 'Xt (Motif)',
    description: "NEdit 5.7's Replace/Find dialog: Motif labels, toggles and buttons, two greyed out",
    make: neditReplaceShot,
  },
  {
    name: 'featherpad-notes',
    half: 'dev',
    app: 'FeatherPad',
    toolkit: 'Qt 5',
    description: 'FeatherPad 1.3 editing a short note: menus, tab, status bar, the text as words',
    async make(d) {
      const app = await launchFeatherPad(d);
      await d.focus(app.windowId, { width: 900, height: 600 });
      await sleep(1500);
      return atspiShot(d, 'qt', app.pid, app.windowId, { words: true });
    },
  },
  {
    name: 'featherpad-preferences',
    half: 'dev',
    app: 'FeatherPad',
    toolkit: 'Qt 5',
    description: "FeatherPad's Preferences dialog (tabs, check boxes, combo box), tall enough not to scroll",
    async make(d) {
      const app = await launchFeatherPad(d);
      await d.focus(app.windowId, { width: 900, height: 600 });
      await sleep(1500);
      await d.xdotool('key', 'ctrl+shift+p');
      const dialog = await waitFor('the Preferences dialog', 30_000, async () => {
        const out = await d.xdotool(
          'search',
          '--all',
          '--onlyvisible',
          '--pid',
          String(app.pid),
          '--name',
          '^Preferences$',
        );
        const ids = out.split('\n').filter(Boolean).map(Number);
        return ids.length ? ids[ids.length - 1]! : null;
      });
      await d.focus(dialog, { width: 480, height: 720 });
      await sleep(1500);
      return atspiShot(d, 'qt', app.pid, dialog);
    },
  },
  {
    name: 'qalculate-keypad',
    half: 'dev',
    app: 'Qalculate!',
    toolkit: 'GTK 3',
    description: 'qalculate-gtk 4.5 with its keypad shown: one- and two-character button labels, operators, functions',
    make: (d) => qalculateShot(d),
  },
  {
    name: 'qalculate-keypad-dark-2x',
    half: 'dev',
    app: 'Qalculate!',
    toolkit: 'GTK 3',
    theme: 'Adwaita:dark',
    scale: 2,
    description: 'qalculate-gtk with its keypad at GDK_SCALE=2, Adwaita dark',
    make: (d) => qalculateShot(d, { GTK_THEME: 'Adwaita:dark', GDK_SCALE: '2' }, 2),
  },
  {
    name: 'gtk3-widget-factory',
    half: 'dev',
    app: 'GTK 3 Widget Factory',
    toolkit: 'GTK 3',
    description:
      'gtk3-widget-factory page 1: greyed-out twins of most widgets, list column headers and cells, notebook tabs',
    make: (d) => widgetFactoryShot(d, 1),
  },
  {
    name: 'gtk3-widget-factory-dark-page2',
    half: 'dev',
    app: 'GTK 3 Widget Factory',
    toolkit: 'GTK 3',
    theme: 'Adwaita:dark',
    description: 'gtk3-widget-factory page 2, Adwaita dark: menu bar, list of languages, calendar, buttons',
    make: (d) => widgetFactoryShot(d, 2, { GTK_THEME: 'Adwaita:dark' }),
  },
  {
    name: 'qt5ct-interface',
    half: 'dev',
    app: 'qt5ct',
    toolkit: 'Qt 5',
    description: "qt5ct 1.5's Interface tab: form labels ending in ':', greyed-out combo boxes, check boxes",
    async make(d) {
      rmSync(join(d.home, '.config/qt5ct'), { recursive: true, force: true });
      const app = await launch(d, 'qt5ct', [], /^Qt5 Configuration Tool$/);
      await d.focus(app.windowId);
      await sleep(1500);
      // Appearance -> Fonts -> Icon Theme -> Interface.
      for (let i = 0; i < 3; i++) {
        await d.xdotool('key', 'ctrl+Tab');
        await sleep(400);
      }
      await sleep(1000);
      return atspiShot(d, 'qt', app.pid, app.windowId);
    },
  },
  {
    name: 'turtledemo-examples-menu',
    half: 'dev',
    app: 'turtledemo',
    toolkit: 'Tk',
    description: "Python's turtledemo (bytedesign's source as words), its Examples menu open, buttons greyed out",
    make: turtledemoShot,
  },
  {
    name: 'xfontsel',
    half: 'dev',
    app: 'xfontsel',
    toolkit: 'Xt (Athena)',
    description: 'xfontsel: a row of abbreviated XLFD field menus joined by dashes, quit/select buttons',
    make: xfontselShot,
  },
  {
    name: 'gtk4-widget-factory',
    half: 'dev',
    app: 'GTK 4 Widget Factory',
    toolkit: 'GTK 4',
    description: 'gtk4-widget-factory page 1: greyed-out twins, text styles from Large Title to Caption (labels only)',
    async make(d) {
      const app = await startWidgetFactory(d, 4);
      await d.xdotool('mousemove', '1919', '1079');
      await sleep(1500);
      const shot = await atspiShot(d, 'gtk4', app.pid, app.windowId);
      // Only the labels: GTK 4.8 names every notebook tab "Tab", the stack switcher's buttons with
      // their mnemonic ("Page _1"), switches "GtkSwitch", and check buttons repeat their label's
      // text. The video's "0:00" belongs to controls that are hidden while the pointer is away.
      return { ...shot, elements: shot.elements.filter((e) => e.role === 'label' && e.name !== '0:00') };
    },
  },
];

const CELL_ROLES = new Set(['table cell', 'list item', 'tree item']);
/** Average advance of the default UI fonts here (DejaVu Sans / Cantarell at 10-11 pt), logical pixels. */
const AVERAGE_CHAR_WIDTH = 8;

/**
 * Names the OCR could read as written: non-empty, Latin script, not cut off by its box. List and
 * table cells end their text with "…" when it does not fit, so a cell whose name would need more
 * than its width at the fonts' average advance (plus padding) is dropped (unless the boxes are the
 * text's own extents, as in the DOM).
 */
function drawnLabels(elements: TruthElement[], scale: number, textExtents: boolean): TruthElement[] {
  return elements.filter((e) => {
    const name = e.name.trim();
    if (!name || !/^[\x20-\x7e\u00a0-\u017f\u2018-\u201d\u2026]+$/.test(name)) return false;
    if (e.role === 'word') return true;
    if (!textExtents && CELL_ROLES.has(e.role) && name.length * AVERAGE_CHAR_WIDTH * scale > e.box.w - 8 * scale)
      return false;
    return name.length * MIN_CHAR_WIDTH * scale <= e.box.w;
  });
}

const MENU_ROLES = new Set(['menu item', 'check menu item', 'radio menu item', 'separator']);

/**
 * With a menu open, drops what the menu covers. The open menu is the area of the menu items below
 * the menu bar row (Qt names both menu-bar entries and items "menu item" and has no popup role, so
 * atspi_truth.py's own popup handling does not apply).
 */
function dropCoveredByMenu(elements: TruthElement[]): TruthElement[] {
  const items = elements.filter((e) => MENU_ROLES.has(e.role) || e.role === 'menu');
  if (!items.length) return elements;
  const barBottom = Math.min(...items.map((e) => e.box.y)) + 4;
  const popup = items.filter((e) => e.box.y > barBottom);
  if (!popup.length) return elements;
  const left = Math.min(...popup.map((e) => e.box.x));
  const top = Math.min(...popup.map((e) => e.box.y));
  const right = Math.max(...popup.map((e) => e.box.x + e.box.w));
  const bottom = Math.max(...popup.map((e) => e.box.y + e.box.h));
  return elements.filter((e) => {
    if (popup.includes(e)) return true;
    const b = e.box;
    return b.x >= right || b.x + b.w <= left || b.y >= bottom || b.y + b.h <= top;
  });
}

async function stopStarted(): Promise<void> {
  for (const app of started.splice(0).reverse()) {
    try {
      process.kill(app.pid, 'SIGTERM');
    } catch {
      continue;
    }
    const gone = async (): Promise<true | null> => {
      try {
        process.kill(app.pid, 0);
        return null;
      } catch {
        return true;
      }
    };
    await waitFor(`pid ${app.pid} to exit`, 10_000, gone).catch(() => process.kill(app.pid, 'SIGKILL'));
  }
}

async function makeFixture(d: Desktop, spec: UnseenSpec, previewDir: string): Promise<void> {
  let shot: Shot;
  try {
    // The pointer rests in the screen corner: a tooltip under it would hide labels the truth lists.
    await d.xdotool('mousemove', '1919', '1079');
    shot = await spec.make(d);
  } finally {
    await stopStarted();
  }
  const dir = join(OUT_DIR, spec.half);
  mkdirSync(dir, { recursive: true });
  const pngPath = join(dir, `${spec.name}.png`);
  const png = await sharp(Buffer.from(shot.image.data), {
    raw: { width: shot.image.width, height: shot.image.height, channels: 4 },
  })
    .removeAlpha()
    .png({ compressionLevel: 9, effort: 10 })
    .toBuffer();
  writeFileSync(pngPath, png);
  const scale = spec.scale ?? 1;
  const kept = shot.elements.filter((e) => !spec.dropRoles?.includes(e.role));
  const drawn = dropCoveredByMenu(drawnLabels(kept, scale, shot.textExtents ?? false));
  const elements = shot.textExtents ? drawn : dropClippedCells(drawn, shot.image);
  const truth: ScreenTruth = ScreenTruthSchema.parse({
    image: `${spec.name}.png`,
    app: spec.app,
    title: shot.title,
    scale,
    ...(spec.theme ? { theme: spec.theme } : {}),
    description: `${spec.description} [${spec.toolkit}]`,
    elements,
  });
  writeFileSync(join(dir, `${spec.name}.truth.json`), JSON.stringify(truth, null, 1) + '\n');
  await drawPreview(pngPath, truth, join(previewDir, `${spec.name}.boxes.png`));
  console.log(
    `${spec.half}/${spec.name}: ${shot.image.width}x${shot.image.height}, ` +
      `${elements.length} elements, ${(png.length / 1024).toFixed(0)} KB`,
  );
}

async function main(argv: string[]): Promise<void> {
  const previewFlag = argv.indexOf('--preview');
  const previewDir =
    previewFlag >= 0 ? resolve(argv[previewFlag + 1] ?? '') : join(REPO, 'e2e/artifacts/unseen-previews');
  const names = argv.filter((arg, i) => !arg.startsWith('--') && (previewFlag < 0 || i !== previewFlag + 1));
  const unknown = names.filter((n) => !FIXTURES.some((f) => f.name === n || f.half === n));
  if (unknown.length)
    throw new Error(
      `unknown fixture(s) ${unknown.join(', ')}; known: blind, dev, ${FIXTURES.map((f) => f.name).join(', ')}`,
    );
  mkdirSync(previewDir, { recursive: true });
  const desktop = await startDesktop({ width: 1920, height: 1080, accessibility: true });
  process.env.DISPLAY = desktop.display;
  const failed: string[] = [];
  try {
    for (const spec of FIXTURES.filter((f) => names.length === 0 || names.includes(f.name) || names.includes(f.half))) {
      try {
        await makeFixture(desktop, spec, previewDir);
      } catch (error) {
        failed.push(spec.name);
        console.error(`${spec.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await desktop.stop();
  }
  console.log(`previews with the truth boxes drawn: ${previewDir}`);
  if (failed.length) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
