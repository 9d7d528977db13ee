/**
 * The one in-memory image type: decoded RGBA pixels, as capture hands them out, OCR reads them and
 * redaction fills them, and the one way to turn them into PNG bytes.
 */

/** Decoded pixels: RGBA, 4 bytes per pixel, rows top to bottom. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Encodes RGBA pixels as PNG bytes (sharp loads on first use). */
export async function encodePng(image: RgbaImage): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  })
    .png()
    .toBuffer();
}
