import { fileURLToPath } from 'node:url';
import type { ServiceMigrations } from '@fusioncommerce/platform';

export const CATALOG_SCHEMA = 'catalog';

export const catalogMigrations: ServiceMigrations = {
  schema: CATALOG_SCHEMA,
  directory: fileURLToPath(new URL('../migrations', import.meta.url)),
};
