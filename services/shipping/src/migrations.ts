import { fileURLToPath } from 'node:url';
import type { ServiceMigrations } from '@fusioncommerce/platform';

export const SHIPPING_SCHEMA = 'shipping';

export const shippingMigrations: ServiceMigrations = {
  schema: SHIPPING_SCHEMA,
  directory: fileURLToPath(new URL('../migrations', import.meta.url)),
};
