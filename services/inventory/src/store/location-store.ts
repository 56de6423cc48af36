/** Stock locations: warehouses, shops, anywhere stock is counted. */
import type { Knex } from 'knex';

const T = 'inventory.locations';

export interface LocationRow {
  id: string;
  code: string;
  name: string;
  priority: number;
  is_default: boolean;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface LocationView {
  id: string;
  code: string;
  name: string;
  priority: number;
  isDefault: boolean;
  archived: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const locationView = (row: LocationRow): LocationView => ({
  id: row.id,
  code: row.code,
  name: row.name,
  priority: row.priority,
  isDefault: row.is_default,
  archived: row.archived_at !== null,
  archivedAt: row.archived_at ? new Date(row.archived_at).toISOString() : null,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

export class LocationStore {
  constructor(private readonly knex: Knex) {}

  async list(includeArchived: boolean, db: Knex | Knex.Transaction = this.knex): Promise<LocationRow[]> {
    const query = db<LocationRow>(T).orderBy([{ column: 'priority' }, { column: 'code' }, { column: 'id' }]);
    if (!includeArchived) void query.whereNull('archived_at');
    return query;
  }

  async get(id: string, db: Knex | Knex.Transaction = this.knex, lock?: 'share' | 'update'): Promise<LocationRow | undefined> {
    if (!isUuid(id)) return undefined;
    const query = db<LocationRow>(T).where({ id });
    if (lock === 'share') void query.forShare();
    if (lock === 'update') void query.forUpdate();
    return query.first();
  }

  async getDefault(db: Knex | Knex.Transaction = this.knex, lock?: 'share' | 'update'): Promise<LocationRow> {
    const query = db<LocationRow>(T).where({ is_default: true });
    if (lock === 'share') void query.forShare();
    if (lock === 'update') void query.forUpdate();
    const row = await query.first();
    if (!row) throw new Error('inventory has no default location; the first migration creates one');
    return row;
  }

  async insert(row: Omit<LocationRow, 'archived_at'>, trx: Knex.Transaction): Promise<LocationRow> {
    const [inserted] = await trx<LocationRow>(T).insert({ ...row, archived_at: null }).returning('*');
    return inserted as LocationRow;
  }

  async update(id: string, patch: Partial<Omit<LocationRow, 'id' | 'created_at'>>, trx: Knex.Transaction): Promise<LocationRow> {
    const [updated] = await trx<LocationRow>(T).where({ id }).update(patch).returning('*');
    return updated as LocationRow;
  }

  async clearDefault(trx: Knex.Transaction, now: Date): Promise<void> {
    await trx(T).where({ is_default: true }).update({ is_default: false, updated_at: now });
  }

  /**
   * Whether any stock is on hand or reserved at the location. Called with the
   * location locked for update: receipts lock it for share, so none can add
   * stock meanwhile, and nothing else raises a level from zero.
   */
  async holdsStock(id: string, trx: Knex.Transaction): Promise<boolean> {
    const row = await trx('inventory.stock_levels')
      .where({ location_id: id })
      .andWhere((q) => q.where('on_hand', '>', 0).orWhere('reserved', '>', 0))
      .first('sku');
    return row !== undefined;
  }
}
