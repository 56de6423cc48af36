/**
 * Orders' copy of inventory's sellable stock per SKU. One SKU's events arrive
 * in order (subject: the SKU), so the latest one wins. A SKU without a row is
 * one inventory has said nothing about: carts do not block it, and reserving
 * at checkout decides.
 *
 * `held` counts the units of placed orders that inventory has not answered
 * for yet (`stock_holds`, one row per order and SKU): what carts and checkout
 * can count on is `available - held`.
 */
import type { Knex } from 'knex';

const T = 'orders.stock_levels';
const HOLDS = 'orders.stock_holds';

export async function applyStockLevel(trx: Knex.Transaction, sku: string, available: number): Promise<void> {
  await trx(T).insert({ sku, available, updated_at: new Date() }).onConflict('sku').merge(['available', 'updated_at']);
}

export interface Shortage {
  sku: string;
  requested: number;
  available: number;
}

/**
 * Holds `wanted` units per SKU for a placed order, all or none: returns the
 * SKUs that could not be held (the caller rolls back). One statement, so a
 * hot SKU's row is locked only until the caller commits, and concurrent
 * checkouts queue on it and re-check what is left.
 */
export async function holdStock(trx: Knex.Transaction, orderId: string, wanted: Map<string, number>): Promise<Shortage[]> {
  if (wanted.size === 0) return [];
  const skus = [...wanted.keys()];
  const quantities = skus.map((sku) => wanted.get(sku) as number);
  const { rows } = (await trx.raw(
    `with wanted as (select * from unnest(?::text[], ?::int[]) as w(sku, quantity)),
     held as (
       update ${T} s set held = s.held + w.quantity
       from wanted w
       where s.sku = w.sku and s.available - s.held >= w.quantity
       returning s.sku, w.quantity
     ),
     recorded as (insert into ${HOLDS} (order_id, sku, quantity) select ?, sku, quantity from held returning sku)
     select w.sku, w.quantity as requested, greatest(s.available - s.held, 0) as available
     from wanted w join ${T} s on s.sku = w.sku
     where w.sku not in (select sku from recorded)`,
    [skus, quantities, orderId],
  )) as { rows: { sku: string; requested: number; available: number }[] };
  return rows.map((r) => ({ sku: r.sku, requested: Number(r.requested), available: Number(r.available) }));
}

/** Ends an order's holds (inventory answered for it, or it ended first); a second call finds nothing to release. */
export async function releaseHeldStock(trx: Knex.Transaction, orderId: string): Promise<void> {
  await trx.raw(
    `with released as (delete from ${HOLDS} where order_id = ? returning sku, quantity)
     update ${T} s set held = s.held - r.quantity from released r where s.sku = r.sku`,
    [orderId],
  );
}
