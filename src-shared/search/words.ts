/**
 * Word handling for walkthrough search: tokens, a light stemmer (plurals, -ing, -ed, -er/-est),
 * typo distance, and a small thesaurus of how people name UI actions versus what menus call them
 * ("cross out" → strikethrough, "bigger" → size/zoom). WordNet covers general paraphrase on top.
 */

/** Words that carry no meaning for finding a walkthrough. */
export const STOPWORDS = new Set(
  (
    'a an the i me my mine we our you your it its this that these those is are was were be been am do does did done ' +
    'doing how what where when which who why can could would should will shall may might must to of in on at for ' +
    'from by with into onto about and or but if so then than there here some any all just please want wanna need ' +
    'needs way ways get make makes making let lets im id ive dont cant help thing things something using use app ' +
    'application program going hi hello hey thanks thank thx via also again have has had having got gets getting ' +
    'there theres pls plz sorry obvious possible able know tell wondering wonder trying try tried like youd ill isnt ' +
    'doesnt didnt wont cannot cant couldnt shouldnt wouldnt yet very really quite just still even ever anyway ' +
    'somehow he she him her his hers they them their someone somebody anyone anybody everyone yes no ok okay oh as ' +
    'too so now one ones thing things stuff bit little lot lots kind good'
  ).split(/\s+/),
);

/** Lower-case word tokens of `text` ("Search & Replace..." → ["search", "replace"]; "Schriftgröße" stays one word). */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const IRREGULAR: Record<string, string> = {
  bigger: 'big',
  biggest: 'big',
  larger: 'large',
  largest: 'large',
  smaller: 'small',
  smallest: 'small',
  wider: 'wide',
  widest: 'wide',
  better: 'good',
  best: 'good',
  worse: 'bad',
  worst: 'bad',
  children: 'child',
  men: 'man',
  women: 'woman',
  made: 'make',
  took: 'take',
  put: 'put',
  setting: 'setting',
  settings: 'setting',
  string: 'string',
  strings: 'string',
};

const STEM_CACHE = new Map<string, string>();

/** A light stemmer: the same word in plural, -ing, -ed or comparative form maps to one stem. */
export function stem(word: string): string {
  const hit = STEM_CACHE.get(word);
  if (hit !== undefined) return hit;
  const result = stemUncached(word.toLowerCase());
  if (STEM_CACHE.size < 200_000) STEM_CACHE.set(word, result);
  return result;
}

function stemUncached(w: string): string {
  if (IRREGULAR[w]) return IRREGULAR[w];
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith('ies') && s.length > 4) s = s.slice(0, -3) + 'y';
  else if (/(ss|sh|ch|x|z)es$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1);
  if (s.endsWith('ing') && s.length > 5) s = undouble(s.slice(0, -3));
  else if (s.endsWith('ed') && s.length > 4) s = undouble(s.slice(0, -2));
  else if (s.endsWith('est') && s.length > 5) s = undouble(s.slice(0, -3));
  else if (s.endsWith('er') && s.length > 5) s = undouble(s.slice(0, -2));
  if (s.endsWith('e') && s.length > 3) s = s.slice(0, -1);
  return s;
}

function undouble(s: string): string {
  return /([bdfgmnprt])\1$/.test(s) ? s.slice(0, -1) : s;
}

/**
 * Words about the document or program in general ("file", "sheet", "text"): they say where, not what,
 * so they count for less than words that name the task.
 */
export const GENERIC_WORDS = new Set(
  (
    'file files document documents doc docs text texts spreadsheet spreadsheets sheet sheets workbook ' +
    'program editor window screen computer app data table page pages cell cells word words line lines'
  ).split(' '),
);

/**
 * Groups of phrases people use for the same UI idea. A query phrase in a group also matches
 * the group's other phrases. Keep groups tight: every entry here is a claim of equivalence.
 */
export const UI_THESAURUS: readonly string[][] = [
  [
    'strikethrough',
    'strike through',
    'strike',
    'cross out',
    'cross through',
    'strike out',
    'line through',
    'scratch out',
    'crossed out',
    'cross off',
    'crossed off',
    'strikeout',
  ],
  ['bigger', 'larger', 'enlarge', 'increase', 'grow', 'big', 'large', 'huge', 'enormous', 'giant', 'magnify'],
  ['smaller', 'shrink', 'decrease', 'reduce', 'tiny', 'small'],
  ['zoom', 'magnify', 'magnification', 'zoom in', 'zoom out', 'scale view', 'closer look', 'see more'],
  ['font', 'typeface', 'font face', 'lettering', 'letters', 'text style', 'characters', 'writing'],
  ['bold', 'thick', 'heavy', 'darker text'],
  ['italic', 'slanted', 'slant', 'cursive'],
  ['underline', 'underscore'],
  ['find', 'search', 'look for', 'locate', 'where is', 'look up'],
  [
    'replace',
    'substitute',
    'swap',
    'change all',
    'exchange',
    'everywhere',
    'every occurrence',
    'all occurrences',
    'replace all',
  ],
  ['undo', 'revert', 'take back', 'reverse'],
  [
    'freeze',
    'lock',
    'pin',
    'sticky',
    'stay visible',
    'stays visible',
    'keep visible',
    'always visible',
    'freeze panes',
    'stay at the top',
    'stays at the top',
    'stay put',
    'vanish',
    'disappear',
    'scroll away',
  ],
  ['header', 'heading', 'headers', 'headings', 'top row', 'title row', 'first row', 'titles', 'column names', 'labels'],
  [
    'sort',
    'order',
    'alphabetize',
    'alphabetise',
    'alphabetical',
    'alphabetically',
    'arrange',
    'rank',
    'ascending',
    'descending',
    'highest to lowest',
    'lowest to highest',
    'smallest to largest',
    'largest to smallest',
    'a to z',
  ],
  ['sum', 'total', 'add up', 'autosum', 'function', 'formula', 'calculate', 'calculation', 'average', 'built in'],
  [
    'wrap',
    'word wrap',
    'wrapping',
    'line wrap',
    'break lines',
    'soft wrap',
    'off the screen',
    'run off',
    'runs off',
    'off the edge',
    'scroll sideways',
    'scroll left',
    'scroll right',
    'one long line',
    'several lines',
    'next line',
  ],
  ['split', 'separate', 'break apart', 'divide', 'text to columns', 'break up', 'pull apart'],
  ['merge', 'combine', 'join'],
  ['insert', 'add', 'put', 'place', 'new', 'stamp'],
  ['delete', 'remove', 'erase', 'get rid of', 'clear'],
  [
    'chart',
    'graph',
    'plot',
    'diagram',
    'visualize',
    'visualise',
    'histogram',
    'pie',
    'bar chart',
    'line graph',
    'trend',
    'picture of the numbers',
  ],
  ['comment', 'note', 'annotation', 'annotate', 'remark', 'sticky note', 'memo', 'red triangle', 'pop up note'],
  [
    'settings',
    'preferences',
    'options',
    'configure',
    'configuration',
    'setup',
    'customize',
    'customise',
    'default',
    'defaults',
    'behaviour',
    'behavior',
    'for good',
    'every time',
  ],
  [
    'line numbers',
    'number the lines',
    'line numbering',
    'numbered lines',
    'gutter',
    'line counter',
    'numbers next to each line',
    'numbers on the side',
    'margin numbers',
  ],
  ['go to', 'jump', 'jump to', 'navigate', 'move to', 'skip to', 'get to', 'go straight to'],
  ['word count', 'count words', 'how many words', 'number of words', 'count', 'statistics', 'length', 'words long'],
  ['page numbers', 'number the pages', 'page numbering', 'pagination', 'numbered pages', 'page number'],
  ['date', 'time', 'today', 'timestamp', 'current date', 'date and time', 'todays date', 'calendar'],
  ['columns', 'newspaper', 'two columns', 'multi column', 'magazine', 'side by side', 'newsletter'],
  ['bullets', 'bullet', 'bulleted', 'bullet points', 'list', 'numbered list', 'numbering', 'dots', 'dashes'],
  [
    'goal seek',
    'target value',
    'solve',
    'reach a result',
    'what if',
    'backsolve',
    'trial and error',
    'target number',
    'come out to',
    'work backwards',
  ],
];
