import type { Knex } from 'knex';
import { createEventTables, dropEventTables } from '@fusioncommerce/platform';

const S = 'orders';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create schema if not exists ??', [S]);

  // What orders knows of the catalog, kept current from catalog events: prices are taken from here, never from clients.
  await knex.schema.withSchema(S).createTable('catalog_variants', (t) => {
    t.uuid('variant_id').primary();
    t.text('sku').notNullable();
    t.uuid('product_id').notNullable();
    t.text('product_title').notNullable();
    t.text('product_slug').notNullable();
    t.text('variant_title').notNullable();
    t.bigInteger('price_amount').notNullable();
    t.text('currency').notNullable();
    t.integer('weight_grams').notNullable();
    t.boolean('sellable').notNullable();
    t.integer('product_version').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['product_id']);
    t.index(['sku']);
  });

  await knex.schema.withSchema(S).createTable('carts', (t) => {
    t.uuid('id').primary();
    t.text('customer_id').nullable();
    t.text('status').notNullable().defaultTo('active');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table ??.carts add constraint carts_status_check check (status in ('active', 'merged', 'completed'))`, [S]);
  await knex.raw(`create index carts_customer_active_idx on ??.carts (customer_id) where status = 'active'`, [S]);

  await knex.schema.withSchema(S).createTable('cart_lines', (t) => {
    t.uuid('id').primary();
    t.uuid('cart_id').notNullable().references('id').inTable(`${S}.carts`).onDelete('CASCADE');
    t.uuid('variant_id').notNullable();
    t.integer('quantity').notNullable();
    t.integer('position').notNullable();
    t.unique(['cart_id', 'variant_id']);
  });
  await knex.raw('alter table ??.cart_lines add constraint cart_lines_quantity_check check (quantity between 1 and 99)', [S]);

  await knex.raw('create sequence ??.order_number_seq start 100001', [S]);
  await knex.schema.withSchema(S).createTable('orders', (t) => {
    t.uuid('id').primary();
    t.text('number').notNullable().unique();
    t.uuid('cart_id').nullable();
    t.text('customer_id').nullable();
    t.text('email').notNullable();
    t.text('currency').notNullable();
    t.jsonb('lines').notNullable();
    t.bigInteger('subtotal').notNullable();
    t.bigInteger('shipping_total').notNullable().defaultTo(0);
    t.bigInteger('total').notNullable();
    t.jsonb('shipping_address').notNullable();
    t.text('status').notNullable();
    t.text('stock_state').notNullable();
    t.text('payment_state').notNullable();
    t.text('payment_id').nullable();
    // Held only until the payment is requested; a provider token, never stored afterwards.
    t.text('payment_method').nullable();
    t.bigInteger('refunded').notNullable().defaultTo(0);
    t.text('reason').nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.text('idempotency_key').nullable().unique();
    t.text('request_hash').nullable();
    t.timestamp('placed_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    `alter table ??.orders add constraint orders_status_check check (status in ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled', 'refunded', 'partially_refunded'))`,
    [S],
  );
  await knex.raw('alter table ??.orders add constraint orders_money_check check (subtotal >= 0 and total >= 0 and refunded >= 0 and refunded <= total)', [S]);
  // One checkout at a time per cart.
  await knex.raw(`create unique index orders_one_pending_per_cart_idx on ??.orders (cart_id) where status = 'pending'`, [S]);
  await knex.raw('create index orders_status_placed_idx on ??.orders (status, placed_at desc, id desc)', [S]);
  await knex.raw('create index orders_placed_idx on ??.orders (placed_at desc, id desc)', [S]);
  await knex.raw('create index orders_customer_placed_idx on ??.orders (customer_id, placed_at desc, id desc)', [S]);
  await knex.raw(`create index orders_pending_idx on ??.orders (placed_at) where status = 'pending'`, [S]);

  await knex.schema.withSchema(S).createTable('order_timeline', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('order_id').notNullable().references('id').inTable(`${S}.orders`).onDelete('CASCADE');
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('type').notNullable();
    t.text('status').notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    t.index(['order_id', 'id']);
  });

  await createEventTables(knex, S);
}

export async function down(knex: Knex): Promise<void> {
  await dropEventTables(knex, S);
  await knex.schema.withSchema(S).dropTableIfExists('order_timeline');
  await knex.schema.withSchema(S).dropTableIfExists('orders');
  await knex.raw('drop sequence if exists ??.order_number_seq', [S]);
  await knex.schema.withSchema(S).dropTableIfExists('cart_lines');
  await knex.schema.withSchema(S).dropTableIfExists('carts');
  await knex.schema.withSchema(S).dropTableIfExists('catalog_variants');
}
