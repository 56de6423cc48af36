/**
 * Orders' copy of inventory's sellable stock per SKU. One SKU's events arrive
 * in order (subject: the SKU), so the latest one wins. A SKU without a row is
 * one inventory has said nothing about: carts do not block it, and reserving
 * at checkout decides.
 */
import type { Knex } from 'knex';

const T = 'orders.stock_levels';

export async function applyStockLevel(trx: Knex.Transaction, sku: string, available: number): Promise<void> {
  await trx(T).insert({ sku, available, updated_at: new Date() }).onConflict('sku').merge();
}

export async function stockLevels(db: Knex | Knex.Transaction, skus: string[]): Promise<Map<string, number>> {
  if (skus.length === 0) return new Map();
  const rows = (await db(T).whereIn('sku', skus).select('sku', 'available')) as { sku: string; available: number }[];
  return new Map(rows.map((r) => [r.sku, Number(r.available)]));
}
