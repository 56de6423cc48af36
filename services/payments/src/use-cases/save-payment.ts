import type { Knex } from 'knex';
import { recordEvents } from '@fusioncommerce/platform';
import type { Payment } from '../domain/payment.ts';
import { PAYMENTS_SCHEMA } from '../migrations.ts';
import type { PaymentsDeps } from './deps.ts';
import { integrationEvents } from './payment-events.ts';

export interface ChangeContext {
  attemptId: string | null;
  source: 'api' | 'webhook';
  actor: string;
}

/** Saves a changed payment with its transitions and its events, in the caller's transaction. */
export async function savePayment(deps: PaymentsDeps, payment: Payment, context: ChangeContext, trx: Knex.Transaction): Promise<void> {
  const { transitions, events } = payment.pullChanges();
  await deps.payments.save(payment, trx);
  await deps.payments.recordTransitions(payment.id, transitions, { ...context, at: deps.now() }, trx);
  await recordEvents(trx, PAYMENTS_SCHEMA, integrationEvents(payment, events));
}
