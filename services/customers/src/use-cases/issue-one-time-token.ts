import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { isAccountId, type Role } from '../domain/account.ts';
import { newOpaqueToken } from '../security/opaque-tokens.ts';
import type { TokenPurpose } from '../store/one-time-token-store.ts';
import { addSeconds, type CustomersDeps } from './deps.ts';

export interface IssuedOneTimeToken {
  id: string;
  token: string;
  expiresAt: Date;
}

const TTL: Record<TokenPurpose, (deps: CustomersDeps) => number> = {
  password_reset: (d) => d.settings.passwordResetTtlSeconds,
  email_verification: (d) => d.settings.emailVerificationTtlSeconds,
  invitation: (d) => d.settings.invitationTtlSeconds,
};

/** Stores the hash of a fresh single-use token and hands back the token itself, for the mail event. */
export async function issueOneTimeToken(
  deps: CustomersDeps,
  trx: Knex.Transaction,
  input: { purpose: TokenPurpose; email: string; customerId?: string; role?: Role; createdBy?: string },
): Promise<IssuedOneTimeToken> {
  const now = deps.now();
  const { token, hash } = newOpaqueToken(input.purpose);
  const id = uuidv7();
  const expiresAt = addSeconds(now, TTL[input.purpose](deps));
  if (input.customerId) await deps.oneTimeTokens.retireOutstanding(input.customerId, input.purpose, now, trx);
  await deps.oneTimeTokens.insert(
    {
      id,
      purpose: input.purpose,
      token_hash: hash,
      customer_id: input.customerId ?? null,
      email: input.email,
      role: input.role ?? null,
      created_by: input.createdBy && isAccountId(input.createdBy) ? input.createdBy : null,
      created_at: now,
      expires_at: expiresAt,
    },
    trx,
  );
  return { id, token, expiresAt };
}
