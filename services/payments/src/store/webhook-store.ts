/** Provider webhook events already handled, by the provider's event id: a redelivery is recognised and changes nothing. */
import type { Knex } from 'knex';

const TABLE = 'payments.webhook_events';

export type WebhookOutcome = 'applied' | 'unchanged' | 'ignored';

export class WebhookStore {
  /** Records the event inside the caller's transaction; false when it was already recorded (a replay). */
  async record(event: { id: string; provider: string; type: string }, trx: Knex.Transaction): Promise<boolean> {
    const inserted = await trx(TABLE).insert({ id: event.id, provider: event.provider, type: event.type, outcome: 'ignored' }).onConflict('id').ignore().returning('id');
    return inserted.length > 0;
  }

  async setOutcome(id: string, outcome: WebhookOutcome, paymentId: string | null, trx: Knex.Transaction): Promise<void> {
    await trx(TABLE).where({ id }).update({ outcome, payment_id: paymentId });
  }
}
