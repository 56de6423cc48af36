/** The orders service as the platform mounts it: carts, checkout, orders, and the saga's event handlers. */
import pLimit from 'p-limit';
import type { ServiceDefinition } from '@fusioncommerce/platform';
import { ordersSettingsFrom } from './config.ts';
import { catalogReplicaHandlers } from './events/catalog-replica.ts';
import { groupOrderHandlers } from './events/group-orders.ts';
import { sagaHandlers } from './events/saga-handlers.ts';
import { shippingHandlers } from './events/shipping-handlers.ts';
import { stockReplicaHandlers } from './events/stock-replica.ts';
import { ordersMigrations } from './migrations.ts';
import { cartRoutes } from './routes/carts.ts';
import { orderRoutes } from './routes/orders.ts';
import { expireStaleOrders } from './use-cases/change-order.ts';
import { OrderWatch, type OrdersDeps, type OrdersSettings } from './use-cases/deps.ts';

/** Builds the service; the routes and the saga handlers share settings and the in-process order watch. */
export function createOrdersService(settings: OrdersSettings = ordersSettingsFrom(process.env)): ServiceDefinition {
  const shared = { settings, watch: new OrderWatch(), now: () => new Date() };
  const admitCheckout = pLimit(settings.checkoutConcurrency);
  return {
    name: 'orders',
    port: 3001,
    migrations: ordersMigrations,
    openapi: { title: 'FusionCommerce orders', description: 'Carts, checkout and orders.' },
    routes: async (app, { knex }) => {
      const deps: OrdersDeps = { ...shared, knex, admitCheckout };
      await app.register(cartRoutes, { deps });
      await app.register(orderRoutes, { deps });
      // The durable part of expiry is the data: any process's sweep finds stale pending orders.
      const sweep = setInterval(() => {
        expireStaleOrders(deps).catch((error: unknown) => app.log.error({ err: error }, 'order expiry sweep failed'));
      }, settings.sweepIntervalMs);
      sweep.unref();
      app.addHook('onClose', async () => clearInterval(sweep));
    },
    consumes: [...sagaHandlers(shared), ...shippingHandlers(shared), ...groupOrderHandlers(shared), ...catalogReplicaHandlers, ...stockReplicaHandlers],
  };
}

export const ordersService = createOrdersService();
