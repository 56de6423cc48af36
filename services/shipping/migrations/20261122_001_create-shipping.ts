import type { Knex } from 'knex';
import { createEventTables, dropEventTables } from '@fusioncommerce/platform';

const S = 'shipping';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create schema if not exists ??', [S]);

  // What a shop offers: the rules (countries, currency, rate, free-above, minimum) are one document, priced by @fusioncommerce/contracts.
  await knex.schema.withSchema(S).createTable('options', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable();
    t.text('description').nullable();
    t.text('carrier').notNullable();
    t.integer('estimated_min_days').nullable();
    t.integer('estimated_max_days').nullable();
    t.jsonb('rules').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('archived_at', { useTz: true }).nullable();
  });
  await knex.raw(
    `alter table ??.options
       add constraint options_status_check check (status in ('active', 'archived')),
       add constraint options_days_check check (estimated_min_days is null or (estimated_min_days >= 0 and estimated_max_days >= estimated_min_days))`,
    [S],
  );
  await knex.raw('create index options_status_idx on ??.options (status, created_at, id)', [S]);

  await knex.schema.withSchema(S).createTable('shipments', (t) => {
    t.uuid('id').primary();
    t.uuid('order_id').notNullable();
    t.text('order_number').notNullable();
    t.text('customer_id').nullable();
    t.text('email').notNullable();
    t.text('status').notNullable();
    t.jsonb('lines').notNullable();
    t.jsonb('address').notNullable().defaultTo('{}');
    // The option the shopper chose and paid for, as the order snapshotted it.
    t.jsonb('shipping_option').nullable();
    // The part of an earlier shipment this one was split from when that one shipped partly.
    t.uuid('split_from').nullable();
    t.text('carrier').nullable();
    t.text('carrier_name').nullable();
    t.text('tracking_number').nullable();
    t.text('tracking_url').nullable();
    // Orders said "capture at shipment" when it confirmed the order: the first shipment to ship asks payments to capture.
    t.boolean('capture_on_shipment').notNullable().defaultTo(false);
    t.text('payment_id').nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('packed_at', { useTz: true }).nullable();
    t.timestamp('shipped_at', { useTz: true }).nullable();
    t.timestamp('delivered_at', { useTz: true }).nullable();
    t.timestamp('cancelled_at', { useTz: true }).nullable();
  });
  await knex.raw(`alter table ??.shipments add constraint shipments_status_check check (status in ('pending', 'packed', 'shipped', 'delivered', 'cancelled'))`, [S]);
  await knex.raw(
    `alter table ??.shipments add constraint shipments_tracking_check check (status not in ('shipped', 'delivered') or (carrier is not null and tracking_number is not null and shipped_at is not null))`,
    [S],
  );
  // One first shipment per order, whatever is redelivered: its confirmation creates it once.
  await knex.raw('create unique index shipments_one_per_order_idx on ??.shipments (order_id) where split_from is null', [S]);
  await knex.raw('create index shipments_order_idx on ??.shipments (order_id, created_at)', [S]);
  await knex.raw('create index shipments_created_idx on ??.shipments (created_at desc, id desc)', [S]);
  await knex.raw('create index shipments_status_created_idx on ??.shipments (status, created_at desc, id desc)', [S]);
  await knex.raw('create index shipments_customer_created_idx on ??.shipments (customer_id, created_at desc, id desc)', [S]);

  await createEventTables(knex, S);
}

export async function down(knex: Knex): Promise<void> {
  await dropEventTables(knex, S);
  await knex.schema.withSchema(S).dropTableIfExists('shipments');
  await knex.schema.withSchema(S).dropTableIfExists('options');
}
