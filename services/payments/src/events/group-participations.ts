/**
 * Payments' part of group buying. A participation's payment (reference
 * `group_participation:<id>`) is created and authorized for the most the
 * shopper can be charged when group buying asks, captured for exactly the
 * final tier price × quantity when the group succeeds (the provider releases
 * the rest of the hold), and voided when the shopper leaves or the
 * participation fails. As in the order saga, the payment's id derives from the
 * participation and each operation's request key from the event id, so a
 * redelivered or retried event finishes the first run instead of moving money
 * again; a refusal is an outcome, an outage is retried.
 */
import { GroupPaymentRequested, ParticipationConfirmed, ParticipationFailed, ParticipationLeft } from '@fusioncommerce/contracts';
import { on, type ConsumedEvent } from '@fusioncommerce/platform';
import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import type { PaymentReference } from '../domain/payment.ts';
import { bindDeps, type PaymentsDeps } from '../use-cases/deps.ts';
import { authorizePayment, livePaymentFor, operate, type SagaPayments, type SagaRuntime } from './order-saga.ts';

const GROUP_SAGA: SagaPayments = { kind: 'group_participation', idNamespace: '0c9e7d4a-3b2f-4e61-8a5d-9f1b2c3d4e5f', actor: 'group-buying', keyPrefix: 'group' };

const participationPayment = (participationId: string): PaymentReference => ({ kind: 'group_participation', id: participationId });

export function groupParticipationHandlers(runtime: SagaRuntime): ConsumedEvent[] {
  const depsOf = (trx: Knex.Transaction): PaymentsDeps => {
    if (!runtime.deps) throw new Error('payments handled an event before its routes were mounted');
    return bindDeps(runtime.deps, trx);
  };

  const voidFor = async (trx: Knex.Transaction, log: FastifyBaseLogger, eventId: string, participationId: string, voidPayment: boolean, why: string) => {
    if (!voidPayment) return;
    const deps = depsOf(trx);
    const payment = await livePaymentFor(deps, participationPayment(participationId));
    if (!payment) return;
    const status = payment.state.status;
    if (status === 'authorized' || status === 'requires_action' || status === 'requires_payment_method') {
      await operate(deps, GROUP_SAGA, payment, { operation: 'void', reason: why }, eventId, log);
    }
  };

  return [
    on(GroupPaymentRequested, async (event, { trx, log }) => {
      const { participationId, amount, paymentMethod } = event.data;
      await authorizePayment(depsOf(trx), GROUP_SAGA, participationId, { amount, paymentMethod }, event.id, log);
    }),

    on(ParticipationConfirmed, async (event, { trx, log }) => {
      const deps = depsOf(trx);
      const payment = await livePaymentFor(deps, participationPayment(event.data.participationId));
      if (payment?.state.status !== 'authorized') return; // captured already (redelivery) or nothing to capture
      // Exactly the final price: never the authorized amount when the tier improved.
      await operate(deps, GROUP_SAGA, payment, { operation: 'capture', amount: event.data.amount }, event.id, log);
    }),

    on(ParticipationLeft, async (event, { trx, log }) =>
      voidFor(trx, log, event.id, event.data.participationId, event.data.voidPayment, 'left the group'),
    ),
    on(ParticipationFailed, async (event, { trx, log }) =>
      voidFor(trx, log, event.id, event.data.participationId, event.data.voidPayment, `group participation ${event.data.reason.replace(/_/g, ' ')}`),
    ),
  ];
}
