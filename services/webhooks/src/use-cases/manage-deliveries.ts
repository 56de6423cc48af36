/** The delivery log an admin reads, replaying a finished delivery, and sending a test event to one subscription. */
import { v7 as uuidv7 } from 'uuid';
import { sourceOf, validateEventData, WebhookTestSent, type EventData } from '@fusioncommerce/contracts';
import { toCloudEvent } from '@fusioncommerce/platform';
import { canReplay } from '../domain/delivery.ts';
import { WebhooksError } from '../domain/errors.ts';
import { WEBHOOKS_SCHEMA } from '../migrations.ts';
import { deliveryView, type DeliveryDetailView, type DeliveryView } from '../store/delivery-store.ts';
import type { WebhooksDeps } from './deps.ts';
import { payloadOf } from './record-deliveries.ts';

export async function getDelivery(deps: WebhooksDeps, id: string): Promise<DeliveryDetailView> {
  const row = await deps.deliveries.get(id);
  if (!row) throw WebhooksError.deliveryNotFound(id);
  return { ...deliveryView(row), event: JSON.parse(row.payload) as unknown, attemptLog: await deps.deliveries.attempts(id) };
}

/** 404 for a subscription that does not exist, so an empty page always means "no deliveries yet". */
export async function listDeliveries(deps: WebhooksDeps, query: Parameters<WebhooksDeps['deliveries']['list']>[0]) {
  if (!(await deps.subscriptions.get(query.subscriptionId))) throw WebhooksError.subscriptionNotFound(query.subscriptionId);
  return deps.deliveries.list(query);
}

/**
 * Sends a finished delivery (failed, or delivered and lost by the receiver)
 * again, now, with a fresh round of attempts; the same body and webhook-id,
 * so a receiver that de-duplicates recognises it.
 */
export async function replayDelivery(deps: WebhooksDeps, id: string): Promise<DeliveryView> {
  const row = await deps.knex.transaction(async (trx) => {
    const delivery = await deps.deliveries.get(id, trx, true);
    if (!delivery) throw WebhooksError.deliveryNotFound(id);
    if (!canReplay(delivery.status)) throw WebhooksError.deliveryInProgress(id, delivery.status);
    const subscription = await deps.subscriptions.get(delivery.subscription_id, trx);
    if (!subscription?.active) throw WebhooksError.subscriptionInactive(delivery.subscription_id);
    const now = deps.now();
    return deps.deliveries.update(
      id,
      { status: 'pending', attempts: 0, replays: delivery.replays + 1, next_attempt_at: now, delivered_at: null, failed_at: null, updated_at: now },
      trx,
    );
  });
  deps.wake();
  return deliveryView(row);
}

/** A sample `webhooks.test.sent` event for one (active) subscription, delivered like any other. */
export async function sendTestEvent(deps: WebhooksDeps, subscriptionId: string, message?: string): Promise<DeliveryView> {
  const now = deps.now();
  const data: EventData<typeof WebhookTestSent> = { subscriptionId, message: message ?? 'A test event from FusionCommerce: if you can read this, your receiver works.' };
  validateEventData(WebhookTestSent.type, data);
  const event = toCloudEvent({ id: uuidv7(), type: WebhookTestSent.type, source: sourceOf(WEBHOOKS_SCHEMA), subject: subscriptionId, time: now, data });
  const id = uuidv7();
  const row = await deps.knex.transaction(async (trx) => {
    // Locked so that a delete cannot slip in between the check and the insert.
    const subscription = await deps.subscriptions.get(subscriptionId, trx, true);
    if (!subscription) throw WebhooksError.subscriptionNotFound(subscriptionId);
    if (!subscription.active) throw WebhooksError.subscriptionInactive(subscriptionId);
    await deps.deliveries.insertMany([{ id, subscriptionId, eventId: event.id, eventType: event.type, payload: payloadOf(event) }], now, trx);
    return deps.deliveries.get(id, trx);
  });
  if (!row) throw WebhooksError.deliveryNotFound(id);
  deps.wake();
  return deliveryView(row);
}
