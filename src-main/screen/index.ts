/** The screen model and label locating: what is on screen and where a label is. */
export {
  locateLabel,
  locateLabels,
  locateCandidates,
  isTextVisible,
  isTextGone,
  LOCATE_THRESHOLD,
  MAX_LABEL_LENGTH,
} from './locate';
export type { LocateHints, LabelCandidate } from './locate';
export {
  screenModel,
  screenLines,
  wordsInside,
  wordsInRegion,
  regionBounds,
  regionsOf,
  isInRegion,
  unionBox,
  boxCenter,
  boxDistance,
  readingDistance,
  boxesIntersect,
  boxContainsCenter,
} from './model';
export type { ScreenModel, ScreenLine, ScreenWord } from './model';
export { normalizeLabel, normalizeWord, stripMnemonics, foldOcrConfusions, editBudget } from './normalize';
