/**
 * The walkthrough library on disk: the person's own folder (read-write) plus the starter pack
 * shipped in resources/walkthroughs (read-only; copy to edit). Loading reports every bad file with
 * its path and the field at fault and loads the rest; nothing is ever written outside the library.
 *
 * User library layout: `<dir>/<id>/<id>.walkthrough.json` with its images beside it in `<dir>/<id>/`.
 * A bundle (.zip) has the same layout, so export → import is lossless.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { bundledResource } from '../base/resources';
import { sidekickConfigDir } from '../base/paths';
import {
  formatFieldPath,
  ImageNameSchema,
  WALKTHROUGH_FILE_SUFFIX,
  WALKTHROUGH_LIMITS,
  WalkthroughIdSchema,
  WalkthroughSchema,
  type LibraryEntry,
  type LibraryProblem,
  type Walkthrough,
  type WalkthroughOrigin,
} from '../../src-shared/walkthrough';
import { TipDocSchema } from '../../src-shared/team';
import { tipAsWalkthrough } from '../../src-shared/search/tips';

/** Limits on an imported bundle (.zip), checked before anything is decompressed. */
export const BUNDLE_LIMITS = {
  zipBytes: 64 * 1024 * 1024,
  entries: 2000,
  totalUncompressedBytes: 128 * 1024 * 1024,
  /** A deflate stream expanding more than this is treated as a zip bomb. */
  maxRatio: 200,
} as const;

/** An expected library failure (bad file, unsafe bundle, read-only entry) with a message a person can act on. */
export class LibraryError extends Error {
  constructor(
    message: string,
    readonly problems: LibraryProblem[] = [],
  ) {
    super(message);
    this.name = 'LibraryError';
  }
}

/** A LibraryError as the windows show it (`{ ok: false, problem }`); any other error is rethrown. */
export function libraryProblem(error: unknown): { ok: false; problem: string } {
  if (error instanceof LibraryError) return { ok: false, problem: error.message };
  throw error;
}

/** The loaded library: every walkthrough that validated, and every file that did not. */
export interface Library {
  entries: LibraryEntry[];
  problems: LibraryProblem[];
}

/** Where the person's own walkthroughs live: `$SIDEKICK_LIBRARY`, else `$XDG_CONFIG_HOME/sidekick/walkthroughs`. */
export function userLibraryDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SIDEKICK_LIBRARY) return resolve(env.SIDEKICK_LIBRARY);
  return join(sidekickConfigDir(env), 'walkthroughs');
}

/** The starter pack shipped with Sidekick (read-only). */
export function starterPackDir(): string {
  return bundledResource('walkthroughs');
}

/** The result of parsing one file's text. */
export type ParseResult = { ok: true; walkthrough: Walkthrough } | { ok: false; problems: LibraryProblem[] };

/** Parses and validates one walkthrough file's text; problems name the field at fault. */
export function parseWalkthrough(text: string, path: string): ParseResult {
  if (Buffer.byteLength(text) > WALKTHROUGH_LIMITS.fileBytes) {
    return {
      ok: false,
      problems: [
        {
          path,
          field: '',
          message:
            `file is larger than ${WALKTHROUGH_LIMITS.fileBytes / 1024} KB; ` +
            `a walkthrough is a short list of steps`,
        },
      ],
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path, field: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const result = WalkthroughSchema.safeParse(json);
  if (result.success) return { ok: true, walkthrough: result.data };
  const problems = result.error.issues
    .slice(0, 10)
    .map((issue) => ({ path, field: formatFieldPath(issue.path), message: issue.message }));
  return { ok: false, problems };
}

/** Serialises a walkthrough the way files are written (2-space JSON, trailing newline). */
export function serializeWalkthrough(walkthrough: Walkthrough): string {
  return JSON.stringify(walkthrough, null, 2) + '\n';
}

function listWalkthroughFiles(dir: string, depth: number, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory() && depth > 0 && !name.startsWith('.')) listWalkthroughFiles(path, depth - 1, out);
    else if (stat.isFile() && name.endsWith(WALKTHROUGH_FILE_SUFFIX)) out.push(path);
  }
}

/** Loads every `*.walkthrough.json` under `dir` (two folder levels deep); bad files become problems, the rest load. */
export function loadWalkthroughFolder(dir: string, origin: WalkthroughOrigin, readOnly: boolean): Library {
  const files: string[] = [];
  listWalkthroughFiles(dir, 2, files);
  const entries: LibraryEntry[] = [];
  const problems: LibraryProblem[] = [];
  const seen = new Map<string, string>();
  for (const path of files) {
    let text: string;
    try {
      if (statSync(path).size > WALKTHROUGH_LIMITS.fileBytes) {
        problems.push({
          path,
          field: '',
          message:
            `file is larger than ${WALKTHROUGH_LIMITS.fileBytes / 1024} KB; ` +
            `a walkthrough is a short list of steps`,
        });
        continue;
      }
      text = readFileSync(path, 'utf8');
    } catch (error) {
      problems.push({ path, field: '', message: `cannot read: ${(error as Error).message}` });
      continue;
    }
    const parsed = parseWalkthrough(text, path);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    const other = seen.get(parsed.walkthrough.id);
    if (other) {
      problems.push({
        path,
        field: 'id',
        message: `id "${parsed.walkthrough.id}" is already used by ${other}; give one of them a new id`,
      });
      continue;
    }
    seen.set(parsed.walkthrough.id, path);
    entries.push({ walkthrough: parsed.walkthrough, path, origin, readOnly });
  }
  return { entries, problems };
}

const TIP_FILE_SUFFIX = '.tip.json';

/** Loads the team's tips (`*.tip.json` in `dir`) as read-only walkthroughs; bad files become problems. */
export function loadTeamTips(dir: string): Library {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => name.endsWith(TIP_FILE_SUFFIX))
      .sort();
  } catch {
    return { entries: [], problems: [] };
  }
  const entries: LibraryEntry[] = [];
  const problems: LibraryProblem[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (!lstatSync(path).isFile() || statSync(path).size > WALKTHROUGH_LIMITS.fileBytes) {
        problems.push({ path, field: '', message: 'not a tip file of a sensible size' });
        continue;
      }
      const parsed = TipDocSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        problems.push({ path, field: formatFieldPath(issue.path), message: issue.message });
        continue;
      }
      entries.push({ walkthrough: tipAsWalkthrough(parsed.data), path, origin: 'team', readOnly: true });
    } catch (error) {
      problems.push({ path, field: '', message: `cannot read this tip: ${(error as Error).message}` });
    }
  }
  return { entries, problems };
}

/**
 * Where the library comes from: one folder (`--library`), or the person's folder, the team's
 * synced walkthroughs (read-only) and the starter pack (read-only), in that order of precedence.
 */
export type LibrarySource =
  { folder: string } | { userDir?: string; teamDir?: string | null; starterDir?: string | null };

/**
 * Loads the library. A walkthrough with the id of one further down (user, then team, then starter)
 * replaces it, so a person's edited copy wins over the team's, and the team's over the starter's.
 */
export function loadLibrary(source: LibrarySource = {}): Library {
  if ('folder' in source) return loadWalkthroughFolder(resolve(source.folder), 'folder', false);
  const starterDir = source.starterDir === undefined ? starterPackDir() : source.starterDir;
  const layers = [
    loadWalkthroughFolder(source.userDir ?? userLibraryDir(), 'user', false),
    source.teamDir ? loadWalkthroughFolder(source.teamDir, 'team', true) : null,
    source.teamDir ? loadTeamTips(source.teamDir) : null,
    starterDir ? loadWalkthroughFolder(starterDir, 'starter', true) : null,
  ].filter((layer): layer is Library => layer !== null);
  const seen = new Set<string>();
  const entries: LibraryEntry[] = [];
  for (const layer of layers) {
    for (const entry of layer.entries) {
      if (seen.has(entry.walkthrough.id)) continue;
      seen.add(entry.walkthrough.id);
      entries.push(entry);
    }
  }
  return { entries, problems: layers.flatMap((layer) => layer.problems) };
}

/** Resolves `name` inside `root`, refusing anything that would land outside it. */
export function safeJoin(root: string, ...parts: string[]): string {
  const base = resolve(root);
  const target = resolve(base, ...parts);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith('..') || rel.includes(`..${sep}`) || resolve(base, rel) !== target) {
    throw new LibraryError(`refusing to write "${parts.join('/')}" outside the library folder ${base}`);
  }
  return target;
}

/** Images to save with a walkthrough: file name → bytes. */
export type WalkthroughImages = Record<string, Uint8Array>;

/** The image types the walkthrough format allows (`.png`, `.jpg`/`.jpeg`, `.webp`), told by their first bytes. */
export type WalkthroughImageType = 'png' | 'jpeg' | 'webp';

/** What the bytes are by their magic number, or null when they are not a PNG, JPEG or WebP image. */
export function sniffImageType(bytes: Uint8Array): WalkthroughImageType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'webp'; // RIFF....WEBP
  return null;
}

const NOT_AN_IMAGE =
  'is not a PNG, JPEG or WebP image (checked by its first bytes); only those are kept with a walkthrough';

function checkImages(walkthrough: Walkthrough, images: WalkthroughImages): void {
  for (const [name, bytes] of Object.entries(images)) {
    const ok = ImageNameSchema.safeParse(name);
    if (!ok.success) throw new LibraryError(`image "${name}" ${ok.error.issues[0]?.message ?? 'has an unsafe name'}`);
    if (bytes.byteLength > WALKTHROUGH_LIMITS.imageBytes)
      throw new LibraryError(`image "${name}" is larger than ${WALKTHROUGH_LIMITS.imageBytes / 1024 / 1024} MB`);
    if (!sniffImageType(bytes)) throw new LibraryError(`image "${name}" ${NOT_AN_IMAGE}`);
  }
  for (const [i, step] of walkthrough.steps.entries()) {
    if (step.image && !(step.image in images))
      throw new LibraryError(`steps[${i}].image names "${step.image}", which is not in the bundle`);
  }
}

/** Writes a walkthrough (and its images) into the user library as `<dir>/<id>/`; returns the file path. */
export function saveWalkthrough(libraryDir: string, walkthrough: Walkthrough, images: WalkthroughImages = {}): string {
  const parsed = WalkthroughSchema.safeParse(walkthrough);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LibraryError(`walkthrough is not valid: ${formatFieldPath(issue.path)} ${issue.message}`);
  }
  checkImages(parsed.data, images);
  mkdirSync(libraryDir, { recursive: true });
  const folder = safeJoin(libraryDir, parsed.data.id);
  mkdirSync(folder, { recursive: true });
  for (const [name, bytes] of Object.entries(images)) writeFileSync(safeJoin(folder, name), bytes);
  const file = safeJoin(folder, parsed.data.id + WALKTHROUGH_FILE_SUFFIX);
  const tmp = file + '.tmp';
  writeFileSync(tmp, serializeWalkthrough(parsed.data));
  renameSync(tmp, file);
  return file;
}

/** Deletes a walkthrough from the user library; starter walkthroughs are read-only. */
export function deleteWalkthrough(entry: LibraryEntry, libraryDir: string): void {
  if (entry.readOnly)
    throw new LibraryError(
      `"${entry.walkthrough.id}" is part of the starter pack and cannot be deleted; ` +
        `it can be hidden by copying and editing it`,
    );
  const file = resolve(entry.path);
  const rel = relative(resolve(libraryDir), file);
  if (rel.startsWith('..') || rel === '')
    throw new LibraryError(`${file} is not inside the library folder ${libraryDir}`);
  const folder = dirname(file);
  // A walkthrough saved by Sidekick owns its folder (<id>/); a hand-placed file is removed alone.
  if (basename(folder) === entry.walkthrough.id && relative(resolve(libraryDir), folder) === entry.walkthrough.id)
    rmSync(folder, { recursive: true, force: true });
  else rmSync(file, { force: true });
}

/** An image file read from beside a walkthrough, or why it was refused; null when there is no such file. */
export type ImageRead = { bytes: Uint8Array } | { refused: string } | null;

/**
 * Reads `name` from `folder` without following links: a symbolic link, anything but a regular file, a
 * file whose real path is outside the folder, an oversized file or one that is not a PNG, JPEG or WebP
 * image is refused, so importing or exporting never copies a file the walkthrough points elsewhere.
 */
export function readImageBeside(folder: string, name: string): ImageRead {
  if (!ImageNameSchema.safeParse(name).success) {
    return { refused: 'is not a plain image file name beside the walkthrough' };
  }
  const path = join(folder, name);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return null;
  }
  if (stat.isSymbolicLink()) {
    return { refused: 'is a symbolic link; only plain image files beside the walkthrough are taken' };
  }
  if (!stat.isFile()) return { refused: 'is not a regular file' };
  const rel = relative(realpathSync(folder), realpathSync(path));
  if (rel.startsWith('..') || rel.includes(sep)) return { refused: "is outside the walkthrough's folder" };
  if (stat.size > WALKTHROUGH_LIMITS.imageBytes) {
    return { refused: `is larger than ${WALKTHROUGH_LIMITS.imageBytes / 1024 / 1024} MB` };
  }
  const bytes = readFileSync(path);
  if (!sniffImageType(bytes)) return { refused: NOT_AN_IMAGE };
  return { bytes };
}

/** Reads the images a walkthrough's steps refer to, from beside its file (missing or refused ones are skipped). */
export function readWalkthroughImages(entry: LibraryEntry): WalkthroughImages {
  const images: WalkthroughImages = {};
  const folder = dirname(entry.path);
  for (const step of entry.walkthrough.steps) {
    if (!step.image || step.image in images) continue;
    const read = readImageBeside(folder, step.image);
    if (read && 'bytes' in read) images[step.image] = read.bytes;
  }
  return images;
}

/** Exports walkthroughs: one `.walkthrough.json` file, or a `.zip` bundle with images. Returns the files written. */
export function exportWalkthroughs(entries: LibraryEntry[], outPath: string): { path: string; count: number } {
  if (entries.length === 0) throw new LibraryError('nothing to export: no walkthrough matched');
  if (outPath.toLowerCase().endsWith('.zip')) {
    const files: Record<string, Uint8Array> = {};
    for (const entry of entries) {
      const id = entry.walkthrough.id;
      files[`${id}/${id}${WALKTHROUGH_FILE_SUFFIX}`] = Buffer.from(serializeWalkthrough(entry.walkthrough));
      for (const [name, bytes] of Object.entries(readWalkthroughImages(entry))) files[`${id}/${name}`] = bytes;
    }
    writeFileSync(outPath, zipSync(files, { level: 6 }));
    return { path: resolve(outPath), count: entries.length };
  }
  if (entries.length > 1)
    throw new LibraryError(`${entries.length} walkthroughs match; export several as a bundle by naming a .zip file`);
  writeFileSync(outPath, serializeWalkthrough(entries[0]!.walkthrough));
  return { path: resolve(outPath), count: 1 };
}

/** One walkthrough read from an import source, with its images, not yet saved. */
export interface ImportItem {
  walkthrough: Walkthrough;
  images: WalkthroughImages;
  source: string;
}

/** Reads and validates a bundle (.zip) without writing anything; unsafe or oversized bundles are rejected whole. */
export function readBundle(bytes: Uint8Array, source: string): { items: ImportItem[]; problems: LibraryProblem[] } {
  if (bytes.byteLength > BUNDLE_LIMITS.zipBytes)
    throw new LibraryError(`${source} is larger than ${BUNDLE_LIMITS.zipBytes / 1024 / 1024} MB`);
  let count = 0;
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(file) {
        count++;
        if (count > BUNDLE_LIMITS.entries)
          throw new LibraryError(`${source} has more than ${BUNDLE_LIMITS.entries} files`);
        checkEntryName(file.name, source);
        if (file.name.endsWith('/')) return false;
        total += file.originalSize;
        if (total > BUNDLE_LIMITS.totalUncompressedBytes)
          throw new LibraryError(
            `${source} unpacks to more than ${BUNDLE_LIMITS.totalUncompressedBytes / 1024 / 1024} MB; ` +
              `refusing (zip bomb?)`,
          );
        if (file.originalSize > WALKTHROUGH_LIMITS.imageBytes)
          throw new LibraryError(
            `${source}: "${file.name}" unpacks to ${file.originalSize} bytes, ` +
              `more than any walkthrough file or image may be`,
          );
        if (
          file.size > 0 &&
          file.originalSize / file.size > BUNDLE_LIMITS.maxRatio &&
          file.originalSize > 1024 * 1024
        ) {
          throw new LibraryError(
            `${source}: "${file.name}" expands ${Math.round(file.originalSize / file.size)}x; refusing (zip bomb?)`,
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof LibraryError) throw error;
    throw new LibraryError(`${source} is not a readable .zip bundle: ${(error as Error).message}`);
  }
  const byFolder = new Map<string, Record<string, Uint8Array>>();
  for (const [name, data] of Object.entries(files)) {
    const slash = name.lastIndexOf('/');
    const folder = slash < 0 ? '' : name.slice(0, slash);
    const fileName = name.slice(slash + 1);
    if (!byFolder.has(folder)) byFolder.set(folder, {});
    byFolder.get(folder)![fileName] = data;
  }
  const items: ImportItem[] = [];
  const problems: LibraryProblem[] = [];
  for (const [folder, folderFiles] of byFolder) {
    for (const [fileName, data] of Object.entries(folderFiles)) {
      if (!fileName.endsWith(WALKTHROUGH_FILE_SUFFIX)) continue;
      const where = `${source}:${folder ? folder + '/' : ''}${fileName}`;
      const parsed = parseWalkthrough(Buffer.from(data).toString('utf8'), where);
      if (!parsed.ok) {
        problems.push(...parsed.problems);
        continue;
      }
      const images: WalkthroughImages = {};
      for (const [i, step] of parsed.walkthrough.steps.entries()) {
        if (!step.image) continue;
        const image = folderFiles[step.image];
        const field = `steps[${i}].image`;
        const imagePath = `${source}:${folder ? folder + '/' : ''}${step.image}`;
        const missing = `"${step.image}" is not in the bundle beside the walkthrough`;
        if (!image) problems.push({ path: where, field, message: missing });
        else if (!sniffImageType(image)) problems.push({ path: imagePath, field, message: NOT_AN_IMAGE });
        else images[step.image] = image;
      }
      items.push({ walkthrough: parsed.walkthrough, images, source: where });
    }
  }
  if (items.length === 0 && problems.length === 0)
    problems.push({ path: source, field: '', message: `no *${WALKTHROUGH_FILE_SUFFIX} file in the bundle` });
  return { items, problems };
}

function checkEntryName(name: string, source: string): void {
  const parts = name.replace(/\/$/, '').split('/');
  const bad =
    name.length > 300 ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    /^[A-Za-z]:/.test(name) ||
    parts.length > 2 ||
    parts.some((p) => p === '' || p === '.' || p === '..' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p));
  if (bad)
    throw new LibraryError(
      `${source} contains an unsafe file name "${name.slice(0, 80)}" ` +
        `(only <id>/<file> names are allowed); nothing was imported`,
    );
}

/** What an import wrote, kept (existing ids) and refused. */
export interface ImportResult {
  imported: { id: string; path: string }[];
  skipped: { id: string; reason: string }[];
  problems: LibraryProblem[];
}

/**
 * Imports a `.walkthrough.json` file or a `.zip` bundle into the user library. Existing ids are kept unless
 * `replace`. Files refused (invalid walkthroughs, missing or refused images) are listed in `problems` with
 * their path and reason; everything else is imported. A source that cannot be read at all throws.
 */
export function importWalkthroughs(
  sourcePath: string,
  libraryDir: string,
  options: { replace?: boolean } = {},
): ImportResult {
  if (!existsSync(sourcePath)) throw new LibraryError(`${sourcePath} does not exist`);
  const size = statSync(sourcePath).size;
  let items: ImportItem[];
  let problems: LibraryProblem[];
  if (sourcePath.toLowerCase().endsWith('.zip')) {
    if (size > BUNDLE_LIMITS.zipBytes)
      throw new LibraryError(`${sourcePath} is larger than ${BUNDLE_LIMITS.zipBytes / 1024 / 1024} MB`);
    ({ items, problems } = readBundle(readFileSync(sourcePath), sourcePath));
  } else {
    if (size > WALKTHROUGH_LIMITS.fileBytes)
      throw new LibraryError(
        `${sourcePath} is larger than ${WALKTHROUGH_LIMITS.fileBytes / 1024} KB; ` +
          `a walkthrough is a short list of steps`,
      );
    const parsed = parseWalkthrough(readFileSync(sourcePath, 'utf8'), sourcePath);
    if (!parsed.ok) return { imported: [], skipped: [], problems: parsed.problems };
    const images: WalkthroughImages = {};
    problems = [];
    for (const [i, step] of parsed.walkthrough.steps.entries()) {
      if (!step.image || step.image in images) continue;
      const path = join(dirname(sourcePath), step.image);
      const read = readImageBeside(dirname(sourcePath), step.image);
      const field = `steps[${i}].image`;
      if (read === null) problems.push({ path, field, message: 'no such image beside the walkthrough' });
      else if ('refused' in read) problems.push({ path, field, message: read.refused });
      else images[step.image] = read.bytes;
    }
    items = [{ walkthrough: parsed.walkthrough, images, source: sourcePath }];
  }
  const existing = new Set(loadWalkthroughFolder(libraryDir, 'user', false).entries.map((e) => e.walkthrough.id));
  const imported: { id: string; path: string }[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const item of items) {
    const id = item.walkthrough.id;
    if (existing.has(id) && !options.replace) {
      skipped.push({ id, reason: 'a walkthrough with this id is already in the library (use --force to overwrite)' });
      continue;
    }
    // A step whose image was missing or refused (reported in problems) is kept without it.
    const steps = item.walkthrough.steps.map((s) =>
      s.image && !(s.image in item.images) ? { ...s, image: undefined } : s,
    );
    imported.push({ id, path: saveWalkthrough(libraryDir, { ...item.walkthrough, steps }, item.images) });
    existing.add(id);
  }
  return { imported, skipped, problems };
}

/** True when `id` is a valid walkthrough id. */
export function isWalkthroughId(id: string): boolean {
  return WalkthroughIdSchema.safeParse(id).success;
}
