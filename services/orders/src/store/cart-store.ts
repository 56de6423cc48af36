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
  const lines = (await trx('orders.cart_lines').where({ cart_id: id }).orderBy('position')) as { id: string; variant_id: string; quantity: number }[];
  return Cart.restore({
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    version: row.version,
    shippingCountry: row.shipping_country,
    shippingOptionId: row.shipping_option_id,
    lines: lines.map((l) => ({ id: l.id, variantId: l.variant_id, quantity: l.quantity })),
  });
}

export async function saveCart(trx: Knex.Transaction, cart: Cart, isNew = false): Promise<void> {
  const s = cart.snapshot();
  if (isNew) {
    await trx('orders.carts').insert({ id: s.id, customer_id: s.customerId, status: s.status, version: s.version, shipping_country: s.shippingCountry, shipping_option_id: s.shippingOptionId });
  } else {
    await trx('orders.carts')
      .where({ id: s.id })
      .update({ status: s.status, version: s.version, customer_id: s.customerId, shipping_country: s.shippingCountry, shipping_option_id: s.shippingOptionId, updated_at: new Date() });
  }
  await trx('orders.cart_lines').where({ cart_id: s.id }).delete();
  if (s.lines.length) {
    await trx('orders.cart_lines').insert(s.lines.map((l, position) => ({ id: l.id, cart_id: s.id, variant_id: l.variantId, quantity: l.quantity, position })));
  }
}

export async function activeCartOf(db: Knex | Knex.Transaction, customerId: string): Promise<string | undefined> {
  const row = await db('orders.carts').where({ customer_id: customerId, status: 'active' }).orderBy('created_at', 'desc').first<{ id: string } | undefined>('id');
  return row?.id;
}
