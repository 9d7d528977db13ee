/**
 * The installable app: builds out/ with electron-vite, checks that everything the built main and preload bundles
 * load is installed with the app (production dependencies, no tsx) and that every native file they can reach is
 * unpacked from app.asar; then packages the app for real with electron-builder (`--linux dir`, with a stand-in
 * Electron program because Electron cannot be downloaded here) and checks the installed layout: what app.asar
 * holds, what is unpacked, and that the bundled resources are found through process.resourcesPath.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConfig } from 'app-builder-lib/out/util/config/config';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundledResource, resourcesDir, SOURCE_RESOURCES_DIR, useResourcesDir } from '../../src-main/base/resources';
import { loadLibrary } from '../../src-main/walkthroughs/library';
import { findLanguageData } from '../../src-main/ocr/engine';
import { listAsar } from './asar';
import {
  dependencyProblems,
  moduleReferences,
  nativeFiles,
  notUnpacked,
  packageName,
  runtimeClosure,
  type PackageManifest,
} from './bundle-check';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'out/main/main.js');
const PRELOAD = join(ROOT, 'out/preload/preload.cjs');
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageManifest & { version: string };
/** What a sandboxed preload may require (Electron's sandbox gives it only these). */
const PRELOAD_MODULES = ['electron', 'events', 'timers', 'url', 'node:events', 'node:timers', 'node:url'];

/** Runs a Node script to completion and returns its exit code and output (fails the test on a timeout). */
function runNode(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, CI: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The production packages the main bundle imports (by name). */
function loadedPackages(): string[] {
  const names = moduleReferences(readFileSync(MAIN, 'utf8')).map((ref) => packageName(ref.specifier));
  return [...new Set(names.filter((name): name is string => !!name && name in (MANIFEST.dependencies ?? {})))];
}

let asarUnpack: string[] = [];

beforeAll(async () => {
  const built = await runNode([join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], ROOT);
  expect(built.code, built.output).toBe(0);
  const config = await getConfig(ROOT, null, null);
  asarUnpack = ([] as string[]).concat(config.asarUnpack ?? []);
}, 300_000);

describe('the built bundles', () => {
  test('the main bundle loads only Node builtins, Electron and production dependencies; nothing needs tsx', () => {
    const references = moduleReferences(readFileSync(MAIN, 'utf8'), MAIN);
    const specifiers = references.map((ref) => ref.specifier);
    // The parser found the app's real imports (so an empty problem list means something).
    const expected = ['electron', 'sharp', 'tesseract.js', 'node-screenshots', 'get-windows'];
    expect(specifiers).toEqual(expect.arrayContaining(expected));
    expect(dependencyProblems(references, MANIFEST, 'out/main/main.js')).toEqual([]);
    // Nor does anything those packages depend on pull tsx in.
    const closure = runtimeClosure(loadedPackages(), ROOT);
    expect(closure.length).toBeGreaterThan(10);
    expect(closure.filter((dir) => /[\\/]node_modules[\\/](tsx|esbuild)$/.test(dir))).toEqual([]);
  });

  test('the sandboxed preload requires nothing but electron', () => {
    const references = moduleReferences(readFileSync(PRELOAD, 'utf8'), PRELOAD);
    expect(references.map((ref) => ref.specifier)).toContain('electron');
    expect(references.filter((ref) => !PRELOAD_MODULES.includes(ref.specifier))).toEqual([]);
  });

  test('every native file the main bundle can reach is unpacked from app.asar by electron-builder.yml', () => {
    const natives = nativeFiles(runtimeClosure(loadedPackages(), ROOT), ROOT);
    // sharp's addon and libvips, node-screenshots' platform addon and get-windows' binaries on this machine.
    expect(natives.some((file) => /^node_modules\/@img\/sharp-[^/]+\/lib\/sharp-.*\.node$/.test(file))).toBe(true);
    expect(natives.some((file) => /^node_modules\/@img\/sharp-[^/]+\/lib\/libvips/.test(file))).toBe(true);
    expect(natives.some((file) => /^node_modules\/node-screenshots-[^/]+\/.*\.node$/.test(file))).toBe(true);
    expect(natives).toContain('node_modules/get-windows/main');
    expect(notUnpacked(natives, asarUnpack)).toEqual([]);
  });
});

describe('the checker catches what would break an installed app', () => {
  test('a devDependency, an undeclared package, tsx, TypeScript source and an unsatisfiable computed name', () => {
    const bundle = [
      'import { test } from "vitest";',
      'import { z } from "zod";',
      'import "tsx/esm";',
      'const leftPad = require("left-pad");',
      'const requireHere = createRequire(import.meta.url);',
      'requireHere.resolve(`@nope/${name}/package.json`);',
      'requireHere.resolve(`@tesseract.js-data/${name}/package.json`);',
      'await import("../src-main/cli/main.ts");',
      'await import("./chunk.js"); await import("node:fs"); require("path"); import("electron");',
      '// require("only-in-a-comment")',
      'const text = "require(\'only-in-a-string\')";',
    ].join('\n');
    const manifest: PackageManifest = {
      dependencies: { zod: '4', tsx: '4', '@tesseract.js-data/eng': '1' },
      devDependencies: { vitest: '4' },
    };
    const problems = dependencyProblems(moduleReferences(bundle), manifest, 'synthetic.js');
    expect(problems).toEqual([
      expect.stringMatching(/^synthetic\.js:1 import\("vitest"\): "vitest" is a devDependency/),
      expect.stringMatching(/^synthetic\.js:3 import\("tsx\/esm"\) needs tsx at run time/),
      expect.stringMatching(/^synthetic\.js:4 require\("left-pad"\): "left-pad" is not a dependency/),
      expect.stringMatching(/^synthetic\.js:6 require\.resolve\("@nope\/"…\): no production dependency/),
      expect.stringMatching(/^synthetic\.js:8 import\(\)\("\.\.\/src-main\/cli\/main\.ts"\) loads TypeScript source/),
    ]);
  });

  test('native files left inside app.asar are reported', () => {
    const natives = nativeFiles(runtimeClosure(['sharp', 'node-screenshots'], ROOT), ROOT);
    const withoutImg = asarUnpack.filter((pattern) => !pattern.includes('@img'));
    expect(withoutImg.length).toBe(asarUnpack.length - 1);
    const missed = notUnpacked(natives, withoutImg);
    expect(missed.length).toBeGreaterThanOrEqual(2);
    expect(missed.every((file) => file.startsWith('node_modules/@img/'))).toBe(true);
  });
});

describe('resources of an installed app', () => {
  test('come from process.resourcesPath when packaged and from the repository otherwise', () => {
    expect(SOURCE_RESOURCES_DIR).toBe(join(ROOT, 'resources'));
    const installed = '/opt/Sidekick/resources';
    expect(resourcesDir({ isPackaged: false, resourcesPath: installed })).toBe(SOURCE_RESOURCES_DIR);
    expect(resourcesDir({ isPackaged: true, resourcesPath: installed })).toBe(installed);
    expect(() => resourcesDir({ isPackaged: true })).toThrow(/process\.resourcesPath/);
  });
});

describe.skipIf(process.platform !== 'linux')('packaging with electron-builder (linux dir target)', () => {
  let work = '';
  let resources = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sidekick-dist-'));
    // A stand-in for the Electron program: electron-builder copies the folder and renames the executable.
    const electronDist = join(work, 'electron');
    mkdirSync(electronDist);
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\necho stand-in electron\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    const electronPackage = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as {
      version: string;
    };
    writeFileSync(join(electronDist, 'version'), `v${electronPackage.version}`);
    writeFileSync(join(electronDist, 'LICENSE'), 'stand-in\n');
    const args = [join(ROOT, 'node_modules/electron-builder/cli.js'), '--linux', 'dir', '--publish', 'never'];
    args.push('-c.npmRebuild=false', `-c.electronDist=${electronDist}`, `-c.directories.output=${join(work, 'dist')}`);
    const packed = await runNode(args, ROOT);
    expect(packed.code, packed.output).toBe(0);
    resources = join(work, 'dist/linux-unpacked/resources');
  }, 600_000);

  afterAll(() => {
    useResourcesDir(SOURCE_RESOURCES_DIR);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('app.asar holds out/, package.json and production dependencies only, without tsx', () => {
    const files = listAsar(join(resources, 'app.asar'));
    const paths = files.map((file) => file.path);
    const app = ['package.json', 'out/main/main.js', 'out/preload/preload.cjs', 'out/renderer/overlay.html'];
    expect(paths).toEqual(expect.arrayContaining(app));
    const stray = paths.filter((path) => !/^(node_modules|out)\//.test(path) && path !== 'package.json');
    expect(stray, 'files outside out/ and node_modules/').toEqual([]);
    const notDesktop = paths.filter((path) => path.startsWith('out/') && !/^out\/(main|preload|renderer)\//.test(path));
    expect(notDesktop, 'the server, CLI and console builds are not part of the desktop app').toEqual([]);
    const topLevel = new Set(paths.map((path) => packageName(path.replace(/^node_modules\//, ''))));
    for (const name of loadedPackages()) expect(topLevel, name).toContain(name);
    const shipped = Object.keys(MANIFEST.devDependencies ?? {}).filter((name) => topLevel.has(name));
    expect(shipped, 'devDependencies inside app.asar').toEqual([]);
    expect(paths.filter((path) => /^node_modules\/(tsx|esbuild|@esbuild)\//.test(path))).toEqual([]);
  });

  test('every native file the main bundle can reach is unpacked beside app.asar', () => {
    const natives = nativeFiles(runtimeClosure(loadedPackages(), ROOT), ROOT);
    const listed = listAsar(join(resources, 'app.asar'));
    const unpacked = new Set(listed.filter((file) => file.unpacked).map((file) => file.path));
    expect(natives.filter((file) => !unpacked.has(file))).toEqual([]);
    expect(natives.filter((file) => !existsSync(join(resources, 'app.asar.unpacked', file)))).toEqual([]);
  });

  test('the OCR model, starter walkthroughs and tray icon are found through the resources folder', () => {
    const packagedDir = resourcesDir({ isPackaged: true, resourcesPath: resources });
    useResourcesDir(packagedDir);
    const savedTessdata = process.env.SIDEKICK_TESSDATA;
    delete process.env.SIDEKICK_TESSDATA;
    const userDir = join(work, 'empty-user-library');
    try {
      expect(findLanguageData('eng')).toMatchObject({ langPath: join(resources, 'tessdata'), model: 'fast' });
      const starter = loadLibrary({ userDir, starterDir: undefined, teamDir: null });
      const fromRepository = loadLibrary({ userDir, starterDir: join(ROOT, 'resources/walkthroughs'), teamDir: null });
      expect(starter.problems).toEqual([]);
      expect(starter.entries.length).toBe(fromRepository.entries.length);
      expect(starter.entries.length).toBeGreaterThan(0);
      expect(starter.entries.every((entry) => entry.path.startsWith(join(resources, 'walkthroughs')))).toBe(true);
      expect(existsSync(bundledResource('icons', 'tray.png'))).toBe(true);
    } finally {
      if (savedTessdata !== undefined) process.env.SIDEKICK_TESSDATA = savedTessdata;
      useResourcesDir(SOURCE_RESOURCES_DIR);
    }
  });
});

if (process.platform !== 'linux') {
  console.log('Skipping the electron-builder packaging tests: they build the Linux dir target');
}
