import { describe, expect, it } from 'vitest';
import { cropRawImage } from './index';

describe('cropRawImage', () => {
  it('copies exactly the requested rectangle, row by row', () => {
    const width = 5;
    const height = 4;
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x, y, 7, 255], (y * width + x) * 4);
    const crop = cropRawImage({ width, height, data }, 1, 2, 3, 2);
    expect([crop.width, crop.height, crop.data.length]).toEqual([3, 2, 24]);
    expect(Array.from(crop.data.subarray(0, 4))).toEqual([1, 2, 7, 255]);
    expect(Array.from(crop.data.subarray(20, 24))).toEqual([3, 3, 7, 255]);
  });

  it('returns the image itself when the crop is the whole image', () => {
    const image = { width: 2, height: 2, data: new Uint8Array(16) };
    expect(cropRawImage(image, 0, 0, 2, 2)).toBe(image);
  });
});
