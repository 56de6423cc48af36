import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogService } from '@fusioncommerce/catalog';
import { paymentsService } from '@fusioncommerce/payments';
import { createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { DEFAULT_SETTINGS, OrderWatch, expireStaleOrders } from '@fusioncommerce/orders';
import { eventually, openShop, type Shop } from './shop.ts';

describe('checkout under concurrency on the PostgreSQL server', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await openShop('postgres', { orders: { checkoutWaitMs: 60_000 } });
  });
  afterAll(async () => shop.close());

  it('when 100 shoppers check out the last 10 units at once, then exactly 10 orders are confirmed and 90 cleanly refused', async () => {
    const { variantIds, skus } = await shop.product({ stock: 10 });
    const [variantId, sku] = [variantIds[0] as string, skus[0] as string];
    const carts = await Promise.all(Array.from({ length: 100 }, () => shop.cartWith([{ variantId, quantity: 1 }])));

    const outcomes = await Promise.all(carts.map((cartId) => shop.checkout(cartId)));

    // Each answer is an order (confirmed, or cancelled as out of stock by the saga) or, once the sale is known
    // to be over, an immediate 409 out-of-stock refusal that created nothing. Nothing else.
    const confirmed = outcomes.filter((o) => o.statusCode === 201 && o.body.status === 'confirmed');
    const cancelled = outcomes.filter((o) => o.statusCode === 201 && o.body.status === 'cancelled');
    const refusedAtOnce = outcomes.filter((o) => o.statusCode === 409 && o.body.code === 'ORDERS.OUT_OF_STOCK');
    expect(confirmed).toHaveLength(10);
    expect(cancelled.length + refusedAtOnce.length).toBe(90);
    expect(cancelled.every((o) => o.body.reason === 'out_of_stock')).toBe(true);
    const orders = await shop.db.knex('orders.orders').whereIn('cart_id', carts).pluck('status');
    expect(orders).toHaveLength(10 + cancelled.length);
    // Orders knew of the ten units before the sale: checkout held them, so no more orders were placed than could be filled.
    expect(cancelled).toHaveLength(0);
    expect(refusedAtOnce).toHaveLength(90);

    // Once every confirmed order's reservation is sold: nothing on hand, nothing held, nothing negative.
    await eventually(async () => (await shop.stockOf(sku)).onHand === 0, 'the ten sales to be committed');
    expect(await shop.stockOf(sku)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });
    const [{ sold }] = (await shop.db.knex.raw(
      `select coalesce(sum(l.quantity), 0)::int as sold from inventory.reservation_lines l join inventory.reservations r on r.id = l.reservation_id where l.sku = ? and r.status = 'committed'`,
      [sku],
    )).rows as [{ sold: number }];
    expect(sold).toBe(10);
    const negative = await shop.db.knex('inventory.stock_levels').where('on_hand', '<', 0).orWhere('reserved', '<', 0).orWhereRaw('on_hand < reserved');
    expect(negative).toEqual([]);
    // Every order's hold ended when inventory answered for it.
    expect(await shop.db.knex('orders.stock_levels').where({ sku }).first()).toMatchObject({ available: 0, held: 0 });
    expect(await shop.db.knex('orders.stock_holds').whereIn('order_id', confirmed.map((o) => o.body.id as string))).toEqual([]);
    const payments = (await shop.app.inject({ url: '/v1/admin/payments?limit=100&referenceKind=order', headers: shop.admin })).json().data as { referenceId?: string; reference?: { id: string } }[];
    const confirmedIds = new Set(confirmed.map((o) => o.body.id));
    const paid = payments.filter((p) => confirmedIds.has(p.reference?.id ?? p.referenceId ?? ''));
    expect(paid).toHaveLength(10);
  });
});

describe('checkouts that lose their process on the PostgreSQL server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres', { poolMax: 30 });
  });
  afterAll(async () => db.close());

  it('when the platform is stopped mid-saga and started again, then every order ends confirmed or cancelled', async () => {
    const first = await openShop('postgres', { db, orders: { checkoutWaitMs: 0 } });
    const { variantIds } = await first.product({ stock: 3 });
    const carts = await Promise.all(Array.from({ length: 6 }, () => first.cartWith([{ variantId: variantIds[0] as string, quantity: 1 }])));
    // Answered at once as pending; the sagas are still running when the process stops.
    const placed = await Promise.all(carts.map((cartId) => first.checkout(cartId)));
    // An order, answered at once as pending (or already settled); or, if the sale was already known to be over, a 409 that created none.
    const orders = placed.filter((p) => p.statusCode === 202 || p.statusCode === 201);
    const refusedAtOnce = placed.filter((p) => p.statusCode === 409 && p.body.code === 'ORDERS.OUT_OF_STOCK');
    expect(orders.length + refusedAtOnce.length).toBe(6);
    await first.close();

    const second = await openShop('postgres', { db });
    try {
      const statuses = await eventually(async () => {
        const rows = (await db.knex('orders.orders').whereIn('id', orders.map((p) => p.body.id)).pluck('status')) as string[];
        return rows.every((s) => s !== 'pending') ? rows : undefined;
      }, 'every order to settle after the restart');
      expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(3);
      expect(statuses.filter((s) => s === 'cancelled')).toHaveLength(3 - refusedAtOnce.length);
    } finally {
      await second.close();
    }
  });

  it('when an order holds the last unit and ends before inventory answers, then the next checkout is refused meanwhile and the unit is offered again after', async () => {
    // Inventory is not running: its earlier word on the SKU stands, and nobody answers for new orders.
    const shop = await openShop('postgres', { db, orders: { checkoutWaitMs: 0 }, services: (orders) => [catalogService, paymentsService, orders] });
    try {
      const { variantIds, skus } = await shop.product({ stock: 0, tracked: false });
      await db.knex('orders.stock_levels').insert({ sku: skus[0], available: 1 });
      const line = [{ variantId: variantIds[0] as string, quantity: 1 }];
      const first = await shop.checkout(await shop.cartWith(line));
      expect(first).toMatchObject({ statusCode: 202, body: { status: 'pending' } });

      const meanwhile = await shop.checkout(await shop.cartWith(line));
      expect(meanwhile.statusCode).toBe(409);
      expect(meanwhile.body).toMatchObject({ code: 'ORDERS.OUT_OF_STOCK', shortages: [{ sku: skus[0], requested: 1, available: 0 }] });

      await expireStaleOrders({ knex: db.knex, settings: { ...DEFAULT_SETTINGS, pendingTimeoutMs: 0 }, watch: new OrderWatch(), now: () => new Date(Date.now() + 1000) });
      expect((await shop.app.inject(`/v1/orders/${first.body.id}`)).json()).toMatchObject({ status: 'cancelled', reason: 'expired' });
      expect(await db.knex('orders.stock_levels').where({ sku: skus[0] }).first()).toMatchObject({ available: 1, held: 0 });

      const after = await shop.checkout(await shop.cartWith(line));
      expect(after).toMatchObject({ statusCode: 202, body: { status: 'pending' } });
    } finally {
      await shop.close();
    }
  });

  it('when nobody answers for an order, then the expiry sweep cancels it and nothing stays pending forever', async () => {
    // A shop without inventory: nothing will ever reserve stock for the order.
    const shop = await openShop('postgres', { db, orders: { checkoutWaitMs: 0 }, services: (orders) => [catalogService, paymentsService, orders] });
    try {
      const { variantIds } = await shop.product({ stock: 0, tracked: false });
      const cartId = await shop.cartWith([{ variantId: variantIds[0] as string, quantity: 1 }]);
      const { statusCode, body } = await shop.checkout(cartId);
      expect(statusCode).toBe(202);
      expect(body.status).toBe('pending');
      const expired = await expireStaleOrders({ knex: db.knex, settings: { ...DEFAULT_SETTINGS, pendingTimeoutMs: 0 }, watch: new OrderWatch(), now: () => new Date(Date.now() + 1000) });
      expect(expired).toBeGreaterThanOrEqual(1);
      const order = (await shop.app.inject(`/v1/orders/${body.id}`)).json();
      expect(order).toMatchObject({ status: 'cancelled', reason: 'expired' });
      expect((await db.knex('orders.orders').where({ status: 'pending' }).where('placed_at', '<', new Date())).length).toBe(0);
    } finally {
      await shop.close();
    }
  });
});
