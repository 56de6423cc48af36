/** The payment's domain events as the integration events other services read (contracts in @fusioncommerce/contracts). */
import type { NewEvent } from '@fusioncommerce/platform';
import type { Payment, PaymentEvent } from '../domain/payment.ts';

export function integrationEvents(payment: Payment, events: PaymentEvent[]): NewEvent[] {
  const s = payment.state;
  const money = (amount: number) => ({ amount, currency: s.currency });
  return events.map((e) => {
    const facts = {
      paymentId: s.id,
      reference: s.reference,
      provider: s.provider,
      providerRef: s.providerRef,
      authorized: money(e.totals.authorized),
      captured: money(e.totals.captured),
      refunded: money(e.totals.refunded),
    };
    const subject = s.id;
    switch (e.type) {
      case 'authorized':
        return { type: 'payments.payment.authorized', subject, data: { ...facts, amount: money(e.amount) } };
      case 'failed':
        return { type: 'payments.payment.failed', subject, data: { ...facts, amount: money(e.amount), failureCode: e.failure.code, failureMessage: e.failure.message } };
      case 'captured':
        return { type: 'payments.payment.captured', subject, data: { ...facts, amount: money(e.amount), released: money(e.released) } };
      case 'voided':
        return { type: 'payments.payment.voided', subject, data: { ...facts, released: money(e.released), reason: e.reason } };
      case 'refunded':
        return { type: 'payments.payment.refunded', subject, data: { ...facts, amount: money(e.amount), reason: e.reason, fullyRefunded: e.fullyRefunded } };
    }
  });
}
