/** A real edit of a screenshot, for measuring and testing incremental re-reads. */
import sharp from 'sharp';
import type { RgbaImage } from '../ocr/image';

/**
 * Draws `text` (rendered by librsvg in DejaVu Sans 13 px, black on a white box) onto a copy of the pixels, as an edit
 * in the app would.
 */
export async function drawTextOnImage(
  image: RgbaImage,
  text: string,
  at: { left: number; top: number },
  box: { width: number; height: number },
): Promise<RgbaImage> {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const baseline = box.height - Math.round((box.height - 13) / 2) - 1;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${box.width}" height="${box.height}"><rect width="${box.width}" height="${box.height}" fill="white"/><text x="${Math.round(box.height / 6)}" y="${baseline}" font-family="DejaVu Sans" font-size="13" fill="black">${escaped}</text></svg>`;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .composite([{ input: Buffer.from(svg), left: at.left, top: at.top }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}
