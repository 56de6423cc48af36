import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollback, migrationStatus } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase, knexCli } from '@fusioncommerce/platform/testing';
import { inventoryMigrations } from '../src/migrations.ts';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const TABLES = ['dead_letters', 'inbox', 'items', 'locations', 'movements', 'outbox', 'reservation_lines', 'reservations', 'stock_levels'];

const tables = async (db: TestDatabase) =>
  (await db.knex('information_schema.tables').where({ table_schema: 'inventory' }).pluck('table_name')).sort();

describe.each(BACKENDS)('inventory migrations on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => db.close());

  it('when migrated up, down and up again, then the schema is whole each time with its default location', async () => {
    const applied = await migrateLatest(db.knex, inventoryMigrations);
    expect(applied.length).toBeGreaterThan(0);
    expect(await tables(db)).toEqual(expect.arrayContaining(TABLES));
    expect(await db.knex('inventory.locations').where({ is_default: true }).pluck('code')).toEqual(['default']);

    await migrateRollback(db.knex, inventoryMigrations, true);
    expect(await tables(db)).toEqual(['knex_migrations', 'knex_migrations_lock']);
    expect((await migrationStatus(db.knex, inventoryMigrations)).applied).toEqual([]);

    expect(await migrateLatest(db.knex, inventoryMigrations)).toEqual(applied);
    expect(await migrateLatest(db.knex, inventoryMigrations)).toEqual([]);
  });

  it('when code got the arithmetic wrong, then the database itself refuses negative or over-reserved stock', async () => {
    await migrateLatest(db.knex, inventoryMigrations);
    const location = await db.knex('inventory.locations').where({ is_default: true }).first<{ id: string }>('id');
    await db.knex('inventory.items').insert({ sku: 'CHECKED-1' });
    const level = { sku: 'CHECKED-1', location_id: location.id };
    await expect(db.knex('inventory.stock_levels').insert({ ...level, on_hand: -1, reserved: 0 })).rejects.toThrow(/check constraint "stock_levels_\w+_check"/);
    await expect(db.knex('inventory.stock_levels').insert({ ...level, on_hand: 1, reserved: 2 })).rejects.toThrow(/stock_levels_available_check/);
    await expect(db.knex('inventory.stock_levels').insert({ ...level, on_hand: 1, reserved: -1 })).rejects.toThrow(/check constraint "stock_levels_reserved_check"/);
    await expect(db.knex('inventory.locations').insert({ id: '01900000-0000-7000-8000-0000000000aa', code: 'second-default', name: 'x', is_default: true })).rejects.toThrow(
      /locations_one_default_idx/,
    );
  });
});

describe('npx knex in services/inventory (the deployment guide’s commands)', () => {
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
    expect(await tables(db)).toContain('stock_levels');
    expect(await knex('migrate:rollback')).toMatch(/Batch 1 rolled back/);
    expect(await tables(db)).not.toContain('stock_levels');
  }, 180_000); // five CLI processes, each loading TypeScript: slow on a busy machine
});
