/**
 * Sign-up. The answer is the same whether or not the email already has an
 * account: a new account gets a verification mail, an existing owner a
 * notice that someone tried to sign up with their email. Neither reveals the other.
 */
import { v7 as uuidv7 } from 'uuid';
import { recordEvents, type NewEvent } from '@fusioncommerce/platform';
import { normalizeEmail } from '../domain/account.ts';
import { CUSTOMERS_SCHEMA } from '../migrations.ts';
import type { CustomersDeps } from './deps.ts';
import { issueOneTimeToken } from './issue-one-time-token.ts';

export interface RegisterInput {
  email: string;
  password: string;
  name?: string;
  phone?: string;
  ip: string;
}

export async function registerAccount(deps: CustomersDeps, input: RegisterInput): Promise<void> {
  const email = normalizeEmail(input.email);
  deps.limiters.register.begin({ email, ip: input.ip });
  // Hashed whether or not the account will be created, so both answers take as long.
  const passwordHash = await deps.passwords.hash(input.password);
  await deps.knex.transaction(async (trx) => {
    const now = deps.now();
    const created = await deps.accounts.insertIfNew(
      {
        id: uuidv7(),
        email: input.email.trim(),
        email_normalized: email,
        name: input.name ?? '',
        phone: input.phone ?? null,
        role: 'customer',
        password_hash: passwordHash,
        email_verified_at: null,
        created_at: now,
        updated_at: now,
      },
      trx,
    );
    const events: NewEvent[] = [];
    if (created) {
      const verification = await issueOneTimeToken(deps, trx, { purpose: 'email_verification', customerId: created.id, email: created.email });
      events.push(
        { type: 'customers.account.registered', subject: created.id, data: { customerId: created.id, email: created.email, name: created.name, role: 'customer', via: 'self' } },
        {
          type: 'customers.email_verification.requested',
          subject: created.id,
          data: { customerId: created.id, email: created.email, token: verification.token, expiresAt: verification.expiresAt.toISOString() },
        },
      );
    } else {
      const existing = await deps.accounts.findByEmail(email, trx);
      if (existing) {
        events.push({ type: 'customers.account.registration_repeated', subject: existing.id, data: { customerId: existing.id, email: existing.email } });
      }
    }
    await recordEvents(trx, CUSTOMERS_SCHEMA, events);
  });
}
