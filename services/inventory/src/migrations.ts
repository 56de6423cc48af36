import { fileURLToPath } from 'node:url';
import type { ServiceMigrations } from '@fusioncommerce/platform';

export const INVENTORY_SCHEMA = 'inventory';

export const inventoryMigrations: ServiceMigrations = {
  schema: INVENTORY_SCHEMA,
  directory: fileURLToPath(new URL('../migrations', import.meta.url)),
};
