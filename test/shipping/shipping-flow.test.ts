/**
 * Shipping across the platform: options priced into carts (cheapest first),
 * checkout charging for the chosen option, a shipment made on confirmation,
 * shipped in parts and delivered, with the order following and customers
 * seeing their own tracking. Each test ships to its own country, so the
 * options of one do not change another's quotes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { ADDRESS, eventually, openShippingShop, type ShippingShop } from './shipping.ts';

const flat = (name: string, country: string, amount: number, extra: Record<string, unknown> = {}) => ({
  name,
  currency: 'USD',
  countries: [country],
  rate: { type: 'flat', amount },
  ...extra,
});

describe.each(BACKENDS)('shipping through the gateway on %s', (backend) => {
  let shop: ShippingShop;
  beforeAll(async () => {
    shop = await openShippingShop(backend);
  });
  afterAll(async () => shop?.close());

  it('when a cart gets a destination, then it lists the options cheapest first and its totals include the cheapest, or the chosen one', async () => {
    const standard = await shop.option(flat('Standard US', 'US', 500, { freeAbove: 10_000 }));
    const express = await shop.option(flat('Express US', 'US', 1500));
    const canada = await shop.option(flat('Canada post', 'CA', 900));
    const { variantIds } = await shop.product({ stock: 20, price: 2500 });
    const cartId = await shop.cart([{ variantId: variantIds[0] as string, quantity: 1 }]);

    const unknown = await shop.view(cartId);
    expect(unknown).toMatchObject({ shippingTotal: null, total: { amount: 2500 }, checkoutReady: true, shipping: { country: null, required: true, options: [] } });

    const quoted = await shop.setShipping(cartId, { country: 'US' });
    expect(quoted.statusCode, JSON.stringify(quoted.body)).toBe(200);
    const cart = quoted.body as unknown as Awaited<ReturnType<ShippingShop['view']>>;
    expect(cart.shipping.options.map((o) => [o.id, o.amount.amount])).toEqual([
      [standard.id, 500],
      [express.id, 1500],
    ]);
    expect(cart).toMatchObject({ subtotal: { amount: 2500 }, shippingTotal: { amount: 500 }, total: { amount: 3000 }, checkoutReady: true, shipping: { option: { id: standard.id } } });

    const chosen = await shop.setShipping(cartId, { country: 'US', optionId: express.id });
    expect(chosen.body).toMatchObject({ shippingTotal: { amount: 1500 }, total: { amount: 4000 }, shipping: { selectedOptionId: express.id, option: { id: express.id } } });

    // Reaching the free-shipping threshold makes Standard free and first; the shopper's choice still stands.
    const lineId = ((await shop.app.inject({ url: `/v1/carts/${cartId}` })).json() as { lines: { id: string }[] }).lines[0]?.id;
    await shop.app.inject({ method: 'PATCH', url: `/v1/carts/${cartId}/lines/${lineId}`, payload: { quantity: 4 } });
    const big = await shop.view(cartId);
    expect(big.shipping.options.map((o) => [o.name, o.amount.amount, o.free])).toEqual([
      ['Standard US', 0, true],
      ['Express US', 1500, false],
    ]);
    expect(big).toMatchObject({ subtotal: { amount: 10_000 }, shippingTotal: { amount: 1500 }, total: { amount: 11_500 } });

    // An option that does not ship there, or no such option, or a bad country: 400, and the cart is as it was.
    for (const body of [{ country: 'US', optionId: canada.id }, { country: 'US', optionId: randomUUID() }, { country: 'usa' }, { optionId: express.id }]) {
      const res = await shop.setShipping(cartId, body);
      expect(res.statusCode, JSON.stringify(res.body)).toBe(400);
    }
    expect((await shop.view(cartId)).shipping).toMatchObject({ country: 'US', selectedOptionId: express.id });
  });

  it('when a shopper checks out, then the order total and the authorized payment include the chosen shipping, and the order keeps the option', async () => {
    await shop.option(flat('Economy CA', 'CA', 700));
    const priority = await shop.option(flat('Priority CA', 'CA', 1900));
    const { variantIds } = await shop.product({ stock: 20, price: 1999 });
    const cartId = await shop.cart([{ variantId: variantIds[0] as string, quantity: 2 }]);
    expect((await shop.setShipping(cartId, { country: 'CA', optionId: priority.id })).statusCode).toBe(200);

    const { statusCode, body: order } = await shop.checkoutAs(cartId, undefined, { ...ADDRESS, country: 'CA' });
    expect(statusCode, JSON.stringify(order)).toBe(201);
    expect(order).toMatchObject({
      status: 'confirmed',
      subtotal: { amount: 3998 },
      shippingTotal: { amount: 1900 },
      total: { amount: 5898 },
      shippingOption: { id: priority.id, name: 'Priority CA', amount: { amount: 1900, currency: 'USD' } },
    });
    const payment = (await shop.app.inject({ url: `/v1/admin/payments/${order.paymentId}`, headers: shop.admin })).json();
    expect(payment).toMatchObject({ amount: { amount: 5898 }, authorized: { amount: 5898 } });
  });

  it('when the chosen option stops applying, then the cart is not checkout-ready and says why, and checkout is refused until another is chosen', async () => {
    const cheap = await shop.option(flat('Cheap GB', 'GB', 300));
    const tracked = await shop.option(flat('Tracked GB', 'GB', 800));
    const { variantIds } = await shop.product({ stock: 20, price: 1000 });
    const cartId = await shop.cart([{ variantId: variantIds[0] as string, quantity: 1 }]);
    await shop.setShipping(cartId, { country: 'GB', optionId: cheap.id });

    const archived = await shop.app.inject({ method: 'POST', url: `/v1/shipping-options/${cheap.id}/archive`, headers: shop.admin, payload: { version: cheap.version } });
    expect(archived.statusCode, archived.body).toBe(200);
    const stale = await eventually(async () => {
      const view = await shop.view(cartId);
      return view.checkoutReady ? undefined : view;
    }, 'the cart to notice the archived option');
    expect(stale.shipping.issue).toMatch(/Cheap GB.*no longer offered.*choose another/);
    expect(stale.shipping.options.map((o) => o.id)).toEqual([tracked.id]);

    const refused = await shop.checkoutAs(cartId, undefined, { ...ADDRESS, country: 'GB' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ORDERS.SHIPPING_UNAVAILABLE' });
    expect((await shop.db.knex('orders.orders').where({ cart_id: cartId })).length).toBe(0);

    const again = await shop.setShipping(cartId, { country: 'GB', optionId: null });
    expect(again.body).toMatchObject({ checkoutReady: true, shippingTotal: { amount: 800 } });

    // Nowhere to ship to is refused the same way.
    const nowhere = await shop.checkoutAs(cartId, undefined, { ...ADDRESS, country: 'AQ' });
    expect(nowhere.statusCode).toBe(409);
    expect(nowhere.body).toMatchObject({ code: 'ORDERS.SHIPPING_UNAVAILABLE', detail: 'No shipping option delivers this cart to AQ.' });
    expect((await shop.checkoutAs(cartId, undefined, { ...ADDRESS, country: 'GB' })).body).toMatchObject({ status: 'confirmed', total: { amount: 1800 } });
  });

  it('when an order is confirmed, shipped in two parts and delivered, then the order follows and only its customer sees the tracking', async () => {
    await shop.option(flat('Standard DE', 'DE', 450));
    const { variantIds } = await shop.product({ stock: 20, price: 1200, sizes: ['S', 'L'] });
    const me = await shop.customer();
    const someoneElse = await shop.customer();
    const cartId = await shop.cart(
      [
        { variantId: variantIds[0] as string, quantity: 2 },
        { variantId: variantIds[1] as string, quantity: 1 },
      ],
      me,
    );
    const { body: order } = await shop.checkoutAs(cartId, me, { ...ADDRESS, country: 'DE' });
    expect(order).toMatchObject({ status: 'confirmed', total: { amount: 3 * 1200 + 450 } });

    const shipments = await eventually(async () => {
      const res = await shop.app.inject({ url: `/v1/shipments/by-order/${order.id}`, headers: me });
      const data = (res.json() as { data: { id: string; status: string; lines: { sku: string; quantity: number }[] }[] }).data;
      return data.length ? data : undefined;
    }, 'the shipment to be created');
    const [first] = shipments;
    expect(first).toMatchObject({ status: 'pending', shippingOption: { name: 'Standard DE' }, shippingAddress: { country: 'DE' } });
    const sku = first?.lines[0]?.sku as string;

    const act = (id: string, action: string, payload: Record<string, unknown> = {}) =>
      shop.app.inject({ method: 'POST', url: `/v1/shipments/${id}/${action}`, headers: shop.admin, payload });
    const partial = (await act(first?.id as string, 'ship', { carrierName: 'DHL', trackingNumber: 'DE-1', lines: [{ sku, quantity: 2 }] })).json();
    expect(partial).toMatchObject({ status: 'shipped', trackingUrl: 'https://track.example.test/DE-1' });
    const partlyShipped = await eventually(async () => {
      const view = (await shop.app.inject({ url: `/v1/orders/${order.id}`, headers: me })).json();
      return view.shipments?.length === 1 ? view : undefined;
    }, 'the order to show the first tracking number');
    expect(partlyShipped).toMatchObject({ status: 'confirmed', shipments: [{ trackingNumber: 'DE-1', trackingUrl: 'https://track.example.test/DE-1', status: 'shipped' }] });
    // Part of it has left: cancelling is refused (a refund is the way), and nothing changes.
    const cancel = await shop.app.inject({ method: 'POST', url: `/v1/orders/${order.id}/cancel`, headers: me });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ code: 'ORDERS.ILLEGAL_TRANSITION', currentState: 'partly shipped' });

    expect((await act(partial.remainder.id, 'deliver')).statusCode).toBe(409);
    await act(partial.remainder.id, 'ship', { trackingNumber: 'DE-2' });
    await eventually(async () => (await shop.app.inject({ url: `/v1/orders/${order.id}`, headers: me })).json().status === 'shipped', 'the order to be shipped');
    await act(first?.id as string, 'deliver');
    await act(partial.remainder.id, 'deliver');
    const delivered = await eventually(async () => {
      const view = (await shop.app.inject({ url: `/v1/orders/${order.id}`, headers: me })).json();
      return view.status === 'delivered' ? view : undefined;
    }, 'the order to be delivered');
    expect(delivered.shipments.map((s: { trackingNumber: string; status: string }) => [s.trackingNumber, s.status])).toEqual([
      ['DE-1', 'delivered'],
      ['DE-2', 'delivered'],
    ]);
    const timeline = (await shop.app.inject({ url: `/v1/admin/orders/${order.id}`, headers: shop.admin })).json().timeline.map((e: { type: string }) => e.type);
    expect(timeline).toEqual(expect.arrayContaining(['partially shipped', 'shipped', 'partially delivered', 'delivered']));

    expect((await shop.app.inject({ url: `/v1/shipments/${first?.id}`, headers: me })).json()).toMatchObject({ trackingNumber: 'DE-1', status: 'delivered' });
    expect((await shop.app.inject({ url: `/v1/shipments/${first?.id}`, headers: someoneElse })).statusCode).toBe(404);
    expect((await shop.app.inject({ url: `/v1/shipments/by-order/${order.id}`, headers: someoneElse })).statusCode).toBe(404);
    const mine = (await shop.app.inject({ url: '/v1/shipments/mine', headers: me })).json();
    expect(mine.data).toHaveLength(2);
  });

  it('when a confirmed order is cancelled before it ships, then its shipment is called off', async () => {
    await shop.option(flat('Standard FR', 'FR', 450));
    const { variantIds } = await shop.product({ stock: 5, price: 1000 });
    const cartId = await shop.cart([{ variantId: variantIds[0] as string, quantity: 1 }]);
    const { body: order } = await shop.checkoutAs(cartId, undefined, { ...ADDRESS, country: 'FR' });
    const shipment = await eventually(async () => (await shop.app.inject({ url: `/v1/shipments?orderId=${order.id}`, headers: shop.admin })).json().data[0], 'the shipment');
    expect((await shop.app.inject({ method: 'POST', url: `/v1/admin/orders/${order.id}/cancel`, headers: shop.admin })).statusCode).toBe(200);
    await eventually(
      async () => (await shop.app.inject({ url: `/v1/shipments/${shipment.id}`, headers: shop.admin })).json().status === 'cancelled',
      'the shipment to be cancelled',
    );
  });
});
