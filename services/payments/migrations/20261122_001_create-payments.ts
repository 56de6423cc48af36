import type { Knex } from 'knex';
import { createEventTables, dropEventTables } from '@fusioncommerce/platform';

const S = 'payments';

const STATUSES = ['requires_payment_method', 'requires_action', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create schema if not exists ??', [S]);

  await knex.schema.withSchema(S).createTable('payment_intents', (t) => {
    t.uuid('id').primary();
    t.text('reference_kind').notNullable();
    t.text('reference_id').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('status').notNullable();
    t.bigInteger('authorized_amount').notNullable().defaultTo(0);
    t.bigInteger('captured_amount').notNullable().defaultTo(0);
    t.bigInteger('refunded_amount').notNullable().defaultTo(0);
    t.text('provider').notNullable();
    t.text('provider_ref').nullable();
    t.jsonb('payment_method').nullable();
    t.jsonb('next_action').nullable();
    t.text('failure_code').nullable();
    t.text('failure_message').nullable();
    t.text('client_secret').notNullable();
    t.text('created_by').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // The database keeps the money invariants even if the code ever got them wrong.
  await knex.raw(
    `alter table ??.payment_intents
       add constraint payment_intents_status_check check (status in (${STATUSES.map((s) => `'${s}'`).join(', ')})),
       add constraint payment_intents_kind_check check (reference_kind in ('order', 'group_participation')),
       add constraint payment_intents_amounts_check check (
         amount > 0 and authorized_amount >= 0 and authorized_amount <= amount
         and captured_amount >= 0 and captured_amount <= authorized_amount
         and refunded_amount >= 0 and refunded_amount <= captured_amount)`,
    [S],
  );
  // One live payment per order or participation: a second checkout cannot charge twice.
  await knex.raw(
    `create unique index payment_intents_live_reference_idx on ??.payment_intents (reference_kind, reference_id) where status <> 'voided'`,
    [S],
  );
  await knex.raw('create index payment_intents_status_idx on ??.payment_intents (status, id desc)', [S]);
  await knex.raw('create unique index payment_intents_provider_ref_idx on ??.payment_intents (provider, provider_ref) where provider_ref is not null', [S]);

  // Every call made to a provider, with the idempotency key it carried: the history, and how a retry resumes.
  await knex.schema.withSchema(S).createTable('payment_attempts', (t) => {
    t.uuid('id').primary();
    t.uuid('payment_id').notNullable().references('id').inTable(`${S}.payment_intents`).onDelete('CASCADE');
    t.text('operation').notNullable();
    t.integer('seq').notNullable();
    t.text('status').notNullable();
    t.bigInteger('amount').nullable();
    t.text('provider_key').notNullable().unique();
    t.text('provider_ref').nullable();
    t.text('request_key').nullable();
    t.text('payment_method').nullable();
    t.text('reason').nullable();
    t.text('failure_code').nullable();
    t.text('failure_message').nullable();
    t.text('last_error').nullable();
    t.integer('tries').notNullable().defaultTo(0);
    t.text('actor').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true }).nullable();
    t.unique(['payment_id', 'operation', 'seq']);
    t.index(['payment_id', 'request_key']);
  });
  await knex.raw(
    `alter table ??.payment_attempts
       add constraint payment_attempts_operation_check check (operation in ('authorize', 'confirm', 'capture', 'void', 'refund')),
       add constraint payment_attempts_status_check check (status in ('pending', 'succeeded', 'failed', 'requires_action'))`,
    [S],
  );
  await knex.raw(`create index payment_attempts_pending_idx on ??.payment_attempts (payment_id, created_at) where status = 'pending'`, [S]);

  await knex.schema.withSchema(S).createTable('payment_transitions', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('payment_id').notNullable().references('id').inTable(`${S}.payment_intents`).onDelete('CASCADE');
    t.text('from_status').nullable();
    t.text('to_status').notNullable();
    t.bigInteger('amount').notNullable().defaultTo(0);
    t.uuid('attempt_id').nullable();
    t.text('source').notNullable();
    t.text('actor').notNullable();
    t.text('reason').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['payment_id', 'id']);
  });

  await knex.schema.withSchema(S).createTable('idempotency_keys', (t) => {
    t.text('scope').notNullable();
    t.text('key').notNullable();
    t.text('fingerprint').notNullable();
    t.text('state').notNullable();
    t.integer('response_status').nullable();
    t.jsonb('response_body').nullable();
    t.jsonb('response_headers').nullable();
    t.timestamp('locked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true }).nullable();
    t.primary(['scope', 'key']);
  });
  await knex.raw(`alter table ??.idempotency_keys add constraint idempotency_keys_state_check check (state in ('in_progress', 'completed'))`, [S]);

  await knex.schema.withSchema(S).createTable('webhook_events', (t) => {
    t.text('id').primary();
    t.text('provider').notNullable();
    t.text('type').notNullable();
    t.uuid('payment_id').nullable();
    t.text('outcome').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await createEventTables(knex, S);
}

export async function down(knex: Knex): Promise<void> {
  await dropEventTables(knex, S);
  for (const table of ['webhook_events', 'idempotency_keys', 'payment_transitions', 'payment_attempts', 'payment_intents']) {
    await knex.schema.withSchema(S).dropTableIfExists(table);
  }
}
