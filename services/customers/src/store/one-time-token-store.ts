/** Password reset, email verification and invitation tokens: hashed, expiring, single use. */
import type { Knex } from 'knex';
import type { Role } from '../domain/account.ts';
import type { Db } from './account-store.ts';

export type TokenPurpose = 'password_reset' | 'email_verification' | 'invitation';

export interface OneTimeTokenRow {
  id: string;
  purpose: TokenPurpose;
  token_hash: string;
  customer_id: string | null;
  email: string;
  role: Role | null;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

const T = 'customers.one_time_tokens';

export class OneTimeTokenStore {
  constructor(private readonly knex: Knex) {}

  async insert(row: Omit<OneTimeTokenRow, 'used_at'>, db: Db = this.knex): Promise<void> {
    await db(T).insert(row);
  }

  /** An unused, unexpired token of this purpose (locked when inside a transaction that will redeem it). */
  async findRedeemable(purpose: TokenPurpose, tokenHash: string, now: Date, db: Db = this.knex, forUpdate = false): Promise<OneTimeTokenRow | undefined> {
    const query = db<OneTimeTokenRow>(T).where({ purpose, token_hash: tokenHash }).whereNull('used_at').where('expires_at', '>', now);
    return forUpdate ? query.forUpdate().first() : query.first();
  }

  /** Redeems the token; 0 when it was redeemed first by someone else. */
  async markUsed(id: string, at: Date, db: Db = this.knex): Promise<number> {
    return db(T).where({ id }).whereNull('used_at').update({ used_at: at });
  }

  /** Earlier links stop working when a new one is sent, or when the password changes. */
  async retireOutstanding(customerId: string, purpose: TokenPurpose, at: Date, db: Db = this.knex): Promise<void> {
    await db(T).where({ customer_id: customerId, purpose }).whereNull('used_at').update({ used_at: at });
  }
}
