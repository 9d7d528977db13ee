/**
 * Detectors for personal data and secrets in text: each finds candidate spans with a regular
 * expression and, where a checksum exists (Luhn for cards, mod-97 for IBANs), keeps only the
 * spans that pass it, so order numbers and dates are not mistaken for cards.
 */

/** What kind of secret a finding is. */
export type SecretKind = 'email' | 'phone' | 'card' | 'iban' | 'api-key' | 'token' | 'jwt' | 'ip' | 'custom';

/** All built-in kinds, in the order they are looked for (earlier wins on overlap). */
export const SECRET_KINDS: readonly SecretKind[] = ['jwt', 'api-key', 'token', 'email', 'iban', 'card', 'ip', 'phone', 'custom'];

/** A span of text that must not leave the machine. `end` is exclusive. */
export interface SecretSpan {
  kind: SecretKind;
  start: number;
  end: number;
}

/** A user-defined pattern: a regular expression source and an optional label for the preview. */
export interface CustomPattern {
  pattern: string;
  label?: string;
}

/** True when the digits pass the Luhn checksum used by payment card numbers. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** True when a compact IBAN (no spaces, upper case) passes the ISO 13616 mod-97 check. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let m: RegExpExecArray | null;
  while ((m = global.exec(text)) !== null) {
    if (m[0].length === 0) {
      global.lastIndex++;
      continue;
    }
    yield m;
  }
}

const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
const API_KEYS = [
  /\bsk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{16,}/, // OpenAI, Anthropic, Stripe-like secret keys
  /\b(?:rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/, // Stripe
  /\bgh[pousr]_[A-Za-z0-9]{30,}/, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{40,}/,
  /\bglpat-[A-Za-z0-9_-]{20,}/, // GitLab
  /\bAKIA[0-9A-Z]{16}\b/, // AWS access key id
  /\bAIza[0-9A-Za-z_-]{35}/, // Google API key
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack
  /\bnpm_[A-Za-z0-9]{36}\b/,
];
/** `password: hunter2`, `api_key=...`, `Authorization: Bearer abc`: the value after the label. */
const LABELLED_SECRET = /\b(?:pass(?:word|wd)?|pwd|secret|api[_ -]?key|access[_ -]?key|token|auth(?:orization)?|bearer)\b\s*(?:[:=]\s*|\s+)(?:bearer\s+)?([^\s"',;]{6,})/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
/** OCR may read "ana. lopez@example. org": a space after a dot. */
const EMAIL_OCR = /[A-Za-z0-9_%+-]+(?:\. ?[A-Za-z0-9_%+-]+)*\.? ?@ ?[A-Za-z0-9-]+(?:\. ?[A-Za-z0-9-]+)*\. ?[A-Za-z]{2,}/;
const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,34}/;
const CARD_CANDIDATE = /(?<![\d.])\d(?:[ -]?\d){12,18}(?![\d])/;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)/;
const IPV6 = /(?<![0-9A-Fa-f:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?|::(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})(?![0-9A-Fa-f:])/;
const PHONE = /(?<![\w+:.\/-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]?\d{2,5}){1,5}(?![\w:\/]|[.,]\d)/;
/** Dates look like grouped digits too: 2026-11-28, 28.11.2026. */
const DATE_LIKE = /\d{4}-\d{2}-\d{2}|\d{2}[./-]\d{2}[./-]\d{4}/;

/** Options for finding secrets. */
export interface FindOptions {
  /**
   * For text read by OCR: a misread digit breaks a checksum, so card- and IBAN-shaped numbers
   * are redacted even when the checksum fails, and JWT-shaped tokens without the "eyJ" prefix too.
   */
  ocrTolerant?: boolean;
}

const JWT_SHAPED = /(?<![^\s:=])[^\s.:=]{10,}\.[^\s.]{10,}\.[^\s.]{10,}/;

function ibanSpans(text: string, tolerant: boolean): SecretSpan[] {
  const spans: SecretSpan[] = [];
  // OCR slips: lower case, and "@" / "|" read for "0" / "1" (same length, so spans still line up).
  const source = tolerant ? text.toUpperCase().replace(/@/g, '0').replace(/[|!]/g, '1') : text;
  for (const m of matches(IBAN_CANDIDATE, source)) {
    // The candidate may run into following upper-case words: try the longest valid prefix.
    const positions: number[] = [];
    let compact = '';
    for (let i = 0; i < m[0].length; i++) {
      const ch = m[0][i]!;
      if (/[A-Z0-9]/.test(ch)) {
        compact += ch;
        positions.push(m.index + i);
      }
    }
    let found = false;
    for (let len = Math.min(compact.length, 34); len >= 15; len--) {
      if (ibanValid(compact.slice(0, len))) {
        spans.push({ kind: 'iban', start: m.index, end: positions[len - 1]! + 1 });
        found = true;
        break;
      }
    }
    if (!found && tolerant && (compact.match(/\d/g) ?? []).length >= 10) {
      // Up to the last digit, so a following upper-case word is not swallowed.
      const lastDigit = compact.search(/\d[^\d]*$/);
      spans.push({ kind: 'iban', start: m.index, end: positions[lastDigit]! + 1 });
    }
  }
  return spans;
}

function cardSpans(text: string, tolerant: boolean): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const m of matches(CARD_CANDIDATE, text)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && (luhnValid(digits) || (tolerant && digits.length >= 14))) spans.push({ kind: 'card', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

function phoneSpans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const m of matches(PHONE, text)) {
    if (DATE_LIKE.test(m[0])) continue;
    const digits = m[0].replace(/\D/g, '').length;
    const international = m[0].startsWith('+');
    const grouped = /[ .()-]/.test(m[0]);
    // Dates (8 digits) and short numbers stay; a leading + or 9..15 grouped digits is a phone.
    if ((international && digits >= 7 && digits <= 15) || (grouped && digits >= 9 && digits <= 15) || (!grouped && digits >= 10 && digits <= 12 && m[0].startsWith('0'))) {
      spans.push({ kind: 'phone', start: m.index, end: m.index + m[0].length });
    }
  }
  return spans;
}

function ipSpans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const m of matches(IPV4, text)) spans.push({ kind: 'ip', start: m.index, end: m.index + m[0].length });
  for (const m of matches(IPV6, text)) {
    // "12:30:00" is a time, not an address: require "::" or eight groups, and a hex letter or 3+ groups.
    const groups = m[0].split(':').filter(Boolean).length;
    if ((m[0].includes('::') && (groups >= 2 || /[a-f]/i.test(m[0]))) || groups === 8) spans.push({ kind: 'ip', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

function regexSpans(kind: SecretKind, res: readonly RegExp[], text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const re of res) for (const m of matches(re, text)) spans.push({ kind, start: m.index, end: m.index + m[0].length });
  return spans;
}

function labelledSpans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const m of matches(LABELLED_SECRET, text)) {
    const value = m[1]!;
    const start = m.index + m[0].length - value.length;
    spans.push({ kind: 'token', start, end: start + value.length });
  }
  return spans;
}

/** A compiled user pattern, or the reason it does not compile. */
export function compileCustomPattern(custom: CustomPattern): RegExp | { error: string } {
  try {
    return new RegExp(custom.pattern, 'gu');
  } catch (error) {
    return { error: `pattern "${custom.pattern}" is not a valid regular expression: ${(error as Error).message}` };
  }
}

/** Every secret span in `text`, overlaps resolved (the earlier kind in SECRET_KINDS, then the longer span, wins). */
export function findSecrets(text: string, custom: readonly RegExp[] = [], options: FindOptions = {}): SecretSpan[] {
  const tolerant = options.ocrTolerant ?? false;
  const all: SecretSpan[] = [
    ...regexSpans('jwt', tolerant ? [JWT, JWT_SHAPED] : [JWT], text),
    ...regexSpans('api-key', API_KEYS, text),
    ...labelledSpans(text),
    ...regexSpans('email', tolerant ? [EMAIL, EMAIL_OCR] : [EMAIL], text),
    ...ibanSpans(text, tolerant),
    ...cardSpans(text, tolerant),
    ...ipSpans(text),
    ...phoneSpans(text),
    ...regexSpans('custom', custom, text),
  ];
  if (tolerant) {
    // OCR may split the first characters of a token off ("JWT:ey JhbGci..."): take that short tail too.
    for (const span of all) {
      if (span.kind !== 'jwt' && span.kind !== 'api-key' && span.kind !== 'token') continue;
      const tail = /(?:^|[\s:=])([A-Za-z0-9_-]{1,6}) $/.exec(text.slice(Math.max(0, span.start - 8), span.start));
      if (tail) span.start -= tail[1]!.length + 1;
    }
  }
  const rank = (k: SecretKind) => SECRET_KINDS.indexOf(k);
  all.sort((a, b) => rank(a.kind) - rank(b.kind) || b.end - b.start - (a.end - a.start));
  const kept: SecretSpan[] = [];
  for (const span of all) {
    const overlapping = kept.find((k) => span.start < k.end && k.start < span.end);
    if (overlapping) {
      // Never leak the part of a span that sticks out of an earlier one: widen the earlier span.
      overlapping.start = Math.min(overlapping.start, span.start);
      overlapping.end = Math.max(overlapping.end, span.end);
      continue;
    }
    kept.push({ ...span });
  }
  return kept.sort((a, b) => a.start - b.start);
}
