/**
 * What group buying does when inventory and payments report back on a
 * participation (`group_participation:<id>`): stock held or short, payment
 * authorized or declined, stock committed or released, money captured or
 * voided. Each step runs in the consumer's transaction, so it happens once.
 */
import {
  PaymentAuthorized,
  PaymentCaptured,
  PaymentFailed,
  PaymentVoided,
  StockCommitted,
  StockReleased,
  StockReservationFailed,
  StockReserved,
} from '@fusioncommerce/contracts';
import { on, type ConsumedEvent } from '@fusioncommerce/platform';
import type { SagaDeps } from '../use-cases/deps.ts';
import { applyToParticipation } from '../use-cases/participation-saga.ts';

const isParticipation = (reference: { kind: string }) => reference.kind === 'group_participation';
/** Stock and payment events about other references (another flow's) are none of this consumer's business. */
const concerns = { when: (event: { data: { reference: { kind: string } } }) => isParticipation(event.data.reference) };

export function sagaHandlers(deps: SagaDeps): ConsumedEvent[] {
  return [
    on(StockReserved, async (event, { trx }) => {
      await applyToParticipation(deps, trx, event.data.reference.id, (p, now) => p.stockReserved(now));
    }, concerns),
    on(StockReservationFailed, async (event, { trx }) => {
      await applyToParticipation(deps, trx, event.data.reference.id, (p, now) => p.stockShort(now));
    }, concerns),
    on(StockCommitted, async (event, { trx }) => {
      await applyToParticipation(deps, trx, event.data.reference.id, (p, now) => {
        p.stockSettled('committed', now);
        p.completeIfSettled(now);
      });
    }, concerns),
    on(StockReleased, async (event, { trx }) => {
      await applyToParticipation(deps, trx, event.data.reference.id, (p, now) =>
        event.data.reason === 'expired' ? p.reservationExpired(now) : p.stockSettled('released', now),
      );
    }, concerns),
    on(PaymentAuthorized, async (event, { trx }) => {
      await applyToParticipation(deps, trx, event.data.reference.id, (p, now) => p.paymentAuthorized(event.data.paymentId, now));
    }, concerns),
    on(PaymentFailed, async (event, { trx }) => {
      await applyToParticipation(deps, trx, event.data.reference.id, (p, now) => p.paymentFailed(event.data.paymentId, now));
    }, concerns),
    on(PaymentCaptured, async (event, { trx }) => {
      await applyToParticipation(deps, trx, event.data.reference.id, (p, now) => {
        p.paymentCaptured(now);
        p.completeIfSettled(now);
      });
    }, concerns),
    on(PaymentVoided, async (event, { trx }) => {
      await applyToParticipation(deps, trx, event.data.reference.id, (p, now) => p.paymentVoided(now));
    }, concerns),
  ];
}
