import type { Knex } from 'knex';

const S = 'orders';

/**
 * Units that placed orders wait for inventory to reserve. A checkout holds
 * them on orders' copy of the stock in its own transaction, so the next
 * checkout sees them gone at once instead of after the saga's round trip: a
 * flash sale's late buyers are refused in milliseconds, and never more orders
 * reach the saga than the stock can fill. The hold ends when inventory
 * answers for the order, or when the order ends first.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema(S).alterTable('stock_levels', (t) => {
    t.integer('held').notNullable().defaultTo(0);
  });
  await knex.raw('alter table ??.stock_levels add constraint stock_levels_held_check check (held >= 0)', [S]);
  await knex.schema.withSchema(S).createTable('stock_holds', (t) => {
    t.uuid('order_id').notNullable().references('id').inTable(`${S}.orders`).onDelete('CASCADE');
    t.text('sku').notNullable();
    t.integer('quantity').notNullable();
    t.primary(['order_id', 'sku']);
  });
  await knex.raw('alter table ??.stock_holds add constraint stock_holds_quantity_check check (quantity > 0)', [S]);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema(S).dropTable('stock_holds');
  await knex.raw('alter table ??.stock_levels drop constraint if exists stock_levels_held_check', [S]);
  await knex.schema.withSchema(S).alterTable('stock_levels', (t) => {
    t.dropColumn('held');
  });
}
