/** Orders' copy of the shipping options, kept current from shipping's events; a newer option version always wins. */
import type { Knex } from 'knex';
import type { EventData, ShippingOptionChanged, ShippingRules } from '@fusioncommerce/contracts';

const T = 'orders.shipping_options';

export interface ReplicaShippingOption {
  id: string;
  name: string;
  description: string | null;
  carrier: string;
  estimatedDays: { min: number; max: number } | null;
  rules: ShippingRules;
  status: 'active' | 'archived';
}

interface Row {
  option_id: string;
  name: string;
  description: string | null;
  carrier: string;
  estimated_min_days: number | null;
  estimated_max_days: number | null;
  rules: ShippingRules;
  status: 'active' | 'archived';
  version: number;
}

export async function applyShippingOption(trx: Knex.Transaction, option: EventData<typeof ShippingOptionChanged>['option']): Promise<void> {
  const row = {
    option_id: option.id,
    name: option.name,
    description: option.description,
    carrier: option.carrier,
    estimated_min_days: option.estimatedDays?.min ?? null,
    estimated_max_days: option.estimatedDays?.max ?? null,
    rules: JSON.stringify(option.rules),
    status: option.status,
    version: option.version,
    updated_at: new Date(),
  };
  // Only a newer version replaces what is there: a stale or redelivered event changes nothing.
  await trx(T).insert(row).onConflict('option_id').merge().where(`${T}.version`, '<', option.version);
}

const toOption = (r: Row): ReplicaShippingOption => ({
  id: r.option_id,
  name: r.name,
  description: r.description,
  carrier: r.carrier,
  estimatedDays: r.estimated_min_days === null || r.estimated_max_days === null ? null : { min: r.estimated_min_days, max: r.estimated_max_days },
  rules: r.rules,
  status: r.status,
});

/** The options on offer in a currency (a shop has a handful). */
export async function activeShippingOptions(db: Knex | Knex.Transaction, currency: string): Promise<ReplicaShippingOption[]> {
  const rows = (await db(T).where({ status: 'active' }).whereRaw(`rules->>'currency' = ?`, [currency]).orderBy('option_id')) as Row[];
  return rows.map(toOption);
}

export async function findShippingOption(db: Knex | Knex.Transaction, id: string): Promise<ReplicaShippingOption | undefined> {
  const row = (await db(T).where({ option_id: id }).first()) as Row | undefined;
  return row ? toOption(row) : undefined;
}
