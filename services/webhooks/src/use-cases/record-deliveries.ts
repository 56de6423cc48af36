/**
 * An event from any service becomes one delivery per active subscription
 * that asked for its type, in the consumer's transaction: they commit with
 * the inbox row, so a redelivered event adds none (and the unique
 * (subscription, event) key holds even past the inbox, e.g. on a replay).
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { CloudEvent } from '@fusioncommerce/contracts';
import { subscribesTo } from '../domain/event-types.ts';
import type { WebhooksDeps } from './deps.ts';

/** The request body: the CloudEvent in structured JSON form, its attributes in the order the spec lists them. */
export function payloadOf(event: CloudEvent): string {
  return JSON.stringify({
    specversion: event.specversion,
    id: event.id,
    source: event.source,
    type: event.type,
    subject: event.subject,
    time: event.time,
    datacontenttype: 'application/json',
    data: event.data,
  });
}

/** Records the deliveries of `event`; returns how many are new. */
export async function recordDeliveries(deps: Pick<WebhooksDeps, 'subscriptions' | 'deliveries' | 'now'>, trx: Knex.Transaction, event: CloudEvent): Promise<number> {
  const matching = (await deps.subscriptions.active(trx)).filter((s) => subscribesTo(s.eventTypes, event.type));
  if (matching.length === 0) return 0;
  const payload = payloadOf(event);
  return deps.deliveries.insertMany(
    matching.map((s) => ({ id: uuidv7(), subscriptionId: s.id, eventId: event.id, eventType: event.type, payload })),
    deps.now(),
    trx,
  );
}
