import type { Knex } from 'knex';
import { createEventTables, dropEventTables } from '@fusioncommerce/platform';

const S = 'group_commerce';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create schema if not exists ??', [S]);

  // What group buying knows of the catalog, kept current from catalog events: a deal's SKU and titles come from here.
  await knex.schema.withSchema(S).createTable('catalog_variants', (t) => {
    t.uuid('variant_id').primary();
    t.text('sku').notNullable();
    t.uuid('product_id').notNullable();
    t.text('product_title').notNullable();
    t.text('product_slug').notNullable();
    t.text('variant_title').notNullable();
    t.bigInteger('price_amount').notNullable();
    t.text('currency').notNullable();
    t.boolean('sellable').notNullable();
    t.integer('product_version').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['product_id']);
  });

  await knex.schema.withSchema(S).createTable('deals', (t) => {
    t.uuid('id').primary();
    t.uuid('variant_id').notNullable();
    t.uuid('product_id').notNullable();
    t.text('sku').notNullable();
    t.text('title').notNullable();
    t.text('currency').notNullable();
    // [{ minParticipants, unitPrice }], participants strictly rising, prices strictly falling.
    t.jsonb('tiers').notNullable();
    t.integer('min_group_size').notNullable();
    t.integer('max_group_size').nullable();
    t.integer('group_window_seconds').notNullable();
    t.integer('per_customer_limit').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['variant_id']);
    t.index(['product_id']);
  });
  await knex.raw(`alter table ??.deals add constraint deals_status_check check (status in ('active', 'archived'))`, [S]);
  await knex.raw(
    `alter table ??.deals add constraint deals_sizes_check check (min_group_size >= 1 and (max_group_size is null or max_group_size >= min_group_size) and per_customer_limit >= 1 and group_window_seconds >= 1 and ends_at > starts_at)`,
    [S],
  );
  await knex.raw('create index deals_created_idx on ??.deals (created_at desc, id desc)', [S]);

  await knex.schema.withSchema(S).createTable('groups', (t) => {
    t.uuid('id').primary();
    t.uuid('deal_id').notNullable().references('id').inTable(`${S}.deals`);
    t.text('share_code').notNullable().unique();
    t.text('status').notNullable().defaultTo('open');
    t.text('started_by').notNullable();
    // Seats taken (members plus joins still waiting for stock and payment) and members (stock held, payment authorized).
    t.integer('seats').notNullable().defaultTo(0);
    t.integer('members').notNullable().defaultTo(0);
    t.timestamp('deadline_at', { useTz: true }).notNullable();
    t.bigInteger('final_unit_price').nullable();
    t.text('close_reason').nullable();
    t.timestamp('settled_at', { useTz: true }).nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['deal_id', 'status']);
  });
  await knex.raw(`alter table ??.groups add constraint groups_status_check check (status in ('open', 'succeeded', 'failed'))`, [S]);
  await knex.raw('alter table ??.groups add constraint groups_counts_check check (members >= 0 and seats >= members)', [S]);
  await knex.raw('create index groups_created_idx on ??.groups (created_at desc, id desc)', [S]);

  await knex.schema.withSchema(S).createTable('participations', (t) => {
    t.uuid('id').primary();
    t.uuid('group_id').notNullable().references('id').inTable(`${S}.groups`);
    t.uuid('deal_id').notNullable().references('id').inTable(`${S}.deals`);
    t.text('customer_id').notNullable();
    t.text('email').notNullable();
    t.integer('quantity').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('authorized_unit_price').notNullable();
    t.bigInteger('authorized_amount').notNullable();
    t.bigInteger('final_unit_price').nullable();
    t.bigInteger('final_amount').nullable();
    t.text('status').notNullable();
    t.text('stock_state').notNullable();
    t.text('payment_state').notNullable();
    t.text('payment_id').nullable();
    // Held only until the payment is requested; a provider token, never stored afterwards.
    t.text('payment_method').nullable();
    t.jsonb('shipping_address').notNullable();
    t.text('reason').nullable();
    t.text('idempotency_key').nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['customer_id', 'idempotency_key']);
    t.index(['group_id', 'status']);
    t.index(['deal_id', 'customer_id']);
  });
  await knex.raw(
    `alter table ??.participations add constraint participations_status_check check (status in ('pending', 'active', 'left', 'failed', 'confirmed', 'completed'))`,
    [S],
  );
  await knex.raw('alter table ??.participations add constraint participations_money_check check (quantity >= 1 and final_amount <= authorized_amount)', [S]);
  // A customer holds at most one live seat per group, whatever races.
  await knex.raw(
    `create unique index participations_one_live_seat_idx on ??.participations (group_id, customer_id) where status in ('pending', 'active', 'confirmed', 'completed')`,
    [S],
  );
  await knex.raw('create index participations_customer_idx on ??.participations (customer_id, created_at desc, id desc)', [S]);

  // One row per (deal, customer): locked while a join checks the per-customer limit, so one customer's joins queue up.
  await knex.schema.withSchema(S).createTable('deal_customers', (t) => {
    t.uuid('deal_id').notNullable().references('id').inTable(`${S}.deals`);
    t.text('customer_id').notNullable();
    t.primary(['deal_id', 'customer_id']);
  });

  // The durable schedule: one deadline per group, claimed with FOR UPDATE SKIP LOCKED and marked fired in the
  // transaction that settles the group, so it fires once, in whichever process gets it, after any restart.
  await knex.schema.withSchema(S).createTable('deadlines', (t) => {
    t.uuid('group_id').primary().references('id').inTable(`${S}.groups`);
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.timestamp('fired_at', { useTz: true }).nullable();
    t.text('outcome').nullable();
  });
  await knex.raw('create index deadlines_due_idx on ??.deadlines (due_at) where fired_at is null', [S]);

  await createEventTables(knex, S);
}

export async function down(knex: Knex): Promise<void> {
  await dropEventTables(knex, S);
  await knex.schema.withSchema(S).dropTableIfExists('deadlines');
  await knex.schema.withSchema(S).dropTableIfExists('deal_customers');
  await knex.schema.withSchema(S).dropTableIfExists('participations');
  await knex.schema.withSchema(S).dropTableIfExists('groups');
  await knex.schema.withSchema(S).dropTableIfExists('deals');
  await knex.schema.withSchema(S).dropTableIfExists('catalog_variants');
}
