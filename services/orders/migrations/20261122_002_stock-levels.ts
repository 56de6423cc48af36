import type { Knex } from 'knex';

const S = 'orders';

/** What orders knows of inventory's stock, kept current from `inventory.stock.availability_changed`: carts show it, reserving decides. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema(S).createTable('stock_levels', (t) => {
    t.text('sku').primary();
    t.integer('available').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema(S).dropTable('stock_levels');
}
