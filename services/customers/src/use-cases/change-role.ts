/** Admins promote or demote accounts; the last admin cannot step down. A demotion signs the account out. */
import { recordEvents } from '@fusioncommerce/platform';
import type { Role } from '../domain/account.ts';
import { CustomersError } from '../domain/errors.ts';
import { CUSTOMERS_SCHEMA } from '../migrations.ts';
import type { AccountRow } from '../store/account-store.ts';
import type { CustomersDeps } from './deps.ts';

export async function changeRole(deps: CustomersDeps, input: { customerId: string; role: Role; changedBy: string }): Promise<AccountRow> {
  return deps.knex.transaction(async (trx) => {
    // Admins are locked first, in id order, so concurrent demotions queue instead of deadlocking.
    const admins = input.role === 'customer' ? await deps.accounts.lockAdmins(trx) : [];
    const account = await deps.accounts.findById(input.customerId, trx, true);
    if (!account) throw CustomersError.customerNotFound(input.customerId);
    if (account.role === input.role) return account;
    if (account.role === 'admin' && admins.length <= 1) throw CustomersError.lastAdmin();
    const now = deps.now();
    const updated = await deps.accounts.update(account.id, { role: input.role, updated_at: now }, trx);
    // Refreshing would mint tokens with the new role anyway; signing out makes a demotion take hold now.
    if (input.role === 'customer') await deps.sessions.revokeAllFor(account.id, 'role_changed', now, trx);
    await recordEvents(trx, CUSTOMERS_SCHEMA, [
      {
        type: 'customers.role.changed',
        subject: account.id,
        data: { customerId: account.id, email: account.email, role: input.role, previousRole: account.role, changedBy: input.changedBy },
      },
    ]);
    return updated;
  });
}
