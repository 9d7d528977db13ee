/**
 * Local OCR for Sidekick: decode a screenshot, find its text lines, recognize them with a pool
 * of warm tesseract.js workers, and return located words and lines (ScreenText).
 */
export { decodeImage, ImageError, type ImageErrorCode, type ImageInput, type RawImage } from './image';
export { OcrEngineError } from './engine';
export { createScreenReader, type ReadOptions, type ScreenReader, type ScreenReaderOptions } from './reader';
