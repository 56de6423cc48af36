/**
 * What orders learns from shipping: the options on offer (a replica carts are
 * priced from) and shipments leaving and arriving (tracking on the order, and
 * the order shipped, then delivered, once all of it has).
 */
import { ShipmentDelivered, ShipmentShipped, ShippingOptionChanged } from '@fusioncommerce/contracts';
import { on, type ConsumedEvent } from '@fusioncommerce/platform';
import { trackShipment } from '../store/order-store.ts';
import { applyShippingOption } from '../store/shipping-option-replica.ts';
import { applyToOrder } from '../use-cases/change-order.ts';
import type { SagaDeps } from '../use-cases/deps.ts';

export function shippingHandlers(deps: SagaDeps): ConsumedEvent[] {
  return [
    on(ShippingOptionChanged, async (event, { trx }) => applyShippingOption(trx, event.data.option)),
    on(ShipmentShipped, async (event, { trx }) => {
      const d = event.data;
      await trackShipment(trx, d.orderId, {
        shipmentId: d.shipmentId,
        status: 'shipped',
        carrier: d.carrier,
        carrierName: d.carrierName,
        trackingNumber: d.trackingNumber,
        trackingUrl: d.trackingUrl,
        lines: d.lines,
        shippedAt: d.shippedAt,
        deliveredAt: null,
      });
      await applyToOrder(deps, trx, d.orderId, event.type, (order, now) => order.shipmentShipped(d.allShipped, now));
    }),
    on(ShipmentDelivered, async (event, { trx }) => {
      const d = event.data;
      await trackShipment(trx, d.orderId, {
        shipmentId: d.shipmentId,
        status: 'delivered',
        carrier: null,
        carrierName: null,
        trackingNumber: d.trackingNumber,
        trackingUrl: null,
        lines: d.lines,
        shippedAt: null,
        deliveredAt: d.deliveredAt,
      });
      await applyToOrder(deps, trx, d.orderId, event.type, (order, now) => order.shipmentDelivered(d.allDelivered, now));
    }),
  ];
}
