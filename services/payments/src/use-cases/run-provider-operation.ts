/**
 * How every operation that calls the provider runs — authorize, confirm,
 * capture, void, refund — so none of them can move money twice:
 *
 * 1. The payment row is locked (SELECT … FOR UPDATE) for the whole operation,
 *    provider call included: concurrent requests on one payment queue up, and
 *    each sees the state the previous one left.
 * 2. The call is recorded as an attempt with an idempotency key derived from
 *    the payment, the operation and its sequence number, before it is sent.
 * 3. If the provider times out or fails on its side, the attempt stays
 *    `pending` (committed) and the request answers 503. The retry — the same
 *    request, or any later operation on the payment — first re-sends the
 *    pending attempt with the same key; the provider answers with the outcome
 *    of the first send instead of doing it again.
 * 4. The outcome, the payment's new state, its transitions and its events
 *    commit together.
 */
import type { Knex } from 'knex';
import { AppError, type Money } from '@fusioncommerce/platform';
import { v7 as uuidv7 } from 'uuid';
import { PaymentsError } from '../domain/errors.ts';
import type { Payment } from '../domain/payment.ts';
import { ProviderRejectedError, ProviderUnavailableError, type PaymentProvider, type ProviderPayment } from '../providers/provider.ts';
import type { Attempt, Operation } from '../store/payment-store.ts';
import { canAccess, type Access } from './access.ts';
import { providerFor, type PaymentsDeps } from './deps.ts';
import { savePayment } from './save-payment.ts';

export type OperationRequest =
  | { operation: 'authorize'; paymentMethod: string }
  | { operation: 'confirm' }
  | { operation: 'capture'; amount?: Money }
  | { operation: 'void'; reason: string | null }
  | { operation: 'refund'; amount?: Money; reason: string };

export interface OperationContext {
  /** Who asked, for the history: `admin:<id>`, `customer:<id>` or `anonymous`. */
  actor: string;
  /** The request's idempotency scope and key, when it sent one: how a retry finds its own earlier attempt. */
  requestKey: string | null;
  access: Access;
}

type Outcome =
  | { kind: 'done'; payment: Payment }
  | { kind: 'unavailable'; provider: string }
  | { kind: 'refused'; error: AppError };

/** The key the provider sees; the same for every send of one attempt, different for every attempt. */
export const providerKeyOf = (paymentId: string, operation: Operation, seq: number): string => `fusion_${paymentId}_${operation}_${seq}`;

export async function runProviderOperation(deps: PaymentsDeps, paymentId: string, request: OperationRequest, context: OperationContext): Promise<Payment> {
  const outcome = await deps.knex.transaction(async (trx): Promise<Outcome> => {
    const payment = await deps.payments.lock(paymentId, trx);
    if (!payment || !canAccess(payment, context.access)) throw PaymentsError.paymentNotFound(paymentId);
    const provider = providerFor(deps, payment);
    // A payment method this provider cannot take is refused before anything is written or sent.
    if (request.operation === 'authorize') provider.describePaymentMethod(request.paymentMethod);

    // The same request again, after its first run met a provider outage: finish that run, do not start another.
    if (context.requestKey) {
      const earlier = await deps.payments.latestAttemptForRequest(paymentId, context.requestKey, trx);
      if (earlier && earlier.operation === request.operation) {
        if (earlier.status === 'pending') return execute(deps, trx, payment, provider, earlier, context);
        if (earlier.status === 'failed' && earlier.operation !== 'authorize') {
          return { kind: 'refused', error: PaymentsError.providerRejected(provider.name, earlier.failureMessage ?? 'the operation failed') };
        }
        return { kind: 'done', payment };
      }
    }

    // Another request's attempt whose outcome is unknown: settle it first, so this one acts on the truth.
    for (const pending of await deps.payments.pendingAttempts(paymentId, trx)) {
      const settled = await execute(deps, trx, payment, provider, pending, context);
      if (settled.kind === 'unavailable') return settled;
    }

    let attempt: Attempt;
    try {
      attempt = await plan(deps, trx, payment, request, context);
    } catch (error) {
      // Refused by the payment's rules: commit whatever settling did, then answer.
      if (error instanceof AppError) return { kind: 'refused', error };
      throw error;
    }
    return execute(deps, trx, payment, provider, attempt, context);
  });
  if (outcome.kind === 'unavailable') throw PaymentsError.providerUnavailable(outcome.provider);
  if (outcome.kind === 'refused') throw outcome.error;
  return outcome.payment;
}

/** Checks the request against the payment's state and records the attempt it makes. */
async function plan(deps: PaymentsDeps, trx: Knex.Transaction, payment: Payment, request: OperationRequest, context: OperationContext): Promise<Attempt> {
  let amount: number | null = null;
  let reason: string | null = null;
  let paymentMethod: string | null = null;
  switch (request.operation) {
    case 'authorize':
      payment.assertCanAuthorize();
      paymentMethod = request.paymentMethod;
      amount = payment.state.amount;
      break;
    case 'confirm':
      payment.assertCanConfirm();
      break;
    case 'capture':
      amount = payment.planCapture(request.amount);
      break;
    case 'void':
      payment.planVoid();
      reason = request.reason;
      break;
    case 'refund':
      amount = payment.planRefund(request.amount);
      reason = request.reason;
      break;
  }
  const seq = await deps.payments.nextSeq(payment.id, request.operation, trx);
  const now = deps.now();
  const attempt: Attempt = {
    id: uuidv7(),
    paymentId: payment.id,
    operation: request.operation,
    seq,
    status: 'pending',
    amount,
    providerKey: providerKeyOf(payment.id, request.operation, seq),
    providerRef: null,
    requestKey: context.requestKey,
    paymentMethod,
    reason,
    failureCode: null,
    failureMessage: null,
    lastError: null,
    tries: 0,
    actor: context.actor,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
  await deps.payments.insertAttempt(attempt, trx);
  return attempt;
}

/** Sends one attempt (or sends it again, with its own key) and applies what the provider said. */
async function execute(
  deps: PaymentsDeps,
  trx: Knex.Transaction,
  payment: Payment,
  provider: PaymentProvider,
  attempt: Attempt,
  context: OperationContext,
): Promise<Outcome> {
  const s = payment.state;
  const target: ProviderPayment = { paymentId: s.id, reference: s.reference, amount: payment.money(s.amount), providerRef: s.providerRef };
  attempt.tries += 1;
  try {
    await send(deps, payment, provider, attempt, target);
  } catch (error) {
    attempt.updatedAt = deps.now();
    if (error instanceof ProviderUnavailableError) {
      attempt.lastError = error.message.slice(0, 1000);
      await deps.payments.updateAttempt(attempt, trx);
      return { kind: 'unavailable', provider: provider.name };
    }
    if (error instanceof ProviderRejectedError) {
      attempt.status = 'failed';
      attempt.failureCode = error.code;
      attempt.failureMessage = error.message.slice(0, 1000);
      attempt.completedAt = attempt.updatedAt;
      await deps.payments.updateAttempt(attempt, trx);
      return { kind: 'refused', error: PaymentsError.providerRejected(provider.name, error.message) };
    }
    if (error instanceof AppError && attempt.tries > 1) {
      // The provider did it, but the payment moved on meanwhile (a webhook got there first): nothing left to apply.
      attempt.status = 'failed';
      attempt.failureCode = 'superseded';
      attempt.failureMessage = error.message;
      attempt.completedAt = attempt.updatedAt;
      await deps.payments.updateAttempt(attempt, trx);
      return { kind: 'done', payment };
    }
    throw error;
  }
  attempt.updatedAt = deps.now();
  attempt.lastError = null;
  if (attempt.status !== 'requires_action') attempt.completedAt = attempt.updatedAt;
  await deps.payments.updateAttempt(attempt, trx);
  await savePayment(deps, payment, { attemptId: attempt.id, source: 'api', actor: context.actor }, trx);
  return { kind: 'done', payment };
}

async function send(deps: PaymentsDeps, payment: Payment, provider: PaymentProvider, attempt: Attempt, target: ProviderPayment): Promise<void> {
  const now = deps.now();
  switch (attempt.operation) {
    case 'authorize': {
      const method = attempt.paymentMethod ?? '';
      const outcome = await provider.authorize(target, method, attempt.providerKey);
      payment.attachProviderRef(outcome.providerRef);
      payment.setPaymentMethod(outcome.paymentMethod ?? provider.describePaymentMethod(method));
      attempt.providerRef = outcome.providerRef;
      if (outcome.status === 'authorized') {
        payment.authorized(outcome.amount, now);
        attempt.status = 'succeeded';
      } else if (outcome.status === 'requires_action') {
        payment.requiresAction(outcome.nextAction, now);
        attempt.status = 'requires_action';
      } else {
        payment.failed(outcome.failure, now);
        attempt.status = 'failed';
        attempt.failureCode = outcome.failure.code;
        attempt.failureMessage = outcome.failure.message;
      }
      return;
    }
    case 'confirm': {
      const snapshot = await provider.refresh(target);
      payment.reconcile(snapshot, now);
      attempt.status = payment.status === 'requires_action' ? 'requires_action' : payment.status === 'failed' ? 'failed' : 'succeeded';
      if (payment.state.failure && attempt.status === 'failed') {
        attempt.failureCode = payment.state.failure.code;
        attempt.failureMessage = payment.state.failure.message;
      }
      return;
    }
    case 'capture': {
      const { amount } = await provider.capture(target, attempt.amount ?? 0, attempt.providerKey);
      payment.captured(Math.min(amount, payment.capturable.amount), now);
      attempt.status = 'succeeded';
      return;
    }
    case 'void':
      await provider.void(target, attempt.providerKey);
      payment.voided(attempt.reason, now);
      attempt.status = 'succeeded';
      return;
    case 'refund': {
      const { refundRef } = await provider.refund(target, attempt.amount ?? 0, attempt.reason ?? '', attempt.providerKey);
      payment.refunded(attempt.amount ?? 0, attempt.reason ?? '', now);
      attempt.providerRef = refundRef;
      attempt.status = 'succeeded';
      return;
    }
  }
}
