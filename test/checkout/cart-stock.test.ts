/**
 * Carts show what inventory can sell: a line asking for more than is
 * available says so (and why) before checkout, from inventory's events; the
 * reservation at checkout still decides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { eventually, openShop, type Shop } from './shop.ts';

interface LineView {
  id: string;
  sku: string;
  quantity: number;
  available: boolean;
  unavailableReason: string | null;
  stockAvailable: number | null;
}
interface CartView {
  lines: LineView[];
  checkoutReady: boolean;
  subtotal: { amount: number } | null;
}

describe.each(BACKENDS)('cart availability from inventory on %s', (backend) => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await openShop(backend);
  });
  afterAll(async () => shop.close());

  const cart = async (id: string): Promise<CartView> => (await shop.app.inject({ url: `/v1/carts/${id}` })).json() as CartView;
  /** Waits until the cart's first line shows `stock` available (inventory's event reached orders). */
  const cartShowing = (id: string, stock: number) =>
    eventually(async () => {
      const view = await cart(id);
      return view.lines[0]?.stockAvailable === stock ? view : undefined;
    }, `the cart to show ${stock} in stock`);

  it('when a line asks for more than is in stock, then the cart says so and why, and a receipt makes it buyable again', async () => {
    const { variantIds, skus } = await shop.product({ stock: 3 });
    const cartId = await shop.cartWith([{ variantId: variantIds[0] as string, quantity: 2 }]);
    let view = await cartShowing(cartId, 3);
    expect(view.lines[0]).toMatchObject({ available: true, unavailableReason: null });
    expect(view.checkoutReady).toBe(true);

    const line = view.lines[0] as LineView;
    const res = await shop.app.inject({ method: 'PATCH', url: `/v1/carts/${cartId}/lines/${line.id}`, payload: { quantity: 5 } });
    expect(res.statusCode).toBe(200);
    view = res.json() as CartView;
    expect(view.lines[0]).toMatchObject({ quantity: 5, available: false, unavailableReason: 'insufficient_stock', stockAvailable: 3 });
    expect(view.checkoutReady).toBe(false);
    // The line still counts in the subtotal: it is for sale, just short for now.
    expect(view.subtotal?.amount).toBe(5 * 2500);

    await shop.app.inject({ method: 'POST', url: `/v1/inventory/items/${skus[0]}/receipts`, headers: shop.admin, payload: { quantity: 4 } });
    view = await cartShowing(cartId, 7);
    expect(view.lines[0]).toMatchObject({ available: true, unavailableReason: null });
    expect(view.checkoutReady).toBe(true);
  });

  it('when another shopper buys, then other carts see the stock go down, down to sold out', async () => {
    const { variantIds } = await shop.product({ stock: 2 });
    const variantId = variantIds[0] as string;
    const watcher = await shop.cartWith([{ variantId, quantity: 1 }]);
    await cartShowing(watcher, 2);

    const buyer = await shop.cartWith([{ variantId, quantity: 2 }]);
    const { body } = await shop.checkout(buyer);
    expect(body.status).toBe('confirmed');
    const view = await cartShowing(watcher, 0);
    expect(view.lines[0]).toMatchObject({ available: false, unavailableReason: 'insufficient_stock' });

    // Checkout refuses at once, says what is short, and the cart stays as it was.
    const late = await shop.checkout(watcher);
    expect(late.statusCode).toBe(409);
    expect(late.body).toMatchObject({ code: 'ORDERS.OUT_OF_STOCK', shortages: [{ requested: 1, available: 0 }] });
    expect(String(late.body.detail)).toMatch(/Not enough stock/);
  });

  it('when a product is new and nothing was received, then its lines are unavailable at zero; a SKU inventory never heard of is not blocked', async () => {
    const fresh = await shop.product({ stock: 0 });
    const cartId = await shop.cartWith([{ variantId: fresh.variantIds[0] as string, quantity: 1 }]);
    const view = await cartShowing(cartId, 0);
    expect(view.lines[0]).toMatchObject({ available: false, unavailableReason: 'insufficient_stock' });

    // A shop upgraded from before inventory spoke to carts: orders has no figure for a SKU until its stock next moves.
    const other = await shop.cartWith([{ variantId: fresh.variantIds[0] as string, quantity: 1 }]);
    await shop.db.knex('orders.stock_levels').where({ sku: fresh.skus[0] }).delete();
    expect((await cart(other)).lines[0]).toMatchObject({ available: true, unavailableReason: null, stockAvailable: null });
  });
});
