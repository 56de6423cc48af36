import { fileURLToPath } from 'node:url';
import type { ServiceMigrations } from '@fusioncommerce/platform';

export const CUSTOMERS_SCHEMA = 'customers';

export const customersMigrations: ServiceMigrations = {
  schema: CUSTOMERS_SCHEMA,
  directory: fileURLToPath(new URL('../migrations', import.meta.url)),
};
