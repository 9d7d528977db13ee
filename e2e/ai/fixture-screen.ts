/** The real mousepad screenshot with planted secrets, read once with the real OCR. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createScreenReader, decodeImage } from '../../src-main/ocr';
import type { ScreenText } from '../../src-shared/screen';
import type { RgbaImage } from '../../src-main/privacy';

/** Path of the committed fixture. */
export const SECRETS_PNG = fileURLToPath(new URL('./fixtures/mousepad-secrets.png', import.meta.url));

/** OCRs the fixture: its screen text and decoded pixels. */
export async function readSecretsFixture(): Promise<{ screen: ScreenText; image: RgbaImage; png: Buffer }> {
  const png = readFileSync(SECRETS_PNG);
  const reader = createScreenReader();
  try {
    const screen = await reader.read(png);
    const image = await decodeImage(png);
    return { screen, image, png };
  } finally {
    await reader.close();
  }
}
