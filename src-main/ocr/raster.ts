/**
 * Small raster operations on grayscale planes, done in JS so no encode/decode round trip is
 * needed between detection and recognition: crop, invert, integer upscale, PGM encoding.
 */
import type { GrayImage } from './image';

/** Copies a rectangle (clamped to the image) out of a grayscale plane. */
export function cropGray(image: GrayImage, x: number, y: number, w: number, h: number): GrayImage {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(image.width, Math.ceil(x + w));
  const y1 = Math.min(image.height, Math.ceil(y + h));
  const width = Math.max(0, x1 - x0);
  const height = Math.max(0, y1 - y0);
  const out = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    const start = (y0 + row) * image.width + x0;
    out.set(image.data.subarray(start, start + width), row * width);
  }
  return { width, height, data: out };
}

/** Upscales by any factor ≥ 1 with pixel-centred bilinear interpolation (factor 1 returns the input). */
export function upscaleGray(image: GrayImage, factor: number): GrayImage {
  if (factor <= 1) return image;
  const { width, height, data } = image;
  const outW = Math.max(1, Math.round(width * factor));
  const outH = Math.max(1, Math.round(height * factor));
  const out = new Uint8Array(outW * outH);
  const fx = width / outW;
  const fy = height / outH;
  // Horizontal source positions and weights are the same for every row: compute them once.
  const xs0 = new Int32Array(outW);
  const xs1 = new Int32Array(outW);
  const xw = new Float32Array(outW);
  for (let ox = 0; ox < outW; ox++) {
    let sx = (ox + 0.5) * fx - 0.5;
    if (sx < 0) sx = 0;
    let x0 = Math.floor(sx);
    if (x0 > width - 1) x0 = width - 1;
    xs0[ox] = x0;
    xs1[ox] = x0 + 1 < width ? x0 + 1 : x0;
    xw[ox] = sx - x0;
  }
  for (let oy = 0; oy < outH; oy++) {
    let sy = (oy + 0.5) * fy - 0.5;
    if (sy < 0) sy = 0;
    let y0 = Math.floor(sy);
    if (y0 > height - 1) y0 = height - 1;
    const y1 = y0 + 1 < height ? y0 + 1 : y0;
    const wy = sy - y0;
    const row0 = y0 * width;
    const row1 = y1 * width;
    const outRow = oy * outW;
    for (let ox = 0; ox < outW; ox++) {
      const a = xs0[ox]!;
      const b = xs1[ox]!;
      const wx = xw[ox]!;
      const top = data[row0 + a]! + (data[row0 + b]! - data[row0 + a]!) * wx;
      const bottom = data[row1 + a]! + (data[row1 + b]! - data[row1 + a]!) * wx;
      out[outRow + ox] = (top + (bottom - top) * wy + 0.5) | 0;
    }
  }
  return { width: outW, height: outH, data: out };
}

/** Inverts a grayscale plane in place (light text on dark → dark on light, which tesseract prefers). */
export function invertGray(image: GrayImage): GrayImage {
  const d = image.data;
  for (let i = 0; i < d.length; i++) d[i] = 255 - d[i]!;
  return image;
}

/** Encodes a grayscale plane as binary PGM (P5), which Leptonica inside tesseract reads without a codec. */
export function encodePgm(image: GrayImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n255\n`);
  const out = new Uint8Array(header.length + image.data.length);
  out.set(header, 0);
  out.set(image.data, header.length);
  return out;
}

/** Median of a border ring of the plane (a robust guess at the background level). */
export function borderLevel(image: GrayImage): number {
  const { width, height, data } = image;
  const histogram = new Uint32Array(256);
  let count = 0;
  for (let x = 0; x < width; x++) {
    histogram[data[x]!]!++;
    histogram[data[(height - 1) * width + x]!]!++;
    count += 2;
  }
  for (let y = 1; y < height - 1; y++) {
    histogram[data[y * width]!]!++;
    histogram[data[y * width + width - 1]!]!++;
    count += 2;
  }
  let seen = 0;
  for (let level = 0; level < 256; level++) {
    seen += histogram[level]!;
    if (seen * 2 >= count) return level;
  }
  return 255;
}

/**
 * Makes a crop dark-text-on-white: inverts it when its background (border median) is dark, then
 * stretches levels so the background becomes white and the darkest ink black. Mosaics of crops
 * from different toolbars and themes then binarize the same way.
 */
export function normalizeText(image: GrayImage): GrayImage {
  let background = borderLevel(image);
  if (background < 128) {
    invertGray(image);
    background = 255 - background;
  }
  const d = image.data;
  let darkest = 255;
  for (let i = 0; i < d.length; i++) if (d[i]! < darkest) darkest = d[i]!;
  const range = background - darkest;
  if (range < 24) return image;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++)
    lut[v] = v >= background ? 255 : v <= darkest ? 0 : Math.round(((v - darkest) * 255) / range);
  for (let i = 0; i < d.length; i++) d[i] = lut[d[i]!]!;
  return image;
}

/**
 * Whitens straight dark runs no glyph has: horizontal runs longer than `maxRun` (button and field
 * borders, link underlines, table rules) and vertical runs taller than `maxColumn` (frame sides,
 * carets) in a dark-on-white crop, so the engine does not read a frame as letters.
 */
export function clearStraightRuns(image: GrayImage, maxRun: number, maxColumn: number): GrayImage {
  const { width, height, data } = image;
  const dark = 128;
  const clear: number[] = [];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let start = -1;
    for (let x = 0; x <= width; x++) {
      if (x < width && data[row + x]! < dark) {
        if (start < 0) start = x;
      } else if (start >= 0) {
        if (x - start > maxRun) clear.push(row + start, row + x, 1);
        start = -1;
      }
    }
  }
  for (let x = 0; x < width; x++) {
    let start = -1;
    for (let y = 0; y <= height; y++) {
      if (y < height && data[y * width + x]! < dark) {
        if (start < 0) start = y;
      } else if (start >= 0) {
        if (y - start > maxColumn) clear.push(start * width + x, y * width + x, width);
        start = -1;
      }
    }
  }
  for (let i = 0; i < clear.length; i += 3)
    for (let p = clear[i]!; p < clear[i + 1]!; p += clear[i + 2]!) data[p] = 255;
  return image;
}
