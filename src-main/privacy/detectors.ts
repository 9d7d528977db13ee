/**
 * Detectors for personal data and secrets in text: each finds candidate spans with a regular
 * expression and, where a checksum exists (Luhn for cards, mod-97 for IBANs), keeps only the
 * spans that pass it, so order numbers and dates are not mistaken for cards. Provider tokens and PEM
 * private keys come from our own gitleaks-style rules kept as data (./secret-rules/rules.json);
 * labelled values from ./labelled.
 */
import { findLabelledValues } from './labelled';
import { findRuleMatches } from './secret-rules';

/** What kind of secret a finding is. */
export type SecretKind =
  'email' | 'phone' | 'card' | 'iban' | 'api-key' | 'token' | 'jwt' | 'private-key' | 'ip' | 'custom';

/** All built-in kinds, in the order they are looked for (earlier wins on overlap). */
export const SECRET_KINDS: readonly SecretKind[] = [
  'private-key',
  'jwt',
  'api-key',
  'token',
  'email',
  'iban',
  'card',
  'ip',
  'phone',
  'custom',
];

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
/** Emails, also with non-Latin letters in either part (`jörg@beispiel.de`, `user@пример.рф`). */
const EMAIL = new RegExp(
  String.raw`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*` +
    String.raw`\.(?:\p{L}{2,}|xn--[a-z0-9-]{2,})(?![\p{L}\p{N}])`,
  'u',
);
/** OCR may read "ana. lopez@example. org": a space after a dot. */
const EMAIL_OCR =
  /[A-Za-z0-9_%+-]+(?:\. ?[A-Za-z0-9_%+-]+)*\.? ?@ ?[A-Za-z0-9-]+(?:\. ?[A-Za-z0-9-]+)*\. ?[A-Za-z]{2,}/;
const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,34}/;
/** Countries that issue IBANs (ISO 13616 registry): a lower-case candidate must start with one. */
const IBAN_COUNTRIES = new Set(
  (
    'AD AE AL AT AZ BA BE BG BH BI BR BY CH CR CY CZ DE DJ DK DO EE EG ES FI FK FO FR GB GE GI GL GR GT HR HU ' +
    'IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV LY MC MD ME MK MN MR MT MU NI NL NO OM PK PL PS PT QA RO RS RU ' +
    'SA SC SD SE SI SK SM SO ST SV TL TN TR UA VA VG XK YE'
  ).split(' '),
);
const CARD_CANDIDATE = /(?<![\d.])\d(?:[ .-]?\d){12,18}(?![\d])/;
/** Card numbers written with dots keep the printed grouping: 4-4-4-4(-3) or American Express 4-6-5. */
const DOTTED_CARD = /^(?:\d{4}(?:\.\d{4}){3}(?:\.\d{1,3})?|\d{4}\.\d{6}\.\d{4,5})$/;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)/;
const IPV6 =
  /(?<![0-9A-Fa-f:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?|::(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})(?![0-9A-Fa-f:])/;
/** What stands before a dotted quad that is a version or a section number, not an address. */
const VERSION_WORDS =
  'v|ver|version|versión|build|release|rel|update[sd]?(?: to)?|upgraded? to|installed|section|chapter|item|§';
const VERSION_BEFORE = new RegExp(String.raw`(?:\b(?:${VERSION_WORDS})[ \t]*[:#]?[ \t]*|\bv)$`, 'i');
const PHONE = /(?<![\w+:./-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]?\d{2,5}){1,5}(?![\w:/]|[.,]\d)/;
/** Dates look like grouped digits too: 2026-11-28, 28.11.2026 (a phone never starts like one). */
const DATE_LIKE = /^(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{4})(?!\d)/;
/** `tel:` links and the number after a phone label, where separators may be left out. */
const TEL_LINK = /\btel:(\+?\d[\d ().-]{5,20}\d)/d;
const PHONE_WORDS = 'phone|telephone|tel|mobile|mobil|cell|fax|handy|telefon|téléphone|teléfono';
const PHONE_LABELLED = new RegExp(
  String.raw`\b(?:${PHONE_WORDS})\.?[ \t]*[:#]?[ \t]*(\+?\d{7,15})(?![\w.,]\d|\w)`,
  'di',
);

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
  // Lower case too ("de89 3704…"): upper-case ASCII letters only, so offsets still line up.
  const upper = text.replace(/[a-z]/g, (c) => c.toUpperCase());
  const source = tolerant ? upper.replace(/@/g, '0').replace(/[|!]/g, '1') : upper;
  for (const m of matches(IBAN_CANDIDATE, source)) {
    const original = text.slice(m.index, m.index + m[0].length);
    if (!tolerant && original !== m[0] && !IBAN_COUNTRIES.has(m[0].slice(0, 2))) continue;
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
    if (m[0].includes('.') && !DOTTED_CARD.test(m[0])) continue;
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && (luhnValid(digits) || (tolerant && digits.length >= 14)))
      spans.push({ kind: 'card', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

function phoneSpans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const re of [TEL_LINK, PHONE_LABELLED]) {
    for (const m of matches(re, text)) {
      const [start, end] = m.indices![1]!;
      spans.push({ kind: 'phone', start, end });
    }
  }
  for (const m of matches(PHONE, text)) {
    if (!m[0].startsWith('+') && DATE_LIKE.test(m[0])) continue;
    const digits = m[0].replace(/\D/g, '').length;
    const international = m[0].startsWith('+');
    const grouped = /[ .()-]/.test(m[0]);
    // Dates (8 digits) and short numbers stay; a leading + or 9..15 grouped digits is a phone.
    if (
      (international && digits >= 7 && digits <= 15) ||
      (grouped && digits >= 9 && digits <= 15) ||
      (!grouped && digits >= 10 && digits <= 12 && m[0].startsWith('0'))
    ) {
      spans.push({ kind: 'phone', start: m.index, end: m.index + m[0].length });
    }
  }
  return spans;
}

function ipSpans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const m of matches(IPV4, text)) {
    if (VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index))) continue;
    spans.push({ kind: 'ip', start: m.index, end: m.index + m[0].length });
  }
  for (const m of matches(IPV6, text)) {
    // "12:30:00" is a time, not an address: require "::" or eight groups, and a hex letter or 3+ groups.
    const groups = m[0].split(':').filter(Boolean).length;
    if ((m[0].includes('::') && (groups >= 2 || /[a-f]/i.test(m[0]))) || groups === 8)
      spans.push({ kind: 'ip', start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

function regexSpans(kind: SecretKind, res: readonly RegExp[], text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const re of res)
    for (const m of matches(re, text)) spans.push({ kind, start: m.index, end: m.index + m[0].length });
  return spans;
}

function labelledSpans(text: string): SecretSpan[] {
  return findLabelledValues(text).map((v) => ({ kind: 'token', start: v.start, end: v.end }));
}

function ruleSpans(text: string): SecretSpan[] {
  return findRuleMatches(text).map((m) => ({
    kind: m.ruleId === 'private-key' ? 'private-key' : 'api-key',
    start: m.start,
    end: m.end,
  }));
}

/** An email found inside a URL's `user:password@host` is that URL's password and host, not an address. */
function emailSpans(text: string, tolerant: boolean): SecretSpan[] {
  return regexSpans('email', tolerant ? [EMAIL, EMAIL_OCR] : [EMAIL], text).filter(
    (s) => !/[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:$/i.test(text.slice(Math.max(0, s.start - 80), s.start)),
  );
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
    ...ruleSpans(text),
    ...labelledSpans(text),
    ...emailSpans(text, tolerant),
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
