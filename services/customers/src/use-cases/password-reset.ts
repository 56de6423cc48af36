/**
 * Forgotten passwords: a request mails a single-use token (as an event) if
 * the email has an account, and answers the same either way; redeeming the
 * token sets the new password, proves the email, and signs out every session.
 */
import { recordEvents } from '@fusioncommerce/platform';
import { normalizeEmail } from '../domain/account.ts';
import { CustomersError } from '../domain/errors.ts';
import { CUSTOMERS_SCHEMA } from '../migrations.ts';
import { hashToken } from '../security/opaque-tokens.ts';
import type { CustomersDeps } from './deps.ts';
import { issueOneTimeToken } from './issue-one-time-token.ts';

export async function requestPasswordReset(deps: CustomersDeps, input: { email: string; ip: string }): Promise<void> {
  const email = normalizeEmail(input.email);
  // Every request counts towards the backoff: a shopper needs one mail, maybe two.
  deps.limiters.mailRequests.begin({ email, ip: input.ip }).failed();
  await deps.knex.transaction(async (trx) => {
    const account = await deps.accounts.findByEmail(email, trx);
    if (!account) return;
    const reset = await issueOneTimeToken(deps, trx, { purpose: 'password_reset', customerId: account.id, email: account.email });
    await recordEvents(trx, CUSTOMERS_SCHEMA, [
      {
        type: 'customers.password_reset.requested',
        subject: account.id,
        data: { customerId: account.id, email: account.email, token: reset.token, expiresAt: reset.expiresAt.toISOString() },
      },
    ]);
  });
}

export async function confirmPasswordReset(deps: CustomersDeps, input: { token: string; password: string; ip: string }): Promise<void> {
  const attempt = deps.limiters.oneTimeToken.begin({ ip: input.ip });
  const tokenHash = hashToken(input.token);
  // Checked before the (slow) hash so a bad token costs the server nothing; checked again, locked, below.
  const candidate = await deps.oneTimeTokens.findRedeemable('password_reset', tokenHash, deps.now());
  if (!candidate?.customer_id) {
    attempt.failed();
    throw CustomersError.invalidResetToken();
  }
  const passwordHash = await deps.passwords.hash(input.password);
  await deps.knex.transaction(async (trx) => {
    const now = deps.now();
    const token = await deps.oneTimeTokens.findRedeemable('password_reset', tokenHash, now, trx, true);
    if (!token?.customer_id || (await deps.oneTimeTokens.markUsed(token.id, now, trx)) !== 1) throw CustomersError.invalidResetToken();
    const account = await deps.accounts.findById(token.customer_id, trx, true);
    if (!account) throw CustomersError.invalidResetToken();
    await deps.accounts.update(account.id, { password_hash: passwordHash, email_verified_at: account.email_verified_at ?? now, updated_at: now }, trx);
    await deps.oneTimeTokens.retireOutstanding(account.id, 'password_reset', now, trx);
    await deps.sessions.revokeAllFor(account.id, 'password_changed', now, trx);
    await recordEvents(trx, CUSTOMERS_SCHEMA, [
      { type: 'customers.password.changed', subject: account.id, data: { customerId: account.id, email: account.email, reason: 'reset' } },
      // Following the mailed link proves the mailbox, as a verification link would.
      ...(account.email_verified_at === null
        ? [{ type: 'customers.email.verified', subject: account.id, data: { customerId: account.id, email: account.email } }]
        : []),
    ]);
  });
  attempt.succeeded();
}
