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
/** Stock and payment events about other references (another flow's) are none of this consumer's business. */
const concerns = { when: (event: { data: { reference: { kind: string } } }) => isOrder(event.data.reference) };

export function sagaHandlers(deps: SagaDeps): ConsumedEvent[] {
  return [
    on(StockReserved, async (event, { trx }) => {
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.stockReserved(now));
    }, concerns),
    on(StockReservationFailed, async (event, { trx }) => {
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.stockShort(now, event.data.shortages));
    }, concerns),
    on(StockCommitted, async (event, { trx }) => {
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.stockSettled('committed', now));
    }, concerns),
    on(StockReleased, async (event, { trx }) => {
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.stockSettled('released', now));
    }, concerns),
    on(PaymentAuthorized, async (event, { trx }) => {
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.paymentAuthorized(event.data.paymentId, now));
    }, concerns),
    on(PaymentFailed, async (event, { trx }) => {
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.paymentFailed(event.data.paymentId, event.data.failureCode, now));
    }, concerns),
    on(PaymentCaptured, async (event, { trx }) => {
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.paymentCaptured(now));
    }, concerns),
    on(PaymentVoided, async (event, { trx }) => {
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) => order.paymentVoided(now));
    }, concerns),
    on(PaymentRefunded, async (event, { trx }) => {
      await applyToOrder(deps, trx, event.data.reference.id, event.type, (order, now) =>
        order.paymentRefunded(event.data.refunded.amount, event.data.fullyRefunded, now),
      );
    }, concerns),
  ];
}
