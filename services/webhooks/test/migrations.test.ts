import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { migrationSuites } from '../../../test/support/migration-suites.ts';
import { webhooksMigrations } from '../src/migrations.ts';

migrationSuites({
  service: 'webhooks',
  migrations: webhooksMigrations,
  serviceDir: fileURLToPath(new URL('..', import.meta.url)),
  tables: ['dead_letters', 'deliveries', 'delivery_attempts', 'inbox', 'outbox', 'subscriptions'],
});

describe.each(BACKENDS)('webhooks schema constraints on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await migrateLatest(db.knex, webhooksMigrations);
  });
  afterAll(async () => db.close());

  it('when code got it wrong, then the database refuses a second delivery of one event to one subscription, an unknown status, and a pending delivery without a due time', async () => {
    await migrateLatest(db.knex, webhooksMigrations);
    const now = new Date();
    const subscription = '01900000-0000-7000-8000-0000000000b1';
    await db.knex('webhooks.subscriptions').insert({ id: subscription, url: 'https://example.com/h', event_types: '["*"]', secret: 'whsec_x', created_at: now, updated_at: now });
    const row = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      subscription_id: subscription,
      event_id: 'event-1',
      event_type: 'inventory.stock.low',
      payload: '{}',
      status: 'pending',
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
      ...extra,
    });
    await db.knex('webhooks.deliveries').insert(row('01900000-0000-7000-8000-0000000000c1'));
    await expect(db.knex('webhooks.deliveries').insert(row('01900000-0000-7000-8000-0000000000c2'))).rejects.toThrow(/deliveries_event_subscription_idx/);
    await expect(db.knex('webhooks.deliveries').insert(row('01900000-0000-7000-8000-0000000000c3', { event_id: 'event-2', status: 'lost' }))).rejects.toThrow(/deliveries_status_check/);
    await expect(db.knex('webhooks.deliveries').insert(row('01900000-0000-7000-8000-0000000000c4', { event_id: 'event-3', next_attempt_at: null }))).rejects.toThrow(/deliveries_due_check/);
    // Deleting a subscription takes its deliveries with it.
    await db.knex('webhooks.subscriptions').where({ id: subscription }).delete();
    expect(await db.knex('webhooks.deliveries').where({ subscription_id: subscription })).toEqual([]);
  });
});
