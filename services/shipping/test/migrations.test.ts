import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollback, migrationStatus } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, knexCli, type TestDatabase } from '@fusioncommerce/platform/testing';
import { shippingMigrations } from '../src/migrations.ts';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const TABLES = ['dead_letters', 'inbox', 'options', 'outbox', 'shipments'];

const tables = async (db: TestDatabase) =>
  (await db.knex('information_schema.tables').where({ table_schema: 'shipping' }).pluck('table_name')).sort();

describe.each(BACKENDS)('shipping migrations on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => db.close());

  it('when migrated up, down and up again, then the schema is whole each time', async () => {
    const applied = await migrateLatest(db.knex, shippingMigrations);
    expect(applied.length).toBeGreaterThan(0);
    expect(await tables(db)).toEqual(expect.arrayContaining(TABLES));
    await migrateRollback(db.knex, shippingMigrations, true);
    expect(await tables(db)).toEqual(['knex_migrations', 'knex_migrations_lock']);
    expect((await migrationStatus(db.knex, shippingMigrations)).applied).toEqual([]);
    expect(await migrateLatest(db.knex, shippingMigrations)).toEqual(applied);
  });

  it('when code got it wrong, then the database refuses a shipped shipment without tracking and a second first shipment of an order', async () => {
    await migrateLatest(db.knex, shippingMigrations);
    const row = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      order_id: '01900000-0000-7000-8000-000000000001',
      order_number: 'FC-1',
      email: 'a@example.test',
      status: 'pending',
      lines: '[]',
      created_at: new Date(),
      updated_at: new Date(),
      ...extra,
    });
    await db.knex('shipping.shipments').insert(row('01900000-0000-7000-8000-0000000000a1'));
    await expect(db.knex('shipping.shipments').insert(row('01900000-0000-7000-8000-0000000000a2'))).rejects.toThrow(/shipments_one_per_order_idx/);
    await expect(
      db.knex('shipping.shipments').insert(row('01900000-0000-7000-8000-0000000000a3', { status: 'shipped', split_from: '01900000-0000-7000-8000-0000000000a1' })),
    ).rejects.toThrow(/shipments_tracking_check/);
  });
});

describe('npx knex in services/shipping (the deployment guide’s commands)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => db.close());

  const knex = (command: string) => knexCli(serviceDir, db.url as string, command);

  it('when an operator runs migrate:latest, migrate:status and migrate:rollback, then each does what it says', async () => {
    expect(await knex('migrate:status')).toMatch(/Pending Migration/);
    expect(await knex('migrate:latest')).toMatch(/Batch 1 run: \d+ migrations/);
    expect(await knex('migrate:status')).toMatch(/No Pending Migration files Found/);
    expect(await tables(db)).toContain('shipments');
    expect(await knex('migrate:rollback')).toMatch(/Batch 1 rolled back/);
    expect(await tables(db)).not.toContain('shipments');
  }, 180_000);
});
