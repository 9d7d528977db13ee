/** The secrets planted in the redaction fixture (e2e/ai/fixtures/mousepad-secrets.png). */
export const PLANTED_SECRETS = {
  email: 'ana.lopez@example.org',
  phone: '+44 20 7946 0958',
  card: '4111 1111 1111 1111',
  iban: 'DE89 3704 0044 0532 0130 00',
  apiKey: 'sk-proj-Xk29fLmQ8rTz4WvB7nYp',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlMTIz',
  ip: '192.168.10.42',
} as const;

/** The document typed into mousepad: each secret on its own labelled line, among ordinary text. */
export const SECRETS_DOCUMENT = [
  'Customer notes for the refund',
  `Email: ${PLANTED_SECRETS.email}`,
  `Phone: ${PLANTED_SECRETS.phone}`,
  `Card: ${PLANTED_SECRETS.card}`,
  `IBAN: ${PLANTED_SECRETS.iban}`,
  `Key: ${PLANTED_SECRETS.apiKey}`,
  `JWT: ${PLANTED_SECRETS.jwt}`,
  `Server: ${PLANTED_SECRETS.ip}`,
  'Refund approved, ticket closed.',
  '',
].join('\n');

/** A secret as OCR may read it: compared without spaces and case. */
export function compactSecret(secret: string): string {
  return secret.replace(/\s+/g, '').toLowerCase();
}
