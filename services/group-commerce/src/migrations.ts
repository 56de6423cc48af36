import { fileURLToPath } from 'node:url';
import type { ServiceMigrations } from '@fusioncommerce/platform';

/** Postgres schemas are identifiers: the service `group-commerce` owns the schema `group_commerce`. */
export const GROUP_SCHEMA = 'group_commerce';

export const groupCommerceMigrations: ServiceMigrations = {
  schema: GROUP_SCHEMA,
  directory: fileURLToPath(new URL('../migrations', import.meta.url)),
};
