/**
 * What changed between two captures of a window: one hash per 32x32 tile, and the full-width bands
 * that cover the changed tiles (grown so no old line is cut), so only those are read again.
 */
import type { Box } from '../../src-shared/screen';
import type { RgbaImage } from './image';
import type { LineEntry } from './line-plan';

const TILE = 32;

/** Whether two boxes overlap. */
export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** One 32-bit hash per 32x32 tile of the RGBA pixels. */
export function hashTiles(image: RgbaImage): Uint32Array {
  const { width, height, data } = image;
  const tilesX = Math.ceil(width / TILE);
  const tilesY = Math.ceil(height / TILE);
  const hashes = new Uint32Array(tilesX * tilesY).fill(0x811c9dc5);
  const words =
    data.byteOffset % 4 === 0
      ? new Uint32Array(data.buffer, data.byteOffset, width * height)
      : new Uint32Array(data.slice().buffer);
  for (let y = 0; y < height; y++) {
    const tileRow = (y >> 5) * tilesX;
    const row = y * width;
    for (let tx = 0; tx < tilesX; tx++) {
      let h = hashes[tileRow + tx]!;
      const end = Math.min(width, (tx + 1) * TILE);
      for (let x = tx * TILE; x < end; x++) h = Math.imul(h ^ words[row + x]!, 16777619);
      hashes[tileRow + tx] = h;
    }
  }
  return hashes;
}

/** Whether two captures have the same tile hashes (nothing changed). */
export function equalHashes(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Full-width bands covering changed tiles, grown to include any old line they cut, plus a margin. */
export function changedBands(
  state: { tileHashes: Uint32Array; lines: readonly LineEntry[] },
  hashes: Uint32Array,
  width: number,
  height: number,
): Box[] {
  const tilesX = Math.ceil(width / TILE);
  const tilesY = Math.ceil(height / TILE);
  const ranges: Array<[number, number]> = [];
  for (let ty = 0; ty < tilesY; ty++) {
    let changed = false;
    for (let tx = 0; tx < tilesX && !changed; tx++)
      if (state.tileHashes[ty * tilesX + tx] !== hashes[ty * tilesX + tx]) changed = true;
    if (!changed) continue;
    const y0 = ty * TILE;
    const y1 = Math.min(height, y0 + TILE);
    const last = ranges[ranges.length - 1];
    if (last && last[1] >= y0) last[1] = y1;
    else ranges.push([y0, y1]);
  }
  const margin = 6;
  let grown = ranges.map(([a, b]) => [Math.max(0, a - margin), Math.min(height, b + margin)] as [number, number]);
  // Grow each band until no old line crosses its edge, then merge overlapping bands.
  for (let pass = 0; pass < 4; pass++) {
    let changed = false;
    grown = grown.map(([a, b]) => {
      let top = a;
      let bottom = b;
      for (const line of state.lines) {
        const ly0 = line.crop.y;
        const ly1 = line.crop.y + line.crop.h;
        if (ly1 > top && ly0 < bottom && (ly0 < top || ly1 > bottom)) {
          top = Math.min(top, ly0);
          bottom = Math.max(bottom, ly1);
          changed = true;
        }
      }
      return [top, bottom] as [number, number];
    });
    grown.sort((p, q) => p[0] - q[0]);
    const merged: Array<[number, number]> = [];
    for (const range of grown) {
      const last = merged[merged.length - 1];
      if (last && last[1] >= range[0]) last[1] = Math.max(last[1], range[1]);
      else merged.push([...range]);
    }
    grown = merged;
    if (!changed) break;
  }
  return grown.map(([a, b]) => ({ x: 0, y: a, w: width, h: b - a }));
}
