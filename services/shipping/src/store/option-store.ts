/** Shipping options: rows ↔ domain, the admin list, and the active ones quotes are made from. */
import type { Knex } from 'knex';
import { decodeCursor, toPage, type Page } from '@fusioncommerce/platform';
import type { ShippingRules } from '@fusioncommerce/contracts';
import type { OptionState, OptionStatus } from '../domain/option.ts';

const T = 'shipping.options';

interface OptionRow {
  id: string;
  name: string;
  description: string | null;
  carrier: string;
  estimated_min_days: number | null;
  estimated_max_days: number | null;
  rules: ShippingRules;
  status: OptionStatus;
  version: number;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

export interface OptionView {
  id: string;
  name: string;
  description: string | null;
  carrier: string;
  estimatedDays: { min: number; max: number } | null;
  currency: string;
  countries: string[];
  rate: ShippingRules['rate'];
  freeAbove: number | null;
  minSubtotal: number | null;
  status: OptionStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

const toState = (row: OptionRow): OptionState => ({
  id: row.id,
  name: row.name,
  description: row.description,
  carrier: row.carrier,
  estimatedDays: row.estimated_min_days === null || row.estimated_max_days === null ? null : { min: row.estimated_min_days, max: row.estimated_max_days },
  rules: row.rules,
  status: row.status,
  version: row.version,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
  archivedAt: row.archived_at ? new Date(row.archived_at) : null,
});

const toRow = (s: OptionState): OptionRow => ({
  id: s.id,
  name: s.name,
  description: s.description,
  carrier: s.carrier,
  estimated_min_days: s.estimatedDays?.min ?? null,
  estimated_max_days: s.estimatedDays?.max ?? null,
  rules: s.rules,
  status: s.status,
  version: s.version,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  archived_at: s.archivedAt,
});

export const optionView = (s: OptionState): OptionView => ({
  id: s.id,
  name: s.name,
  description: s.description,
  carrier: s.carrier,
  estimatedDays: s.estimatedDays,
  currency: s.rules.currency,
  countries: s.rules.countries,
  rate: s.rules.rate,
  freeAbove: s.rules.freeAbove,
  minSubtotal: s.rules.minSubtotal,
  status: s.status,
  version: s.version,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
  archivedAt: s.archivedAt ? s.archivedAt.toISOString() : null,
});

const SORT = 'created_asc';

export class OptionStore {
  constructor(private readonly knex: Knex) {}

  async get(id: string, db: Knex | Knex.Transaction = this.knex, forUpdate = false): Promise<OptionState | undefined> {
    const query = db<OptionRow>(T).where({ id }).first();
    if (forUpdate) void query.forUpdate();
    const row = await query;
    return row ? toState(row) : undefined;
  }

  async insert(state: OptionState, trx: Knex.Transaction): Promise<void> {
    const row = toRow(state);
    await trx(T).insert({ ...row, rules: JSON.stringify(row.rules) });
  }

  async update(state: OptionState, trx: Knex.Transaction): Promise<void> {
    const { id: _id, created_at: _created, ...row } = toRow(state);
    await trx(T).where({ id: state.id }).update({ ...row, rules: JSON.stringify(row.rules) });
  }

  /** Every active option, oldest first: quotes are made from these (a shop has a handful). */
  async active(db: Knex | Knex.Transaction = this.knex): Promise<OptionState[]> {
    const rows = (await db<OptionRow>(T).where({ status: 'active' }).orderBy([{ column: 'created_at' }, { column: 'id' }])) as OptionRow[];
    return rows.map(toState);
  }

  async list(filter: { status?: OptionStatus; country?: string; limit: number; cursor?: string }): Promise<Page<OptionView>> {
    const query = this.knex<OptionRow>(T).orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(filter.limit + 1);
    if (filter.status) void query.where({ status: filter.status });
    if (filter.country) void query.whereRaw(`rules->'countries' @> ?::jsonb`, [JSON.stringify([filter.country])]);
    if (filter.cursor) {
      const position = decodeCursor(filter.cursor, SORT, { id: 'uuid', value: 'timestamp' });
      void query.whereRaw('(created_at, id) > (?::timestamptz, ?::uuid)', [String(position.value), position.id]);
    }
    const rows = (await query) as OptionRow[];
    return toPage(rows.map((r) => optionView(toState(r))), filter.limit, (o) => ({ sort: SORT, value: o.createdAt, id: o.id }));
  }
}
