import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { migrationSuites } from '../../../test/support/migration-suites.ts';
import { shippingMigrations } from '../src/migrations.ts';

migrationSuites({
  service: 'shipping',
  migrations: shippingMigrations,
  serviceDir: fileURLToPath(new URL('..', import.meta.url)),
  tables: ['dead_letters', 'inbox', 'options', 'outbox', 'shipments'],
});

describe.each(BACKENDS)('shipping schema constraints on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await migrateLatest(db.knex, shippingMigrations);
  });
  afterAll(async () => db.close());

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
