/** The payments service as the platform mounts it: its schema, migrations, providers and routes. */
import type { ServiceDefinition } from '@fusioncommerce/platform';
import { loadPaymentsConfig, type PaymentsConfig } from './config.ts';
import { groupParticipationHandlers } from './events/group-participations.ts';
import { orderSagaHandlers, type SagaRuntime } from './events/order-saga.ts';
import { shipmentCaptureHandlers } from './events/shipment-capture.ts';
import { paymentsMigrations } from './migrations.ts';
import { adminRoutes } from './routes/admin.ts';
import { checkoutRoutes } from './routes/checkout.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { paymentsDeps, type PaymentsDepsOptions } from './use-cases/deps.ts';

export interface PaymentsServiceOptions extends PaymentsDepsOptions {
  /** Validated settings; read from `env` (default: process.env) when the service is mounted if not given. */
  config?: PaymentsConfig;
  env?: Record<string, string | undefined>;
}

export function createPaymentsService(options: PaymentsServiceOptions = {}): ServiceDefinition {
  // The saga's handlers use the same deps as the routes; they exist once the routes are mounted.
  const saga: SagaRuntime = {};
  return {
    name: 'payments',
    port: 3004,
    migrations: paymentsMigrations,
    openapi: { title: 'FusionCommerce payments', description: 'Payment intents: authorize, capture, void and refund, with the test and Stripe providers.' },
    consumes: [...orderSagaHandlers(saga), ...shipmentCaptureHandlers(saga), ...groupParticipationHandlers(saga)],
    routes: async (app, { knex }) => {
      const env = options.env ?? process.env;
      // Mounting is start-up: a bad setting stops the process here with one clear line.
      const config = options.config ?? loadPaymentsConfig(env);
      if (config.provider === 'test' && env.NODE_ENV === 'production') {
        app.log.warn('payments: PAYMENTS_PROVIDER is "test" in production: payments are simulated and no money is taken.');
      }
      const deps = paymentsDeps(knex, config, options);
      saga.deps = deps;
      await app.register(checkoutRoutes, { deps });
      await app.register(adminRoutes, { deps });
      await app.register(webhookRoutes, { deps });
    },
  };
}

/** Payments configured from the environment (PAYMENTS_PROVIDER, STRIPE_*). */
export const paymentsService: ServiceDefinition = createPaymentsService();
