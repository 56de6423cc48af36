/**
 * The first admin, from ADMIN_EMAIL / ADMIN_PASSWORD, created at start when no
 * account has that email. An existing account is never changed: not its
 * password, and not its role (someone may have signed up with that email first).
 */
import { v7 as uuidv7 } from 'uuid';
import { recordEvents } from '@fusioncommerce/platform';
import { normalizeEmail } from '../domain/account.ts';
import { CUSTOMERS_SCHEMA } from '../migrations.ts';
import type { CustomersDeps } from './deps.ts';

export type BootstrapOutcome = 'created' | 'exists' | 'exists-not-admin';

export async function ensureFirstAdmin(deps: CustomersDeps, input: { email: string; password: string }): Promise<BootstrapOutcome> {
  const email = normalizeEmail(input.email);
  const existing = await deps.accounts.findByEmail(email);
  if (existing) return existing.role === 'admin' ? 'exists' : 'exists-not-admin';
  const passwordHash = await deps.passwords.hash(input.password);
  return deps.knex.transaction(async (trx) => {
    const now = deps.now();
    const created = await deps.accounts.insertIfNew(
      {
        id: uuidv7(),
        email: input.email.trim(),
        email_normalized: email,
        name: 'Administrator',
        phone: null,
        role: 'admin',
        password_hash: passwordHash,
        email_verified_at: now,
        created_at: now,
        updated_at: now,
      },
      trx,
    );
    // Another replica starting at the same moment created it first.
    if (!created) return 'exists';
    await recordEvents(trx, CUSTOMERS_SCHEMA, [
      { type: 'customers.account.registered', subject: created.id, data: { customerId: created.id, email: created.email, name: created.name, role: 'admin', via: 'bootstrap' } },
    ]);
    return 'created';
  });
}
