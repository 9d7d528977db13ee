/** Tokens and invite codes: random secrets handed out once; the server stores only their SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

/** A new bearer token (`sk_tok_…`), 192 bits of randomness. */
export function newToken(): string {
  return `sk_tok_${randomBytes(24).toString('base64url')}`;
}

/** A new invite code (`sk_inv_…`), 144 bits of randomness. */
export function newInviteCode(): string {
  return `sk_inv_${randomBytes(18).toString('base64url')}`;
}

/** The hash the store keeps for a token or invite code. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
