/** Accounts in `customers.accounts`; every method takes the transaction it should run in. */
import type { Knex } from 'knex';
import { decodeCursor, toPage, type Page } from '@fusioncommerce/platform';
import type { Account, Role } from '../domain/account.ts';

export interface AccountRow {
  id: string;
  email: string;
  email_normalized: string;
  name: string;
  phone: string | null;
  role: Role;
  password_hash: string;
  email_verified_at: Date | null;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type Db = Knex | Knex.Transaction;

const T = 'customers.accounts';

const date = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    role: row.role,
    emailVerifiedAt: row.email_verified_at === null ? null : date(row.email_verified_at),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

export interface AccountFilter {
  limit: number;
  cursor?: string;
  role?: Role;
  /** Exact match, case-insensitive. */
  email?: string;
}

export class AccountStore {
  constructor(private readonly knex: Knex) {}

  async findById(id: string, db: Db = this.knex, forUpdate = false): Promise<AccountRow | undefined> {
    const query = db<AccountRow>(T).where({ id });
    return forUpdate ? query.forUpdate().first() : query.first();
  }

  async findByEmail(normalizedEmail: string, db: Db = this.knex): Promise<AccountRow | undefined> {
    return db<AccountRow>(T).where({ email_normalized: normalizedEmail }).first();
  }

  /** Inserts unless the email is taken; returns the new row, or undefined when it was. */
  async insertIfNew(row: Omit<AccountRow, 'last_sign_in_at'>, db: Db = this.knex): Promise<AccountRow | undefined> {
    const [created] = (await db(T).insert({ ...row, last_sign_in_at: null }).onConflict('email_normalized').ignore().returning('*')) as AccountRow[];
    return created;
  }

  async update(id: string, patch: Partial<Omit<AccountRow, 'id'>>, db: Db = this.knex): Promise<AccountRow> {
    const [row] = (await db(T).where({ id }).update(patch).returning('*')) as AccountRow[];
    if (!row) throw new Error(`account ${id} vanished inside its own transaction`);
    return row;
  }

  /** Locks every admin row, so two concurrent demotions cannot leave the shop without one. */
  async lockAdmins(db: Knex.Transaction): Promise<string[]> {
    const rows = (await db(T).where({ role: 'admin' }).orderBy('id').forUpdate().select('id')) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async list(filter: AccountFilter): Promise<Page<AccountRow>> {
    const query = this.knex<AccountRow>(T).orderBy('id', 'asc').limit(filter.limit + 1);
    if (filter.role) void query.where({ role: filter.role });
    if (filter.email) void query.where({ email_normalized: filter.email });
    if (filter.cursor) void query.where('id', '>', decodeCursor(filter.cursor, 'id', { id: 'uuid' }).id);
    const rows = (await query) as AccountRow[];
    return toPage(rows, filter.limit, (row) => ({ sort: 'id', value: null, id: row.id }));
  }
}
