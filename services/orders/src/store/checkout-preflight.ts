/**
 * What checkout can answer before it opens a transaction, in one read: an
 * earlier order placed with the same Idempotency-Key (the retry gets it
 * back), or else the lines of the cart that what orders knows of stock cannot
 * cover (the cart is refused). During a flash sale most checkouts end here.
 */
import type { Knex } from 'knex';

export interface ShortLine {
  lineId: string;
  sku: string;
  requested: number;
  available: number;
}

export interface Preflight {
  earlier?: { id: string; requestHash: string | null };
  short: ShortLine[];
  /** The cart's owner, when lines are short (who may be told about them). */
  cartOwner?: string | null;
}

interface Row {
  earlier_id: string | null;
  earlier_hash: string | null;
  line_id: string | null;
  sku: string | null;
  requested: number | null;
  available: number | null;
  customer_id: string | null;
}

export async function checkoutPreflight(db: Knex, cartId: string, idempotencyKey: string): Promise<Preflight> {
  const { rows } = (await db.raw(
    `select e.id as earlier_id, e.request_hash as earlier_hash, s.line_id, s.sku, s.requested, s.available, s.customer_id
     from (select 1) as one
     left join orders.orders e on e.idempotency_key = ?
     left join lateral (
       select l.id as line_id, v.sku, l.quantity as requested, greatest(sl.available - sl.held, 0) as available, c.customer_id, l.position
       from orders.carts c
       join orders.cart_lines l on l.cart_id = c.id
       join orders.catalog_variants v on v.variant_id = l.variant_id
       join orders.stock_levels sl on sl.sku = v.sku
       where c.id = ? and c.status = 'active' and v.sellable and sl.available - sl.held < l.quantity
     ) s on e.id is null
     order by s.position`,
    [idempotencyKey, cartId],
  )) as { rows: Row[] };
  const first = rows[0];
  if (first?.earlier_id) return { earlier: { id: first.earlier_id, requestHash: first.earlier_hash }, short: [] };
  const short = rows
    .filter((r) => r.line_id !== null)
    .map((r) => ({ lineId: r.line_id as string, sku: r.sku as string, requested: Number(r.requested), available: Number(r.available) }));
  return short.length > 0 ? { short, cartOwner: first?.customer_id ?? null } : { short };
}
