import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WALKTHROUGH_FORMAT, type Walkthrough } from '../../src-shared/walkthrough';
import {
  deleteWalkthrough,
  exportWalkthroughs,
  importWalkthroughs,
  LibraryError,
  loadLibrary,
  loadWalkthroughFolder,
  readBundle,
  safeJoin,
  saveWalkthrough,
  sniffImageType,
  starterPackDir,
} from './library';

const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function sample(id = 'test-freeze', extra: Record<string, unknown> = {}): Walkthrough {
  return {
    format: WALKTHROUGH_FORMAT,
    id,
    title: 'Keep the header row visible',
    app: { name: 'Gnumeric', match: ['gnumeric'] },
    questions: ['how do I freeze the top row'],
    tags: ['view'],
    steps: [
      { instruction: 'Open the View menu.', target: { text: 'View', region: 'top' } },
      { instruction: 'Choose Freeze Panes.', target: { text: 'Freeze Panes' }, doneWhen: { textGone: 'Freeze Panes' } },
    ],
    ...extra,
  };
}

let root: string;
let lib: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sidekick-lib-'));
  lib = join(root, 'library');
  mkdirSync(lib);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file under root outside the library folder (must stay empty except what the test wrote). */
function strayFiles(): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
    (p) => !p.startsWith('library') && !p.startsWith('in'),
  );
}

describe('starter pack', () => {
  it('loads cleanly: at least 10 walkthroughs for 3 apps, all read-only', () => {
    const library = loadLibrary({ userDir: lib });
    expect(library.problems).toEqual([]);
    const starter = library.entries.filter((e) => e.origin === 'starter');
    expect(starter.length).toBeGreaterThanOrEqual(10);
    expect(new Set(starter.map((e) => e.walkthrough.app.name))).toEqual(new Set(['Gnumeric', 'Mousepad', 'AbiWord']));
    expect(starter.every((e) => e.readOnly)).toBe(true);
  });

  it('a user copy with the same id replaces the starter walkthrough (copy and edit)', () => {
    const starter = loadWalkthroughFolder(starterPackDir(), 'starter', true).entries[0]!;
    saveWalkthrough(lib, { ...starter.walkthrough, title: 'My own version' });
    const library = loadLibrary({ userDir: lib });
    const found = library.entries.filter((e) => e.walkthrough.id === starter.walkthrough.id);
    expect(found).toHaveLength(1);
    expect(found[0]!.walkthrough.title).toBe('My own version');
    expect(found[0]!.origin).toBe('user');
  });

  it("loads the team's synced walkthroughs read-only, below the person's own and above the starter pack", () => {
    const team = join(root, 'team-library');
    mkdirSync(team);
    const starter = loadWalkthroughFolder(starterPackDir(), 'starter', true).entries[0]!;
    // The team edited a starter walkthrough and shared a new one; the person has their own copy of the new one.
    writeFileSync(
      join(team, `${starter.walkthrough.id}.walkthrough.json`),
      JSON.stringify({ ...starter.walkthrough, title: 'Team version' }),
    );
    writeFileSync(
      join(team, 'team-only.walkthrough.json'),
      JSON.stringify(sample('team-only', { title: 'Shared by a helper' })),
    );
    writeFileSync(join(team, 'mine.walkthrough.json'), JSON.stringify(sample('mine', { title: 'Team copy of mine' })));
    saveWalkthrough(lib, sample('mine', { title: 'My copy' }));

    const library = loadLibrary({ userDir: lib, teamDir: team });
    expect(library.problems).toEqual([]);
    const byId = (id: string) => library.entries.filter((e) => e.walkthrough.id === id);
    expect(byId(starter.walkthrough.id).map((e) => [e.origin, e.walkthrough.title, e.readOnly])).toEqual([
      ['team', 'Team version', true],
    ]);
    expect(byId('team-only').map((e) => [e.origin, e.readOnly])).toEqual([['team', true]]);
    expect(byId('mine').map((e) => [e.origin, e.walkthrough.title])).toEqual([['user', 'My copy']]);
    // A helper's saved tip arrives as a one-step walkthrough pointing at the label it is about;
    // a malformed tip is reported with the field at fault and the rest still load.
    writeFileSync(
      join(team, 'tip-wrap.tip.json'),
      JSON.stringify({
        format: 'sidekick.tip/1',
        id: 'tip-wrap',
        title: 'Long text spills into the next cell',
        body: 'Select the cell, open Format Cells and tick Wrap text on the Alignment tab.',
        app: { name: 'Gnumeric' },
        labels: ['Format Cells...', 'Wrap text'],
        questions: ['my text runs into the next column'],
      }),
    );
    writeFileSync(
      join(team, 'broken.tip.json'),
      JSON.stringify({
        format: 'sidekick.tip/1',
        id: 'broken',
        title: 'x',
        body: 'y',
        app: { name: 'Gnumeric' },
        labels: 'Wrap text',
      }),
    );
    const withTips = loadLibrary({ userDir: lib, teamDir: team });
    const tip = withTips.entries.find((e) => e.walkthrough.id === 'tip-wrap')!;
    expect(tip).toMatchObject({ origin: 'team', readOnly: true });
    expect(tip.walkthrough.steps).toEqual([
      {
        instruction: 'Select the cell, open Format Cells and tick Wrap text on the Alignment tab.',
        target: { text: 'Format Cells...' },
      },
    ]);
    expect(tip.walkthrough.questions).toEqual(['my text runs into the next column']);
    expect(tip.walkthrough.tags).toEqual(['tip', 'Wrap text']);
    expect(withTips.problems).toEqual([
      expect.objectContaining({ path: join(team, 'broken.tip.json'), field: 'labels' }),
    ]);
    // Without a team folder the starter walkthrough is back.
    expect(
      loadLibrary({ userDir: lib, teamDir: null }).entries.find((e) => e.walkthrough.id === starter.walkthrough.id)!
        .origin,
    ).toBe('starter');
  });
});

describe('loading a folder', () => {
  it('reports each bad file with its path and the field at fault, and loads the rest', () => {
    saveWalkthrough(lib, sample('good-one'));
    writeFileSync(
      join(lib, 'wrong-type.walkthrough.json'),
      JSON.stringify({ ...sample('wrong-type'), steps: [{ instruction: 'x', target: { text: 42 } }] }),
    );
    writeFileSync(join(lib, 'not-json.walkthrough.json'), '{ "format": ');
    writeFileSync(
      join(lib, 'old-format.walkthrough.json'),
      JSON.stringify({ ...sample('old'), format: 'sidekick.walkthrough/0' }),
    );
    writeFileSync(join(lib, 'dupe.walkthrough.json'), JSON.stringify(sample('good-one')));
    const { entries, problems } = loadWalkthroughFolder(lib, 'user', false);
    expect(entries.map((e) => e.walkthrough.id)).toEqual(['good-one']);
    const byFile = Object.fromEntries(problems.map((p) => [basename(p.path), p] as const));
    expect(byFile['wrong-type.walkthrough.json']).toMatchObject({ field: 'steps[0].target.text' });
    expect(byFile['not-json.walkthrough.json']!.message).toMatch(/not valid JSON/);
    expect(byFile['old-format.walkthrough.json']).toMatchObject({ field: 'format' });
    expect(problems.filter((p) => p.field === 'id' && /already used/.test(p.message))).toHaveLength(1);
  });

  it('keeps unknown fields on a round-trip (top level, steps, targets)', () => {
    const doc = sample('extras', { reviewedBy: 'team-lead', x: { nested: [1, 2] } }) as Walkthrough &
      Record<string, unknown>;
    (doc.steps[0] as Record<string, unknown>).hotkey = 'Alt+V';
    (doc.steps[0]!.target as Record<string, unknown>).color = 'red';
    const path = saveWalkthrough(lib, doc);
    const loaded = loadWalkthroughFolder(lib, 'user', false).entries[0]!.walkthrough as Record<string, unknown>;
    expect(loaded.reviewedBy).toBe('team-lead');
    expect(loaded.x).toEqual({ nested: [1, 2] });
    expect((loaded.steps as Record<string, unknown>[])[0]!.hotkey).toBe('Alt+V');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('rejects hostile files: huge strings, thousands of steps, oversized files, path tricks in image names', () => {
    writeFileSync(
      join(lib, 'huge-title.walkthrough.json'),
      JSON.stringify(sample('huge', { title: 'x'.repeat(5000) })),
    );
    writeFileSync(
      join(lib, 'many-steps.walkthrough.json'),
      JSON.stringify({ ...sample('many'), steps: Array.from({ length: 5000 }, () => ({ instruction: 'Click.' })) }),
    );
    writeFileSync(
      join(lib, 'big-file.walkthrough.json'),
      JSON.stringify(sample('big', { padding: 'y'.repeat(700 * 1024) })),
    );
    writeFileSync(
      join(lib, 'image-path.walkthrough.json'),
      JSON.stringify({ ...sample('img'), steps: [{ instruction: 'x', image: '../../etc/passwd.png' }] }),
    );
    writeFileSync(join(lib, 'bad-id.walkthrough.json'), JSON.stringify(sample('../escape')));
    const { entries, problems } = loadWalkthroughFolder(lib, 'user', false);
    expect(entries).toEqual([]);
    const fields = Object.fromEntries(problems.map((p) => [basename(p.path), p.field] as const));
    expect(fields).toEqual({
      'huge-title.walkthrough.json': 'title',
      'many-steps.walkthrough.json': 'steps',
      'big-file.walkthrough.json': '',
      'image-path.walkthrough.json': 'steps[0].image',
      'bad-id.walkthrough.json': 'id',
    });
  });
});

describe('import and export', () => {
  it('exports a bundle with images and imports it into another library unchanged', () => {
    const withImage = sample('with-image');
    withImage.steps[0]!.image = 'step-1.png';
    saveWalkthrough(lib, withImage, { 'step-1.png': PNG_1PX });
    saveWalkthrough(lib, sample('plain'));
    const entries = loadLibrary({ folder: lib }).entries;
    const bundle = join(root, 'in-bundle.zip');
    expect(exportWalkthroughs(entries, bundle).count).toBe(2);

    const other = join(root, 'library', 'other');
    const result = importWalkthroughs(bundle, other);
    expect(result.imported.map((i) => i.id).sort()).toEqual(['plain', 'with-image']);
    expect(readFileSync(join(other, 'with-image', 'step-1.png'))).toEqual(PNG_1PX);
    const again = importWalkthroughs(bundle, other);
    expect(again.imported).toEqual([]);
    expect(again.skipped).toHaveLength(2);
    expect(importWalkthroughs(bundle, other, { replace: true }).imported).toHaveLength(2);
  });

  it('exports and imports one .walkthrough.json file', () => {
    const file = join(root, 'in-one.walkthrough.json');
    exportWalkthroughs([{ walkthrough: sample('single'), path: file, origin: 'user', readOnly: false }], file);
    expect(importWalkthroughs(file, lib).imported[0]!.id).toBe('single');
    expect(() =>
      exportWalkthroughs(
        loadLibrary({ folder: lib }).entries.concat(loadLibrary({ folder: lib }).entries),
        join(root, 'in-two.walkthrough.json'),
      ),
    ).toThrow(/as a bundle/);
  });

  it('rejects bundles with path tricks before writing anything', () => {
    const good = Buffer.from(JSON.stringify(sample('evil')));
    for (const name of [
      '../evil.walkthrough.json',
      '/abs/evil.walkthrough.json',
      'a\\..\\evil.walkthrough.json',
      'a/b/c/evil.walkthrough.json',
      'C:/evil.walkthrough.json',
    ]) {
      const zip = zipSync({ [name]: good });
      expect(() => readBundle(zip, 'evil.zip'), name).toThrow(/unsafe file name/);
    }
    const zipPath = join(root, 'in-evil.zip');
    writeFileSync(
      zipPath,
      zipSync({
        '../../evil.walkthrough.json': good,
        'ok/ok.walkthrough.json': Buffer.from(JSON.stringify(sample('ok'))),
      }),
    );
    expect(() => importWalkthroughs(zipPath, lib)).toThrow(LibraryError);
    expect(readdirSync(lib)).toEqual([]);
    expect(strayFiles()).toEqual([]);
  });

  it('rejects zip bombs and oversized entries without unpacking them', () => {
    const bomb = zipSync({ 'bomb/bomb.walkthrough.json': new Uint8Array(6 * 1024 * 1024) }, { level: 9 });
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    expect(() => readBundle(bomb, 'bomb.zip')).toThrow(/unpacks to|zip bomb/);
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 2100; i++) many[`f${i}.png`] = new Uint8Array(1);
    expect(() => readBundle(zipSync(many), 'many.zip')).toThrow(/more than 2000 files/);
    expect(() => readBundle(Buffer.from('not a zip at all'), 'junk.zip')).toThrow(/not a readable .zip/);
  });

  it('reports a bad walkthrough inside a bundle with its path and field, and imports the good one', () => {
    const zipPath = join(root, 'in-mixed.zip');
    writeFileSync(
      zipPath,
      zipSync({
        'good/good.walkthrough.json': Buffer.from(JSON.stringify(sample('good'))),
        'bad/bad.walkthrough.json': Buffer.from(JSON.stringify({ ...sample('bad'), steps: [] })),
      }),
    );
    const result = importWalkthroughs(zipPath, lib);
    expect(result.imported.map((i) => i.id)).toEqual(['good']);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: `${zipPath}:bad/bad.walkthrough.json`, field: 'steps' }),
    ]);
  });

  it('never resolves a path outside the library', () => {
    expect(() => safeJoin(lib, '..', 'x')).toThrow(/outside the library/);
    expect(() => safeJoin(lib, '/etc/passwd')).toThrow(/outside the library/);
    expect(safeJoin(lib, 'a', 'b.png')).toBe(join(lib, 'a', 'b.png'));
  });
});

describe('delete', () => {
  it('deletes a user walkthrough with its images and refuses starter ones', () => {
    const w = sample('to-delete');
    w.steps[0]!.image = 'step-1.png';
    saveWalkthrough(lib, w, { 'step-1.png': PNG_1PX });
    const entry = loadLibrary({ folder: lib }).entries[0]!;
    deleteWalkthrough(entry, lib);
    expect(existsSync(join(lib, 'to-delete'))).toBe(false);
    const starter = loadWalkthroughFolder(starterPackDir(), 'starter', true).entries[0]!;
    expect(() => deleteWalkthrough(starter, lib)).toThrow(/starter pack/);
  });
});

describe('import refuses what is not a plain image beside the walkthrough (issue 15)', () => {
  /** A walkthrough file in its own folder whose first step shows `image`. */
  function walkthroughWithImage(id: string, image: string): string {
    const folder = join(root, `in-${id}`);
    mkdirSync(folder, { recursive: true });
    const w = sample(id);
    w.steps[0]!.image = image;
    const file = join(folder, `${id}.walkthrough.json`);
    writeFileSync(file, JSON.stringify(w));
    return file;
  }

  it('refuses a symlinked image, imports the walkthrough without it, and never exports the target', () => {
    const secret = join(root, 'in-private-notes.txt');
    writeFileSync(secret, 'the contents of a file the walkthrough pointed at');
    const file = walkthroughWithImage('linked', 'step-1.png');
    symlinkSync(secret, join(root, 'in-linked', 'step-1.png'));
    const result = importWalkthroughs(file, lib);
    expect(result.imported.map((i) => i.id)).toEqual(['linked']);
    expect(result.problems).toEqual([
      {
        path: join(root, 'in-linked', 'step-1.png'),
        field: 'steps[0].image',
        message: expect.stringMatching(/symbolic link/) as unknown,
      },
    ]);
    expect(readdirSync(join(lib, 'linked'))).toEqual(['linked.walkthrough.json']);
    const bundle = join(root, 'in-export.zip');
    exportWalkthroughs(loadLibrary({ folder: lib }).entries, bundle);
    expect(readFileSync(bundle).includes(Buffer.from('contents of a file'))).toBe(false);
  });

  it('refuses a symlinked image to a real PNG too: the link is refused, not the content', () => {
    const png = join(root, 'in-elsewhere.png');
    writeFileSync(png, PNG_1PX);
    const file = walkthroughWithImage('png-link', 'step-1.png');
    symlinkSync(png, join(root, 'in-png-link', 'step-1.png'));
    expect(importWalkthroughs(file, lib).problems[0]!.message).toMatch(/symbolic link/);
  });

  it('refuses an image file that is not a PNG, JPEG or WebP, in a single file and in a bundle', () => {
    const file = walkthroughWithImage('fake', 'step-1.png');
    writeFileSync(join(root, 'in-fake', 'step-1.png'), '#!/bin/sh\necho not an image\n');
    const single = importWalkthroughs(file, lib);
    expect(single.imported.map((i) => i.id)).toEqual(['fake']);
    const notAnImage = expect.stringMatching(/not a PNG, JPEG or WebP/) as unknown;
    expect(single.problems[0]).toMatchObject({ field: 'steps[0].image', message: notAnImage });
    expect(existsSync(join(lib, 'fake', 'step-1.png'))).toBe(false);

    const w = sample('zipped');
    w.steps[0]!.image = 'step-1.png';
    const zipPath = join(root, 'in-zipped.zip');
    // A zip "symlink" entry unpacks as a small file holding the link target: not an image.
    const entries = {
      'zipped/zipped.walkthrough.json': Buffer.from(JSON.stringify(w)),
      'zipped/step-1.png': Buffer.from('/etc/passwd'),
    };
    writeFileSync(zipPath, zipSync(entries));
    const bundled = importWalkthroughs(zipPath, lib);
    expect(bundled.imported.map((i) => i.id)).toEqual(['zipped']);
    const refused = { path: `${zipPath}:zipped/step-1.png`, field: 'steps[0].image', message: notAnImage };
    expect(bundled.problems).toEqual([refused]);
    expect(existsSync(join(lib, 'zipped', 'step-1.png'))).toBe(false);
  });

  it('reports an invalid walkthrough file as a refusal instead of failing the whole import', () => {
    const bad = join(root, 'in-bad.walkthrough.json');
    writeFileSync(bad, '{ "format": ');
    const result = importWalkthroughs(bad, lib);
    expect(result.imported).toEqual([]);
    expect(result.problems[0]).toMatchObject({
      path: bad,
      message: expect.stringMatching(/not valid JSON/) as unknown,
    });
  });

  it('tells PNG, JPEG and WebP apart from other bytes', () => {
    expect(sniffImageType(PNG_1PX)).toBe('png');
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('jpeg');
    expect(sniffImageType(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniffImageType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull();
    expect(sniffImageType(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffImageType(new Uint8Array(0))).toBeNull();
  });
});
