/** What the webhooks use cases work with; built once per process. */
import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import { allEventContracts, WebhookTestSent } from '@fusioncommerce/contracts';
import { DEFAULT_SETTINGS, type WebhooksSettings } from '../config.ts';
import { httpSender, type WebhookSender } from '../sender/http-sender.ts';
import { DeliveryStore } from '../store/delivery-store.ts';
import { SubscriptionStore } from '../store/subscription-store.ts';
import { SubscriptionInterest } from './subscription-interest.ts';

export interface WebhooksDeps {
  knex: Knex;
  subscriptions: SubscriptionStore;
  deliveries: DeliveryStore;
  settings: WebhooksSettings;
  sender: WebhookSender;
  now: () => Date;
  /** Tells this process's delivery worker there is work now, instead of at its next poll. */
  wake: () => void;
  /** Which event types are subscribed to, as this process last saw. */
  interest: SubscriptionInterest;
}

export interface WebhooksDepsOptions {
  log?: FastifyBaseLogger;
  sender?: WebhookSender;
  now?: () => Date;
  wake?: () => void;
}

export function webhooksDeps(knex: Knex, settings: Partial<WebhooksSettings> = {}, options: WebhooksDepsOptions = {}): WebhooksDeps {
  const subscriptions = new SubscriptionStore(knex);
  return {
    knex,
    subscriptions,
    interest: new SubscriptionInterest(subscriptions, options.log),
    deliveries: new DeliveryStore(knex),
    settings: { ...DEFAULT_SETTINGS, ...settings },
    sender: options.sender ?? httpSender,
    now: options.now ?? (() => new Date()),
    wake: options.wake ?? (() => undefined),
  };
}

/** Every event type a subscription can ask for: the contracts' types, less the test event (sent on request, never published). */
export function subscribableEventTypes(): string[] {
  return allEventContracts()
    .map((c) => c.type)
    .filter((type) => type !== WebhookTestSent.type);
}
