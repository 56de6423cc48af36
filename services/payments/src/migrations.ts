import { fileURLToPath } from 'node:url';
import type { ServiceMigrations } from '@fusioncommerce/platform';

export const PAYMENTS_SCHEMA = 'payments';

export const paymentsMigrations: ServiceMigrations = {
  schema: PAYMENTS_SCHEMA,
  directory: fileURLToPath(new URL('../migrations', import.meta.url)),
};
