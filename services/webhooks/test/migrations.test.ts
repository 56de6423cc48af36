import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollback, migrationStatus } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, knexCli, type TestDatabase } from '@fusioncommerce/platform/testing';
import { webhooksMigrations } from '../src/migrations.ts';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const TABLES = ['dead_letters', 'deliveries', 'delivery_attempts', 'inbox', 'outbox', 'subscriptions'];

const tables = async (db: TestDatabase) =>
  (await db.knex('information_schema.tables').where({ table_schema: 'webhooks' }).pluck('table_name')).sort();

describe.each(BACKENDS)('webhooks migrations on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => db.close());

  it('when migrated up, down and up again, then the schema is whole each time', async () => {
    const applied = await migrateLatest(db.knex, webhooksMigrations);
    expect(applied.length).toBeGreaterThan(0);
    expect(await tables(db)).toEqual(expect.arrayContaining(TABLES));
    await migrateRollback(db.knex, webhooksMigrations, true);
    expect(await tables(db)).toEqual(['knex_migrations', 'knex_migrations_lock']);
    expect((await migrationStatus(db.knex, webhooksMigrations)).applied).toEqual([]);
    expect(await migrateLatest(db.knex, webhooksMigrations)).toEqual(applied);
  });

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

describe('npx knex in services/webhooks (the deployment guide’s commands)', () => {
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
    expect(await tables(db)).toContain('deliveries');
    expect(await knex('migrate:rollback')).toMatch(/Batch 1 rolled back/);
    expect(await tables(db)).not.toContain('deliveries');
  }, 180_000);
});
