import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { migrationSuites } from '../../../test/support/migration-suites.ts';
import { inventoryMigrations } from '../src/migrations.ts';

migrationSuites({
  service: 'inventory',
  migrations: inventoryMigrations,
  serviceDir: fileURLToPath(new URL('..', import.meta.url)),
  tables: ['dead_letters', 'inbox', 'items', 'locations', 'movements', 'outbox', 'reservation_lines', 'reservations', 'stock_levels'],
  afterUp: async (db) => expect(await db.knex('inventory.locations').where({ is_default: true }).pluck('code')).toEqual(['default']),
});

describe.each(BACKENDS)('inventory schema constraints on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await migrateLatest(db.knex, inventoryMigrations);
  });
  afterAll(async () => db.close());

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
