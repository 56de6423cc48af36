/** Payments as the API shows them: the checkout's view, and the admin's with provider references and history. */
import type { Money } from '@fusioncommerce/platform';
import { Payment, type PaymentState } from '../domain/payment.ts';
import type { Attempt, TransitionRecord } from '../store/payment-store.ts';

const money = (amount: number, currency: string): Money => ({ amount, currency });

export function paymentView(state: PaymentState, options: { withSecret?: boolean } = {}) {
  const payment = Payment.restore(state);
  const c = state.currency;
  return {
    id: state.id,
    status: state.status,
    reference: state.reference,
    amount: money(state.amount, c),
    authorized: money(state.authorizedAmount, c),
    captured: money(state.capturedAmount, c),
    refunded: money(state.refundedAmount, c),
    capturable: payment.capturable,
    refundable: payment.refundable,
    paymentMethod: state.paymentMethod,
    nextAction: state.nextAction,
    failure: state.failure,
    createdAt: state.createdAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
    ...(options.withSecret ? { clientSecret: state.clientSecret } : {}),
  };
}

export function adminPaymentView(state: PaymentState) {
  return { ...paymentView(state), provider: state.provider, providerRef: state.providerRef, createdBy: state.createdBy, version: state.version };
}

export function adminPaymentDetail(state: PaymentState, attempts: Attempt[], transitions: TransitionRecord[]) {
  return {
    ...adminPaymentView(state),
    attempts: attempts.map((a) => ({
      id: a.id,
      operation: a.operation,
      seq: a.seq,
      status: a.status,
      amount: a.amount === null ? null : money(a.amount, state.currency),
      providerKey: a.providerKey,
      providerRef: a.providerRef,
      reason: a.reason,
      failureCode: a.failureCode,
      failureMessage: a.failureMessage,
      lastError: a.lastError,
      tries: a.tries,
      actor: a.actor,
      createdAt: a.createdAt.toISOString(),
      completedAt: a.completedAt ? a.completedAt.toISOString() : null,
    })),
    transitions: transitions.map((t) => ({
      from: t.from,
      to: t.to,
      amount: money(t.amount, state.currency),
      reason: t.reason,
      source: t.source,
      actor: t.actor,
      attemptId: t.attemptId,
      at: t.at.toISOString(),
    })),
  };
}
