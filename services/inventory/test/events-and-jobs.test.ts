import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer, toCloudEvent } from '@fusioncommerce/platform';
import { BACKENDS, buildTestApp, createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { OrderCancelled, OrderConfirmed, OrderPlaced, ProductCreated, ProductUpdated } from '@fusioncommerce/contracts';
import { seedDemoStock } from '../src/demo/demo-stock.ts';
import { createInventoryService } from '../src/service.ts';
import { api, inventoryTest, newSku, orderRef, outbox, type InventoryTest } from './factories.ts';

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
const orderEvent = (type: string, orderId: string, data: Record<string, unknown>) =>
  toCloudEvent({ id: randomUUID(), type, source: '/fusioncommerce/orders', subject: orderId, time: new Date(), data: { orderId, number: 'FC-1001', ...data } });
const money = { amount: 1000, currency: 'USD' };
const placed = (orderId: string, lines: { sku: string; quantity: number }[]) =>
  orderEvent(OrderPlaced.type, orderId, {
    customerId: null,
    email: 'shopper@example.test',
    lines: lines.map((l) => ({ variantId: randomUUID(), sku: l.sku, quantity: l.quantity, unitPrice: money })),
    total: money,
  });
const confirmed = (orderId: string) => orderEvent(OrderConfirmed.type, orderId, { paymentId: randomUUID(), total: money, capture: true, email: 'shopper@example.test' });
const cancelled = (orderId: string, releaseStock = true) =>
  orderEvent(OrderCancelled.type, orderId, { reason: 'cancelled_by_admin', releaseStock, voidOrRefundPayment: true, paymentId: null, email: 'shopper@example.test' });

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

  it('when an order is placed, confirmed and cancelled, then its stock is held, sold and put back, each once however often the event comes', async () => {
    const a = api(it_.t, it_.admin);
    const sku = await a.stocked(10);
    const orderId = randomUUID();
    const place = placed(orderId, [{ sku, quantity: 3 }]);
    expect(await consumer.settle(place)).toBe('handled');
    expect(await consumer.settle(structuredClone(place))).toBe('duplicate');
    expect(await a.item(sku)).toMatchObject({ onHand: 10, reserved: 3 });
    expect(await outbox(it_.t.db, { type: 'inventory.stock.reserved', subject: `order:${orderId}` })).toHaveLength(1);

    // A second copy of the placement under another event id (a retried publish) still holds the stock once.
    expect(await consumer.settle(placed(orderId, [{ sku, quantity: 3 }]))).toBe('handled');
    expect(await a.item(sku)).toMatchObject({ reserved: 3 });

    expect(await consumer.settle(confirmed(orderId))).toBe('handled');
    expect(await consumer.settle(confirmed(orderId))).toBe('handled');
    expect(await a.item(sku)).toMatchObject({ onHand: 7, reserved: 0 });
    expect(await outbox(it_.t.db, { type: 'inventory.stock.committed', subject: `order:${orderId}` })).toHaveLength(1);

    expect(await consumer.settle(cancelled(orderId))).toBe('handled');
    expect(await consumer.settle(cancelled(orderId))).toBe('handled');
    expect(await a.item(sku)).toMatchObject({ onHand: 10, reserved: 0 });
    const [reservation] = await it_.t.db.knex('inventory.reservations').where({ reference_id: orderId }).select('status');
    expect(reservation).toEqual({ status: 'returned' });
  });

  it('when an order is cancelled before it was confirmed, then its hold is released; cancelled without stock to release, nothing moves', async () => {
    const a = api(it_.t, it_.admin);
    const sku = await a.stocked(5);
    const orderId = randomUUID();
    await consumer.settle(placed(orderId, [{ sku, quantity: 5 }]));
    expect(await consumer.settle(cancelled(orderId, false))).toBe('ignored');
    expect(await a.item(sku)).toMatchObject({ reserved: 5 });
    expect(await consumer.settle(cancelled(orderId))).toBe('handled');
    expect(await a.item(sku)).toMatchObject({ onHand: 5, reserved: 0 });
    const [released] = await outbox(it_.t.db, { type: 'inventory.stock.released', subject: `order:${orderId}` });
    expect(released?.data).toMatchObject({ reason: 'requested' });
    // An order that never got stock: nothing to let go of.
    expect(await consumer.settle(cancelled(randomUUID()))).toBe('handled');
  });

  it('when an order asks for more than there is, or for a SKU inventory does not track, then the saga hears one reservation_failed naming them', async () => {
    const a = api(it_.t, it_.admin);
    const [sku, unknown] = [await a.stocked(2), newSku()];
    const orderId = randomUUID();
    expect(
      await consumer.settle(
        placed(orderId, [
          { sku, quantity: 3 },
          { sku: unknown, quantity: 1 },
        ]),
      ),
    ).toBe('handled');
    const failed = await outbox(it_.t.db, { type: 'inventory.stock.reservation_failed', subject: `order:${orderId}` });
    expect(failed).toHaveLength(1);
    expect(new Set((failed[0]?.data.shortages as unknown[]) ?? [])).toEqual(
      new Set([
        { sku, requested: 3, available: 2 },
        { sku: unknown, requested: 1, available: 0 },
      ]),
    );
    expect(await a.item(sku)).toMatchObject({ reserved: 0 });
    // Confirming such an order (it should not happen) changes nothing and does not fail the consumer.
    expect(await consumer.settle(confirmed(orderId))).toBe('handled');
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
