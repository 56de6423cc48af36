/** The profile (name, phone) and the password of a signed-in account. */
import { recordEvents } from '@fusioncommerce/platform';
import { CustomersError } from '../domain/errors.ts';
import { CUSTOMERS_SCHEMA } from '../migrations.ts';
import type { ProfilePatch } from '../schemas/customers.ts';
import type { AccountRow } from '../store/account-store.ts';
import type { CustomersDeps } from './deps.ts';
import { completeSession, openSession, type IssuedSession } from './sessions.ts';

export async function getAccount(deps: CustomersDeps, customerId: string): Promise<AccountRow> {
  const account = await deps.accounts.findById(customerId);
  if (!account) throw CustomersError.customerNotFound(customerId);
  return account;
}

export async function updateProfile(deps: CustomersDeps, customerId: string, patch: ProfilePatch): Promise<AccountRow> {
  return deps.knex.transaction(async (trx) => {
    const account = await deps.accounts.findById(customerId, trx, true);
    if (!account) throw CustomersError.customerNotFound(customerId);
    const changes: Partial<AccountRow> = {};
    if (patch.name !== undefined && patch.name !== account.name) changes.name = patch.name;
    if (patch.phone !== undefined && patch.phone !== account.phone) changes.phone = patch.phone;
    const changed = Object.keys(changes);
    if (changed.length === 0) return account;
    const updated = await deps.accounts.update(account.id, { ...changes, updated_at: deps.now() }, trx);
    await recordEvents(trx, CUSTOMERS_SCHEMA, [
      { type: 'customers.profile.updated', subject: account.id, data: { customerId: account.id, name: updated.name, phone: updated.phone, changed } },
    ]);
    return updated;
  });
}

/**
 * Changes the password of the signed-in account: every session ends (a thief
 * holding a refresh token is out) and the caller gets a fresh one.
 */
export async function changePassword(
  deps: CustomersDeps,
  input: { customerId: string; currentPassword: string; newPassword: string },
): Promise<IssuedSession> {
  const attempt = deps.limiters.passwordChange.begin({ account: input.customerId });
  const account = await getAccount(deps, input.customerId);
  if (!(await deps.passwords.verify(account.password_hash, input.currentPassword))) {
    attempt.failed();
    throw CustomersError.wrongCurrentPassword();
  }
  attempt.succeeded();
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const { updated, grant } = await deps.knex.transaction(async (trx) => {
    const now = deps.now();
    const updated = await deps.accounts.update(account.id, { password_hash: passwordHash, updated_at: now }, trx);
    await deps.sessions.revokeAllFor(account.id, 'password_changed', now, trx);
    await deps.oneTimeTokens.retireOutstanding(account.id, 'password_reset', now, trx);
    await recordEvents(trx, CUSTOMERS_SCHEMA, [
      { type: 'customers.password.changed', subject: account.id, data: { customerId: account.id, email: account.email, reason: 'change' } },
    ]);
    return { updated, grant: await openSession(deps, updated, trx) };
  });
  return completeSession(deps, updated, grant);
}
