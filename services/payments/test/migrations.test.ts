import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { migrationSuites } from '../../../test/support/migration-suites.ts';
import { paymentsMigrations } from '../src/migrations.ts';

migrationSuites({
  service: 'payments',
  migrations: paymentsMigrations,
  serviceDir: fileURLToPath(new URL('..', import.meta.url)),
  tables: ['payment_intents', 'payment_attempts', 'payment_transitions', 'idempotency_keys', 'webhook_events', 'outbox'],
});

describe.each(BACKENDS)('payments schema constraints on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await migrateLatest(db.knex, paymentsMigrations);
  });
  afterAll(async () => db.close());

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
