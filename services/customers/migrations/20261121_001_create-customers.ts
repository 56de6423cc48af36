import type { Knex } from 'knex';
import { createEventTables, dropEventTables } from '@fusioncommerce/platform';

const S = 'customers';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('create schema if not exists ??', [S]);
  await createEventTables(knex, S);

  await knex.schema.withSchema(S).createTable('accounts', (t) => {
    t.uuid('id').primary();
    t.text('email').notNullable();
    // Lower-cased and trimmed: one account per mailbox, whatever the capitals.
    t.text('email_normalized').notNullable().unique();
    t.text('name').notNullable().defaultTo('');
    t.text('phone').nullable();
    t.text('role').notNullable().defaultTo('customer');
    t.text('password_hash').notNullable();
    t.timestamp('email_verified_at', { useTz: true }).nullable();
    t.timestamp('last_sign_in_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table ??.accounts add constraint accounts_role_check check (role in ('customer', 'admin'))`, [S]);
  await knex.raw('create index accounts_role_idx on ??.accounts (role, id)', [S]);

  // A session is a family of refresh tokens: each refresh rotates the token; a
  // rotated token presented again revokes the whole family.
  await knex.schema.withSchema(S).createTable('sessions', (t) => {
    t.uuid('id').primary();
    t.uuid('customer_id').notNullable().references('id').inTable(`${S}.accounts`).onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.text('revoked_reason').nullable();
    t.index(['customer_id']);
  });

  await knex.schema.withSchema(S).createTable('refresh_tokens', (t) => {
    t.uuid('id').primary();
    t.uuid('session_id').notNullable().references('id').inTable(`${S}.sessions`).onDelete('CASCADE');
    // SHA-256 of the token: the token itself is never stored.
    t.text('token_hash').notNullable().unique();
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('rotated_at', { useTz: true }).nullable();
    t.index(['session_id']);
  });

  // Password reset, email verification and invitation tokens: hashed, expiring, single use.
  await knex.schema.withSchema(S).createTable('one_time_tokens', (t) => {
    t.uuid('id').primary();
    t.text('purpose').notNullable();
    t.text('token_hash').notNullable().unique();
    t.uuid('customer_id').nullable().references('id').inTable(`${S}.accounts`).onDelete('CASCADE');
    t.text('email').notNullable();
    t.text('role').nullable();
    t.uuid('created_by').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true }).nullable();
    t.index(['customer_id', 'purpose']);
  });
  await knex.raw(
    `alter table ??.one_time_tokens add constraint one_time_tokens_purpose_check check (purpose in ('password_reset', 'email_verification', 'invitation'))`,
    [S],
  );

  await knex.schema.withSchema(S).createTable('addresses', (t) => {
    t.uuid('id').primary();
    t.uuid('customer_id').notNullable().references('id').inTable(`${S}.accounts`).onDelete('CASCADE');
    t.text('label').nullable();
    t.text('name').notNullable();
    t.text('company').nullable();
    t.text('line1').notNullable();
    t.text('line2').nullable();
    t.text('city').notNullable();
    t.text('region').nullable();
    t.text('postal_code').notNullable();
    t.text('country').notNullable();
    t.text('phone').nullable();
    t.boolean('is_default_shipping').notNullable().defaultTo(false);
    t.boolean('is_default_billing').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['customer_id', 'id']);
  });
  await knex.raw('create unique index addresses_default_shipping_idx on ??.addresses (customer_id) where is_default_shipping', [S]);
  await knex.raw('create unique index addresses_default_billing_idx on ??.addresses (customer_id) where is_default_billing', [S]);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema(S).dropTableIfExists('addresses');
  await knex.schema.withSchema(S).dropTableIfExists('one_time_tokens');
  await knex.schema.withSchema(S).dropTableIfExists('refresh_tokens');
  await knex.schema.withSchema(S).dropTableIfExists('sessions');
  await knex.schema.withSchema(S).dropTableIfExists('accounts');
  await dropEventTables(knex, S);
}
