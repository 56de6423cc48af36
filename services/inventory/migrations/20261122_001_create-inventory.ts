import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { createEventTables, dropEventTables } from '@fusioncommerce/platform';

const S = 'inventory';

/** The location every shop starts with; receipts without a location go here. */
const DEFAULT_LOCATION_CODE = 'default';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create schema if not exists ??', [S]);

  await knex.schema.withSchema(S).createTable('locations', (t) => {
    t.uuid('id').primary();
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    // Lower is preferred when a reservation chooses where to take stock from.
    t.integer('priority').notNullable().defaultTo(100);
    t.boolean('is_default').notNullable().defaultTo(false);
    t.timestamp('archived_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create unique index locations_one_default_idx on ??.locations (is_default) where is_default', [S]);
  await knex.raw('alter table ??.locations add constraint locations_default_active_check check (not (is_default and archived_at is not null))', [S]);
  await knex.raw('alter table ??.locations add constraint locations_priority_check check (priority between 0 and 10000)', [S]);

  // The SKUs inventory tracks, with their low-stock threshold (null: the service default).
  await knex.schema.withSchema(S).createTable('items', (t) => {
    t.text('sku').primary();
    t.integer('low_stock_threshold').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('alter table ??.items add constraint items_threshold_check check (low_stock_threshold is null or low_stock_threshold >= 0)', [S]);

  await knex.schema.withSchema(S).createTable('stock_levels', (t) => {
    t.text('sku').notNullable().references('sku').inTable(`${S}.items`).onDelete('RESTRICT');
    t.uuid('location_id').notNullable().references('id').inTable(`${S}.locations`).onDelete('RESTRICT');
    t.integer('on_hand').notNullable().defaultTo(0);
    t.integer('reserved').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['sku', 'location_id']);
    t.index(['location_id', 'sku']);
  });
  // The database keeps the invariant even if the code ever got it wrong: nothing
  // negative, and never more reserved than there is (available >= 0).
  await knex.raw(
    `alter table ??.stock_levels
       add constraint stock_levels_on_hand_check check (on_hand >= 0),
       add constraint stock_levels_reserved_check check (reserved >= 0),
       add constraint stock_levels_available_check check (reserved <= on_hand)`,
    [S],
  );

  await knex.schema.withSchema(S).createTable('reservations', (t) => {
    t.uuid('id').primary();
    t.text('reference_kind').notNullable();
    t.text('reference_id').notNullable();
    t.text('status').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('committed_at', { useTz: true }).nullable();
    t.timestamp('released_at', { useTz: true }).nullable();
    t.text('release_reason').nullable();
    // One reservation per reference, ever: reserving again for it returns this one.
    t.unique(['reference_kind', 'reference_id']);
  });
  await knex.raw(
    `alter table ??.reservations
       add constraint reservations_status_check check (status in ('active', 'committed', 'released')),
       add constraint reservations_kind_check check (reference_kind in ('order', 'group_participation')),
       add constraint reservations_release_reason_check check (release_reason is null or release_reason in ('requested', 'expired'))`,
    [S],
  );
  // The expiry sweep's work list: only live reservations, soonest first.
  await knex.raw(`create index reservations_active_expiry_idx on ??.reservations (expires_at, id) where status = 'active'`, [S]);
  await knex.raw('create index reservations_status_id_idx on ??.reservations (status, id desc)', [S]);

  await knex.schema.withSchema(S).createTable('reservation_lines', (t) => {
    t.uuid('reservation_id').notNullable().references('id').inTable(`${S}.reservations`).onDelete('CASCADE');
    t.text('sku').notNullable();
    t.uuid('location_id').notNullable().references('id').inTable(`${S}.locations`).onDelete('RESTRICT');
    t.integer('quantity').notNullable();
    t.primary(['reservation_id', 'sku', 'location_id']);
    t.index(['sku']);
  });
  await knex.raw('alter table ??.reservation_lines add constraint reservation_lines_quantity_check check (quantity > 0)', [S]);

  // Every change to a stock level: who, why, when, by how much, and the levels it left.
  await knex.schema.withSchema(S).createTable('movements', (t) => {
    t.uuid('id').primary();
    t.text('sku').notNullable();
    t.uuid('location_id').notNullable().references('id').inTable(`${S}.locations`).onDelete('RESTRICT');
    t.text('kind').notNullable();
    t.integer('on_hand_delta').notNullable();
    t.integer('reserved_delta').notNullable();
    t.integer('on_hand_after').notNullable();
    t.integer('reserved_after').notNullable();
    t.text('reason').nullable();
    t.text('actor').notNullable();
    t.uuid('reservation_id').nullable();
    t.text('reference').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['sku', 'id']);
    t.index(['location_id', 'id']);
    t.index(['reservation_id']);
  });
  await knex.raw(
    `alter table ??.movements
       add constraint movements_kind_check check (kind in ('receipt', 'adjustment', 'reservation', 'release', 'commit')),
       add constraint movements_levels_check check (on_hand_after >= 0 and reserved_after >= 0 and reserved_after <= on_hand_after)`,
    [S],
  );

  await createEventTables(knex, S);

  await knex(`${S}.locations`).insert({ id: uuidv7(), code: DEFAULT_LOCATION_CODE, name: 'Main warehouse', priority: 0, is_default: true });
}

export async function down(knex: Knex): Promise<void> {
  await dropEventTables(knex, S);
  await knex.schema.withSchema(S).dropTableIfExists('movements');
  await knex.schema.withSchema(S).dropTableIfExists('reservation_lines');
  await knex.schema.withSchema(S).dropTableIfExists('reservations');
  await knex.schema.withSchema(S).dropTableIfExists('stock_levels');
  await knex.schema.withSchema(S).dropTableIfExists('items');
  await knex.schema.withSchema(S).dropTableIfExists('locations');
}
