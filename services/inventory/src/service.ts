/** The inventory service as the platform mounts it: its schema, migrations, routes, expiry sweep and the events it consumes. */
import type { ServiceDefinition } from '@fusioncommerce/platform';
import { loadInventorySettings, type InventorySettings } from './config.ts';
import { catalogSync } from './events/catalog-sync.ts';
import { groupParticipations } from './events/group-participations.ts';
import { orderSaga } from './events/order-saga.ts';
import { startExpirySweeper } from './jobs/expiry-sweeper.ts';
import { inventoryMigrations } from './migrations.ts';
import { adminStockRoutes } from './routes/admin-stock.ts';
import { reservationRoutes } from './routes/reservations.ts';
import { storefrontRoutes } from './routes/storefront.ts';
import { inventoryDeps } from './use-cases/deps.ts';

export interface InventoryServiceOptions {
  /** Settings to use instead of the environment's (tests); missing ones come from the environment. */
  settings?: Partial<InventorySettings>;
  /** The clock (tests). */
  now?: () => Date;
}

/** Builds the service; the environment is read when it is mounted, so a bad value stops start-up with one clear line. */
export function createInventoryService(options: InventoryServiceOptions = {}): ServiceDefinition {
  let resolved: InventorySettings | undefined;
  const settings = (): InventorySettings => (resolved ??= { ...loadInventorySettings(), ...options.settings });
  return {
    name: 'inventory',
    port: 3002,
    migrations: inventoryMigrations,
    openapi: { title: 'FusionCommerce inventory', description: 'Stock per SKU per location, reservations and the movement log.' },
    consumes: [...catalogSync(settings), ...orderSaga(settings), ...groupParticipations(settings)],
    routes: async (app, { knex }) => {
      const deps = inventoryDeps(knex, settings(), options.now);
      await app.register(storefrontRoutes, { deps });
      await app.register(adminStockRoutes, { deps });
      await app.register(reservationRoutes, { deps });
      if (deps.settings.sweepIntervalMs > 0) {
        const sweeper = startExpirySweeper(deps, deps.settings.sweepIntervalMs, app.log);
        app.addHook('onClose', async () => sweeper.stop());
      }
    },
  };
}

export const inventoryService: ServiceDefinition = createInventoryService();
