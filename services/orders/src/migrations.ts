import { fileURLToPath } from 'node:url';
import type { ServiceMigrations } from '@fusioncommerce/platform';

export const ORDERS_SCHEMA = 'orders';

export const ordersMigrations: ServiceMigrations = {
  schema: ORDERS_SCHEMA,
  directory: fileURLToPath(new URL('../migrations', import.meta.url)),
};
