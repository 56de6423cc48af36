import { fileURLToPath } from 'node:url';
import type { ServiceMigrations } from '@fusioncommerce/platform';

export const WEBHOOKS_SCHEMA = 'webhooks';

export const webhooksMigrations: ServiceMigrations = {
  schema: WEBHOOKS_SCHEMA,
  directory: fileURLToPath(new URL('../migrations', import.meta.url)),
};
