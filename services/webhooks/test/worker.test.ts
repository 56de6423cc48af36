/**
 * The delivery worker against the database alone (no app): claims that lapse
 * when a worker dies, attempts handed back on shutdown, and — on a real
 * PostgreSQL server — several workers racing over the same deliveries.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '@fusioncommerce/platform';
import { BACKENDS, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import type { WebhooksSettings } from '../src/config.ts';
import { startDeliveryWorker } from '../src/jobs/delivery-worker.ts';
import { webhooksMigrations } from '../src/migrations.ts';
import { attemptDelivery, claimDueDeliveries, LEASE_MARGIN_MS } from '../src/use-cases/deliver-webhooks.ts';
import { webhooksDeps } from '../src/use-cases/deps.ts';
import { createSubscription } from '../src/use-cases/manage-subscriptions.ts';
import { payloadOf } from '../src/use-cases/record-deliveries.ts';
import { eventually, FAST, startReceiver, stockLow, type Receiver } from './factories.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {}, child: () => silent, level: 'silent' } as unknown as FastifyBaseLogger;

async function seed(db: TestDatabase, settings: Partial<WebhooksSettings>, url: string, events: number) {
  const deps = webhooksDeps(db.knex, settings);
  const subscription = await createSubscription(deps, { url, eventTypes: ['inventory.stock.low'] });
  // Only for this subscription: the other tests' subscriptions share the database.
  const deliveries = Array.from({ length: events }, () => stockLow()).map((event) => ({
    id: uuidv7(),
    subscriptionId: subscription.id,
    eventId: event.id,
    eventType: event.type,
    payload: payloadOf(event),
  }));
  expect(await deps.deliveries.insertMany(deliveries, new Date())).toBe(events);
  return { deps, subscription, ids: deliveries.map((d) => d.id) };
}

describe.each(BACKENDS)('the delivery worker on %s', (backend) => {
  let db: TestDatabase;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await migrateLatest(db.knex, webhooksMigrations);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await db?.close();
  });
  const receiver = async (...statuses: number[]) => {
    const r = await startReceiver(...statuses);
    receivers.push(r);
    return r;
  };

  it('when a worker dies holding a claim, then after its lease another worker delivers it, and the dead one’s late answer changes nothing', async () => {
    const r = await receiver(200);
    const { deps, ids } = await seed(db, { ...FAST, deliveryPollMs: 0 }, r.url, 1);
    const [claim] = await claimDueDeliveries(deps, 10);
    expect(claim?.id).toBe(ids[0]);
    expect(await claimDueDeliveries(deps, 10)).toEqual([]);

    const later = new Date(Date.now() + FAST.deliveryTimeoutMs! + LEASE_MARGIN_MS + 1000);
    const other = webhooksDeps(db.knex, { ...FAST, deliveryPollMs: 0 }, { now: () => later });
    const [taken] = await claimDueDeliveries(other, 10);
    expect(taken).toMatchObject({ id: claim?.id, attempt: 2 });
    expect(await attemptDelivery(other, taken!)).toBe('delivered');
    // The first worker comes back to life and finishes its attempt: the claim is no longer its own.
    expect(await attemptDelivery(deps, claim!)).toBe('lost');
    const row = await deps.deliveries.get(claim!.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await deps.deliveries.attempts(claim!.id)).toHaveLength(1);
  });

  it('when a claim lapses on its last allowed attempt, then the delivery fails and is announced instead of being tried again', async () => {
    const r = await receiver(200);
    const settings = { ...FAST, deliveryPollMs: 0, maxAttempts: 1 };
    const { deps, ids } = await seed(db, settings, r.url, 1);
    expect(await claimDueDeliveries(deps, 10)).toHaveLength(1);
    const later = new Date(Date.now() + FAST.deliveryTimeoutMs! + LEASE_MARGIN_MS + 1000);
    expect(await claimDueDeliveries(webhooksDeps(db.knex, settings, { now: () => later }), 10)).toEqual([]);
    expect(await deps.deliveries.get(ids[0] as string)).toMatchObject({ status: 'failed', last_error: 'the last attempt did not finish (its worker stopped)' });
    expect(await db.knex('webhooks.outbox').where({ type: 'webhooks.delivery.failed' }).whereRaw(`data->>'deliveryId' = ?`, [ids[0] as string])).toHaveLength(1);
  });

  it('when the worker stops during an attempt, then the attempt is cut short and handed back uncounted', async () => {
    let started = 0;
    const slow: Server = createServer(() => {
      started += 1; // never answers
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const { deps, ids } = await seed(db, { ...FAST, deliveryTimeoutMs: 30_000 }, `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`, 1);
      const worker = startDeliveryWorker(deps, silent);
      await eventually(() => started > 0, 'the attempt to start');
      const stopping = Date.now();
      await worker.stop();
      expect(Date.now() - stopping).toBeLessThan(5000);
      expect(await deps.deliveries.get(ids[0] as string)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await deps.deliveries.attempts(ids[0] as string)).toEqual([]);
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });
});

describe('several workers racing (PostgreSQL server)', () => {
  let db: TestDatabase;
  let r: Receiver;
  beforeAll(async () => {
    db = await createTestDatabase('postgres', { poolMax: 20 });
    await migrateLatest(db.knex, webhooksMigrations);
    r = await startReceiver(200);
  });
  afterAll(async () => {
    await r?.close();
    await db?.close();
  });

  it('when two worker loops race over the same deliveries, then each delivery is sent exactly once and they share the work', async () => {
    const settings = { ...FAST, deliveryPollMs: 10, deliveryBatchSize: 3 };
    const { ids } = await seed(db, { ...settings, deliveryPollMs: 0 }, r.url, 60);
    expect(ids).toHaveLength(60);
    const counts = [0, 0];
    const workers = counts.map((_, i) =>
      startDeliveryWorker(webhooksDeps(db.knex, settings), silent, {
        attempted(outcome) {
          if (outcome === 'delivered') counts[i] = (counts[i] ?? 0) + 1;
        },
      }),
    );
    try {
      await eventually(async () => (await db.knex('webhooks.deliveries').whereIn('id', ids).where({ status: 'delivered' })).length === 60, 'every delivery to be delivered', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    const sent = r.requests.map((q) => q.headers['webhook-id'] as string);
    expect(sent).toHaveLength(60);
    expect(new Set(sent)).toEqual(new Set(ids));
    expect(counts[0]! + counts[1]!).toBe(60);
    expect(counts.every((n) => n > 0), `work split ${counts.join('/')}`).toBe(true);
    const attempts = (await db.knex('webhooks.deliveries').whereIn('id', ids).pluck('attempts')) as number[];
    expect(new Set(attempts)).toEqual(new Set([1]));
    expect(await db.knex('webhooks.delivery_attempts').whereIn('delivery_id', ids)).toHaveLength(60);
  });
});
