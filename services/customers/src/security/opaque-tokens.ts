/**
 * Opaque bearer secrets (refresh, reset, verification and invitation tokens):
 * 256 random bits, prefixed by kind so secret scanners and humans can tell
 * them apart. Only their SHA-256 is stored; a database leak yields no usable token.
 */
import { createHash, randomBytes } from 'node:crypto';

export type OpaqueTokenKind = 'refresh' | 'password_reset' | 'email_verification' | 'invitation';

const PREFIX: Record<OpaqueTokenKind, string> = {
  refresh: 'fcr_',
  password_reset: 'fcp_',
  email_verification: 'fcv_',
  invitation: 'fci_',
};

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newOpaqueToken(kind: OpaqueTokenKind): { token: string; hash: string } {
  const token = PREFIX[kind] + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}
