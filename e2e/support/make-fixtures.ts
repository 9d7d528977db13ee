/**
 * Regenerates the real-application screenshots in e2e/fixtures/screens/ and their ground truth
 * (element names, roles and boxes read from each app's AT-SPI accessibility tree).
 *
 *   npx tsx e2e/support/make-fixtures.ts [name ...] [--preview <dir>]
 *
 * Each fixture runs on its own private Xvfb + openbox + AT-SPI desktop (e2e/support/desktop.ts),
 * is captured through the app's own capture code (src-main/capture) and gets
 * `<name>.png` + `<name>.truth.json`. `--preview` also writes copies with the truth boxes drawn
 * (ImageMagick), to look at before trusting them (default: e2e/artifacts/fixture-previews).
 * Needs: xvfb openbox xdotool x11-utils at-spi2-core python3-pyatspi gir1.2-atspi-2.0 dbus-x11
 * gnome-themes-extra imagemagick gnumeric mousepad abiword zenity.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { z } from 'zod';
import { captureWindow, type RgbaImage } from '../../src-main/capture';
import { ScreenTruthSchema, TruthElementSchema, type ScreenTruth, type TruthElement } from '../fixtures/screens/truth';
import { startDesktop, type AppWindow, type Desktop } from './desktop';

const run = promisify(execFile);
const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const OUT_DIR = join(REPO, 'e2e/fixtures/screens');
const TRUTH_SCRIPT = join(REPO, 'e2e/support/atspi_truth.py');
const WINDOW = { width: 1600, height: 900 };

const AtspiOutputSchema = z.object({
  app: z.string(),
  window: z.string(),
  role: z.string(),
  elements: z.array(TruthElementSchema),
});

interface FixtureSpec {
  name: string;
  app: string;
  description: string;
  launch(desktop: Desktop): Promise<AppWindow>;
  /** Puts the app in the state to capture; returns the window to capture (default: the main one). */
  prepare?(desktop: Desktop, main: AppWindow): Promise<number | void>;
  scale?: number;
  theme?: string;
  /** Also record every visible word of the document text. */
  words?: boolean;
  /** Window size to set (default 1600x900). */
  size?: { width: number; height: number };
}

function textFile(desktop: Desktop, name: string, source = '/usr/share/common-licenses/GPL-3'): string {
  const path = join(desktop.home, name);
  copyFileSync(source, path);
  return path;
}

async function activeWindow(desktop: Desktop): Promise<number> {
  return Number((await desktop.xdotool('getactivewindow')).trim());
}

async function waitForNewActiveWindow(desktop: Desktop, previous: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const id = await activeWindow(desktop).catch(() => previous);
    if (id !== previous) return id;
    await sleep(100);
  }
  throw new Error('no new window took focus');
}

/** The fixture set: several GTK apps, a menu open, a dialog, dark theme, HiDPI, dense text. */
const FIXTURES: FixtureSpec[] = [
  {
    name: 'gnumeric',
    app: 'Gnumeric',
    description: 'Gnumeric spreadsheet, 1600x900, menus and toolbars at rest',
    launch: (d) => d.launch('gnumeric', [], /Gnumeric/),
  },
  {
    name: 'gnumeric-view-menu',
    app: 'Gnumeric',
    description: 'Gnumeric with the View menu open (a separate popup window over the main one)',
    launch: (d) => d.launch('gnumeric', [], /Gnumeric/),
    async prepare(d) {
      await d.xdotool('key', 'alt+v');
      await sleep(800);
    },
  },
  {
    name: 'gnumeric-format-cells',
    app: 'Gnumeric',
    description: 'Gnumeric Format Cells dialog (only the dialog window is captured)',
    launch: (d) => d.launch('gnumeric', [], /Gnumeric/),
    async prepare(d, main) {
      await d.xdotool('key', 'ctrl+1');
      const dialog = await waitForNewActiveWindow(d, main.windowId);
      await sleep(1000);
      return dialog;
    },
  },
  {
    name: 'gnumeric-hidpi',
    app: 'Gnumeric',
    description: 'Gnumeric drawn at GDK_SCALE=2 (HiDPI), window 1600x900 device pixels',
    scale: 2,
    launch: (d) => d.launch('gnumeric', [], /Gnumeric/, { GDK_SCALE: '2' }),
  },
  {
    name: 'mousepad-text',
    app: 'Mousepad',
    description: 'Mousepad text editor with a long document (text-dense; document words included)',
    words: true,
    launch: (d) => d.launch('mousepad', [textFile(d, 'license.txt')], /license/),
  },
  {
    name: 'mousepad-dark',
    app: 'Mousepad',
    description: 'Mousepad with the Adwaita dark theme (GTK_THEME=Adwaita:dark)',
    theme: 'Adwaita:dark',
    words: true,
    launch: (d) =>
      d.launch('mousepad', [textFile(d, 'notes.txt', '/usr/share/common-licenses/Apache-2.0')], /notes/, {
        GTK_THEME: 'Adwaita:dark',
      }),
  },
  {
    name: 'zenity-list',
    app: 'Zenity',
    description: 'A zenity list dialog: a table with column headers, rows and dialog buttons',
    size: { width: 640, height: 420 },
    launch: (d) =>
      d.launch(
        'zenity',
        [
          '--list',
          '--title=Choose a printer',
          '--text=Pick the printer for the quarterly report:',
          '--column=Name',
          '--column=Location',
          '--column=Status',
          ...[
            'Office LaserJet',
            'Second floor',
            'Ready',
            'Color Plotter',
            'Design studio',
            'Out of paper',
            'Label Printer',
            'Warehouse',
            'Offline',
            'Photo Inkjet',
            'Marketing',
            'Ready',
          ],
        ],
        /Choose a printer/,
      ),
  },
  {
    name: 'abiword',
    app: 'AbiWord',
    description: 'AbiWord word processor with a short document',
    launch: (d) => d.launch('abiword', [textFile(d, 'letter.txt', '/usr/share/common-licenses/BSD')], /letter|AbiWord/),
  },
];

/** What to read from an application's accessibility tree. */
export interface AccessibleElementsQuery {
  pid: number;
  /** Regular expression (Python syntax) for the top-level window's accessible name. */
  title: string;
  /** Client-area origin of the captured window in screen pixels (xwininfo). */
  origin: { x: number; y: number };
  /** Size of the captured image: elements outside are dropped. */
  size: { width: number; height: number };
  /** Device pixels per logical pixel (GDK_SCALE). */
  scale?: number;
  /** Also list every visible word of multi-line text views. */
  words?: boolean;
}

/**
 * The elements with drawn labels in a window, from the app's AT-SPI tree (atspi_truth.py), boxes
 * in image pixels. The desktop must have been started with `accessibility: true`.
 */
export async function accessibleElements(desktop: Desktop, query: AccessibleElementsQuery): Promise<TruthElement[]> {
  const { stdout } = await run(
    '/usr/bin/python3',
    [
      TRUTH_SCRIPT,
      '--pid',
      String(query.pid),
      '--title',
      query.title,
      '--origin',
      `${query.origin.x},${query.origin.y}`,
      '--size',
      `${query.size.width},${query.size.height}`,
      '--scale',
      String(query.scale ?? 1),
      ...(query.words ? ['--words'] : []),
    ],
    { env: desktop.env, timeout: 120_000, maxBuffer: 1 << 26 },
  );
  return AtspiOutputSchema.parse(JSON.parse(stdout)).elements;
}

/** Why AT-SPI ground truth cannot be read here, or null. */
export function accessibilityUnavailableReason(): string | null {
  const install = 'apt-get install at-spi2-core python3-pyatspi gir1.2-atspi-2.0 dbus-x11';
  if (!existsSync('/usr/bin/dbus-daemon')) return `dbus-daemon is missing (${install})`;
  if (!['/usr/libexec/at-spi-bus-launcher', '/usr/lib/at-spi2-core/at-spi-bus-launcher'].some((p) => existsSync(p))) {
    return `at-spi-bus-launcher is missing (${install})`;
  }
  try {
    execFileSync(
      '/usr/bin/python3',
      ['-c', "import gi; gi.require_version('Atspi', '2.0'); from gi.repository import Atspi"],
      { stdio: 'ignore', timeout: 10_000 },
    );
  } catch {
    return `Python cannot load the AT-SPI bindings (${install})`;
  }
  return null;
}

/** The client-area origin of an X window in screen pixels, from xwininfo. */
export async function clientOrigin(desktop: Desktop, windowId: number): Promise<{ x: number; y: number }> {
  const { stdout } = await run('xwininfo', ['-id', String(windowId)], { env: desktop.env });
  const x = /Absolute upper-left X:\s+(-?\d+)/.exec(stdout);
  const y = /Absolute upper-left Y:\s+(-?\d+)/.exec(stdout);
  if (!x || !y) throw new Error(`xwininfo gave no origin for window ${windowId}:\n${stdout}`);
  return { x: Number(x[1]), y: Number(y[1]) };
}

/** Escapes text for a regular expression (JavaScript and Python agree on these escapes). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Draws the truth boxes on a copy of the screenshot, for a person to look at. */
export async function drawPreview(pngPath: string, truth: ScreenTruth, previewPath: string): Promise<void> {
  const draws = truth.elements.flatMap((e) => [
    '-stroke',
    e.role === 'word' ? 'blue' : 'red',
    '-draw',
    `rectangle ${e.box.x},${e.box.y} ${e.box.x + e.box.w - 1},${e.box.y + e.box.h - 1}`,
  ]);
  await run('convert', [pngPath, '-fill', 'none', '-strokewidth', '1', ...draws, previewPath], { maxBuffer: 1 << 26 });
}

const CELL_ROLES = new Set(['table cell', 'list item', 'tree item']);

/**
 * List and table cells clip their text at the cell edge without an ellipsis, so the accessible
 * name is then not what is drawn. A cell whose text is clipped has ink (pixels unlike the cell's
 * background) in its last columns: those cells are dropped.
 */
export function dropClippedCells(elements: TruthElement[], image: RgbaImage): TruthElement[] {
  const pixel = (x: number, y: number): [number, number, number] => {
    const i = (y * image.width + x) * 4;
    return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
  };
  const differs = (a: number[], b: number[]): boolean =>
    Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!) + Math.abs(a[2]! - b[2]!) > 120;
  return elements.filter(({ role, box }) => {
    if (!CELL_ROLES.has(role) || box.w < 6 || box.h < 6) return true;
    const background = pixel(box.x + box.w - 2, box.y + 1);
    for (const x of [box.x + box.w - 3, box.x + box.w - 2]) {
      for (let y = box.y + 2; y < box.y + box.h - 2; y++) if (differs(pixel(x, y), background)) return false;
    }
    return true;
  });
}

/** Stops an app started for a fixture and waits until its window is gone. */
async function closeApp(desktop: Desktop, app: AppWindow): Promise<void> {
  try {
    process.kill(app.pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 50; i++) {
    const { stdout } = await run('xdotool', ['search', '--all', '--pid', String(app.pid), '--onlyvisible', '.'], {
      env: desktop.env,
    }).catch(() => ({ stdout: '' }));
    if (!stdout.trim()) return;
    await sleep(100);
  }
  process.kill(app.pid, 'SIGKILL');
}

async function makeFixture(desktop: Desktop, spec: FixtureSpec, previewDir: string): Promise<ScreenTruth> {
  const main = await spec.launch(desktop);
  try {
    await desktop.focus(main.windowId, spec.size ?? WINDOW);
    await sleep(1500);
    const target = (await spec.prepare?.(desktop, main)) ?? main.windowId;
    const capture = await captureWindow(target);
    const origin = await clientOrigin(desktop, target);
    if (origin.x !== capture.window.bounds.x || origin.y !== capture.window.bounds.y) {
      throw new Error(
        `capture bounds ${JSON.stringify(capture.window.bounds)} ` +
          `disagree with xwininfo origin ${JSON.stringify(origin)}`,
      );
    }
    const elements = await accessibleElements(desktop, {
      pid: main.pid,
      title: `^${escapeRegExp(capture.window.title)}$`,
      origin,
      size: { width: capture.image.width, height: capture.image.height },
      scale: spec.scale ?? 1,
      words: spec.words ?? false,
    });
    const pngPath = join(OUT_DIR, `${spec.name}.png`);
    const png = await sharp(capture.image.data, {
      raw: { width: capture.image.width, height: capture.image.height, channels: 4 },
    })
      .removeAlpha()
      .png({ compressionLevel: 9, effort: 10 })
      .toBuffer();
    writeFileSync(pngPath, png);
    const truth: ScreenTruth = ScreenTruthSchema.parse({
      image: `${spec.name}.png`,
      app: spec.app,
      title: capture.window.title,
      scale: spec.scale ?? 1,
      ...(spec.theme ? { theme: spec.theme } : {}),
      description: spec.description,
      elements: dropClippedCells(elements, capture.image),
    });
    writeFileSync(join(OUT_DIR, `${spec.name}.truth.json`), JSON.stringify(truth, null, 1) + '\n');
    await drawPreview(pngPath, truth, join(previewDir, `${spec.name}.boxes.png`));
    console.log(
      `${spec.name}: ${capture.image.width}x${capture.image.height}, ` +
        `${truth.elements.length} elements, ${(png.length / 1024).toFixed(0)} KB`,
    );
    return truth;
  } finally {
    await closeApp(desktop, main);
  }
}

async function main(argv: string[]): Promise<void> {
  const previewFlag = argv.indexOf('--preview');
  const previewDir =
    previewFlag >= 0 ? resolve(argv[previewFlag + 1] ?? '') : join(REPO, 'e2e/artifacts/fixture-previews');
  const names = argv.filter((arg, i) => !arg.startsWith('--') && (previewFlag < 0 || i !== previewFlag + 1));
  const unknown = names.filter((n) => !FIXTURES.some((f) => f.name === n));
  if (unknown.length)
    throw new Error(`unknown fixture(s) ${unknown.join(', ')}; known: ${FIXTURES.map((f) => f.name).join(', ')}`);
  mkdirSync(OUT_DIR, { recursive: true });
  mkdirSync(previewDir, { recursive: true });
  // One desktop for the whole run: the capture library keeps its first X connection per process.
  const desktop = await startDesktop({ width: 1920, height: 1080, accessibility: true });
  process.env.DISPLAY = desktop.display;
  try {
    for (const spec of FIXTURES.filter((f) => names.length === 0 || names.includes(f.name)))
      await makeFixture(desktop, spec, previewDir);
  } finally {
    await desktop.stop();
  }
  console.log(`previews with the truth boxes drawn: ${previewDir}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
