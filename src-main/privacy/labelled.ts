/**
 * Secrets announced by a label rather than by their own shape: `password: x`, `DB_PASSWORD=x`,
 * `"client_secret": "x"`, `Authorization: Basic x`, `Cookie: x`, `scheme://user:x@host`. The span is
 * the value only, so the label stays readable and the person sees what was hidden.
 */

/** A value span found after a label (`end` exclusive, UTF-16 offsets). */
export interface LabelledValue {
  start: number;
  end: number;
}

/**
 * A label (an identifier such as `DB_PASSWORD`, `spring.datasource.password`, `x-api-key`,
 * `"password"`, or two words such as `API key`), then `=`, `:`, `:=` or `=>`, then a quoted or bare value.
 */
const KEY_VALUE = new RegExp(
  String.raw`(?<![\w])([A-Za-z_][\w.-]{0,63}(?: [A-Za-z][\w.-]{0,31})?)["'${'`'}]?[ \t]*(?:=>|:=|[:=])[ \t]*` +
    String.raw`(?:"([^"\n]*)"|'([^'\n]*)'|${'`'}([^${'`'}\n]*)${'`'}|([^\s"'${'`'},;&<>)\]}]+))`,
  'dg',
);
/** A password label and its value with only spaces between, as forms are read off a screen. */
const SPACED_PASSWORD =
  /(?<![\w])(?:password|passwort|kennwort|mot de passe|contraseña|passcode|pwd)[ \t]+([^\s"'`]{6,})/dgi;
/** `Authorization: Basic <credentials>`, `Proxy-Authorization: Bearer <token>`, and a bare `Bearer <token>`. */
const AUTHORIZATION = new RegExp(
  String.raw`\b(?:(?:proxy-)?authorization[ \t]*[:=][ \t]*(?:(?:basic|bearer|token|negotiate|ntlm|apikey)[ \t]+)?` +
    String.raw`|bearer[ \t]+)([A-Za-z0-9._~+/=:-]{6,})`,
  'dgi',
);
/** A request's Cookie header: every cookie in it may carry a session. */
const COOKIE = /\bcookie[ \t]*:[ \t]*([^\n]*[^\s])/dgi;
/** A password inside a URL: `scheme://user:password@host`. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s/@]+)@[^\s/@]/dgi;

/** Label words that announce a secret (compared with the label's words, lower case). */
const SECRET_WORDS = [
  ...['password', 'passwd', 'passphrase', 'passcode', 'pwd', 'pw', 'pass'],
  ...['secret', 'secretkey', 'token', 'pin'],
];
/** Word pairs that announce a secret: `api_key`, `AccessKey`, `private-key`, `auth token`. */
const SECRET_PAIRS: [string, string][] = [
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['secret', 'key'],
  ['auth', 'key'],
  ['credential', 'key'],
];
/** Last words that make a label describe a secret rather than hold one: `password_min_length`, `token_type`. */
const DESCRIPTIVE_LAST = new Set(
  (
    'length len size name names id ids type file path dir url uri endpoint expiry expires expiration ttl timeout ' +
    'lifetime policy hint min max count enabled required field label reset format prompt mode header headers ' +
    'version style class'
  ).split(' '),
);
/** Values that are settings or placeholders, not secrets. */
const NOT_A_VALUE = new RegExp(
  String.raw`^(?:true|false|null|nil|none|undefined|yes|no|on|off|required|optional|hidden|empty|n/a` +
    String.raw`|[*•●·]+|x{4,}|\$\{?\w+\}?|%\w+%|\{\{.*\}\}|<[^>]*>)$`,
  'i',
);

/** The words of an identifier: `AWS_SECRET_ACCESS_KEY` → aws secret access key, `authToken` → auth token. */
function labelWords(label: string): string[] {
  return label
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True when an identifier names a secret (`DB_PASSWORD`, `PGPASSWORD`, `x-api-key`) and not a setting about one. */
export function isSecretLabel(label: string): boolean {
  const words = labelWords(label);
  if (!words.length || words.includes('public') || DESCRIPTIVE_LAST.has(words[words.length - 1]!)) return false;
  const named = words.some((w) =>
    SECRET_WORDS.some((s) => w === s || w === `${s}s` || (s.length >= 5 && w.endsWith(s))),
  );
  if (named) return true;
  return words.some((w, i) => SECRET_PAIRS.some(([a, b]) => (w === a && words[i + 1] === b) || w === a + b));
}

/** Every labelled secret value in `text`. */
export function findLabelledValues(text: string): LabelledValue[] {
  const out: LabelledValue[] = [];
  for (const m of text.matchAll(KEY_VALUE)) {
    const label = m[1]!;
    const group = [2, 3, 4, 5].find((g) => m[g] !== undefined)!;
    const value = m[group]!;
    const quoted = group !== 5;
    if (!isSecretLabel(label)) continue;
    if (value.trim().length < (quoted ? 1 : 3) || NOT_A_VALUE.test(value.trim())) continue;
    const [start, end] = m.indices![group]!;
    out.push({ start, end });
  }
  for (const m of text.matchAll(SPACED_PASSWORD)) {
    const value = m[1]!;
    // Only a value that looks made up (letters with digits or symbols): "Password must…" stays.
    if (!/[A-Za-z]/.test(value) || !/[^A-Za-z]/.test(value) || NOT_A_VALUE.test(value)) continue;
    const [start, end] = m.indices![1]!;
    out.push({ start, end });
  }
  for (const re of [AUTHORIZATION, COOKIE, URL_PASSWORD]) {
    for (const m of text.matchAll(re)) {
      const value = m[1]!;
      if (NOT_A_VALUE.test(value)) continue;
      const [start, end] = m.indices![1]!;
      out.push({ start, end });
    }
  }
  return out;
}
