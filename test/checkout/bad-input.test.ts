/**
 * Hostile and careless input to carts, checkout and orders: every bad request
 * is a 4xx RFC 9457 problem naming what is wrong, and it changes nothing — the
 * cart keeps its lines, no order or payment appears.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { ADDRESS, SUCCESS_CARD, openShop, type Shop } from './shop.ts';

interface Problem {
  status: number;
  code: string;
  type: string;
  detail?: string;
  errors?: { pointer: string }[];
}

describe.each(BACKENDS)('bad input to carts, checkout and orders on %s', (backend) => {
  let shop: Shop;
  let variantId: string;
  let otherCurrencyVariant: string;
  beforeAll(async () => {
    shop = await openShop(backend);
    variantId = (await shop.product({ stock: 5 })).variantIds[0] as string;
    const euro = await shop.app.inject({
      method: 'POST',
      url: '/v1/products',
      headers: shop.admin,
      payload: { title: `Euro Tee ${randomUUID().slice(0, 6)}`, variants: [{ sku: `EURO-${randomUUID().slice(0, 8)}`, price: { amount: 900, currency: 'EUR' } }] },
    });
    const created = euro.json() as { id: string; version: number; variants: { id: string }[] };
    await shop.app.inject({ method: 'POST', url: `/v1/products/${created.id}/publish`, headers: shop.admin, payload: { version: created.version } });
    otherCurrencyVariant = created.variants[0]?.id as string;
    // Orders hears of the EUR product by events.
    for (let i = 0; i < 400 && (await shop.db.knex('orders.catalog_variants').where({ variant_id: otherCurrencyVariant, sellable: true })).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
  });
  afterAll(async () => shop.close());

  const send = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await shop.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.json() as Problem & Record<string, unknown> };
  };
  const expectProblem = (res: Awaited<ReturnType<typeof send>>, status: number, code?: string | RegExp) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toMatch(/^https?:\/\//);
    if (code) expect(res.body.code).toMatch(code);
  };
  const snapshot = async (cartId: string) => ({
    cart: (await shop.app.inject({ url: `/v1/carts/${cartId}` })).json() as { lines: { quantity: number }[]; subtotal: unknown },
    orders: await shop.db.knex('orders.orders').where({ cart_id: cartId }).count({ n: '*' }),
  });

  it('when lines are added with bad quantities, bodies or ids, then each is a 4xx naming the field and the cart is unchanged', async () => {
    const cartId = await shop.cartWith([{ variantId, quantity: 1 }]);
    const before = await snapshot(cartId);
    for (const body of [
      { variantId, quantity: 0 },
      { variantId, quantity: -1 },
      { variantId, quantity: 100 },
      { variantId, quantity: '2' },
      { variantId, quantity: 1.5 },
      { variantId, quantity: 1, price: 1 },
      { quantity: 1 },
      { variantId: 'not-a-uuid', quantity: 1 },
    ]) {
      const res = await send('POST', `/v1/carts/${cartId}/lines`, body);
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
    }
    expectProblem(await send('POST', `/v1/carts/${cartId}/lines`, { quantity: 1, variantId, price: 1 }), 400, 'REQUEST.VALIDATION_FAILED');
    const unknown = await send('POST', `/v1/carts/${cartId}/lines`, { variantId: randomUUID(), quantity: 1 });
    expectProblem(unknown, 400, 'ORDERS.VARIANT_UNAVAILABLE');
    expect(unknown.body.errors).toEqual([expect.objectContaining({ pointer: '/body/variantId' })]);
    expectProblem(await send('POST', `/v1/carts/${cartId}/lines`, { variantId: otherCurrencyVariant, quantity: 1 }), 400, 'ORDERS.CURRENCY_MISMATCH');
    expectProblem(await send('POST', `/v1/carts/${randomUUID()}/lines`, { variantId, quantity: 1 }), 404);
    expectProblem(await send('POST', '/v1/carts/not-a-uuid/lines', { variantId, quantity: 1 }), 400);
    expectProblem(await send('POST', `/v1/carts/${cartId}/lines`, '{"variantId":', { 'content-type': 'application/json' }), 400);
    expect(await snapshot(cartId)).toEqual(before);
  });

  it('when a line is changed or removed badly, or shipping is set to nonsense, then it is a 4xx and the cart is unchanged', async () => {
    const cartId = await shop.cartWith([{ variantId, quantity: 2 }]);
    const before = await snapshot(cartId);
    expectProblem(await send('PATCH', `/v1/carts/${cartId}/lines/${randomUUID()}`, { quantity: 1 }), 404);
    expectProblem(await send('PATCH', `/v1/carts/${cartId}/lines/not-a-uuid`, { quantity: 1 }), 400);
    expectProblem(await send('DELETE', `/v1/carts/${cartId}/lines/${randomUUID()}`), 404);
    for (const body of [{ country: 'USA' }, { country: 'us' }, { country: 'US', optionId: 'nope' }, { country: 'US', extra: true }, {}]) {
      const res = await send('PUT', `/v1/carts/${cartId}/shipping`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expectProblem(await send('PUT', `/v1/carts/${cartId}/shipping`, { country: 'US', optionId: randomUUID() }), 400, 'ORDERS.SHIPPING_OPTION_NOT_APPLICABLE');
    expect(await snapshot(cartId)).toEqual(before);
  });

  it('when checkout is missing its key, its address or its card, or names a cart that is not there, then it is a 4xx and no order is placed', async () => {
    const cartId = await shop.cartWith([{ variantId, quantity: 1 }]);
    const good = { cartId, email: 'shopper@example.test', shippingAddress: ADDRESS, payment: { method: SUCCESS_CARD } };
    const key = { 'idempotency-key': randomUUID() };
    const noKey = await send('POST', '/v1/checkout', good);
    expect([400, 428]).toContain(noKey.status);
    expect(noKey.body.detail).toMatch(/Idempotency-Key/i);
    for (const body of [
      { ...good, email: 'not an email' },
      { ...good, shippingAddress: { ...ADDRESS, country: 'Narnia' } },
      { ...good, shippingAddress: { name: 'A' } },
      { ...good, payment: {} },
      { ...good, cartId: 'not-a-uuid' },
      { ...good, total: 1 },
    ]) {
      const res = await send('POST', '/v1/checkout', body, { 'idempotency-key': randomUUID() });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors?.length, JSON.stringify(res.body)).toBeGreaterThan(0);
    }
    expectProblem(await send('POST', '/v1/checkout', { ...good, cartId: randomUUID() }, key), 404);
    expectProblem(await send('POST', '/v1/checkout', good, { 'idempotency-key': 'x'.repeat(500) }), 400);
    expect(await shop.db.knex('orders.orders').where({ cart_id: cartId })).toEqual([]);

    const empty = (await shop.app.inject({ method: 'POST', url: '/v1/carts' })).json() as { id: string };
    expectProblem(await send('POST', '/v1/checkout', { ...good, cartId: empty.id }, { 'idempotency-key': randomUUID() }), 409, 'ORDERS.CART_EMPTY');
  });

  it('when an Idempotency-Key is reused for another checkout, then it is refused and the first order stands alone', async () => {
    const cartId = await shop.cartWith([{ variantId, quantity: 1 }]);
    const key = randomUUID();
    const first = await shop.checkout(cartId, SUCCESS_CARD, key);
    expect(first.statusCode).toBe(201);
    const other = await shop.cartWith([{ variantId, quantity: 1 }]);
    const reused = await send('POST', '/v1/checkout', { cartId: other, email: 'shopper@example.test', shippingAddress: ADDRESS, payment: { method: SUCCESS_CARD } }, { 'idempotency-key': key });
    expectProblem(reused, 422, 'ORDERS.IDEMPOTENCY_KEY_REUSED');
    expect(await shop.db.knex('orders.orders').where({ cart_id: other })).toEqual([]);
  });

  it('when orders are read or changed with bad ids or filters, then it is a 4xx and the order is untouched', async () => {
    expectProblem(await send('GET', '/v1/orders/not-a-uuid'), 400);
    expectProblem(await send('GET', `/v1/orders/${randomUUID()}`), 404);
    for (const query of ['status=lost', 'minTotal=-1', 'placedFrom=yesterday', 'limit=0', 'limit=10000', 'customerId=']) {
      const res = await send('GET', `/v1/admin/orders?${query}`, undefined, shop.admin);
      expect(res.status, query).toBe(400);
    }
    expectProblem(await send('POST', `/v1/admin/orders/${randomUUID()}/refund`, { amount: 100, reason: 'x' }, shop.admin), 404);

    const cartId = await shop.cartWith([{ variantId, quantity: 1 }]);
    const { body } = await shop.checkout(cartId);
    expect(body.status).toBe('confirmed');
    for (const amount of [0, -5, 1.5, 10_000_000]) {
      const res = await send('POST', `/v1/admin/orders/${body.id}/refund`, { amount, reason: 'test' }, shop.admin);
      expect(res.status, String(amount)).toBeGreaterThanOrEqual(400);
      expect(res.status, String(amount)).toBeLessThan(500);
    }
    expect((await shop.app.inject({ url: `/v1/admin/orders/${body.id}`, headers: shop.admin })).json()).toMatchObject({ status: 'confirmed', refunded: { amount: 0 } });
  });
});
