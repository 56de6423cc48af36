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
import { OrderConfirmed, ParticipationCompleted, type EventData } from '@fusioncommerce/contracts';
import { on, recordEvents, type ConsumedEvent } from '@fusioncommerce/platform';
import type { SagaDeps } from '../use-cases/deps.ts';

export function groupOrderHandlers(deps: SagaDeps): ConsumedEvent[] {
  return [
    on(ParticipationCompleted, async (event, { trx }) => {
      const d = event.data;
      const existing = await trx('orders.orders').where({ id: d.orderId }).orWhere({ group_participation_id: d.participationId }).first('id');
      if (existing) return;
      const { rows } = (await trx.raw(`select nextval('orders.order_number_seq') as n`)) as { rows: { n: number | string }[] };
      const number = `FC-${rows[0]?.n}`;
      const now = deps.now();
      const line = {
        variantId: d.variantId,
        sku: d.sku,
        productId: d.productId,
        title: d.title,
        unitPrice: d.unitPrice.amount,
        quantity: d.quantity,
        lineTotal: d.amount.amount,
      };
      await trx('orders.orders').insert({
        id: d.orderId,
        number,
        cart_id: null,
        customer_id: d.customerId,
        email: d.email.toLowerCase(),
        currency: d.amount.currency,
        lines: JSON.stringify([line]),
        subtotal: d.amount.amount,
        shipping_total: 0,
        total: d.amount.amount,
        shipping_address: JSON.stringify(d.shippingAddress),
        status: 'confirmed',
        stock_state: 'committed',
        payment_state: 'captured',
        payment_id: d.paymentId,
        payment_method: null,
        refunded: 0,
        reason: null,
        version: 1,
        idempotency_key: null,
        request_hash: null,
        source: 'group',
        group_participation_id: d.participationId,
        placed_at: now,
        updated_at: now,
      });
      await recordEvents(trx, 'orders', [
        {
          type: OrderConfirmed.type,
          subject: d.orderId,
          data: {
            orderId: d.orderId,
            number,
            paymentId: d.paymentId,
            total: d.amount,
            capture: true,
            email: d.email.toLowerCase(),
            customerId: d.customerId,
            lines: [{ variantId: d.variantId, sku: d.sku, title: d.title, quantity: d.quantity }],
            shippingAddress: d.shippingAddress,
            shippingOption: null,
            source: 'group',
          } satisfies EventData<typeof OrderConfirmed>,
        },
      ]);
      await trx('orders.order_timeline').insert({
        order_id: d.orderId,
        at: now,
        type: 'placed',
        status: 'confirmed',
        data: JSON.stringify({ cause: event.type, source: 'group', participationId: d.participationId, groupId: d.groupId, dealId: d.dealId }),
      });
    }),
  ];
}
