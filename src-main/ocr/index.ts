/**
 * Local OCR for Sidekick: decode a screenshot, find its text lines, recognize them with a pool
 * of warm tesseract.js workers, and return located words and lines (ScreenText).
 */
export { decodeImage, ImageError, type ImageErrorCode, type ImageInput, type RgbaImage } from './image';
export { OcrEngineError, type EngineStats } from './engine';
export {
  createScreenReader,
  PipelineScreenReader,
  type ReadOptions,
  type ScreenReader,
  type ScreenReaderOptions,
} from './reader';
