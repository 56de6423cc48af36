/**
 * The dashboard's numbers: every order of the period counted in PostgreSQL,
 * revenue net of refunds, days in UTC, bad periods refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { DECLINED_CARD, eventually, openShop, type Shop } from './shop.ts';

const DAY_MS = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Summary {
  from: string;
  to: string;
  days: number;
  orders: number;
  byStatus: { status: string; orders: number }[];
  currencies: {
    currency: string;
    orders: number;
    paidOrders: number;
    revenue: { amount: number; currency: string };
    averageOrder: { amount: number; currency: string };
    daily: { date: string; orders: number; revenue: number }[];
    topProducts: { productId: string; title: string; units: number; revenue: { amount: number } }[];
  }[];
}

describe.each(BACKENDS)('the admin order summary on %s', (backend) => {
  let shop: Shop;
  const summary = async (query = '') => {
    const res = await shop.app.inject({ url: `/v1/admin/orders/summary${query}`, headers: shop.admin });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Summary;
  };
  beforeAll(async () => {
    shop = await openShop(backend);
  });
  afterAll(async () => shop.close());

  it('when nothing was sold, then every day of the period is there with zeros and no currency is listed', async () => {
    const empty = await summary();
    expect(empty).toMatchObject({ days: 30, orders: 0, byStatus: [], currencies: [] });
    expect(Date.parse(empty.to) - Date.parse(empty.from)).toBeLessThan(30 * DAY_MS);
    expect(empty.from.endsWith('T00:00:00.000Z')).toBe(true);
  });

  it('when orders are paid, declined, refunded in part and placed on other days, then revenue, days, statuses and top products add up', async () => {
    const tee = await shop.product({ stock: 20, price: 2500 });
    const mug = await shop.product({ stock: 20, price: 1000 });
    const place = async (variantId: string, quantity: number, card?: string) => (await shop.checkout(await shop.cartWith([{ variantId, quantity }]), card)).body;
    const captured = async (id: string) => eventually(async () => (await shop.app.inject({ url: `/v1/admin/orders/${id}`, headers: shop.admin })).json().payment === 'captured', 'capture');

    const big = await place(tee.variantIds[0] as string, 2); // 5000
    const small = await place(mug.variantIds[0] as string, 1); // 1000
    const older = await place(mug.variantIds[0] as string, 3); // 3000, moved to three days ago
    const outside = await place(tee.variantIds[0] as string, 1); // 2500, moved before the period
    const declined = await place(tee.variantIds[0] as string, 1, DECLINED_CARD);
    expect([big.status, small.status, older.status, outside.status, declined.status]).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed', 'cancelled']);

    await captured(big.id);
    const refund = await shop.app.inject({ method: 'POST', url: `/v1/admin/orders/${big.id}/refund`, headers: shop.admin, payload: { amount: 1200, reason: 'scuffed' } });
    expect(refund.statusCode, refund.body).toBe(200);
    await eventually(async () => (await shop.app.inject({ url: `/v1/admin/orders/${big.id}`, headers: shop.admin })).json().refunded.amount === 1200, 'the refund');

    const now = Date.now();
    await shop.db.knex('orders.orders').where({ id: older.id }).update({ placed_at: new Date(now - 3 * DAY_MS) });
    await shop.db.knex('orders.orders').where({ id: outside.id }).update({ placed_at: new Date(now - 45 * DAY_MS) });

    const s = await summary();
    expect(s.orders).toBe(4);
    expect(s.byStatus).toEqual([
      { status: 'confirmed', orders: 2 },
      { status: 'cancelled', orders: 1 },
      { status: 'partially_refunded', orders: 1 },
    ]);
    expect(s.currencies).toHaveLength(1);
    const usd = s.currencies[0] as Summary['currencies'][number];
    expect(usd).toMatchObject({ currency: 'USD', orders: 4, paidOrders: 3, revenue: { amount: 5000 - 1200 + 1000 + 3000, currency: 'USD' }, averageOrder: { amount: Math.round(7800 / 3) } });
    expect(usd.daily).toHaveLength(30);
    expect(usd.daily.at(-1)).toEqual({ date: dateOf(now), orders: 3, revenue: 5000 - 1200 + 1000 });
    expect(usd.daily.find((d) => d.date === dateOf(now - 3 * DAY_MS))).toEqual({ date: dateOf(now - 3 * DAY_MS), orders: 1, revenue: 3000 });
    expect(usd.daily.reduce((n, d) => n + d.orders, 0)).toBe(4);
    const titleOf = (sku: string) => `Saga Tee ${sku.split('-')[1]}`;
    expect(usd.topProducts.map((p) => [p.title, p.units, p.revenue.amount])).toEqual([
      [titleOf(tee.skus[0] as string), 2, 5000],
      [titleOf(mug.skus[0] as string), 4, 4000],
    ]);

    const week = await summary('?days=7');
    expect(week.orders).toBe(4);
    expect(week.currencies[0]?.daily).toHaveLength(7);
    const today = await summary('?days=1');
    expect(today.orders).toBe(3);
    expect(today.currencies[0]?.revenue.amount).toBe(4800);
    expect((await summary('?days=90')).orders).toBe(5);
  });

  it('when the period is not a whole number of days from 1 to 366, then it is a 400 problem', async () => {
    for (const days of ['0', '367', '1.5', 'week', '']) {
      const res = await shop.app.inject({ url: `/v1/admin/orders/summary?days=${days}`, headers: shop.admin });
      expect(res.statusCode, days).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const extra = await shop.app.inject({ url: '/v1/admin/orders/summary?currency=USD', headers: shop.admin });
    expect(extra.statusCode).toBe(400);
  });
});
