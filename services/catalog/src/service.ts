/** The catalog service as the platform mounts it: its schema, migrations and routes. */
import type { ServiceDefinition } from '@fusioncommerce/platform';
import { catalogMigrations } from './migrations.ts';
import { adminRoutes } from './routes/admin.ts';
import { storefrontRoutes } from './routes/storefront.ts';
import { StorefrontCache } from './store/storefront-cache.ts';
import { catalogDeps } from './use-cases/deps.ts';

export const catalogService: ServiceDefinition = {
  name: 'catalog',
  port: 3000,
  migrations: catalogMigrations,
  openapi: { title: 'FusionCommerce catalog', description: 'Products, variants, categories and search.' },
  routes: async (app, { knex }) => {
    const deps = catalogDeps(knex);
    const cache = new StorefrontCache({ maxEntries: 10_000, maxAgeMs: 60_000 });
    await app.register(storefrontRoutes, { deps, cache });
    await app.register(adminRoutes, { deps, cache });
  },
};
