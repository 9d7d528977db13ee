/**
 * Provider-specific secret rules kept as data: rules.json holds gitleaks-style rules written for
 * Sidekick from the providers' documented token formats (AWS, GitHub, GitLab, Slack, Stripe, Google,
 * OpenAI, Anthropic, npm, PyPI, …). Each rule is a regular expression, keywords of which one must
 * appear (lower case) before the expression is tried at all, an optional secret group, an optional
 * minimum Shannon entropy of the secret and allow-lists / stop words of known non-secrets.
 */
import data from './rules.json';

/** One rule as stored in rules.json. */
export interface SecretRuleData {
  id: string;
  description: string;
  source: string;
  flags: string;
  secretGroup?: number;
  entropy?: number;
  keywords: string[];
  allow: { source: string; flags: string }[];
  stopwords: string[];
}

/** Where a rule found a secret in a text (`end` exclusive, UTF-16 offsets). */
export interface RuleMatch {
  ruleId: string;
  start: number;
  end: number;
}

interface CompiledRule {
  data: SecretRuleData;
  re: RegExp;
  allow: RegExp[];
}

let compiled: CompiledRule[] | null = null;

function rules(): CompiledRule[] {
  compiled ??= (data.rules as SecretRuleData[]).map((rule) => ({
    data: rule,
    re: new RegExp(rule.source, rule.flags + 'dg'),
    allow: rule.allow.map((a) => new RegExp(a.source, a.flags)),
  }));
  return compiled;
}

/** The rules' ids, in the order they are tried. */
export function secretRuleIds(): string[] {
  return rules().map((r) => r.data.id);
}

/** Shannon entropy of a string in bits per character (over its code points). */
export function shannonEntropy(text: string): number {
  if (!text) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  const length = [...text].length;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** Every secret the data rules find in `text`: the rule's secret group, else its first non-empty group. */
export function findRuleMatches(text: string): RuleMatch[] {
  const lower = text.toLowerCase();
  const found: RuleMatch[] = [];
  for (const { data: rule, re, allow } of rules()) {
    if (rule.keywords.length && !rule.keywords.some((k) => lower.includes(k))) continue;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      let group = rule.secretGroup ?? 0;
      if (!rule.secretGroup) for (let g = 1; g < m.length && !group; g++) if (m[g]) group = g;
      const [start, end] = m.indices![group]!;
      const secret = text.slice(start, end);
      if (rule.entropy && shannonEntropy(secret) < rule.entropy) continue;
      if (allow.some((a) => a.test(secret))) continue;
      const lowerSecret = secret.toLowerCase();
      if (rule.stopwords.some((w) => lowerSecret.includes(w))) continue;
      found.push({ ruleId: rule.id, start, end });
    }
  }
  return found;
}
