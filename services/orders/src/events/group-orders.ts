/**
 * Orders made by group buying. When a participation of a successful group is
 * paid (captured at the final tier price) and its stock sold (committed),
 * group buying says so, and orders records the order: `source: 'group'`,
 * confirmed, stock committed, payment captured, linked to its participation.
 * It is born past the checkout saga: it publishes no `placed` or
 * `payment_requested`, and its `orders.order.confirmed` says `source: 'group'`
 * (inventory has nothing to commit; payments finds no payment of the order to
 * capture, `capture: true` tells shipping there is nothing to take at
 * shipment), so shipping ships it and nothing is reserved, authorized,
 * captured or committed a second time. Its id comes from group buying
 * (derived from the participation), so a redelivery finds the order there.
 */
import { ParticipationCompleted } from '@fusioncommerce/contracts';
import { on, type ConsumedEvent } from '@fusioncommerce/platform';
import { Order } from '../domain/order.ts';
import { nextOrderNumber, saveOrder } from '../store/order-store.ts';
import type { SagaDeps } from '../use-cases/deps.ts';

export function groupOrderHandlers(deps: SagaDeps): ConsumedEvent[] {
  return [
    on(ParticipationCompleted, async (event, { trx }) => {
      const d = event.data;
      const existing = await trx('orders.orders').where({ id: d.orderId }).orWhere({ group_participation_id: d.participationId }).first('id');
      if (existing) return;
      const order = Order.fromGroup(
        {
          id: d.orderId,
          number: await nextOrderNumber(trx),
          customerId: d.customerId,
          email: d.email.toLowerCase(),
          currency: d.amount.currency,
          lines: [{ variantId: d.variantId, sku: d.sku, productId: d.productId, title: d.title, unitPrice: d.unitPrice.amount, quantity: d.quantity, lineTotal: d.amount.amount }],
          total: d.amount.amount,
          shippingAddress: d.shippingAddress,
          paymentId: d.paymentId,
          placedAt: deps.now(),
        },
        { participationId: d.participationId, groupId: d.groupId, dealId: d.dealId },
      );
      await saveOrder(trx, order, { insert: { idempotencyKey: null, requestHash: null, paymentMethod: null }, captureOnConfirm: true, cause: event.type });
    }),
  ];
}
