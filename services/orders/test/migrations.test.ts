import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { migrationSuites } from '../../../test/support/migration-suites.ts';
import { ordersMigrations } from '../src/migrations.ts';

migrationSuites({
  service: 'orders',
  migrations: ordersMigrations,
  serviceDir: fileURLToPath(new URL('..', import.meta.url)),
  tables: ['cart_lines', 'carts', 'catalog_variants', 'dead_letters', 'inbox', 'order_timeline', 'orders', 'outbox', 'shipping_options', 'stock_holds', 'stock_levels'],
});

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

describe.each(BACKENDS)('orders schema constraints on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await migrateLatest(db.knex, ordersMigrations);
  });
  afterAll(async () => db.close());

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
