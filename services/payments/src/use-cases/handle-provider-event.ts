/**
 * A provider's webhook, applied once. The event id is recorded in the same
 * transaction as the change it causes, so a redelivery (Stripe retries until
 * it gets a 2xx, and may send an event more than once) changes nothing; and
 * the snapshot carries absolute amounts, so an echo of a change we made
 * ourselves changes nothing either.
 */
import type { Knex } from 'knex';
import type { Payment, ProviderSnapshot } from '../domain/payment.ts';
import type { Attempt, AttemptStatus } from '../store/payment-store.ts';
import type { WebhookOutcome } from '../store/webhook-store.ts';
import type { PaymentsDeps } from './deps.ts';
import { savePayment } from './save-payment.ts';

export interface ProviderEvent {
  id: string;
  provider: string;
  type: string;
  /** The provider's id of the payment it is about, and what it says; null when payments does not act on this type. */
  target: { providerRef: string; snapshot: ProviderSnapshot } | null;
}

export interface EventResult {
  duplicate: boolean;
  outcome: WebhookOutcome;
  paymentId: string | null;
}

export async function handleProviderEvent(deps: PaymentsDeps, event: ProviderEvent): Promise<EventResult> {
  return deps.knex.transaction(async (trx) => {
    const first = await deps.webhooks.record(event, trx);
    if (!first) return { duplicate: true, outcome: 'unchanged', paymentId: null };
    const payment = event.target ? await deps.payments.lockByProviderRef(event.provider, event.target.providerRef, trx) : null;
    if (!event.target || !payment) return { duplicate: false, outcome: 'ignored', paymentId: null };

    const before = { ...payment.state };
    const changed = payment.reconcile(event.target.snapshot, deps.now());
    const outcome: WebhookOutcome = changed ? 'applied' : 'unchanged';
    await deps.webhooks.setOutcome(event.id, outcome, payment.id, trx);
    if (!changed) return { duplicate: false, outcome, paymentId: payment.id };

    await settleAnswered(deps, payment, before, trx);
    await savePayment(deps, payment, { attemptId: null, source: 'webhook', actor: `${event.provider}:${event.id}` }, trx);
    return { duplicate: false, outcome, paymentId: payment.id };
  });
}

/**
 * Our own calls that timed out and that this event answers: marked done, so a
 * retry reports their outcome instead of sending them again.
 */
async function settleAnswered(deps: PaymentsDeps, payment: Payment, before: Payment['state'], trx: Knex.Transaction): Promise<void> {
  const after = payment.state;
  let refundedNow = after.refundedAmount - before.refundedAmount;
  for (const attempt of await deps.payments.pendingAttempts(payment.id, trx)) {
    let status: AttemptStatus | null = null;
    switch (attempt.operation) {
      case 'authorize':
      case 'confirm':
        if (after.status === 'failed') status = 'failed';
        else if (after.status !== 'requires_payment_method' && after.status !== 'requires_action') status = 'succeeded';
        break;
      case 'capture':
        if (after.capturedAmount > before.capturedAmount) status = 'succeeded';
        break;
      case 'void':
        if (after.status === 'voided') status = 'succeeded';
        break;
      case 'refund':
        if (attempt.amount !== null && refundedNow >= attempt.amount) {
          refundedNow -= attempt.amount;
          status = 'succeeded';
        }
        break;
    }
    if (status) await close(deps, attempt, status, trx);
  }
}

async function close(deps: PaymentsDeps, attempt: Attempt, status: AttemptStatus, trx: Knex.Transaction): Promise<void> {
  const now = deps.now();
  await deps.payments.updateAttempt({ ...attempt, status, lastError: null, updatedAt: now, completedAt: now, failureCode: status === 'failed' ? 'declined' : null }, trx);
}
