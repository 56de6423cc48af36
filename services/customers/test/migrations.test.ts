import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { migrationSuites } from '../../../test/support/migration-suites.ts';
import { customersMigrations } from '../src/migrations.ts';

migrationSuites({
  service: 'customers',
  migrations: customersMigrations,
  serviceDir: fileURLToPath(new URL('..', import.meta.url)),
  tables: ['accounts', 'addresses', 'one_time_tokens', 'outbox', 'refresh_tokens', 'sessions'],
});

describe.each(BACKENDS)('customers schema constraints on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await migrateLatest(db.knex, customersMigrations);
  });
  afterAll(async () => db.close());

  it('when two accounts differ only in the capitals of their email, then the database refuses the second', async () => {
    const row = (id: string, email: string) => ({ id, email, email_normalized: email.toLowerCase(), password_hash: 'x' });
    await db.knex('customers.accounts').insert(row('01900000-0000-7000-8000-0000000000a1', 'Ann@Shop.example'));
    await expect(db.knex('customers.accounts').insert(row('01900000-0000-7000-8000-0000000000a2', 'ann@shop.example'))).rejects.toMatchObject({ code: '23505' });
    await expect(db.knex('customers.accounts').insert({ ...row('01900000-0000-7000-8000-0000000000a3', 'x@shop.example'), role: 'root' })).rejects.toMatchObject({
      code: '23514',
    });
  });
});
