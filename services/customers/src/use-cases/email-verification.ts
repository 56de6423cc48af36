/** Email verification: a signed-in customer asks for a link (an event to mail); the token confirms the address. */
import { recordEvents } from '@fusioncommerce/platform';
import { normalizeEmail } from '../domain/account.ts';
import { CustomersError } from '../domain/errors.ts';
import { CUSTOMERS_SCHEMA } from '../migrations.ts';
import { hashToken } from '../security/opaque-tokens.ts';
import type { CustomersDeps } from './deps.ts';
import { issueOneTimeToken } from './issue-one-time-token.ts';

export async function requestEmailVerification(deps: CustomersDeps, input: { customerId: string; ip: string }): Promise<void> {
  await deps.knex.transaction(async (trx) => {
    const account = await deps.accounts.findById(input.customerId, trx, true);
    if (!account) throw CustomersError.customerNotFound(input.customerId);
    if (account.email_verified_at !== null) throw CustomersError.emailAlreadyVerified();
    deps.limiters.mailRequests.begin({ email: normalizeEmail(account.email), ip: input.ip }).failed();
    const verification = await issueOneTimeToken(deps, trx, { purpose: 'email_verification', customerId: account.id, email: account.email });
    await recordEvents(trx, CUSTOMERS_SCHEMA, [
      {
        type: 'customers.email_verification.requested',
        subject: account.id,
        data: { customerId: account.id, email: account.email, token: verification.token, expiresAt: verification.expiresAt.toISOString() },
      },
    ]);
  });
}

export async function confirmEmailVerification(deps: CustomersDeps, input: { token: string; ip: string }): Promise<void> {
  const attempt = deps.limiters.oneTimeToken.begin({ ip: input.ip });
  await deps.knex.transaction(async (trx) => {
    const now = deps.now();
    const token = await deps.oneTimeTokens.findRedeemable('email_verification', hashToken(input.token), now, trx, true);
    const account = token?.customer_id ? await deps.accounts.findById(token.customer_id, trx, true) : undefined;
    // A link sent to an address the account no longer has proves nothing.
    if (!token || !account || normalizeEmail(account.email) !== normalizeEmail(token.email)) {
      attempt.failed();
      throw CustomersError.invalidVerificationToken();
    }
    await deps.oneTimeTokens.markUsed(token.id, now, trx);
    if (account.email_verified_at !== null) return;
    await deps.accounts.update(account.id, { email_verified_at: now, updated_at: now }, trx);
    await recordEvents(trx, CUSTOMERS_SCHEMA, [{ type: 'customers.email.verified', subject: account.id, data: { customerId: account.id, email: account.email } }]);
  });
  attempt.succeeded();
}
