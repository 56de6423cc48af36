import type { Knex } from 'knex';

const S = 'orders';

/**
 * Shipping in carts and orders: a cart's destination country and chosen
 * option; an order's snapshot of the option it paid for and its shipments'
 * tracking; and orders' replica of the shipping options, kept current from
 * `shipping.option.changed`, to price carts with.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema(S).createTable('shipping_options', (t) => {
    t.uuid('option_id').primary();
    t.text('name').notNullable();
    t.text('description').nullable();
    t.text('carrier').notNullable();
    t.integer('estimated_min_days').nullable();
    t.integer('estimated_max_days').nullable();
    t.jsonb('rules').notNullable();
    t.text('status').notNullable();
    t.integer('version').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.withSchema(S).alterTable('carts', (t) => {
    t.text('shipping_country').nullable();
    t.uuid('shipping_option_id').nullable();
  });
  await knex.schema.withSchema(S).alterTable('orders', (t) => {
    t.jsonb('shipping_option').nullable();
    t.jsonb('shipments').notNullable().defaultTo('[]');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema(S).alterTable('orders', (t) => {
    t.dropColumn('shipments');
    t.dropColumn('shipping_option');
  });
  await knex.schema.withSchema(S).alterTable('carts', (t) => {
    t.dropColumn('shipping_option_id');
    t.dropColumn('shipping_country');
  });
  await knex.schema.withSchema(S).dropTable('shipping_options');
}
