import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollback, migrationStatus } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase, knexCli } from '@fusioncommerce/platform/testing';
import { customersMigrations } from '../src/migrations.ts';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const TABLES = ['accounts', 'addresses', 'one_time_tokens', 'outbox', 'refresh_tokens', 'sessions'];

const tables = async (db: TestDatabase) =>
  (await db.knex('information_schema.tables').where({ table_schema: 'customers' }).pluck('table_name')).sort();

describe.each(BACKENDS)('customers migrations on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => db.close());

  it('when migrated up, down and up again, then the schema is whole each time and the history agrees', async () => {
    const applied = await migrateLatest(db.knex, customersMigrations);
    expect(applied.length).toBeGreaterThan(0);
    expect(await tables(db)).toEqual(expect.arrayContaining(TABLES));
    expect((await migrationStatus(db.knex, customersMigrations)).pending).toEqual([]);

    await migrateRollback(db.knex, customersMigrations, true);
    expect((await tables(db)).filter((t: string) => !t.startsWith('knex_migrations'))).toEqual([]);

    expect(await migrateLatest(db.knex, customersMigrations)).toEqual(applied);
    expect(await migrateLatest(db.knex, customersMigrations)).toEqual([]);
  });

  it('when two accounts differ only in the capitals of their email, then the database refuses the second', async () => {
    const row = (id: string, email: string) => ({ id, email, email_normalized: email.toLowerCase(), password_hash: 'x' });
    await db.knex('customers.accounts').insert(row('01900000-0000-7000-8000-0000000000a1', 'Ann@Shop.example'));
    await expect(db.knex('customers.accounts').insert(row('01900000-0000-7000-8000-0000000000a2', 'ann@shop.example'))).rejects.toMatchObject({ code: '23505' });
    await expect(db.knex('customers.accounts').insert({ ...row('01900000-0000-7000-8000-0000000000a3', 'x@shop.example'), role: 'root' })).rejects.toMatchObject({
      code: '23514',
    });
  });
});

describe('npx knex in services/customers (the deployment guide’s commands)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => db.close());

  const knex = (command: string) => knexCli(serviceDir, db.url as string, command);

  it('when an operator runs migrate:latest, migrate:status and migrate:rollback, then each does what it says', async () => {
    expect(await knex('migrate:status')).toMatch(/Pending Migration/);
    expect(await knex('migrate:latest')).toMatch(/Batch 1 run: 1 migrations/);
    expect(await knex('migrate:status')).toMatch(/No Pending Migration files Found/);
    expect(await tables(db)).toContain('accounts');
    expect(await knex('migrate:rollback')).toMatch(/Batch 1 rolled back/);
    expect(await tables(db)).not.toContain('accounts');
  });
});
