import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollback, migrationStatus } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, knexCli, type TestDatabase } from '@fusioncommerce/platform/testing';
import { ordersMigrations } from '../src/migrations.ts';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const TABLES = ['cart_lines', 'carts', 'catalog_variants', 'dead_letters', 'inbox', 'order_timeline', 'orders', 'outbox', 'shipping_options', 'stock_holds', 'stock_levels'];

const tables = async (db: TestDatabase) => (await db.knex('information_schema.tables').where({ table_schema: 'orders' }).pluck('table_name')).sort();

const order = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  number: `FC-${id.slice(-4)}`,
  cart_id: '01900000-0000-7000-8000-00000000c001',
  email: 'a@example.test',
  currency: 'USD',
  lines: '[]',
  subtotal: 1000,
  total: 1000,
  shipping_address: '{}',
  status: 'pending',
  stock_state: 'requested',
  payment_state: 'none',
  placed_at: new Date(),
  updated_at: new Date(),
  ...extra,
});

describe.each(BACKENDS)('orders migrations on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => db.close());

  it('when migrated up, down and up again, then the schema is whole each time', async () => {
    const applied = await migrateLatest(db.knex, ordersMigrations);
    expect(applied.length).toBeGreaterThan(0);
    expect(await tables(db)).toEqual(expect.arrayContaining(TABLES));
    await migrateRollback(db.knex, ordersMigrations, true);
    expect(await tables(db)).toEqual(['knex_migrations', 'knex_migrations_lock']);
    expect((await migrationStatus(db.knex, ordersMigrations)).applied).toEqual([]);
    expect(await migrateLatest(db.knex, ordersMigrations)).toEqual(applied);
  });

  it('when code got it wrong, then the database refuses a second pending checkout of one cart, a refund above the total, an unknown status and held stock below zero', async () => {
    await migrateLatest(db.knex, ordersMigrations);
    await db.knex('orders.orders').insert(order('01900000-0000-7000-8000-0000000000a1'));
    await expect(db.knex('orders.orders').insert(order('01900000-0000-7000-8000-0000000000a2'))).rejects.toThrow(/orders_one_pending_per_cart_idx/);
    await expect(db.knex('orders.orders').insert(order('01900000-0000-7000-8000-0000000000a3', { cart_id: null, refunded: 2000 }))).rejects.toThrow(/orders_money_check/);
    await expect(db.knex('orders.orders').insert(order('01900000-0000-7000-8000-0000000000a4', { cart_id: null, status: 'lost' }))).rejects.toThrow(/orders_status_check/);
    await db.knex('orders.stock_levels').insert({ sku: 'MIG-1', available: 1 });
    await expect(db.knex('orders.stock_levels').where({ sku: 'MIG-1' }).update({ held: -1 })).rejects.toThrow(/stock_levels_held_check/);
  });
});

describe('npx knex in services/orders (the deployment guide’s commands)', () => {
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
    expect(await tables(db)).toContain('orders');
    expect(await knex('migrate:rollback')).toMatch(/Batch 1 rolled back/);
    expect(await tables(db)).not.toContain('orders');
  }, 180_000);
});
