// `npx knex migrate:latest|status|rollback` from this directory, against DATABASE_URL or the embedded data dir.
import { knexfileFor } from '@fusioncommerce/platform';
import { webhooksMigrations } from './src/migrations.ts';

export default knexfileFor(webhooksMigrations);
