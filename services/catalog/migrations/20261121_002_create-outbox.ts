// The catalog's event tables: the outbox its use cases write to, and the inbox and dead letters for events it will consume.
import type { Knex } from 'knex';
import { createEventTables, dropEventTables } from '@fusioncommerce/platform';

const S = 'catalog';

export async function up(knex: Knex): Promise<void> {
  await createEventTables(knex, S);
}

export async function down(knex: Knex): Promise<void> {
  await dropEventTables(knex, S);
}
