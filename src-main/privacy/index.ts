/** Privacy: redaction of text and screenshots before anything leaves the machine. */
export { encodePng } from '../base/image';
export { redactText, redactScreen, fillBoxes, mergeRowBoxes, placeholderFor } from './redact';
export type { RgbaImage, RedactionOptions, RedactedText, RedactedScreen, TextFinding, ScreenFinding } from './redact';
export { findSecrets, luhnValid, ibanValid, SECRET_KINDS } from './detectors';
export type { SecretKind, SecretSpan, CustomPattern } from './detectors';
