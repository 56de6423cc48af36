/**
 * Shipping's part of the order flow: a confirmed order gets its shipment (with
 * the customer, lines, address and chosen option the confirmation carries, and
 * whether payment waits for shipment); a cancelled order's unshipped shipments
 * are called off. Each runs in the consumer's transaction, once per event.
 */
import { OrderCancelled, OrderConfirmed } from '@fusioncommerce/contracts';
import { on, type ConsumedEvent } from '@fusioncommerce/platform';
import type { ShippingDeps } from '../use-cases/deps.ts';
import { cancelShipmentsOfOrder, createShipmentForOrder } from '../use-cases/manage-shipments.ts';

/** Filled in when the service's routes are mounted; the handlers run in the same process. */
export interface ShippingRuntime {
  deps?: ShippingDeps;
}

export function orderEventHandlers(runtime: ShippingRuntime): ConsumedEvent[] {
  const depsOf = (): ShippingDeps => {
    if (!runtime.deps) throw new Error('shipping handled an event before its routes were mounted');
    return runtime.deps;
  };
  return [
    on(OrderConfirmed, async (event, { trx, log }) => {
      const created = await createShipmentForOrder(depsOf(), trx, event.data);
      if (!created && !event.data.lines?.length) log.warn({ orderId: event.data.orderId }, 'order confirmed without its lines; no shipment created');
    }),
    on(OrderCancelled, async (event, { trx }) => {
      await cancelShipmentsOfOrder(depsOf(), trx, event.data.orderId);
    }),
  ];
}
