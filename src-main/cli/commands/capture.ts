/** `sidekick capture [--out shot.png]`: capture the window you were using and read its text. */
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { ScreenText, WindowInfo } from '../../../src-shared/screen';
import { encodePng } from '../../base/image';
import {
  ancestorPids,
  captureFocusedWindow,
  captureWindow,
  CaptureError,
  type CaptureMode,
  type WindowCapture,
} from '../../capture';
import { createScreenReader, ImageError, OcrEngineError } from '../../ocr';
import { CliError, intFlag, stringFlag } from '../args';
import type { CliCommand } from '../command';

/** The `sidekick capture --json` document: the `ocr` document plus the window it came from. */
export type CaptureResult = ScreenText & {
  window: WindowInfo;
  capture: {
    mode: CaptureMode;
    reason: WindowCapture['reason'];
    capturedAt: string;
    covered: WindowCapture['covered'];
    out?: string;
  };
};

const ModeSchema = z.enum(['screen-region', 'window']);

async function takeCapture(
  windowId: number | undefined,
  mode: CaptureMode,
  includeTerminal: boolean,
): Promise<WindowCapture> {
  try {
    if (windowId !== undefined) return await captureWindow(windowId, { mode });
    // Run from a terminal, the terminal has focus: skip it (and any other ancestor's windows).
    return await captureFocusedWindow({ mode, exclude: includeTerminal ? {} : { pids: ancestorPids() } });
  } catch (error) {
    if (error instanceof CaptureError) throw new CliError(`${error.message} [${error.code}]`, 3);
    throw error;
  }
}

function summarize(result: CaptureResult): string {
  const { window, image } = result;
  const b = window.bounds;
  const lines = result.elements.filter((e) => e.kind === 'line');
  const out = [
    `${window.app} — "${window.title}" at ${b.x},${b.y} ${b.w}x${b.h} ` +
      `(scale ${window.scale}, ${result.capture.reason})`,
    `${image.width}x${image.height}: ${lines.length} lines in ${result.timings.totalMs} ms`,
  ];
  for (const line of lines) out.push(`  [${line.box.x},${line.box.y} ${line.box.w}x${line.box.h}] ${line.text}`);
  if (result.capture.out) out.push(`  saved ${result.capture.out}`);
  for (const note of result.notes ?? []) out.push(`  note: ${note}`);
  return out.join('\n');
}

/** `sidekick capture`. */
export const captureCommand: CliCommand = {
  name: 'capture',
  summary: 'Capture the window you were using and read its text (like ocr, plus the window)',
  flags: {
    out: 'string',
    delay: 'string',
    window: 'string',
    mode: 'string',
    'include-terminal': 'boolean',
    'no-ocr': 'boolean',
  },
  usage: [
    'Usage: sidekick capture [--out shot.png] [--delay SECONDS] [--window ID] [--mode screen-region|window]',
    '                        [--include-terminal] [--no-ocr] [--json]',
    '',
    'Captures the focused window (skipping the terminal you run this from: the topmost other window',
    'is taken instead), reads it with local OCR and prints the `ocr` document plus',
    '  "window": {"app","title","bounds","scale","id","pid"}',
    '--out writes the captured pixels as PNG. --delay waits first, so you can switch windows.',
    '--mode window captures the window alone (open popup menus are then missing).',
  ].join('\n'),
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new CliError(
        `capture takes no file arguments (got "${args.positionals[0]}"); use --out <file.png> to save the shot`,
        2,
      );
    const out = stringFlag(args, 'out');
    if (out !== undefined && !existsSync(dirname(out) || '.'))
      throw new CliError(`--out ${out}: the folder ${dirname(out)} does not exist`, 2);
    const delay = intFlag(args, 'delay', 0, 60);
    const windowId = intFlag(args, 'window', 0, Number.MAX_SAFE_INTEGER);
    const modeText = stringFlag(args, 'mode') ?? 'screen-region';
    const mode = ModeSchema.safeParse(modeText);
    if (!mode.success) throw new CliError(`--mode must be screen-region or window, got "${modeText}"`, 2);
    if (delay) {
      io.progress(`capturing in ${delay} s: switch to the window you need help with...`);
      await sleep(delay * 1000);
    }
    const shot = await takeCapture(windowId, mode.data, args.flags.has('include-terminal'));
    if (out !== undefined) {
      try {
        await writeFile(out, await encodePng(shot.image));
      } catch (error) {
        throw new CliError(
          `--out ${out}: cannot write the PNG (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        );
      }
    }
    let screen: ScreenText;
    if (args.flags.has('no-ocr')) {
      screen = { image: { width: shot.image.width, height: shot.image.height }, elements: [], timings: { totalMs: 0 } };
    } else {
      const reader = createScreenReader();
      try {
        io.progress(`reading "${shot.window.title}"...`);
        screen = await reader.read(shot.image);
      } catch (error) {
        if (error instanceof ImageError || error instanceof OcrEngineError)
          throw new CliError(`OCR failed: ${error.message}`);
        throw error;
      } finally {
        await reader.close();
      }
    }
    const captureMs = Math.round(shot.timings.totalMs * 10) / 10;
    const result: CaptureResult = {
      ...screen,
      timings: {
        ...screen.timings,
        captureMs,
        ocrMs: screen.timings.totalMs,
        totalMs: Math.round((screen.timings.totalMs + captureMs) * 10) / 10,
      },
      notes: [...shot.notes, ...(screen.notes ?? [])],
      window: shot.window,
      capture: {
        mode: shot.mode,
        reason: shot.reason,
        capturedAt: new Date(shot.capturedAt).toISOString(),
        covered: shot.covered,
        ...(out !== undefined ? { out } : {}),
      },
    };
    return result;
  },
  human(result) {
    return summarize(result as CaptureResult);
  },
};
