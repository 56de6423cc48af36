/**
 * Sending deliveries: claim due ones (a short transaction), make each
 * attempt outside any transaction, then record how it went if the claim is
 * still ours — delivered, due again after a backoff, or failed after the
 * last allowed attempt (announced as `webhooks.delivery.failed`).
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { WebhookDeliveryFailed, type EventData } from '@fusioncommerce/contracts';
import { recordEvents } from '@fusioncommerce/platform';
import { describeFailure, outcomeOf, retryDelayMs, type AttemptOutcome } from '../domain/delivery.ts';
import { signatureHeader } from '../domain/signature.ts';
import { WEBHOOKS_SCHEMA } from '../migrations.ts';
import type { ClaimedDelivery, DeliveryRow } from '../store/delivery-store.ts';
import { signingSecrets } from '../store/subscription-store.ts';
import type { WebhooksDeps } from './deps.ts';

/** How long past its timeout an attempt's claim lasts before another worker may take the delivery over. */
export const LEASE_MARGIN_MS = 30_000;

export const USER_AGENT = 'FusionCommerce-Webhooks/0.1';

/** Told about every finished attempt (metrics). */
export interface AttemptObserver {
  attempted(outcome: AttemptOutcome, durationMs: number): void;
}

/** What became of a claimed delivery: an attempt's outcome, handed back untried, or taken over by another worker meanwhile. */
export type DeliveryResult = AttemptOutcome | 'interrupted' | 'lost';

/** CloudEvents HTTP binding: header values are printable ASCII, the rest (and % and ") percent-encoded. */
const headerValue = (value: string): string => value.replace(/[^\x20-\x7e]|[%"]/gu, (c) => encodeURIComponent(c));

/** The headers of one attempt: Standard Webhooks' id, timestamp and signature, plus the CloudEvent's attributes as ce-*. */
export function requestHeaders(claim: Pick<ClaimedDelivery, 'id' | 'payload'>, secrets: readonly string[], timestamp: number): Record<string, string> {
  const event = JSON.parse(claim.payload) as Record<string, unknown>;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': claim.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(secrets, claim.id, timestamp, claim.payload),
  };
  for (const attribute of ['specversion', 'id', 'source', 'type', 'subject', 'time']) {
    const value = event[attribute];
    if (typeof value === 'string') headers[`ce-${attribute}`] = headerValue(value);
  }
  return headers;
}

/** `webhooks.delivery.failed` for each delivery that gave up, in one insert. */
async function announceFailures(trx: Knex.Transaction, rows: DeliveryRow[]): Promise<void> {
  // A failed delivery of a webhooks.* event (a failure notice, a test) raises nothing, or a failing receiver of failure notices would feed itself.
  const events = rows
    .filter((row) => !row.event_type.startsWith('webhooks.'))
    .map((row) => {
      const data: EventData<typeof WebhookDeliveryFailed> = {
        deliveryId: row.id,
        subscriptionId: row.subscription_id,
        eventId: row.event_id,
        eventType: row.event_type,
        attempts: Math.max(1, row.attempts),
        lastResponseStatus: row.last_response_status,
        lastError: row.last_error,
      };
      return { type: WebhookDeliveryFailed.type, subject: row.subscription_id, data };
    });
  await recordEvents(trx, WEBHOOKS_SCHEMA, events);
}

/**
 * Claims up to `limit` due deliveries for this worker. A delivery whose
 * claim lapsed on its last attempt (its worker died) is failed here instead.
 */
export async function claimDueDeliveries(deps: WebhooksDeps, limit: number): Promise<ClaimedDelivery[]> {
  const now = deps.now();
  const lease = new Date(now.getTime() + deps.settings.deliveryTimeoutMs + LEASE_MARGIN_MS);
  return deps.deliveries.claimDue(limit, now, lease, deps.settings.maxAttempts, (trx, abandoned) => announceFailures(trx, abandoned));
}

/** Makes one attempt of a claimed delivery and records it. */
export async function attemptDelivery(
  deps: WebhooksDeps,
  claim: ClaimedDelivery,
  options: { signal?: AbortSignal; observer?: AttemptObserver } = {},
): Promise<DeliveryResult> {
  const started = deps.now();
  const timestamp = Math.floor(started.getTime() / 1000);
  const result = await deps.sender({
    url: claim.url,
    headers: requestHeaders(claim, signingSecrets(claim, started), timestamp),
    body: claim.payload,
    timeoutMs: deps.settings.deliveryTimeoutMs,
    allowPrivateUrls: deps.settings.allowPrivateUrls,
    signal: options.signal,
  });
  if (result.kind === 'interrupted') {
    await deps.deliveries.release(claim, deps.now());
    return 'interrupted';
  }
  const outcome = outcomeOf(result, claim.attempt, deps.settings);
  const finished = deps.now();
  const responseStatus = result.kind === 'response' ? result.status : null;
  const error = describeFailure(result);
  const common = { last_response_status: responseStatus, last_error: error, last_duration_ms: result.durationMs, updated_at: finished };
  const changes: Partial<DeliveryRow> =
    outcome === 'delivered'
      ? { ...common, status: 'delivered', delivered_at: finished, next_attempt_at: null }
      : outcome === 'failed'
        ? { ...common, status: 'failed', failed_at: finished, next_attempt_at: null }
        : {
            ...common,
            status: 'pending',
            next_attempt_at: new Date(finished.getTime() + retryDelayMs(claim.attempt, deps.settings, result.kind === 'response' ? result.retryAfterMs : null)),
          };
  const row = await deps.knex.transaction(async (trx) => {
    const updated = await deps.deliveries.finishAttempt(trx, claim, changes, {
      id: uuidv7(),
      started_at: started,
      duration_ms: result.durationMs,
      response_status: responseStatus,
      error,
      outcome,
    });
    if (updated && outcome === 'failed') await announceFailures(trx, [updated]);
    return updated;
  });
  // An attempt whose claim was lost (its lease lapsed and another worker took it) is not recorded, so not counted either.
  if (!row) return 'lost';
  options.observer?.attempted(outcome, result.durationMs);
  return outcome;
}
