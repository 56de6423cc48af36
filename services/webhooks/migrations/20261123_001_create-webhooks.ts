import type { Knex } from 'knex';
import { createEventTables, dropEventTables } from '@fusioncommerce/platform';

const S = 'webhooks';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create schema if not exists ??', [S]);

  // Who wants which events, and the secret deliveries are signed with (kept readable: signing needs it; the API shows it only once).
  await knex.schema.withSchema(S).createTable('subscriptions', (t) => {
    t.uuid('id').primary();
    t.text('url').notNullable();
    t.jsonb('event_types').notNullable();
    t.text('description').nullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.text('secret').notNullable();
    // After a rotation the old secret still signs (next to the new one) until it expires, so receivers can switch over.
    t.text('previous_secret').nullable();
    t.timestamp('previous_secret_expires_at', { useTz: true }).nullable();
    t.timestamp('secret_rotated_at', { useTz: true }).nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw('create index subscriptions_active_idx on ??.subscriptions (active)', [S]);

  // One row per event per subscription: the unit that is sent, retried, logged and replayed.
  await knex.schema.withSchema(S).createTable('deliveries', (t) => {
    t.uuid('id').primary();
    t.uuid('subscription_id').notNullable().references('id').inTable(`${S}.subscriptions`).onDelete('CASCADE');
    t.text('event_id').notNullable();
    t.text('event_type').notNullable();
    // The request body exactly as it is sent (and signed), the same on every attempt.
    t.text('payload').notNullable();
    t.text('status').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('replays').notNullable().defaultTo(0);
    // When pending: when it is due. When delivering: when the claim lapses (a worker that died mid-attempt).
    t.timestamp('next_attempt_at', { useTz: true }).nullable();
    t.timestamp('last_attempt_at', { useTz: true }).nullable();
    t.integer('last_response_status').nullable();
    t.text('last_error').nullable();
    t.integer('last_duration_ms').nullable();
    t.timestamp('delivered_at', { useTz: true }).nullable();
    t.timestamp('failed_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw(`alter table ??.deliveries add constraint deliveries_status_check check (status in ('pending', 'delivering', 'delivered', 'failed'))`, [S]);
  await knex.raw(`alter table ??.deliveries add constraint deliveries_due_check check (status not in ('pending', 'delivering') or next_attempt_at is not null)`, [S]);
  // One delivery per event and subscription, however often the event arrives.
  await knex.raw('create unique index deliveries_event_subscription_idx on ??.deliveries (subscription_id, event_id)', [S]);
  // What the worker claims: due rows only, oldest due first.
  await knex.raw(`create index deliveries_due_idx on ??.deliveries (next_attempt_at) where status in ('pending', 'delivering')`, [S]);
  await knex.raw('create index deliveries_subscription_idx on ??.deliveries (subscription_id, id desc)', [S]);
  await knex.raw(`create index deliveries_finished_idx on ??.deliveries (updated_at) where status in ('delivered', 'failed')`, [S]);

  // Every attempt, for the log an admin reads when a receiver misbehaves.
  await knex.schema.withSchema(S).createTable('delivery_attempts', (t) => {
    t.uuid('id').primary();
    t.uuid('delivery_id').notNullable().references('id').inTable(`${S}.deliveries`).onDelete('CASCADE');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.integer('duration_ms').notNullable();
    t.integer('response_status').nullable();
    t.text('error').nullable();
    t.text('outcome').notNullable();
  });
  await knex.raw(`alter table ??.delivery_attempts add constraint delivery_attempts_outcome_check check (outcome in ('delivered', 'retrying', 'failed'))`, [S]);
  await knex.raw('create index delivery_attempts_delivery_idx on ??.delivery_attempts (delivery_id, started_at)', [S]);

  await createEventTables(knex, S);
}

export async function down(knex: Knex): Promise<void> {
  await dropEventTables(knex, S);
  await knex.schema.withSchema(S).dropTableIfExists('delivery_attempts');
  await knex.schema.withSchema(S).dropTableIfExists('deliveries');
  await knex.schema.withSchema(S).dropTableIfExists('subscriptions');
}
