/**
 * The outbound webhooks service as the platform mounts it: the admin API for
 * subscriptions and the delivery log, a consumer of every event the shop
 * publishes, and the delivery worker that signs, sends and retries.
 */
import type { ServiceDefinition } from '@fusioncommerce/platform';
import { loadWebhooksSettings, type WebhooksSettings } from './config.ts';
import { shopEventHandlers, type WebhooksRuntime } from './events/shop-events.ts';
import { deliveryMetrics } from './jobs/delivery-metrics.ts';
import { startDeliveryWorker, type DeliveryWorker } from './jobs/delivery-worker.ts';
import { webhooksMigrations } from './migrations.ts';
import { deliveryRoutes } from './routes/deliveries.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import type { WebhookSender } from './sender/http-sender.ts';
import { webhooksDeps } from './use-cases/deps.ts';

export interface WebhooksServiceOptions {
  /** Settings to use instead of the environment's (tests); missing ones come from the environment. */
  settings?: Partial<WebhooksSettings>;
  /** The clock (tests). */
  now?: () => Date;
  /** How requests are made (tests); fetch by default. */
  sender?: WebhookSender;
}

/** Builds the service; the environment is read when it is mounted, so a bad value stops start-up with one clear line. */
export function createWebhooksService(options: WebhooksServiceOptions = {}): ServiceDefinition {
  const runtime: WebhooksRuntime = {};
  return {
    name: 'webhooks',
    port: 3007,
    migrations: webhooksMigrations,
    openapi: { title: 'FusionCommerce webhooks', description: 'Outbound webhooks: subscriptions to shop events, signed deliveries, their log and replay.' },
    consumes: shopEventHandlers(runtime),
    routes: async (app, { knex }) => {
      const settings = { ...loadWebhooksSettings(), ...options.settings };
      let worker: DeliveryWorker | undefined;
      const deps = webhooksDeps(knex, settings, { log: app.log, sender: options.sender, now: options.now, wake: () => worker?.wake() });
      runtime.deps = deps;
      deps.interest.start(settings.subscriptionsRefreshMs);
      app.addHook('onClose', async () => deps.interest.stop());
      await app.register(subscriptionRoutes, { deps });
      await app.register(deliveryRoutes, { deps });
      const observer = deliveryMetrics(app.metrics, deps.deliveries);
      if (settings.deliveryPollMs > 0) {
        worker = startDeliveryWorker(deps, app.log, observer);
        const running = worker;
        app.addHook('onClose', async () => running.stop());
      }
    },
  };
}

export const webhooksService: ServiceDefinition = createWebhooksService();
