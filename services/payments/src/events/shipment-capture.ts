/**
 * Capture at shipment: when orders confirms with `capture: false`
 * (CAPTURE_PAYMENT_ON=shipment), the money is taken when the order's first
 * shipment ships — shipping says so with `capturePayment` on its shipped event.
 * The payment is found and captured exactly as the order saga does it (the
 * order's live payment, the event id as the operation's request key), so a
 * redelivered event, or a later shipment of the same order, captures nothing twice.
 */
import { ShipmentShipped } from '@fusioncommerce/contracts';
import { on, type ConsumedEvent } from '@fusioncommerce/platform';
import { bindDeps } from '../use-cases/deps.ts';
import { livePaymentFor, operate, ORDER_SAGA, type SagaRuntime } from './order-saga.ts';

export function shipmentCaptureHandlers(runtime: SagaRuntime): ConsumedEvent[] {
  return [
    on(ShipmentShipped, async (event, { trx, log }) => {
      if (!event.data.capturePayment) return;
      if (!runtime.deps) throw new Error('payments handled an event before its routes were mounted');
      const deps = bindDeps(runtime.deps, trx);
      const payment = await livePaymentFor(deps, { kind: 'order', id: event.data.orderId });
      // Already captured (at confirmation, or by an earlier delivery of this event), voided or refunded: nothing to take.
      if (payment?.state.status !== 'authorized') return;
      await operate(deps, ORDER_SAGA, payment, { operation: 'capture' }, event.id, log);
    }),
  ];
}
