import { fileURLToPath } from 'node:url';
import { migrationSuites } from '../../../test/support/migration-suites.ts';
import { catalogMigrations } from '../src/migrations.ts';

migrationSuites({
  service: 'catalog',
  migrations: catalogMigrations,
  serviceDir: fileURLToPath(new URL('..', import.meta.url)),
  tables: ['categories', 'products', 'product_categories', 'variants'],
});
