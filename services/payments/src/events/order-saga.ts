/**
 * Payments' part of the order saga. A payment is created and authorized when
 * orders asks for it, captured on confirmation (when orders says so), voided
 * or refunded when the order is cancelled, refunded on request. Each step is
 * keyed by the order (one live payment per reference) and by the event id (the
 * operation's request key), so a redelivered or retried event finishes the
 * first run instead of moving money again. Provider outages are thrown back
 * to the consumer, which retries with backoff.
 *
 * The work happens in the consumer's transaction (on PGlite there is no other
 * connection to use). If it is rolled back for a retry, the retry rebuilds the
 * same payment: its id is derived from the order, so its provider idempotency
 * keys are the same and the provider answers with the first call's outcome.
 */
import { OrderCancelled, OrderConfirmed, PaymentRequested, RefundRequested } from '@fusioncommerce/contracts';
import { AppError, on, type ConsumedEvent, type Money } from '@fusioncommerce/platform';
import type { FastifyBaseLogger } from 'fastify';
import type { Payment, PaymentReference, ReferenceKind } from '../domain/payment.ts';
import { createPayment } from '../use-cases/create-payment.ts';
import { bindDeps, type PaymentsDeps } from '../use-cases/deps.ts';
import type { Knex } from 'knex';
import { v5 as uuidv5 } from 'uuid';
import { runProviderOperation, type OperationRequest } from '../use-cases/run-provider-operation.ts';

/** Filled in when the service's routes are mounted; the handlers run in the same process. */
export interface SagaRuntime {
  deps?: PaymentsDeps;
}

/**
 * A saga payments takes part in: whose payments it moves (the reference
 * kind), the namespace their ids derive from (UUIDv5 of the reference id),
 * the actor its operations are recorded under and the prefix of their
 * request keys (the rest is the event id).
 */
export interface SagaPayments {
  kind: ReferenceKind;
  idNamespace: string;
  actor: string;
  keyPrefix: string;
}

export const ORDER_SAGA: SagaPayments = { kind: 'order', idNamespace: 'a3f1c2de-5b6e-4f0a-9c1d-2e3f4a5b6c7d', actor: 'order-saga', keyPrefix: 'saga' };

/** The reference's payment that is still in play (not voided), if any. */
export async function livePaymentFor(deps: PaymentsDeps, reference: PaymentReference): Promise<Payment | null> {
  const page = await deps.payments.list({ referenceKind: reference.kind, referenceId: reference.id, limit: 10 });
  const live = page.data.find((p) => p.status !== 'voided');
  return live ? deps.payments.find(live.id) : null;
}

/**
 * Runs one provider operation for the saga. A refusal (a declined card, an
 * operation the payment's state no longer allows) is an outcome, recorded by
 * the operation itself, not a reason to retry; an outage is.
 */
export async function operate(deps: PaymentsDeps, saga: SagaPayments, payment: Payment, request: OperationRequest, eventId: string, log: FastifyBaseLogger): Promise<void> {
  try {
    await runProviderOperation(deps, payment.state.id, request, { actor: saga.actor, requestKey: `${saga.keyPrefix}:${eventId}`, access: { admin: true } });
  } catch (error) {
    if (error instanceof AppError && error.kind !== 'unavailable' && error.kind !== 'internal') {
      log.info({ paymentId: payment.state.id, operation: request.operation, code: error.code }, error.message);
      return;
    }
    throw error;
  }
}

/**
 * Creates the reference's payment (its id derived from the reference, so a
 * retry rebuilds the same one) unless it has a live one, and authorizes it
 * unless that has been done already.
 */
export async function authorizePayment(
  deps: PaymentsDeps,
  saga: SagaPayments,
  referenceId: string,
  request: { amount: Money; paymentMethod: string },
  eventId: string,
  log: FastifyBaseLogger,
): Promise<void> {
  const reference = { kind: saga.kind, id: referenceId };
  let payment = await livePaymentFor(deps, reference);
  if (!payment) {
    try {
      payment = await createPayment(deps, { id: uuidv5(referenceId, saga.idNamespace), reference, amount: request.amount, actor: saga.actor });
    } catch (error) {
      // Created by a concurrent delivery of this event a moment ago.
      if (!(error instanceof AppError && error.code === 'PAYMENTS.REFERENCE_IN_USE')) throw error;
      payment = await livePaymentFor(deps, reference);
      if (!payment) throw error;
    }
  }
  if (payment.state.status !== 'requires_payment_method') return;
  await operate(deps, saga, payment, { operation: 'authorize', paymentMethod: request.paymentMethod }, eventId, log);
}

export function orderSagaHandlers(runtime: SagaRuntime): ConsumedEvent[] {
  const depsOf = (trx: Knex.Transaction): PaymentsDeps => {
    if (!runtime.deps) throw new Error('payments handled an event before its routes were mounted');
    return bindDeps(runtime.deps, trx);
  };

  const orderPayment = (orderId: string): PaymentReference => ({ kind: 'order', id: orderId });

  return [
    on(PaymentRequested, async (event, { trx, log }) => {
      const { orderId, amount, paymentMethod } = event.data;
      await authorizePayment(depsOf(trx), ORDER_SAGA, orderId, { amount, paymentMethod }, event.id, log);
    }),

    on(OrderConfirmed, async (event, { trx, log }) => {
      if (!event.data.capture) return;
      const deps = depsOf(trx);
      const payment = await livePaymentFor(deps, orderPayment(event.data.orderId));
      if (payment?.state.status !== 'authorized') return;
      await operate(deps, ORDER_SAGA, payment, { operation: 'capture' }, event.id, log);
    }),

    on(OrderCancelled, async (event, { trx, log }) => {
      if (!event.data.voidOrRefundPayment) return;
      const deps = depsOf(trx);
      const payment = await livePaymentFor(deps, orderPayment(event.data.orderId));
      if (!payment) return;
      const reason = `order ${event.data.number} ${event.data.reason.replace(/_/g, ' ')}`;
      const status = payment.state.status;
      if (status === 'authorized' || status === 'requires_action' || status === 'requires_payment_method') {
        await operate(deps, ORDER_SAGA, payment, { operation: 'void', reason }, event.id, log);
      } else if (status === 'captured' || status === 'partially_refunded') {
        await operate(deps, ORDER_SAGA, payment, { operation: 'refund', reason }, event.id, log);
      }
    }),

    on(RefundRequested, async (event, { trx, log }) => {
      const deps = depsOf(trx);
      const payment = await livePaymentFor(deps, orderPayment(event.data.orderId));
      if (!payment) return;
      await operate(deps, ORDER_SAGA, payment, { operation: 'refund', amount: event.data.amount, reason: event.data.reason }, event.id, log);
    }),
  ];
}
