/**
 * Checks what the built desktop app needs at run time: every module the main and preload bundles load must be a
 * Node builtin, Electron, or a production dependency (devDependencies are not installed with the app), nothing
 * may need tsx, and every native file those modules can reach must be unpacked from app.asar by the
 * electron-builder config. Reads the bundles with the TypeScript parser, so comments and strings never count.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, matchesGlob, relative, sep } from 'node:path';
import ts from 'typescript';

/** One module a bundle loads: its specifier, or for a computed one the static text it starts with. */
export interface ModuleReference {
  specifier: string;
  /** True when only the start of the specifier is known (a template such as `@scope/${name}/package.json`). */
  dynamic: boolean;
  /** How it is loaded: `import`, `import()`, `require`, `require.resolve`. */
  how: string;
  line: number;
}

/** The parts of package.json that decide what is installed with the app. */
export interface PackageManifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Modules the Electron runtime provides itself. */
const ELECTRON_MODULES = new Set(['electron', 'electron/main', 'electron/common', 'electron/renderer', 'original-fs']);
const TS_SOURCE = /\.(c|m)?tsx?$/;

/** Every module `code` imports, re-exports, requires or resolves (through `require` or a `createRequire` result). */
export function moduleReferences(code: string, fileName = 'bundle.js'): ModuleReference[] {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const requireNames = new Set(['require']);
  const found: ModuleReference[] = [];
  const add = (node: ts.Node, argument: ts.Node | undefined, how: string): void => {
    if (!argument) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) {
      found.push({ specifier: argument.text, dynamic: false, how, line });
    } else if (ts.isTemplateExpression(argument)) {
      found.push({ specifier: argument.head.text, dynamic: true, how, line });
    } else {
      found.push({ specifier: '', dynamic: true, how, line });
    }
  };
  const visit = (node: ts.Node): void => {
    const init = ts.isVariableDeclaration(node) ? node.initializer : undefined;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && init && ts.isCallExpression(init)) {
      if (/(^|\.)createRequire$/.test(init.expression.getText(source))) requireNames.add(node.name.text);
    }
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      add(node, node.moduleSpecifier, 'import');
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0], 'import()');
      else if (ts.isIdentifier(callee) && requireNames.has(callee.text)) add(node, node.arguments[0], 'require');
      else if (
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'resolve' &&
        ts.isIdentifier(callee.expression) &&
        requireNames.has(callee.expression.text)
      ) {
        add(node, node.arguments[0], 'require.resolve');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The package a bare specifier names (`@img/sharp-linux-x64/lib/x.node` → `@img/sharp-linux-x64`), else null. */
export function packageName(specifier: string): string | null {
  if (!specifier || /^(\.|\/|[a-z]+:)/i.test(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier) || ELECTRON_MODULES.has(specifier);
}

/**
 * What is wrong with the modules a bundle loads, one line each: a devDependency or undeclared package, tsx,
 * a TypeScript source file, or a computed specifier no production dependency can satisfy.
 */
export function dependencyProblems(references: ModuleReference[], manifest: PackageManifest, bundle: string): string[] {
  const production = Object.keys(manifest.dependencies ?? {});
  const development = new Set(Object.keys(manifest.devDependencies ?? {}));
  const problems: string[] = [];
  for (const ref of references) {
    const where = `${bundle}:${ref.line} ${ref.how}(${JSON.stringify(ref.specifier)}${ref.dynamic ? '…' : ''})`;
    if (TS_SOURCE.test(ref.specifier)) {
      problems.push(`${where} loads TypeScript source, which needs tsx at run time`);
      continue;
    }
    if (ref.dynamic) {
      // A computed specifier is fine only if its fixed start already picks out production dependencies.
      const prefix = ref.specifier;
      if (!prefix || /^(\.|\/)/.test(prefix)) continue;
      if (!production.some((name) => name.startsWith(prefix) || prefix.startsWith(`${name}/`))) {
        problems.push(`${where}: no production dependency starts with "${prefix}"`);
      }
      continue;
    }
    if (isBuiltin(ref.specifier)) continue;
    const name = packageName(ref.specifier);
    if (!name) continue;
    if (name === 'tsx') problems.push(`${where} needs tsx at run time; the app must run built JavaScript only`);
    else if (production.includes(name)) continue;
    else if (development.has(name)) problems.push(`${where}: "${name}" is a devDependency, not installed with the app`);
    else problems.push(`${where}: "${name}" is not a dependency in package.json`);
  }
  return problems;
}

/** Finds the installed folder of `name` as Node would from `fromDir` (nearest node_modules upwards), or null. */
export function findPackageDir(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

type DependencyMap = Record<string, string> | undefined;

/** The folders of the installed packages `roots` need at run time: theirs and their (optional) dependencies'. */
export function runtimeClosure(roots: string[], projectDir: string): string[] {
  const seen = new Set<string>();
  const queue = roots.map((name) => ({ name, from: projectDir }));
  while (queue.length) {
    const { name, from } = queue.shift()!;
    const dir = findPackageDir(name, from);
    if (!dir || seen.has(dir)) continue; // an optional dependency for another platform is not installed
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, DependencyMap>;
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies });
    for (const dep of deps) queue.push({ name: dep, from: dir });
  }
  return [...seen];
}

const BUILD_ONLY_DIRS = new Set(['node_modules', 'obj', 'obj.target', '.deps']);
const NATIVE_EXTENSIONS = /\.(node|dll|dylib|so(\.\d+)*|exe)$/;
const TEXT_EXTENSIONS = /\.(js|cjs|mjs|json|ts|map|md|txt|html|css|wasm|gz|yml|yaml|h|hpp|c|cc|cpp|gyp|gypi|py)$/i;
const MAGIC = [
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]), // ELF (Linux)
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), // Mach-O 64-bit
  Buffer.from([0xce, 0xfa, 0xed, 0xfe]), // Mach-O 32-bit
  Buffer.from([0xca, 0xfe, 0xba, 0xbe]), // Mach-O universal
];

function isNativeFile(path: string): boolean {
  if (NATIVE_EXTENSIONS.test(path)) return true;
  if (TEXT_EXTENSIONS.test(path)) return false;
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, head, 0, 4, 0) < 4) return false;
  } finally {
    closeSync(fd);
  }
  return MAGIC.some((magic) => magic.equals(head)) || head.subarray(0, 2).toString('latin1') === 'MZ';
}

/** Native files (addons, shared libraries, executables) in the given package folders, relative to `projectDir`. */
export function nativeFiles(packageDirs: Iterable<string>, projectDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        // Nested packages are in the closure on their own; compiler intermediates are never loaded (nor packaged).
        if (!BUILD_ONLY_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile() && statSync(path).size > 0 && isNativeFile(path)) {
        found.push(relative(projectDir, path).split(sep).join('/'));
      }
    }
  };
  for (const dir of packageDirs) walk(dir);
  return found.sort();
}

/** The files that no `asarUnpack` pattern covers (patterns are globs relative to the app folder). */
export function notUnpacked(files: string[], asarUnpack: string[]): string[] {
  return files.filter((file) => !asarUnpack.some((pattern) => matchesGlob(file, pattern)));
}
