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
import { AppError, on, type ConsumedEvent } from '@fusioncommerce/platform';
import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { v5 as uuidv5 } from 'uuid';
import type { Payment } from '../domain/payment.ts';
import { createPayment } from '../use-cases/create-payment.ts';
import { bindDeps, type PaymentsDeps } from '../use-cases/deps.ts';
import { runProviderOperation, type OperationRequest } from '../use-cases/run-provider-operation.ts';
import type { SagaRuntime } from './order-saga.ts';

const ACTOR = 'group-buying';
// Namespace for payment ids derived from participation ids (UUIDv5).
const PARTICIPATION_PAYMENTS = '0c9e7d4a-3b2f-4e61-8a5d-9f1b2c3d4e5f';

async function livePaymentFor(deps: PaymentsDeps, participationId: string): Promise<Payment | null> {
  const page = await deps.payments.list({ referenceKind: 'group_participation', referenceId: participationId, limit: 10 });
  const live = page.data.find((p) => p.status !== 'voided');
  return live ? deps.payments.find(live.id) : null;
}

async function operate(deps: PaymentsDeps, payment: Payment, request: OperationRequest, eventId: string, log: FastifyBaseLogger): Promise<void> {
  try {
    await runProviderOperation(deps, payment.state.id, request, { actor: ACTOR, requestKey: `group:${eventId}`, access: { admin: true } });
  } catch (error) {
    if (error instanceof AppError && error.kind !== 'unavailable' && error.kind !== 'internal') {
      log.info({ paymentId: payment.state.id, operation: request.operation, code: error.code }, error.message);
      return;
    }
    throw error;
  }
}

export function groupParticipationHandlers(runtime: SagaRuntime): ConsumedEvent[] {
  const depsOf = (trx: Knex.Transaction): PaymentsDeps => {
    if (!runtime.deps) throw new Error('payments handled an event before its routes were mounted');
    return bindDeps(runtime.deps, trx);
  };

  const voidFor = async (trx: Knex.Transaction, log: FastifyBaseLogger, eventId: string, participationId: string, voidPayment: boolean, why: string) => {
    if (!voidPayment) return;
    const deps = depsOf(trx);
    const payment = await livePaymentFor(deps, participationId);
    if (!payment) return;
    const status = payment.state.status;
    if (status === 'authorized' || status === 'requires_action' || status === 'requires_payment_method') {
      await operate(deps, payment, { operation: 'void', reason: why }, eventId, log);
    }
  };

  return [
    on(GroupPaymentRequested, async (event, { trx, log }) => {
      const deps = depsOf(trx);
      const { participationId, amount, paymentMethod } = event.data;
      let payment = await livePaymentFor(deps, participationId);
      if (!payment) {
        try {
          payment = await createPayment(deps, {
            id: uuidv5(participationId, PARTICIPATION_PAYMENTS),
            reference: { kind: 'group_participation', id: participationId },
            amount,
            actor: ACTOR,
          });
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'PAYMENTS.REFERENCE_IN_USE')) throw error;
          payment = await livePaymentFor(deps, participationId);
          if (!payment) throw error;
        }
      }
      if (payment.state.status !== 'requires_payment_method') return;
      await operate(deps, payment, { operation: 'authorize', paymentMethod }, event.id, log);
    }),

    on(ParticipationConfirmed, async (event, { trx, log }) => {
      const deps = depsOf(trx);
      const payment = await livePaymentFor(deps, event.data.participationId);
      if (payment?.state.status !== 'authorized') return; // captured already (redelivery) or nothing to capture
      // Exactly the final price: never the authorized amount when the tier improved.
      await operate(deps, payment, { operation: 'capture', amount: event.data.amount }, event.id, log);
    }),

    on(ParticipationLeft, async (event, { trx, log }) =>
      voidFor(trx, log, event.id, event.data.participationId, event.data.voidPayment, 'left the group'),
    ),
    on(ParticipationFailed, async (event, { trx, log }) =>
      voidFor(trx, log, event.id, event.data.participationId, event.data.voidPayment, `group participation ${event.data.reason.replace(/_/g, ' ')}`),
    ),
  ];
}
