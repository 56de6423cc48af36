/** The address book, always read and written through the owner's id. */
import type { Knex } from 'knex';
import type { Db } from './account-store.ts';

export interface AddressRow {
  id: string;
  customer_id: string;
  label: string | null;
  name: string;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string;
  country: string;
  phone: string | null;
  is_default_shipping: boolean;
  is_default_billing: boolean;
  created_at: Date;
  updated_at: Date;
}

const T = 'customers.addresses';

export class AddressStore {
  constructor(private readonly knex: Knex) {}

  async list(customerId: string, db: Db = this.knex): Promise<AddressRow[]> {
    return (await db(T).where({ customer_id: customerId }).orderBy('id', 'asc')) as AddressRow[];
  }

  async count(customerId: string, db: Db = this.knex): Promise<number> {
    const [row] = (await db(T).where({ customer_id: customerId }).count('* as count')) as { count: number | string }[];
    return Number(row?.count ?? 0);
  }

  async find(customerId: string, id: string, db: Db = this.knex): Promise<AddressRow | undefined> {
    return (await db(T).where({ customer_id: customerId, id }).first()) as AddressRow | undefined;
  }

  async insert(row: AddressRow, db: Db = this.knex): Promise<AddressRow> {
    const [created] = (await db(T).insert(row).returning('*')) as AddressRow[];
    return created as AddressRow;
  }

  async update(customerId: string, id: string, patch: Partial<AddressRow>, db: Db = this.knex): Promise<AddressRow | undefined> {
    const [row] = (await db(T).where({ customer_id: customerId, id }).update(patch).returning('*')) as AddressRow[];
    return row;
  }

  async delete(customerId: string, id: string, db: Db = this.knex): Promise<number> {
    // Counted from `returning`: knex-pglite hands back the raw result of a plain delete, not a row count.
    const rows = (await db(T).where({ customer_id: customerId, id }).delete().returning('id')) as { id: string }[];
    return rows.length;
  }

  /** One default per kind: clears the flag elsewhere before it is set on `exceptId`. */
  async clearDefault(customerId: string, kind: 'is_default_shipping' | 'is_default_billing', exceptId: string, db: Db = this.knex): Promise<void> {
    await db(T).where({ customer_id: customerId, [kind]: true }).whereNot({ id: exceptId }).update({ [kind]: false });
  }
}
