/** Creates a payment for an order or a group participation: no provider call yet, just the intent and its client secret. */
import type { Money } from '@fusioncommerce/platform';
import { v7 as uuidv7 } from 'uuid';
import { Payment, type PaymentReference } from '../domain/payment.ts';
import { newClientSecret } from './access.ts';
import type { PaymentsDeps } from './deps.ts';

export interface CreatePaymentInput {
  /** A fixed id, when the caller must get the same payment (and provider keys) on every retry. */
  id?: string;
  reference: PaymentReference;
  amount: Money;
  actor: string;
}

export async function createPayment(deps: PaymentsDeps, input: CreatePaymentInput): Promise<Payment> {
  const id = input.id ?? uuidv7();
  const now = deps.now();
  const payment = Payment.create({
    id,
    reference: input.reference,
    amount: input.amount,
    provider: deps.provider.name,
    clientSecret: newClientSecret(id),
    createdBy: input.actor,
    now,
  });
  await deps.knex.transaction(async (trx) => {
    await deps.payments.insert(payment, trx);
    const { transitions } = payment.pullChanges();
    await deps.payments.recordTransitions(id, transitions, { attemptId: null, source: 'api', actor: input.actor, at: now }, trx);
  });
  return payment;
}
