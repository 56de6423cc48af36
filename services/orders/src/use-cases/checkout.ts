/**
 * Checkout: a cart becomes a pending order in one transaction (cart locked,
 * prices from the catalog replica, Idempotency-Key recorded), and the saga
 * takes it from there by events. The caller waits a few seconds for the
 * outcome; past that it gets the pending order and where to poll.
 */
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '@fusioncommerce/platform';
import { Order } from '../domain/order.ts';
import { OrdersError } from '../domain/errors.ts';
import { loadCart } from '../store/cart-store.ts';
import { findOrderRow, nextOrderNumber, saveOrder, type OrderRow } from '../store/order-store.ts';
import { orderView, type OrderView } from '../store/order-queries.ts';
import { checkoutPreflight, type Preflight } from '../store/checkout-preflight.ts';
import { holdStock } from '../store/stock-replica.ts';
import type { OrdersDeps } from './deps.ts';
import { assertCartAccess } from './manage-cart.ts';
import { priceCart } from './price-cart.ts';

export interface CheckoutInput {
  cartId: string;
  email?: string;
  shippingAddress: Record<string, string>;
  paymentMethod: string;
}

export interface CheckoutResult {
  order: OrderView;
  /** True when this answer replays an earlier checkout with the same Idempotency-Key. */
  replayed: boolean;
}

export function requestHash(input: CheckoutInput): string {
  return createHash('sha256').update(JSON.stringify([input.cartId, input.email ?? null, input.shippingAddress, input.paymentMethod])).digest('hex');
}

async function byKey(deps: OrdersDeps, key: string, hash: string): Promise<OrderRow | undefined> {
  const row = await deps.knex('orders.orders').where({ idempotency_key: key }).first<OrderRow | undefined>();
  if (row && row.request_hash !== hash) throw OrdersError.idempotencyKeyReused();
  return row;
}

export async function placeOrder(deps: OrdersDeps, input: CheckoutInput, principal: Principal, idempotencyKey: string): Promise<{ orderId: string; replayed: boolean }> {
  const hash = requestHash(input);
  // Admitted a few at a time: a flash sale's thousand checkouts do not all open transactions and queue on one
  // stock row; those admitted after the stock is held see it gone and are refused in one read.
  return deps.admitCheckout ? deps.admitCheckout(() => admittedCheckout(deps, input, principal, idempotencyKey, hash)) : admittedCheckout(deps, input, principal, idempotencyKey, hash);
}

async function admittedCheckout(deps: OrdersDeps, input: CheckoutInput, principal: Principal, idempotencyKey: string, hash: string): Promise<{ orderId: string; replayed: boolean }> {
  const preflight = await checkoutPreflight(deps.knex, input.cartId, idempotencyKey);
  if (preflight.earlier) {
    if (preflight.earlier.requestHash !== hash) throw OrdersError.idempotencyKeyReused();
    return { orderId: preflight.earlier.id, replayed: true };
  }
  refuseKnownShortage(preflight, principal);
  try {
    return await deps.knex.transaction(async (trx) => {
      // Locking the cart queues concurrent checkouts of it behind this one.
      const cart = await loadCart(trx, input.cartId, true);
      assertCartAccess(cart, principal);
      // A retry with this key that got here first, or another checkout of this cart still running.
      const others = (await trx('orders.orders')
        .where({ idempotency_key: idempotencyKey })
        .orWhere({ cart_id: cart.id, status: 'pending' })
        .select('id', 'idempotency_key', 'request_hash')) as Pick<OrderRow, 'id' | 'idempotency_key' | 'request_hash'>[];
      const again = others.find((o) => o.idempotency_key === idempotencyKey);
      if (again) {
        if (again.request_hash !== hash) throw OrdersError.idempotencyKeyReused();
        return { orderId: again.id, replayed: true };
      }
      if (cart.snapshot().status !== 'active') throw OrdersError.cartClosed(cart.snapshot().status);
      const pending = others[0];
      if (pending) throw OrdersError.checkoutInProgress(pending.id);
      // The goods go to the address: shipping is priced for its country, whatever the cart was quoted for.
      const priced = await priceCart(trx, cart, { country: input.shippingAddress.country });
      if (priced.lines.length === 0) throw OrdersError.cartEmpty();
      // A line the catalog no longer sells stops checkout. Stock not known to be short goes on to the saga: reserving decides.
      const unavailable = priced.lines.find((l) => l.unavailableReason === 'not_sold');
      if (unavailable || !priced.currency || !priced.total || !priced.subtotal) throw OrdersError.variantUnavailable(unavailable?.sku || 'An item in the cart');
      // Stock already known to be short: refuse now, before an order and a saga exist (a flash sale's late buyers get their answer at once).
      const short = priced.lines.filter((l) => l.unavailableReason === 'insufficient_stock');
      if (short.length > 0) throw OrdersError.outOfStock(short.map((l) => ({ lineId: l.id, sku: l.sku, requested: l.quantity, available: l.stockAvailable ?? 0 })));
      if (priced.shipping.issue) throw OrdersError.shippingUnavailable(priced.shipping.issue);
      const shippingOption = priced.shipping.option;
      const email = (input.email ?? (principal.type === 'user' ? principal.email : '')).toLowerCase();
      const number = await nextOrderNumber(trx);
      const now = deps.now();
      const order = Order.place({
        id: uuidv7(),
        number,
        cartId: cart.id,
        customerId: principal.type === 'user' ? principal.id : null,
        email,
        currency: priced.currency,
        lines: priced.lines.map((l) => ({
          variantId: l.variantId,
          sku: l.sku,
          productId: l.productId,
          title: l.variantTitle ? `${l.productTitle} — ${l.variantTitle}` : l.productTitle,
          unitPrice: l.unitPrice.amount,
          quantity: l.quantity,
          lineTotal: l.lineTotal.amount,
        })),
        subtotal: priced.subtotal.amount,
        shippingTotal: priced.shippingTotal?.amount ?? 0,
        total: priced.total.amount,
        shippingAddress: input.shippingAddress,
        shippingOption: shippingOption ? { id: shippingOption.id, name: shippingOption.name, carrier: shippingOption.carrier, amount: shippingOption.amount.amount } : null,
        placedAt: now,
      });
      await saveOrder(trx, order, {
        insert: { idempotencyKey, requestHash: hash, paymentMethod: input.paymentMethod },
        captureOnConfirm: deps.settings.captureOnConfirm,
        cause: 'checkout',
      });
      // Last, so a hot SKU's row stays locked only for the commit: hold the units until inventory answers.
      const wanted = new Map<string, number>();
      for (const l of priced.lines) wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + l.quantity);
      const shortages = await holdStock(trx, order.id, wanted);
      if (shortages.length > 0) {
        throw OrdersError.outOfStock(shortages.map((s) => ({ lineId: priced.lines.find((l) => l.sku === s.sku)?.id ?? '', ...s })));
      }
      return { orderId: order.id, replayed: false };
    });
  } catch (error) {
    // Two requests with one key raced past the first look: the loser answers with the winner's order.
    if ((error as { code?: string; constraint?: string }).code === '23505' && String((error as { constraint?: string }).constraint ?? '').includes('idempotency')) {
      const winner = await byKey(deps, idempotencyKey, hash);
      if (winner) return { orderId: winner.id, replayed: true };
    }
    throw error;
  }
}

/**
 * A cart that what orders knows of stock cannot fill is refused before any
 * transaction or lock. Carts this principal may not use go on to the
 * transaction, which answers 404 for them.
 */
function refuseKnownShortage({ short, cartOwner }: Preflight, principal: Principal): void {
  if (short.length === 0 || cartOwner === undefined) return;
  const mayUse = cartOwner === null || (principal.type === 'user' && (principal.id === cartOwner || principal.role === 'admin'));
  if (mayUse) throw OrdersError.outOfStock(short);
}

/** Waits until the order leaves `pending` or `ms` pass; returns its latest state. */
export async function waitForOutcome(deps: OrdersDeps, orderId: string, ms: number): Promise<OrderView> {
  const deadline = Date.now() + ms;
  for (;;) {
    const row = await findOrderRow(deps.knex, orderId);
    if (!row) throw OrdersError.orderNotFound(orderId);
    const remaining = deadline - Date.now();
    if (row.status !== 'pending' || remaining <= 0) return orderView(row);
    // Woken at once by this process's saga; the slow poll covers consumers running elsewhere.
    await deps.watch.next(orderId, Math.min(remaining, 200));
  }
}

export async function checkout(deps: OrdersDeps, input: CheckoutInput, principal: Principal, idempotencyKey: string): Promise<CheckoutResult> {
  const { orderId, replayed } = await placeOrder(deps, input, principal, idempotencyKey);
  return { order: await waitForOutcome(deps, orderId, deps.settings.checkoutWaitMs), replayed };
}
