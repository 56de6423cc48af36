/** Carts and their lines. */
import type { Knex } from 'knex';
import { Cart, type CartState } from '../domain/cart.ts';
import { OrdersError } from '../domain/errors.ts';

export async function loadCart(trx: Knex | Knex.Transaction, id: string, forUpdate = false): Promise<Cart> {
  const query = trx('orders.carts')
    .where({ id })
    .first<{ id: string; customer_id: string | null; status: CartState['status']; version: number; shipping_country: string | null; shipping_option_id: string | null } | undefined>();
  if (forUpdate) void query.forUpdate();
  const row = await query;
  if (!row) throw OrdersError.cartNotFound(id);
  const lines = (await trx('orders.cart_lines').where({ cart_id: id }).orderBy('position')) as { id: string; variant_id: string; quantity: number; position: number }[];
  const cart = Cart.restore({
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    version: row.version,
    shippingCountry: row.shipping_country,
    shippingOptionId: row.shipping_option_id,
    lines: lines.map((l) => ({ id: l.id, variantId: l.variant_id, quantity: l.quantity })),
  });
  stored.set(cart, new Map(lines.map((l) => [l.id, { quantity: l.quantity, position: l.position }])));
  return cart;
}

/** The lines as stored, per cart loaded or saved here: a save writes only what changed since. */
const stored = new WeakMap<Cart, Map<string, { quantity: number; position: number }>>();

export async function saveCart(trx: Knex.Transaction, cart: Cart, isNew = false): Promise<void> {
  const s = cart.snapshot();
  if (isNew) {
    await trx('orders.carts').insert({ id: s.id, customer_id: s.customerId, status: s.status, version: s.version, shipping_country: s.shippingCountry, shipping_option_id: s.shippingOptionId });
  } else {
    await trx('orders.carts')
      .where({ id: s.id })
      .update({ status: s.status, version: s.version, customer_id: s.customerId, shipping_country: s.shippingCountry, shipping_option_id: s.shippingOptionId, updated_at: new Date() });
  }
  const before = isNew ? new Map<string, { quantity: number; position: number }>() : stored.get(cart);
  if (!before) {
    // Not loaded here: write the lines whole.
    await trx('orders.cart_lines').where({ cart_id: s.id }).delete();
    if (s.lines.length) {
      await trx('orders.cart_lines').insert(s.lines.map((l, position) => ({ id: l.id, cart_id: s.id, variant_id: l.variantId, quantity: l.quantity, position })));
    }
    stored.set(cart, new Map(s.lines.map((l, position) => [l.id, { quantity: l.quantity, position }])));
    return;
  }
  const after = new Map<string, { quantity: number; position: number }>();
  const removed = [...before.keys()].filter((id) => !s.lines.some((l) => l.id === id));
  if (removed.length) await trx('orders.cart_lines').whereIn('id', removed).delete();
  let next = Math.max(-1, ...[...before.values()].map((l) => l.position)) + 1;
  const added = [];
  for (const l of s.lines) {
    const was = before.get(l.id);
    if (!was) {
      added.push({ id: l.id, cart_id: s.id, variant_id: l.variantId, quantity: l.quantity, position: next });
      after.set(l.id, { quantity: l.quantity, position: next++ });
      continue;
    }
    if (was.quantity !== l.quantity) await trx('orders.cart_lines').where({ id: l.id }).update({ quantity: l.quantity });
    after.set(l.id, { quantity: l.quantity, position: was.position });
  }
  if (added.length) await trx('orders.cart_lines').insert(added);
  stored.set(cart, after);
}

export async function activeCartOf(db: Knex | Knex.Transaction, customerId: string): Promise<string | undefined> {
  const row = await db('orders.carts').where({ customer_id: customerId, status: 'active' }).orderBy('created_at', 'desc').first<{ id: string } | undefined>('id');
  return row?.id;
}
