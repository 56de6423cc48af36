import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer, toCloudEvent } from '@fusioncommerce/platform';
import { BACKENDS, buildTestApp, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { ProductCreated, ProductUpdated } from '@fusioncommerce/contracts';
import { seedDemoStock } from '../src/demo/demo-stock.ts';
import { createInventoryService } from '../src/service.ts';
import { api, inventoryTest, newSku, orderRef, type InventoryTest } from './factories.ts';

const variant = (sku: string) => ({ id: randomUUID(), sku, title: sku, options: {}, price: { amount: 1000, currency: 'USD' }, weightGrams: 100 });
const product = (skus: string[]) => ({
  id: randomUUID(),
  slug: `p-${randomUUID().slice(0, 8)}`,
  title: 'A product',
  status: 'draft' as const,
  version: 1,
  categoryIds: [],
  variants: skus.map(variant),
});
const catalogEvent = (type: string, data: unknown) =>
  toCloudEvent({ id: randomUUID(), type, source: '/fusioncommerce/catalog', subject: randomUUID(), time: new Date(), data });

describe.each(BACKENDS)('inventory events and jobs on %s', (backend) => {
  let it_: InventoryTest;
  let consumer: EventConsumer;

  beforeAll(async () => {
    it_ = await inventoryTest(backend);
    const service = createInventoryService({ settings: { sweepIntervalMs: 0 } });
    consumer = new EventConsumer({
      group: 'inventory',
      schema: 'inventory',
      knex: it_.t.db.knex,
      handlers: service.consumes ?? [],
      maxAttempts: 1,
      retryInitialMs: 1,
      retryMaxMs: 1,
      log: it_.t.app.log,
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await it_.close();
  });

  it('when the catalog creates or changes a product, then its SKUs are tracked once, and stock already there stays', async () => {
    const [s1, s2, s3] = [newSku(), newSku(), newSku()];
    const created = catalogEvent(ProductCreated.type, { product: product([s1, s2]) });
    expect(await consumer.settle(created)).toBe('handled');
    expect(await consumer.settle(structuredClone(created))).toBe('duplicate');
    const a = api(it_.t, it_.admin);
    expect(await a.item(s1)).toMatchObject({ onHand: 0, state: 'out_of_stock' });
    await a.receive(s1, 4);

    const updated = catalogEvent(ProductUpdated.type, { product: product([s1, s2, s3]), changed: ['variants'] });
    expect(await consumer.settle(updated)).toBe('handled');
    expect(await a.item(s1)).toMatchObject({ onHand: 4 });
    expect(await a.item(s3)).toMatchObject({ onHand: 0 });
  });

  it('when demo stock is seeded, then every SKU is tracked with a repeatable quantity, and seeding again adds nothing', async () => {
    const skus = Array.from({ length: 60 }, () => newSku('DEMO'));
    expect(await seedDemoStock(it_.t.db.knex, skus)).toBe(60);
    expect(await seedDemoStock(it_.t.db.knex, skus)).toBe(0);
    const res = await it_.t.app.inject({ url: `/v1/inventory/availability?skus=${skus.join(',')}` });
    const states = new Set((res.json().data as { status: string }[]).map((d) => d.status));
    expect(states).toEqual(new Set(['in_stock', 'low_stock', 'out_of_stock']));
    const receipts = await it_.t.db.knex('inventory.movements').whereIn('sku', skus).count<{ count: number | string }[]>('* as count');
    const stocked = await it_.t.db.knex('inventory.stock_levels').whereIn('sku', skus).count<{ count: number | string }[]>('* as count');
    expect(Number(receipts[0]?.count)).toBe(Number(stocked[0]?.count));
  });
});

describe.each(BACKENDS)('the expiry sweep of a running service on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(async () => db.close());

  it('when a reservation expires, then the service releases it by itself, and closing the app stops the sweep', async () => {
    let clock = Date.now();
    const t = await buildTestApp([createInventoryService({ settings: { sweepIntervalMs: 25 }, now: () => new Date(clock) })], db);
    const admin = await t.as('admin');
    const a = api(t, admin);
    const sku = await a.stocked(5);
    const ref = orderRef();
    expect((await a.reserve(ref, [{ sku, quantity: 5 }], 30)).statusCode).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await a.item(sku)).reserved).toBe(5);

    clock += 31_000;
    const deadline = Date.now() + 10_000;
    while ((await a.item(sku)).reserved !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await a.item(sku)).toMatchObject({ reserved: 0, available: 5 });
    const [row] = await db.knex('inventory.reservations').where({ reference_id: ref.id }).select('status', 'release_reason');
    expect(row).toEqual({ status: 'released', release_reason: 'expired' });
    await t.close();
  });
});
