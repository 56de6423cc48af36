/** The catalog service as the platform mounts it: its schema, migrations and routes. */
import type { ServiceDefinition } from '@fusioncommerce/platform';
import { catalogSettingsFrom, type CatalogSettings } from './config.ts';
import { catalogMigrations } from './migrations.ts';
import { adminRoutes } from './routes/admin.ts';
import { storefrontRoutes } from './routes/storefront.ts';
import { CatalogChangeWatch } from './store/change-watch.ts';
import { StorefrontCache } from './store/storefront-cache.ts';
import { catalogDeps } from './use-cases/deps.ts';

export function createCatalogService(settings: CatalogSettings = catalogSettingsFrom(process.env)): ServiceDefinition {
  return {
    name: 'catalog',
    port: 3000,
    migrations: catalogMigrations,
    openapi: { title: 'FusionCommerce catalog', description: 'Products, variants, categories and search.' },
    routes: async (app, { knex }) => {
      const deps = catalogDeps(knex);
      const cache = new StorefrontCache({ maxEntries: settings.cacheMaxEntries, maxAgeMs: settings.cacheMaxAgeMs });
      await app.register(storefrontRoutes, { deps, cache });
      await app.register(adminRoutes, { deps, cache });
      // Writes here empty the cache at once; changes made by other processes (replicas, the CLI) within one watch interval.
      const watch = new CatalogChangeWatch({
        knex,
        cache,
        intervalMs: settings.cacheWatchMs,
        onError: (error) => app.log.warn({ err: error }, 'catalog change watch failed; cached reads still expire by age'),
      });
      app.addHook('onReady', async () => {
        await watch.check();
        watch.start();
      });
      app.addHook('onClose', async () => watch.stop());
    },
  };
}

export const catalogService = createCatalogService();
