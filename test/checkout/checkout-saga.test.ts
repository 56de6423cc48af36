import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { DECLINED_CARD, eventually, openShop, type Shop } from './shop.ts';

describe.each(BACKENDS)('checkout and the order saga on %s', (backend) => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await openShop(backend);
  });
  afterAll(async () => shop.close());

  it('when a shopper checks out with a good card, then the order is confirmed, the stock sold and the payment captured — by events', async () => {
    const { variantIds, skus } = await shop.product({ stock: 5, price: 1999, sizes: ['S', 'L'] });
    const cartId = await shop.cartWith([
      { variantId: variantIds[0] as string, quantity: 2 },
      { variantId: variantIds[1] as string, quantity: 1 },
    ]);
    const { statusCode, body: order } = await shop.checkout(cartId);
    expect(statusCode, JSON.stringify(order)).toBe(201);
    expect(order).toMatchObject({ status: 'confirmed', total: { amount: 3 * 1999, currency: 'USD' }, email: 'shopper@example.test' });
    expect(order.number).toMatch(/^FC-\d+$/);

    await eventually(async () => (await shop.stockOf(skus[0] as string)).onHand === 3, 'the sale to leave stock on hand');
    expect(await shop.stockOf(skus[0] as string)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    const detail = await eventually(async () => {
      const res = (await shop.app.inject({ url: `/v1/admin/orders/${order.id}`, headers: shop.admin })).json();
      return res.payment === 'captured' ? res : undefined;
    }, 'the payment to be captured');
    expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual(['placed', 'payment_requested', 'confirmed']);

    // The events flowed: order placed → stock reserved → payment authorized → order confirmed.
    const events = (await shop.app.inject({ url: '/v1/admin/events?limit=100', headers: shop.admin })).json().data as {
      type: string;
      data: { orderId?: string; reference?: { id: string } };
    }[];
    const ofOrder = events.filter((e) => e.data.orderId === order.id || e.data.reference?.id === order.id).map((e) => e.type);
    expect(ofOrder).toEqual(expect.arrayContaining(['orders.order.placed', 'inventory.stock.reserved', 'orders.payment.requested', 'payments.payment.authorized', 'orders.order.confirmed']));

    const cart = (await shop.app.inject(`/v1/carts/${cartId}`)).json();
    expect(cart.status).toBe('completed');
  });

  it('when the card is declined, then the order says so, the stock is released at once and the cart survives', async () => {
    const { variantIds, skus } = await shop.product({ stock: 3 });
    const cartId = await shop.cartWith([{ variantId: variantIds[0] as string, quantity: 2 }]);
    const { statusCode, body: order } = await shop.checkout(cartId, DECLINED_CARD);
    expect(statusCode).toBe(201);
    expect(order.status).toBe('cancelled');
    expect(order.reason).toMatch(/^payment_declined/);
    await eventually(async () => (await shop.stockOf(skus[0] as string)).available === 3, 'the declined order’s stock to come back');
    // The cart hears of it too (inventory's event) and offers the stock again.
    const cart = await eventually(async () => {
      const view = (await shop.app.inject(`/v1/carts/${cartId}`)).json() as { lines: { stockAvailable: number | null }[] };
      return view.lines[0]?.stockAvailable === 3 ? view : undefined;
    }, 'the cart to show the stock back');
    expect(cart).toMatchObject({ status: 'active', itemCount: 2, checkoutReady: true });
    // And the same cart can be bought with another card.
    expect((await shop.checkout(cartId)).body.status).toBe('confirmed');
  });

  it('when stock is known to be short, then checkout refuses at once with the shortage, creates nothing and keeps the cart', async () => {
    const { variantIds, skus } = await shop.product({ stock: 1 });
    const cartId = await shop.cartWith([{ variantId: variantIds[0] as string, quantity: 2 }]);
    await eventually(async () => (await shop.db.knex('orders.stock_levels').where({ sku: skus[0] }).first())?.available === 1, 'orders to hear of the stock');
    const before = await shop.db.knex('orders.orders').count<{ count: string }[]>('* as count');
    const { statusCode, body } = await shop.checkout(cartId);
    expect(statusCode).toBe(409);
    expect(body).toMatchObject({ code: 'ORDERS.OUT_OF_STOCK', shortages: [{ sku: skus[0], requested: 2, available: 1 }] });
    expect(await shop.db.knex('orders.orders').count<{ count: string }[]>('* as count')).toEqual(before);
    expect((await shop.app.inject({ url: `/v1/carts/${cartId}` })).json()).toMatchObject({ status: 'active', lines: [{ quantity: 2 }] });
  });

  it('when stock runs short after the cart last heard, then the order is cancelled as out of stock and nothing is charged', async () => {
    const { variantIds, skus } = await shop.product({ stock: 1 });
    const cartId = await shop.cartWith([{ variantId: variantIds[0] as string, quantity: 2 }]);
    // Orders has not heard of this SKU's stock (as right after an upgrade, or in the instant before the event lands): the saga decides.
    await eventually(async () => (await shop.db.knex('orders.stock_levels').where({ sku: skus[0] }).first()) !== undefined, 'orders to hear of the stock');
    await shop.db.knex('orders.stock_levels').where({ sku: skus[0] }).delete();
    const { body: order } = await shop.checkout(cartId);
    expect(order).toMatchObject({ status: 'cancelled', reason: 'out_of_stock', payment: 'none' });
  });

  it('when the same checkout is retried concurrently with one Idempotency-Key, then there is one order and one payment', async () => {
    const { variantIds } = await shop.product({ stock: 5 });
    const cartId = await shop.cartWith([{ variantId: variantIds[0] as string, quantity: 1 }]);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 5 }, () => shop.checkout(cartId, undefined, key)));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(answers.every((a) => a.statusCode < 300)).toBe(true);
    const [orderId] = [...ids];
    const payments = (await shop.app.inject({ url: `/v1/admin/payments?referenceKind=order&referenceId=${orderId}`, headers: shop.admin })).json();
    expect(payments.data).toHaveLength(1);
    const other = await shop.app.inject({
      method: 'POST',
      url: '/v1/checkout',
      headers: { 'idempotency-key': key },
      payload: { cartId, email: 'someone-else@example.test', shippingAddress: { name: 'X', line1: 'Y', city: 'Z', postalCode: '1', country: 'US' }, payment: { method: '4242424242424242' } },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('ORDERS.IDEMPOTENCY_KEY_REUSED');
  });

  it('when an admin cancels a paid order, then the money is refunded and the stock goes back on the shelf', async () => {
    const { variantIds, skus } = await shop.product({ stock: 4 });
    const cartId = await shop.cartWith([{ variantId: variantIds[0] as string, quantity: 1 }]);
    const { body: order } = await shop.checkout(cartId);
    await eventually(async () => (await shop.app.inject({ url: `/v1/admin/orders/${order.id}`, headers: shop.admin })).json().payment === 'captured', 'capture');
    await eventually(async () => (await shop.stockOf(skus[0] as string)).onHand === 3, 'the sale');
    const cancelled = await shop.app.inject({ method: 'POST', url: `/v1/admin/orders/${order.id}/cancel`, headers: shop.admin });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    await eventually(async () => (await shop.stockOf(skus[0] as string)).onHand === 4, 'the restock');
    await eventually(async () => (await shop.app.inject({ url: `/v1/admin/orders/${order.id}`, headers: shop.admin })).json().payment === 'refunded', 'the refund');
    const again = await shop.app.inject({ method: 'POST', url: `/v1/admin/orders/${order.id}/cancel`, headers: shop.admin });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ currentState: 'cancelled' });
  });

  it('when an admin refunds part of a paid order, then it is partially refunded, and never beyond what was paid', async () => {
    const { variantIds } = await shop.product({ stock: 2, price: 5000 });
    const cartId = await shop.cartWith([{ variantId: variantIds[0] as string, quantity: 1 }]);
    const { body: order } = await shop.checkout(cartId);
    await eventually(async () => (await shop.app.inject({ url: `/v1/admin/orders/${order.id}`, headers: shop.admin })).json().payment === 'captured', 'capture');
    const tooMuch = await shop.app.inject({ method: 'POST', url: `/v1/admin/orders/${order.id}/refund`, headers: shop.admin, payload: { amount: 5001, reason: 'oops' } });
    expect(tooMuch.statusCode).toBe(400);
    const partial = await shop.app.inject({ method: 'POST', url: `/v1/admin/orders/${order.id}/refund`, headers: shop.admin, payload: { amount: 1500, reason: 'scuffed box' } });
    expect(partial.statusCode, partial.body).toBe(200);
    const refunded = await eventually(async () => {
      const o = (await shop.app.inject({ url: `/v1/admin/orders/${order.id}`, headers: shop.admin })).json();
      return o.status === 'partially_refunded' ? o : undefined;
    }, 'the partial refund');
    expect(refunded.refunded).toEqual({ amount: 1500, currency: 'USD' });
  });

  it('when prices change after an order, then the order keeps the price it was placed at', async () => {
    const { variantIds } = await shop.product({ stock: 2, price: 1000 });
    const cartId = await shop.cartWith([{ variantId: variantIds[0] as string, quantity: 1 }]);
    const { body: order } = await shop.checkout(cartId);
    const product = (await shop.app.inject(`/v1/variants?ids=${variantIds[0]}`)).json().data[0];
    const current = (await shop.app.inject({ url: `/v1/admin/products/${product.productId}`, headers: shop.admin })).json();
    await shop.app.inject({
      method: 'PATCH',
      url: `/v1/products/${product.productId}/variants/${variantIds[0]}`,
      headers: { ...shop.admin, 'if-match': `"${current.version}"` },
      payload: { price: { amount: 9999, currency: 'USD' } },
    });
    await eventually(async () => {
      const cart = (await shop.app.inject({ method: 'POST', url: '/v1/carts' })).json();
      const priced = (await shop.app.inject({ method: 'POST', url: `/v1/carts/${cart.id}/lines`, payload: { variantId: variantIds[0], quantity: 1 } })).json();
      return priced.total?.amount === 9999;
    }, 'new carts to see the new price');
    const again = (await shop.app.inject({ url: `/v1/admin/orders/${order.id}`, headers: shop.admin })).json();
    expect(again.total.amount).toBe(1000);
    expect(again.lines[0].unitPrice.amount).toBe(1000);
  });
});
