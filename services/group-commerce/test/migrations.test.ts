import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { migrationSuites } from '../../../test/support/migration-suites.ts';
import { groupCommerceMigrations } from '../src/migrations.ts';

migrationSuites({
  service: 'group-commerce',
  migrations: groupCommerceMigrations,
  serviceDir: fileURLToPath(new URL('..', import.meta.url)),
  tables: ['catalog_variants', 'dead_letters', 'deadlines', 'deal_customers', 'deals', 'groups', 'inbox', 'outbox', 'participations'],
});

describe.each(BACKENDS)('group-commerce schema constraints on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await migrateLatest(db.knex, groupCommerceMigrations);
  });
  afterAll(async () => db.close());

  it('when code got the counts wrong, then the database refuses more members than seats and a second live seat per customer', async () => {
    await migrateLatest(db.knex, groupCommerceMigrations);
    const now = new Date();
    const deal = {
      id: '01900000-0000-7000-8000-0000000000d1',
      variant_id: '01900000-0000-7000-8000-0000000000e1',
      product_id: '01900000-0000-7000-8000-0000000000f1',
      sku: 'CHECKED-1',
      title: 'Checked',
      currency: 'USD',
      tiers: JSON.stringify([{ minParticipants: 1, unitPrice: 100 }]),
      min_group_size: 2,
      group_window_seconds: 60,
      per_customer_limit: 1,
      starts_at: now,
      ends_at: new Date(now.getTime() + 60_000),
      created_at: now,
      updated_at: now,
    };
    await db.knex('group_commerce.deals').insert(deal);
    const group = { id: '01900000-0000-7000-8000-0000000000a1', deal_id: deal.id, share_code: 'ABCDEFGH', started_by: 'c', deadline_at: now, created_at: now, updated_at: now };
    await expect(db.knex('group_commerce.groups').insert({ ...group, seats: 1, members: 2 })).rejects.toThrow(/groups_counts_check/);
    await db.knex('group_commerce.groups').insert(group);
    const seat = (id: string) => ({
      id,
      group_id: group.id,
      deal_id: deal.id,
      customer_id: 'c',
      email: 'c@example.test',
      quantity: 1,
      currency: 'USD',
      authorized_unit_price: 100,
      authorized_amount: 100,
      status: 'pending',
      stock_state: 'requested',
      payment_state: 'none',
      shipping_address: '{}',
      created_at: now,
      updated_at: now,
    });
    await db.knex('group_commerce.participations').insert(seat('01900000-0000-7000-8000-0000000000b1'));
    await expect(db.knex('group_commerce.participations').insert(seat('01900000-0000-7000-8000-0000000000b2'))).rejects.toThrow(/participations_one_live_seat_idx/);
  });
});
