import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '@fusioncommerce/platform';
import { createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { groupCommerceMigrations } from '../src/migrations.ts';
import { groupDeps } from '../src/use-cases/deps.ts';
import { fireDueDeadlines } from '../src/use-cases/settle-group.ts';

describe('the durable deadline schedule (PostgreSQL server)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres', { poolMax: 12 });
    await migrateLatest(db.knex, groupCommerceMigrations);
  });
  afterAll(async () => db.close());

  it('when several pollers race over due deadlines, then each fires exactly once and settles its group once', async () => {
    const now = new Date();
    const dealId = randomUUID();
    await db.knex('group_commerce.deals').insert({
      id: dealId,
      variant_id: randomUUID(),
      product_id: randomUUID(),
      sku: 'RACE-1',
      title: 'Race',
      currency: 'USD',
      tiers: JSON.stringify([{ minParticipants: 1, unitPrice: 100 }]),
      min_group_size: 2,
      group_window_seconds: 60,
      per_customer_limit: 1,
      starts_at: new Date(now.getTime() - 120_000),
      ends_at: new Date(now.getTime() + 60_000),
      created_at: now,
      updated_at: now,
    });
    const groupIds = Array.from({ length: 40 }, () => randomUUID());
    await db.knex('group_commerce.groups').insert(
      groupIds.map((id, i) => ({ id, deal_id: dealId, share_code: `RACE${String(i).padStart(4, '0')}`, started_by: 'c', deadline_at: now, created_at: now, updated_at: now })),
    );
    await db.knex('group_commerce.deadlines').insert(groupIds.map((id) => ({ group_id: id, due_at: new Date(now.getTime() - 1000) })));

    // Six "processes" polling at once, with small batches so they overlap.
    const pollers = Array.from({ length: 6 }, () => groupDeps(db.knex, { deadlineBatchSize: 3 }));
    const fired = await Promise.all(pollers.map((deps) => fireDueDeadlines(deps, 3, 100)));
    expect(fired.reduce((a, b) => a + b, 0)).toBe(40);
    expect(fired.filter((n) => n > 0).length).toBeGreaterThan(1); // they really shared the work
    const rows = await db.knex('group_commerce.deadlines').whereIn('group_id', groupIds);
    expect(rows.every((r) => r.fired_at !== null && r.outcome === 'failed')).toBe(true);
    const closed = await db.knex('group_commerce.outbox').whereIn('subject', groupIds).where({ type: 'group-commerce.group.closed' });
    expect(closed).toHaveLength(40);
    expect(await fireDueDeadlines(pollers[0] as ReturnType<typeof groupDeps>)).toBe(0);
  });
});
