/**
 * Word handling for walkthrough search: tokens, a light stemmer (plurals, -ing, -ed, -er/-est),
 * typo distance, and a small thesaurus of how people name UI actions versus what menus call them
 * ("cross out" → strikethrough, "bigger" → size/zoom). WordNet covers general paraphrase on top.
 */

/** Words that carry no meaning for finding a walkthrough. */
export const STOPWORDS = new Set(
  (
    'a an the i me my mine we our you your it its this that these those is are was were be been am do does did done doing ' +
    'how what where when which who why can could would should will shall may might must to of in on at for from by with ' +
    'into onto about and or but if so then than there here some any all just please want wanna need needs way ways get ' +
    'make makes making let lets im id ive dont cant help thing things something using use app application program ' +
    'going ' +
    'hi hello thanks thank via also again'
  ).split(/\s+/),
);

/** Lower-case word tokens of `text` ("Search & Replace..." → ["search", "replace"]). */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const IRREGULAR: Record<string, string> = {
  bigger: 'big', biggest: 'big', larger: 'large', largest: 'large', smaller: 'small', smallest: 'small',
  wider: 'wide', widest: 'wide', better: 'good', best: 'good', worse: 'bad', worst: 'bad',
  children: 'child', men: 'man', women: 'woman', made: 'make', took: 'take', put: 'put',
  setting: 'setting', settings: 'setting', string: 'string', strings: 'string',
};

/** A light stemmer: the same word in plural, -ing, -ed or comparative form maps to one stem. */
export function stem(word: string): string {
  const w = word.toLowerCase();
  if (IRREGULAR[w]) return IRREGULAR[w]!;
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
 * Groups of phrases people use for the same UI idea. A query phrase in a group also matches
 * the group's other phrases. Keep groups tight: every entry here is a claim of equivalence.
 */
export const UI_THESAURUS: readonly string[][] = [
  ['strikethrough', 'strike through', 'strike', 'cross out', 'cross through', 'strike out', 'line through', 'scratch out'],
  ['bigger', 'larger', 'enlarge', 'increase', 'grow', 'big', 'large', 'size', 'font size', 'magnify', 'zoom'],
  ['smaller', 'shrink', 'decrease', 'reduce', 'tiny', 'size', 'zoom'],
  ['zoom', 'magnify', 'magnification', 'zoom in', 'zoom out', 'scale view'],
  ['font', 'typeface', 'font face', 'lettering', 'letters', 'text style', 'characters'],
  ['bold', 'thick', 'heavy', 'darker text'],
  ['italic', 'slanted', 'slant', 'cursive'],
  ['underline', 'underscore'],
  ['find', 'search', 'look for', 'locate', 'where is'],
  ['replace', 'substitute', 'swap', 'change all', 'exchange'],
  ['undo', 'revert', 'take back', 'reverse'],
  ['freeze', 'lock', 'pin', 'sticky', 'stay visible', 'stays visible', 'keep visible', 'always visible', 'freeze panes'],
  ['header', 'heading', 'headers', 'top row', 'title row', 'first row'],
  ['sort', 'order', 'alphabetize', 'alphabetise', 'alphabetical', 'arrange', 'rank', 'ascending', 'descending'],
  ['sum', 'total', 'add up', 'autosum', 'function', 'formula', 'calculate'],
  ['wrap', 'word wrap', 'wrapping', 'line wrap', 'break lines', 'soft wrap', 'off the screen', 'run off'],
  ['split', 'separate', 'break apart', 'divide', 'text to columns'],
  ['merge', 'combine', 'join'],
  ['insert', 'add', 'put', 'place', 'new'],
  ['delete', 'remove', 'erase', 'get rid of', 'clear'],
  ['chart', 'graph', 'plot', 'diagram', 'visualize', 'visualise', 'histogram', 'pie'],
  ['comment', 'note', 'annotation', 'annotate', 'remark'],
  ['settings', 'preferences', 'options', 'configure', 'configuration', 'setup', 'customize', 'customise'],
  ['line numbers', 'number the lines', 'line numbering', 'numbered lines', 'gutter'],
  ['go to', 'jump', 'jump to', 'navigate', 'move to', 'skip to'],
  ['word count', 'count words', 'how many words', 'number of words', 'count', 'statistics', 'length'],
  ['page numbers', 'number the pages', 'page numbering', 'pagination', 'numbered pages'],
  ['date', 'time', 'today', 'timestamp', 'current date', 'date and time'],
  ['columns', 'column', 'newspaper', 'two columns', 'multi column'],
  ['bullets', 'bullet', 'bulleted', 'bullet points', 'list', 'numbered list', 'numbering', 'dots'],
  ['goal seek', 'target value', 'solve', 'reach a result', 'what if', 'backsolve'],
  ['spreadsheet', 'sheet', 'workbook', 'cells', 'excel'],
  ['document', 'doc', 'letter', 'word processor', 'page'],
  ['editor', 'text file', 'notepad', 'file'],
];
