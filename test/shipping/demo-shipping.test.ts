/** The embedded shop's demo shipping options: seeded once, announced by events, so carts are priced with them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoShipping } from '@fusioncommerce/shipping';
import { eventually, openShippingShop, type ShippingShop } from './shipping.ts';

describe('demo shipping options', () => {
  let shop: ShippingShop;
  beforeAll(async () => {
    shop = await openShippingShop('pglite');
  });
  afterAll(async () => shop?.close());

  it('when the demo data is loaded, then standard, express and international are offered and carts quote them; loading again adds nothing', async () => {
    expect(await seedDemoShipping(shop.db.knex)).toBe(3);
    expect(await seedDemoShipping(shop.db.knex)).toBe(0);
    await eventually(async () => (await shop.db.knex('orders.shipping_options').where({ status: 'active' })).length === 3, 'orders to learn the demo options');
    const { variantIds } = await shop.product({ stock: 10, price: 2000 });
    const cartId = await shop.cart([{ variantId: variantIds[0] as string, quantity: 1 }]);
    const us = (await shop.setShipping(cartId, { country: 'US' })).body as { shipping: { options: { name: string; amount: { amount: number } }[] }; total: { amount: number } };
    expect(us.shipping.options.map((o) => [o.name, o.amount.amount])).toEqual([
      ['Standard', 499],
      ['Express', 1299],
    ]);
    expect(us.total.amount).toBe(2499);
    const abroad = (await shop.setShipping(cartId, { country: 'DE' })).body as { shipping: { options: { name: string }[] } };
    expect(abroad.shipping.options.map((o) => o.name)).toEqual(['International']);
    const free = await shop.app.inject({ url: '/v1/shipping-options?country=US&currency=USD&subtotal=5000&weightGrams=1500' });
    expect(free.json().data.map((q: { name: string; amount: { amount: number } }) => [q.name, q.amount.amount])).toEqual([
      ['Standard', 0],
      ['Express', 1999],
    ]);
  });
});
