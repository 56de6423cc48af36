/**
 * What orders does when the others report back: inventory held or could not
 * hold the stock, payments authorized or declined, money captured, voided or
 * refunded. Each step runs in the consumer's transaction, so it happens once.
 */
import {
  PaymentAuthorized,
  PaymentCaptured,
  PaymentFailed,
  PaymentRefunded,
  PaymentVoided,
  StockCommitted,
  StockReleased,
  StockReservationFailed,
  StockReserved,
} from '@fusioncommerce/contracts';
import { on, type ConsumedEvent } from '@fusioncommerce/platform';
import { applyToOrder } from '../use-cases/change-order.ts';
import type { SagaDeps } from '../use-cases/deps.ts';

const isOrder = (reference: { kind: string }) => reference.kind === 'order';

export function sagaHandlers(deps: SagaDeps): ConsumedEvent[] {
  return [
    on(StockReserved, async (event, { trx }) => {
      if (!isOrder(event.data.reference)) return;
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.stockReserved(now));
    }),
    on(StockReservationFailed, async (event, { trx }) => {
      if (!isOrder(event.data.reference)) return;
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.stockShort(now, event.data.shortages));
    }),
    on(StockCommitted, async (event, { trx }) => {
      if (!isOrder(event.data.reference)) return;
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.stockSettled('committed', now));
    }),
    on(StockReleased, async (event, { trx }) => {
      if (!isOrder(event.data.reference)) return;
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.stockSettled('released', now));
    }),
    on(PaymentAuthorized, async (event, { trx }) => {
      if (!isOrder(event.data.reference)) return;
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.paymentAuthorized(event.data.paymentId, now));
    }),
    on(PaymentFailed, async (event, { trx }) => {
      if (!isOrder(event.data.reference)) return;
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.paymentFailed(event.data.paymentId, event.data.failureCode, now));
    }),
    on(PaymentCaptured, async (event, { trx }) => {
      if (!isOrder(event.data.reference)) return;
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.paymentCaptured(now));
    }),
    on(PaymentVoided, async (event, { trx }) => {
      if (!isOrder(event.data.reference)) return;
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.paymentVoided(now));
    }),
    on(PaymentRefunded, async (event, { trx }) => {
      if (!isOrder(event.data.reference)) return;
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) =>
        order.paymentRefunded(event.data.refunded.amount, event.data.fullyRefunded, now),
      );
    }),
  ];
}
