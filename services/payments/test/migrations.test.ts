import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollback, migrationStatus } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { paymentsMigrations } from '../src/migrations.ts';

const tables = async (db: TestDatabase) => (await db.knex('information_schema.tables').where({ table_schema: 'payments' }).pluck('table_name')).sort();

describe.each(BACKENDS)('payments migrations on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => db.close());

  it('when migrated up, down and up again, then the schema is whole each time', async () => {
    await migrateLatest(db.knex, paymentsMigrations);
    expect(await tables(db)).toEqual(
      expect.arrayContaining(['payment_intents', 'payment_attempts', 'payment_transitions', 'idempotency_keys', 'webhook_events', 'outbox']),
    );
    expect((await migrationStatus(db.knex, paymentsMigrations)).pending).toEqual([]);
    await migrateRollback(db.knex, paymentsMigrations, true);
    expect(await tables(db)).toEqual(['knex_migrations', 'knex_migrations_lock']);
    await migrateLatest(db.knex, paymentsMigrations);
    expect(await tables(db)).toContain('payment_intents');
  });

  it('when a row would break the money rules, then the database itself refuses it', async () => {
    const row = {
      id: '01900000-0000-7000-8000-000000000001',
      reference_kind: 'order',
      reference_id: 'o-1',
      currency: 'USD',
      amount: 1000,
      status: 'captured',
      authorized_amount: 1000,
      captured_amount: 1000,
      refunded_amount: 1001,
      provider: 'test',
      client_secret: 's',
      created_by: 'test',
    };
    await expect(db.knex('payments.payment_intents').insert(row)).rejects.toThrow(/payment_intents_amounts_check/);
    await expect(db.knex('payments.payment_intents').insert({ ...row, refunded_amount: 0, captured_amount: 1001 })).rejects.toThrow(/payment_intents_amounts_check/);
    await expect(db.knex('payments.payment_intents').insert({ ...row, refunded_amount: 0, status: 'paid' })).rejects.toThrow(/payment_intents_status_check/);
  });
});
