/** The shipping service as the platform mounts it: options and quotes, shipments, and the order events it acts on. */
import type { ServiceDefinition } from '@fusioncommerce/platform';
import { loadShippingSettings, type ShippingSettings } from './config.ts';
import { orderEventHandlers, type ShippingRuntime } from './events/order-events.ts';
import { shippingMigrations } from './migrations.ts';
import { optionRoutes } from './routes/options.ts';
import { shipmentRoutes } from './routes/shipments.ts';
import { shippingDeps } from './use-cases/deps.ts';

export interface ShippingServiceOptions {
  /** Settings to use instead of the environment's (tests); missing ones come from the environment. */
  settings?: Partial<ShippingSettings>;
  /** The clock (tests). */
  now?: () => Date;
}

/** Builds the service; the environment is read when it is mounted, so a bad value stops start-up with one clear line. */
export function createShippingService(options: ShippingServiceOptions = {}): ServiceDefinition {
  const runtime: ShippingRuntime = {};
  return {
    name: 'shipping',
    port: 3005,
    migrations: shippingMigrations,
    openapi: { title: 'FusionCommerce shipping', description: 'Shipping options and rates, shipments and tracking.' },
    consumes: orderEventHandlers(runtime),
    routes: async (app, { knex }) => {
      const settings = { ...loadShippingSettings(), ...options.settings };
      const deps = shippingDeps(knex, settings, options.now);
      runtime.deps = deps;
      await app.register(optionRoutes, { deps });
      await app.register(shipmentRoutes, { deps });
    },
  };
}

export const shippingService: ServiceDefinition = createShippingService();
