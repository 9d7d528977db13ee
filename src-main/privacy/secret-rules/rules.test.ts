import { describe, expect, it } from 'vitest';
import { findRuleMatches, secretRuleIds, shannonEntropy } from '.';

/** Made-up characters of a given length from a fixed alphabet (a readable, varied filler). */
function filler(length: number, alphabet = 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY'): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(i * 7 + 3) % alphabet.length];
  return out;
}
const hex = (length: number) => filler(length, '0123456789abcdef'.repeat(2));
const UUID = '3f2a9c4e-1b7d-4e8a-9c6f-0d5e2b8a7c14';

/** One made-up sample per rule: the line shown on screen and the secret the rule must find in it. */
const SAMPLES: Record<string, [line: string, secret: string]> = {
  'private-key': [
    `key:\n-----BEGIN OPENSSH PRIVATE KEY-----\n${filler(64)}\n${filler(40)}\n-----END OPENSSH PRIVATE KEY-----\n$`,
    `-----BEGIN OPENSSH PRIVATE KEY-----\n${filler(64)}\n${filler(40)}\n-----END OPENSSH PRIVATE KEY-----`,
  ],
  'aws-access-key-id': ['AccessKeyId: ASIAZ7Q3NJ5KXW2MEP4R,', 'ASIAZ7Q3NJ5KXW2MEP4R'],
  'aws-secret-access-key': [`set -gx AWS_SECRET_ACCESS_KEY ${filler(40)}`, filler(40)],
  'github-token': [`token ${'gho_' + filler(36)} ok`, 'gho_' + filler(36)],
  'github-fine-grained-pat': [
    `GH_TOKEN=github_pat_${filler(22)}_${filler(59)}`,
    `github_pat_${filler(22)}_${filler(59)}`,
  ],
  'gitlab-token': [`runner token glrt-${filler(20)}.01.1x2y3z4w5 registered.`, `glrt-${filler(20)}.01.1x2y3z4w5`],
  'slack-token': [`bot xoxb-1234567890-9876543210-${filler(24)} ok`, `xoxb-1234567890-9876543210-${filler(24)}`],
  'slack-webhook': [
    `POST https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/${filler(24)}`,
    `T01ABCDEF/B02GHIJKL/${filler(24)}`,
  ],
  'stripe-key': [`restricted rk_live_${filler(24)}`, `rk_live_${filler(24)}`],
  'stripe-webhook-secret': [`Signing secret whsec_${filler(32)}`, `whsec_${filler(32)}`],
  'google-api-key': [`key=AIza${filler(35)}&q=x`, `AIza${filler(35)}`],
  'google-oauth-client-secret': [`Client secret GOCSPX-${filler(28)}`, `GOCSPX-${filler(28)}`],
  'google-oauth-access-token': [`access ya29.${filler(60)} (1h)`, `ya29.${filler(60)}`],
  'anthropic-api-key': [`ANTHROPIC_API_KEY=sk-ant-api03-${filler(93)}AA`, `sk-ant-api03-${filler(93)}AA`],
  'openai-style-key': [`key sk-svcacct-${filler(48)} ok`, `sk-svcacct-${filler(48)}`],
  'npm-token': [`npm_${filler(36)} (publish)`, `npm_${filler(36)}`],
  'pypi-token': [`password = pypi-AgEIcHlwaS5vcmc${filler(60)}`, `pypi-AgEIcHlwaS5vcmc${filler(60)}`],
  'sendgrid-api-key': [`SG.${filler(22)}.${filler(43)} created`, `SG.${filler(22)}.${filler(43)}`],
  'twilio-sid': [`SID SK${hex(32)} Friendly name`, `SK${hex(32)}`],
  'huggingface-token': [`hf_${filler(34)} (read)`, `hf_${filler(34)}`],
  'vault-token': [`token         hvs.${filler(90)}`, `hvs.${filler(90)}`],
  'shopify-token': [`Admin API access token shpat_${hex(32)}`, `shpat_${hex(32)}`],
  'digitalocean-token': [`doctl auth init -t dop_v1_${hex(64)}`, `dop_v1_${hex(64)}`],
  'mailgun-key': [`mailgun api: key-${hex(32)}`, `key-${hex(32)}`],
  'telegram-bot-token': [`Use this token: 7012345678:AA${filler(33)}`, `7012345678:AA${filler(33)}`],
  'discord-bot-token': [
    `discord bot MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.${filler(38)}`,
    `MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.${filler(38)}`,
  ],
  'discord-webhook': [
    `https://discord.com/api/webhooks/123456789012345678/${filler(68)}`,
    `123456789012345678/${filler(68)}`,
  ],
  'azure-storage-key': [
    `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${filler(86)}==;EndpointSuffix=core.windows.net`,
    `${filler(86)}==`,
  ],
  'azure-sas-signature': [
    `https://acme.blob.core.windows.net/c/f.txt?sv=2022-11-02&se=2026-12-01&sig=${filler(43)}%3D`,
    `${filler(43)}%3D`,
  ],
  'heroku-api-key': [`heroku api key: ${UUID}`, UUID],
  'docker-hub-pat': [`docker login -p dckr_pat_${filler(27)}`, `dckr_pat_${filler(27)}`],
  'atlassian-api-token': [`JIRA ATATT3xFfGF0${filler(180)}=0A1B2C3D`, `ATATT3xFfGF0${filler(180)}=0A1B2C3D`],
  'postman-api-key': [`PMAK-${hex(24)}-${hex(34)}`, `PMAK-${hex(24)}-${hex(34)}`],
  'grafana-token': [`glsa_${filler(32)}_${hex(8)}`, `glsa_${filler(32)}_${hex(8)}`],
  'sentry-token': [`SENTRY_AUTH_TOKEN sntrys_${filler(80)}`, `sntrys_${filler(80)}`],
  'linear-api-key': [`lin_api_${filler(40)}`, `lin_api_${filler(40)}`],
  'databricks-token': [`token dapi${hex(32)}`, `dapi${hex(32)}`],
  'age-secret-key': [
    `# secret: AGE-SECRET-KEY-1${filler(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`,
    `AGE-SECRET-KEY-1${filler(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`,
  ],
  'groq-api-key': [`gsk_${filler(52)}`, `gsk_${filler(52)}`],
  'perplexity-api-key': [`pplx-${filler(48)}`, `pplx-${filler(48)}`],
  'notion-token': [`ntn_${filler(46)}`, `ntn_${filler(46)}`],
  'figma-token': [`figd_${filler(40)}`, `figd_${filler(40)}`],
  'newrelic-user-key': [
    `NRAK-${filler(27, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`,
    `NRAK-${filler(27, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`,
  ],
  'doppler-token': [`DOPPLER_TOKEN dp.st.prd.${filler(40)}`, `dp.st.prd.${filler(40)}`],
  'terraform-cloud-token': [`token = "${filler(14)}.atlasv1.${filler(70)}"`, `${filler(14)}.atlasv1.${filler(70)}`],
  'supabase-token': [`sbp_${hex(40)}`, `sbp_${hex(40)}`],
};

describe('secret rules (rules.json)', () => {
  it('has a sample for every rule and none for a rule that does not exist', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...secretRuleIds()].sort());
  });
  for (const [id, [line, secret]] of Object.entries(SAMPLES)) {
    it(`${id} finds exactly the secret in a made-up line`, () => {
      const found = findRuleMatches(line).filter((m) => m.ruleId === id);
      expect(found.map((m) => line.slice(m.start, m.end))).toEqual([secret]);
    });
  }
  it('finds nothing in ordinary text that shares words or shapes with tokens', () => {
    const ordinary = [
      'Asia Pacific (Tokyo) ap-northeast-1 · Sales in ASIA grew 4%',
      'pip install scikit-learn  # sk-learn is not a key',
      'heroku apps:info --app 3f2a9c4e-1b7d-4e8a-9c6f-0d5e2b8a7c14',
      'Request id 3f2a9c4e-1b7d-4e8a-9c6f-0d5e2b8a7c14 · commit 9c6f0d5e2b8a7c143f2a9c4e1b7d4e8a9c6f0d5e',
      'Join our discord server: discord.gg/example',
      'Private key settings: -----BEGIN PRIVATE KEY----- goes here',
      'sk-aaaaaaaaaaaaaaaaaaaaaaaaaaaa is a placeholder',
      'AWS secret access key: (not set)',
    ];
    for (const text of ordinary) expect(findRuleMatches(text), text).toEqual([]);
  });
  it('covers a private key cut off by the window edge up to its last key line', () => {
    const line = `$ head -3 id_ed25519\n-----BEGIN OPENSSH PRIVATE KEY-----\n${filler(70)}\n${filler(70)}\n$ ls`;
    const found = findRuleMatches(line).map((m) => line.slice(m.start, m.end));
    expect(found).toEqual([`-----BEGIN OPENSSH PRIVATE KEY-----\n${filler(70)}\n${filler(70)}`]);
  });
  it('skips a rule whose keywords are absent without running its expression', () => {
    expect(findRuleMatches('nothing to see here, 12345678:BB' + filler(33))).toEqual([]);
  });
  it('computes Shannon entropy in bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});
