/** Order changes outside the checkout: saga steps, cancellation, refunds, and the expiry sweep. */
import type { Knex } from 'knex';
import type { Principal } from '@fusioncommerce/platform';
import { Order } from '../domain/order.ts';
import { OrdersError } from '../domain/errors.ts';
import { loadCart, saveCart } from '../store/cart-store.ts';
import { findOrderRow, saveOrder, toState } from '../store/order-store.ts';
import { releaseHeldStock } from '../store/stock-replica.ts';
import { orderView, type OrderView } from '../store/order-queries.ts';
import { notifyAfterCommit, type OrdersDeps, type SagaDeps } from './deps.ts';

/**
 * Applies `change` to the order inside `trx` (the consumer's transaction, for
 * saga steps) and saves it with its events. Unknown orders are ignored: the
 * reference may belong to another flow (group buying).
 */
export async function applyToOrder(deps: SagaDeps, trx: Knex.Transaction, orderId: string, cause: string, change: (order: Order, now: Date) => void): Promise<void> {
  const row = await findOrderRow(trx, orderId, true);
  if (!row) return;
  const order = Order.restore(toState(row));
  const before = order.status;
  change(order, deps.now());
  const events = await saveOrder(trx, order, { captureOnConfirm: deps.settings.captureOnConfirm, cause, storedPaymentMethod: row.payment_method });
  // The units checkout held for it are inventory's to count now, or nobody's: once inventory answered, or the order ended.
  const after = order.snapshot();
  if (row.stock_state === 'requested' && row.status === 'pending' && (after.stock !== 'requested' || after.status !== 'pending')) {
    await releaseHeldStock(trx, orderId);
  }
  if (before === 'pending' && order.status === 'confirmed' && row.cart_id) {
    const cart = await loadCart(trx, row.cart_id, true);
    cart.complete();
    await saveCart(trx, cart);
  }
  if (events.length) notifyAfterCommit(deps, trx, orderId);
}

function assertOwner(row: { customer_id: string | null }, principal: Principal, orderId: string): void {
  const isAdmin = principal.type === 'user' && principal.role === 'admin';
  if (!isAdmin && (principal.type !== 'user' || row.customer_id !== principal.id)) throw OrdersError.orderNotFound(orderId);
}

export async function getOrder(deps: OrdersDeps, orderId: string, principal: Principal): Promise<OrderView> {
  const row = await findOrderRow(deps.knex, orderId);
  if (!row) throw OrdersError.orderNotFound(orderId);
  // Guests see their order through the checkout answer and its id; signed-in customers see only theirs.
  if (row.customer_id !== null) assertOwner(row, principal, orderId);
  return orderView(row);
}

/**
 * A group order's payment and stock belong to its group participation, which the
 * order saga does not reach yet: refuse rather than cancel or refund on paper only.
 */
function assertNotGroupOrder(row: { status: string; source?: string }, action: 'cancelled' | 'refunded'): void {
  if (row.source === 'group') throw OrdersError.illegalTransition(row.status, `${action} here: it is a group order (refund its payment through payments)`);
}

export async function cancelOrder(deps: OrdersDeps, orderId: string, principal: Principal): Promise<OrderView> {
  await deps.knex.transaction(async (trx) => {
    const row = await findOrderRow(trx, orderId, true);
    if (!row) throw OrdersError.orderNotFound(orderId);
    assertOwner(row, principal, orderId);
    assertNotGroupOrder(row, 'cancelled');
    // Part of it is on its way: the order can no longer be called off, only refunded.
    if ((row.shipments ?? []).some((s) => s.status === 'shipped' || s.status === 'delivered')) {
      throw OrdersError.illegalTransition(row.status === 'confirmed' ? 'partly shipped' : row.status, 'cancelled (refund it instead)');
    }
    const byAdmin = principal.type === 'user' && principal.role === 'admin';
    await applyToOrder(deps, trx, orderId, byAdmin ? `admin ${principal.type === 'user' ? principal.id : ''}` : 'customer', (order, now) =>
      order.cancel(byAdmin ? 'cancelled_by_admin' : 'cancelled_by_customer', now),
    );
  });
  return getOrder(deps, orderId, principal);
}

export async function refundOrder(deps: OrdersDeps, orderId: string, principal: Principal, amount: number | undefined, reason: string): Promise<OrderView> {
  await deps.knex.transaction(async (trx) => {
    const row = await findOrderRow(trx, orderId, true);
    if (!row) throw OrdersError.orderNotFound(orderId);
    assertNotGroupOrder(row, 'refunded');
    const refundable = Number(row.total) - Number(row.refunded);
    await applyToOrder(deps, trx, orderId, `admin ${principal.type === 'user' ? principal.id : ''}`, (order, now) =>
      order.requestRefund(amount ?? refundable, reason, now),
    );
  });
  return getOrder(deps, orderId, principal);
}

/** Cancels pending orders older than the timeout; safe with several processes sweeping at once. */
export async function expireStaleOrders(deps: OrdersDeps, limit = 100): Promise<number> {
  const cutoff = new Date(deps.now().getTime() - deps.settings.pendingTimeoutMs);
  return deps.knex.transaction(async (trx) => {
    const stale = (await trx('orders.orders')
      .where('status', 'pending')
      .where('placed_at', '<', cutoff)
      .orderBy('placed_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .pluck('id')) as string[];
    for (const id of stale) await applyToOrder(deps, trx, id, 'expiry sweep', (order, now) => order.cancel('expired', now));
    return stale.length;
  });
}
