/**
 * Images going into OCR: decoding (sharp), validation with actionable errors, size limits,
 * and the grayscale plane every later stage works on.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';

import type { RgbaImage } from '../base/image';

export type { RgbaImage };

/** What a reader accepts: an encoded image file (PNG, JPEG, WebP, ...) or decoded RGBA pixels. */
export type ImageInput = Buffer | RgbaImage;

/** Why an image could not be read. */
export type ImageErrorCode = 'empty' | 'corrupt' | 'unsupported' | 'too-large';

/** An image that cannot be read, with a message that says what to do about it. */
export class ImageError extends Error {
  constructor(
    readonly code: ImageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

/** One 8-bit grayscale plane. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Largest side we read at full size; larger images are downscaled (with a note). */
export const MAX_SIDE = 8192;
/** Largest pixel count we read at full size. */
export const MAX_PIXELS = 40_000_000;
/** Anything beyond this is refused before decoding, so a hostile file cannot exhaust memory. */
const HARD_PIXEL_LIMIT = 400_000_000;

/** Encoded formats sharp can decode that make sense for screenshots. */
const SUPPORTED_FORMATS = new Set(['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif', 'heif', 'raw']);

/** Checks a RgbaImage's shape, throwing ImageError on nonsense. */
export function validateRawImage(image: RgbaImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageError(
      'empty',
      `The image has no pixels (${width}x${height}). Capture a visible, non-minimized window and try again.`,
    );
  }
  if (!(data instanceof Uint8Array)) {
    throw new ImageError('corrupt', 'Raw image data must be a Uint8Array of RGBA pixels.');
  }
  if (data.length !== width * height * 4) {
    throw new ImageError(
      'corrupt',
      `Raw image data has ${data.length} bytes but ${width}x${height} RGBA ` +
        `needs ${width * height * 4}. Pass RGBA pixels (4 bytes per pixel).`,
    );
  }
}

/** Decoded image plus anything worth telling the caller (e.g. a downscale). */
export interface DecodedImage {
  image: RgbaImage;
  /** How many source pixels one decoded pixel covers (1 unless downscaled). */
  scale: number;
  originalWidth: number;
  originalHeight: number;
  notes: string[];
}

function isRawImage(input: ImageInput): input is RgbaImage {
  return !Buffer.isBuffer(input) && typeof input === 'object' && input !== null && 'data' in input && 'width' in input;
}

/** Decodes an encoded image (or checks raw RGBA) and downscales oversized images; throws ImageError. */
export async function decodeImageWithNotes(input: ImageInput): Promise<DecodedImage> {
  if (input === null || input === undefined)
    throw new ImageError('empty', 'No image was given. Pass a PNG/JPEG file or RGBA pixels.');
  if (isRawImage(input)) {
    validateRawImage(input);
    if (input.width <= MAX_SIDE && input.height <= MAX_SIDE && input.width * input.height <= MAX_PIXELS) {
      return { image: input, scale: 1, originalWidth: input.width, originalHeight: input.height, notes: [] };
    }
    return downscale(
      sharp(input.data, { raw: { width: input.width, height: input.height, channels: 4 } }),
      input.width,
      input.height,
    );
  }
  if (!Buffer.isBuffer(input))
    throw new ImageError('unsupported', 'Expected an encoded image Buffer or a {width, height, data} RGBA image.');
  if (input.length === 0)
    throw new ImageError('empty', 'The image file is empty (0 bytes). Save the screenshot again and retry.');
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: HARD_PIXEL_LIMIT }).metadata();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/unsupported image format/i.test(text)) {
      throw new ImageError(
        'unsupported',
        'This is not an image format Sidekick can read. Save the screenshot as PNG or JPEG and try again.',
      );
    }
    if (/pixel limit/i.test(text)) {
      throw new ImageError(
        'too-large',
        `The image is too large to read (over ${HARD_PIXEL_LIMIT / 1e6} megapixels). ` +
          `Capture a single window instead of a whole wall of screens.`,
      );
    }
    throw new ImageError('corrupt', `The image file is damaged or truncated (${text}). Capture or save it again.`);
  }
  if (!metadata.format || !SUPPORTED_FORMATS.has(metadata.format)) {
    throw new ImageError(
      'unsupported',
      `Images in ${metadata.format ?? 'this'} format are not supported. ` +
        `Save the screenshot as PNG or JPEG and try again.`,
    );
  }
  const width = metadata.autoOrient?.width ?? metadata.width ?? 0;
  const height = metadata.autoOrient?.height ?? metadata.height ?? 0;
  if (width <= 0 || height <= 0)
    throw new ImageError('empty', 'The image has no pixels. Capture a visible window and try again.');
  const pipeline = sharp(input, { limitInputPixels: HARD_PIXEL_LIMIT, failOn: 'error' }).autoOrient();
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) return downscale(pipeline, width, height);
  try {
    const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return {
      image: {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      },
      scale: 1,
      originalWidth: width,
      originalHeight: height,
      notes: [],
    };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new ImageError('corrupt', `The image file is damaged or truncated (${text}). Capture or save it again.`);
  }
}

async function downscale(pipeline: Sharp, width: number, height: number): Promise<DecodedImage> {
  const factor = Math.max(width / MAX_SIDE, height / MAX_SIDE, Math.sqrt((width * height) / MAX_PIXELS));
  const targetWidth = Math.max(1, Math.floor(width / factor));
  const targetHeight = Math.max(1, Math.floor(height / factor));
  try {
    const { data, info } = await pipeline
      .resize(targetWidth, targetHeight, { fit: 'fill', kernel: 'lanczos3' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      image: {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      },
      scale: width / info.width,
      originalWidth: width,
      originalHeight: height,
      notes: [
        `image was downscaled from ${width}x${height} to ${info.width}x${info.height} to stay within ${MAX_SIDE} px ` +
          `per side and ${MAX_PIXELS / 1e6} MP; boxes are in original pixels, small text may be missed`,
      ],
    };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new ImageError('corrupt', `The image file is damaged or truncated (${text}). Capture or save it again.`);
  }
}

/** Decodes an encoded image to RGBA pixels (or validates raw RGBA); throws ImageError with an actionable message. */
export async function decodeImage(input: ImageInput): Promise<RgbaImage> {
  return (await decodeImageWithNotes(input)).image;
}

/** Luma (BT.601, integer) of RGBA pixels. */
export function toGray(image: RgbaImage): GrayImage {
  const { width, height, data } = image;
  const n = width * height;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[i] = (data[j]! * 77 + data[j + 1]! * 150 + data[j + 2]! * 29) >> 8;
  }
  return { width, height, data: out };
}

/** Luma of only some row bands (the rest stays 0): enough for re-reading the changed parts of a capture. */
export function toGrayRows(image: RgbaImage, bands: Array<{ y: number; h: number }>): GrayImage {
  const { width, height, data } = image;
  const out = new Uint8Array(width * height);
  for (const band of bands) {
    const start = Math.max(0, Math.floor(band.y)) * width;
    const end = Math.min(height, Math.ceil(band.y + band.h)) * width;
    for (let i = start, j = start * 4; i < end; i++, j += 4)
      out[i] = (data[j]! * 77 + data[j + 1]! * 150 + data[j + 2]! * 29) >> 8;
  }
  return { width, height, data: out };
}
