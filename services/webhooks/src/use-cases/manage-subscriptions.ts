/**
 * Webhook subscriptions: create (the secret is made here and shown once),
 * edit with optimistic concurrency, delete, and rotate the secret (the old
 * one keeps signing next to the new one for a grace period).
 */
import { v7 as uuidv7 } from 'uuid';
import type { ExpectedVersion } from '@fusioncommerce/platform';
import { WebhooksError } from '../domain/errors.ts';
import { eventTypeErrors } from '../domain/event-types.ts';
import { checkReceiverUrl } from '../domain/receiver-url.ts';
import { newSecret } from '../domain/signature.ts';
import { subscriptionView, type SubscriptionState, type SubscriptionView } from '../store/subscription-store.ts';
import { subscribableEventTypes, type WebhooksDeps } from './deps.ts';

export interface SubscriptionInput {
  url: string;
  eventTypes: string[];
  description?: string | null;
  active?: boolean;
}

export type SubscriptionPatch = Partial<SubscriptionInput>;


/** A subscription with its secret: the answer to create and rotate, the only times the secret is shown. */
export type SubscriptionWithSecret = SubscriptionView & { secret: string };

/** How long a rotated-out secret keeps signing unless the admin says otherwise: a day to update the receiver. */
export const DEFAULT_PREVIOUS_SECRET_SECONDS = 86_400;

function assertEventTypes(patterns: string[]): void {
  const errors = eventTypeErrors(patterns, subscribableEventTypes());
  if (errors.length > 0) throw WebhooksError.invalidEventTypes(errors);
}

export async function createSubscription(deps: WebhooksDeps, input: SubscriptionInput): Promise<SubscriptionWithSecret> {
  const url = checkReceiverUrl(input.url, deps.settings.allowPrivateUrls);
  assertEventTypes(input.eventTypes);
  const now = deps.now();
  const state: SubscriptionState = {
    id: uuidv7(),
    url,
    eventTypes: input.eventTypes,
    description: input.description ?? null,
    active: input.active ?? true,
    secret: newSecret(),
    previousSecret: null,
    previousSecretExpiresAt: null,
    secretRotatedAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.subscriptions.insert(state);
  deps.interest.changed();
  return { ...subscriptionView(state), secret: state.secret };
}

export async function getSubscription(deps: WebhooksDeps, id: string): Promise<SubscriptionView> {
  const state = await deps.subscriptions.get(id);
  if (!state) throw WebhooksError.subscriptionNotFound(id);
  return subscriptionView(state);
}

function assertVersion(state: SubscriptionState, expected: ExpectedVersion): void {
  if (state.version !== expected.version) {
    throw expected.via === 'if-match' ? WebhooksError.preconditionFailed(state.version) : WebhooksError.versionMismatch(state.version);
  }
}

async function change(
  deps: WebhooksDeps,
  id: string,
  expected: ExpectedVersion | null,
  apply: (state: SubscriptionState, now: Date) => void,
): Promise<SubscriptionState> {
  const state = await deps.knex.transaction(async (trx) => {
    const current = await deps.subscriptions.get(id, trx, true);
    if (!current) throw WebhooksError.subscriptionNotFound(id);
    if (expected) assertVersion(current, expected);
    const now = deps.now();
    apply(current, now);
    current.version += 1;
    current.updatedAt = now;
    await deps.subscriptions.update(current, trx);
    return current;
  });
  deps.interest.changed();
  // Reactivated, or pointed somewhere that may answer now: waiting deliveries go at once.
  if (state.active) deps.wake();
  return state;
}

export async function updateSubscription(deps: WebhooksDeps, id: string, expected: ExpectedVersion, patch: SubscriptionPatch): Promise<SubscriptionView> {
  // Checked before the transaction: a bad patch is a 400 whatever the version.
  if (Object.values(patch).every((value) => value === undefined)) throw WebhooksError.nothingToChange();
  const url = patch.url === undefined ? undefined : checkReceiverUrl(patch.url, deps.settings.allowPrivateUrls);
  if (patch.eventTypes !== undefined) assertEventTypes(patch.eventTypes);
  const state = await change(deps, id, expected, (s) => {
    if (url !== undefined) s.url = url;
    if (patch.eventTypes !== undefined) s.eventTypes = patch.eventTypes;
    if (patch.description !== undefined) s.description = patch.description;
    if (patch.active !== undefined) s.active = patch.active;
  });
  return subscriptionView(state);
}

/** Deletes the subscription, its waiting deliveries and its delivery log. With If-Match, only the version read. */
export async function deleteSubscription(deps: WebhooksDeps, id: string, expected: ExpectedVersion | null): Promise<void> {
  await deps.knex.transaction(async (trx) => {
    const current = await deps.subscriptions.get(id, trx, true);
    if (!current) throw WebhooksError.subscriptionNotFound(id);
    if (expected) assertVersion(current, expected);
    await deps.subscriptions.delete(id, trx);
  });
  deps.interest.changed();
}

/**
 * A new secret, shown once. The old one keeps signing next to it for
 * `keepPreviousSeconds` (0: it stops at once), so a receiver verifies with
 * either while it is updated; a second rotation drops the oldest.
 */
export async function rotateSecret(deps: WebhooksDeps, id: string, keepPreviousSeconds = DEFAULT_PREVIOUS_SECRET_SECONDS): Promise<SubscriptionWithSecret> {
  const state = await change(deps, id, null, (s, now) => {
    s.previousSecret = keepPreviousSeconds > 0 ? s.secret : null;
    s.previousSecretExpiresAt = keepPreviousSeconds > 0 ? new Date(now.getTime() + keepPreviousSeconds * 1000) : null;
    s.secret = newSecret();
    s.secretRotatedAt = now;
  });
  return { ...subscriptionView(state), secret: state.secret };
}
