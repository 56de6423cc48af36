import type { Knex } from 'knex';

const S = 'orders';

/**
 * Orders made by group buying: `source` says where an order came from, and a
 * group order carries its participation, once. Such an order is created
 * already confirmed and paid (its stock committed and payment captured by the
 * group's settlement), so it never runs the checkout saga.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema(S).alterTable('orders', (t) => {
    t.text('source').notNullable().defaultTo('checkout');
    t.text('group_participation_id').nullable().unique();
  });
  await knex.raw(`alter table ??.orders add constraint orders_source_check check (source in ('checkout', 'group'))`, [S]);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table ??.orders drop constraint if exists orders_source_check', [S]);
  await knex.schema.withSchema(S).alterTable('orders', (t) => {
    t.dropColumn('group_participation_id');
    t.dropColumn('source');
  });
}
