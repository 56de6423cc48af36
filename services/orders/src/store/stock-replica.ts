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

/** What can still be sold per SKU as far as orders knows (never below zero); SKUs inventory never spoke of are absent. */
export async function stockLevels(db: Knex | Knex.Transaction, skus: string[]): Promise<Map<string, number>> {
  if (skus.length === 0) return new Map();
  const rows = (await db(T).whereIn('sku', skus).select('sku', 'available', 'held')) as { sku: string; available: number; held: number }[];
  return new Map(rows.map((r) => [r.sku, Math.max(0, Number(r.available) - Number(r.held))]));
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

/**
 * Lines of an active cart that its SKUs' known stock cannot cover, in one
 * read without locks: lets checkout refuse a sold-out cart before it opens a
 * transaction. The transaction checks again; this only answers sooner.
 */
export async function knownShortLines(
  db: Knex | Knex.Transaction,
  cartId: string,
): Promise<{ lineId: string; sku: string; requested: number; available: number; customerId: string | null }[]> {
  const { rows } = (await db.raw(
    `select l.id as line_id, v.sku, l.quantity as requested, greatest(s.available - s.held, 0) as available, c.customer_id
     from orders.carts c
     join orders.cart_lines l on l.cart_id = c.id
     join orders.catalog_variants v on v.variant_id = l.variant_id
     join ${T} s on s.sku = v.sku
     where c.id = ? and c.status = 'active' and v.sellable and s.available - s.held < l.quantity
     order by l.position`,
    [cartId],
  )) as { rows: { line_id: string; sku: string; requested: number; available: number; customer_id: string | null }[] };
  return rows.map((r) => ({ lineId: r.line_id, sku: r.sku, requested: Number(r.requested), available: Number(r.available), customerId: r.customer_id }));
}
