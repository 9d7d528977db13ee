/**
 * Ground-truth screenshots (`e2e/fixtures/screens/<name>.png` + `<name>.truth.json`, element boxes
 * from AT-SPI) and label recall: a label counts as found when OCR located its text with the box
 * centre inside the (slightly grown) element box.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Box, ScreenText, TextElement } from '../../src-shared/screen';

/** `<name>.truth.json` as written by the fixture builder (the file format is the contract). */
export const TruthFileSchema = z.object({
  image: z.string().min(1),
  app: z.string(),
  title: z.string().optional(),
  scale: z.number().positive().optional(),
  elements: z.array(
    z.object({
      name: z.string().min(1),
      role: z.string(),
      box: z.object({ x: z.number(), y: z.number(), w: z.number().nonnegative(), h: z.number().nonnegative() }),
    }),
  ),
});
export type TruthFile = z.infer<typeof TruthFileSchema>;

/** One screenshot with its truth. */
export interface TruthScreen {
  name: string;
  imagePath: string;
  truth: TruthFile;
}

/** The shared fixtures folder (`e2e/fixtures/screens`), from the repository root or the working directory. */
export function defaultFixturesDir(): string {
  const candidates = [
    resolve(process.cwd(), 'e2e/fixtures/screens'),
    resolve(new URL('../../e2e/fixtures/screens', import.meta.url).pathname),
  ];
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

/** Loads every `*.truth.json` of a folder; a malformed file is an error naming the file and field. */
export function loadTruthScreens(dir = defaultFixturesDir()): TruthScreen[] {
  if (!existsSync(dir))
    throw new Error(`No screenshot fixtures at ${dir}. Pass --fixtures <dir> holding <name>.png + <name>.truth.json.`);
  return readTruthFiles(dir, TruthFileSchema);
}

/**
 * Every `<name>.truth.json` of a folder, sorted by name, validated with `schema` (the fixture tests use a
 * stricter one); a malformed file is an error naming the file and the field.
 */
export function readTruthFiles<T extends { image: string }>(
  dir: string,
  schema: z.ZodType<T>,
): Array<{ name: string; imagePath: string; truth: T }> {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.truth.json'))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (!parsed.success)
        throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return {
        name: file.slice(0, -'.truth.json'.length),
        imagePath: join(dir, parsed.data.image),
        truth: parsed.data,
      };
    });
}

/** Lowercased letters and digits only: "Sum = 0" and "sum=0" compare equal, "_File" equals "File". */
export function compactLabel(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Which truth elements count as short visible labels (what a walkthrough step points at). */
export function isShortLabel(name: string): boolean {
  return compactLabel(name).length > 0 && name.trim().split(/\s+/).length <= 4 && name.length <= 40;
}

function grow(box: Box, by: number): Box {
  return { x: box.x - by, y: box.y - by, w: box.w + 2 * by, h: box.h + 2 * by };
}

function centreInside(inner: Box, outer: Box): boolean {
  const cx = inner.x + inner.w / 2;
  const cy = inner.y + inner.h / 2;
  return cx >= outer.x && cx <= outer.x + outer.w && cy >= outer.y && cy <= outer.y + outer.h;
}

function unionBox(boxes: Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.w));
  const y1 = Math.max(...boxes.map((b) => b.y + b.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Candidate located texts: every run of consecutive words within one OCR line, with its box. */
function candidates(doc: ScreenText, maxWords: number): Array<{ text: string; box: Box }> {
  const byLine = new Map<string, TextElement[]>();
  const out: Array<{ text: string; box: Box }> = [];
  for (const element of doc.elements) {
    if (element.kind === 'line') out.push({ text: compactLabel(element.text), box: element.box });
    if (element.kind !== 'word') continue;
    const key = element.lineId ?? element.id;
    const list = byLine.get(key) ?? [];
    list.push(element);
    byLine.set(key, list);
  }
  for (const words of byLine.values()) {
    for (let i = 0; i < words.length; i++) {
      for (let j = i; j < Math.min(words.length, i + maxWords); j++) {
        const run = words.slice(i, j + 1);
        out.push({ text: compactLabel(run.map((w) => w.text).join('')), box: unionBox(run.map((w) => w.box)) });
      }
    }
  }
  return out;
}

/** Result of scoring one document against its truth. */
export interface RecallResult {
  found: number;
  total: number;
  /** found / total (1 when total is 0). */
  recall: number;
  missing: string[];
}

/** Label recall of an OCR document against ground truth (short labels only). */
export function labelRecall(
  doc: ScreenText,
  truth: TruthFile,
  filter: (role: string) => boolean = () => true,
): RecallResult {
  const labels = truth.elements.filter((e) => isShortLabel(e.name) && filter(e.role));
  const pool = candidates(doc, 6);
  const missing: string[] = [];
  let found = 0;
  for (const label of labels) {
    const want = compactLabel(label.name);
    // Grown by a few pixels (or a third of the height) so a label drawn on the element's edge still counts.
    const area = grow(label.box, Math.max(4, Math.round(label.box.h / 3)));
    if (pool.some((c) => c.text === want && centreInside(c.box, area))) found++;
    else missing.push(label.name);
  }
  return { found, total: labels.length, recall: labels.length ? found / labels.length : 1, missing };
}
