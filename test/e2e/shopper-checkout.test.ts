// A shopper finds a product by search, puts two of its variants in the cart, checks out with the test card and sees the order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openBrowser, openShop, productWithVariants, SUCCESS_CARD, type BrowserSession, type Shop } from './browser.ts';

describe.skipIf(!hasChromium)('storefront in Chromium: search, cart, checkout', () => {
  let shop: Shop;
  let b: BrowserSession;

  beforeAll(async () => {
    shop = await openShop();
    b = await openBrowser();
  });

  afterAll(async () => {
    await b?.close();
    await shop?.close();
  });

  it('when a shopper searches, adds two variants and pays with the success card, then the order is confirmed and listed', async () => {
    const { page } = b;
    const product = await productWithVariants(shop.url, 'hoodie');

    await page.goto(`${shop.url}/`);
    await expect.poll(() => page.getByRole('heading', { name: 'New in' }).isVisible()).toBe(true);
    await page.getByRole('list', { name: 'Featured products' }).getByRole('link').first().waitFor();
    await b.shot('storefront-home');

    // Instant results while typing.
    await page.getByRole('searchbox', { name: 'Search products' }).fill(product.title);
    const instant = page.getByRole('region', { name: 'Instant results' });
    await instant.getByRole('link', { name: new RegExp(product.title) }).first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: product.title }).isVisible()).toBe(true);

    const cart = page.getByRole('dialog', { name: 'Your cart' });
    for (const variant of product.variants.slice(0, 2)) {
      for (const option of product.options) {
        const legend = option.name.charAt(0).toUpperCase() + option.name.slice(1);
        await page.getByRole('group', { name: legend }).getByRole('radio', { name: variant.options[option.name] as string, exact: true }).check();
      }
      await expect.poll(() => page.getByRole('status').filter({ hasText: /in stock/i }).count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await cart.waitFor();
      await expect.poll(() => cart.getByText(variant.title, { exact: false }).count()).toBeGreaterThan(0);
      if (variant === product.variants[0]) {
        await b.shot('product-page');
        await page.keyboard.press('Escape');
        await cart.waitFor({ state: 'detached' });
      }
    }
    await expect.poll(() => cart.getByRole('listitem').count()).toBe(2);
    await b.shot('cart-drawer');
    await cart.getByRole('button', { name: 'Checkout' }).click();

    await page.getByRole('heading', { name: 'Checkout', level: 1 }).waitFor();
    await page.getByLabel('Email').fill('e2e.shopper@example.test');
    await page.getByLabel('Full name').fill('Ada Shopper');
    await page.getByLabel('Street address').fill('1 Market Street');
    await page.getByLabel('City').fill('Springfield');
    await page.getByLabel('Postal code').fill('12345');
    await page.getByLabel('Country').selectOption('US');
    // The shipping choice is priced by the server and lands in the total.
    const summary = page.getByRole('complementary', { name: 'Order summary' });
    const shipping = page.getByRole('radiogroup', { name: 'Shipping method' });
    await shipping.getByRole('radio').first().waitFor();
    const express = shipping.getByRole('radio', { name: /Express/ });
    if (await express.count()) {
      // Another country: an option that does not ship there gives way to one that does, without an error.
      await express.check();
      await expect.poll(() => summary.getByText('$12.99').count()).toBeGreaterThan(0);
      await page.getByLabel('Country').selectOption('CA');
      await expect.poll(() => shipping.getByRole('radio', { name: /International/ }).isChecked()).toBe(true);
      expect(await page.getByRole('alert').count()).toBe(0);
      await page.getByLabel('Country').selectOption('US');
      await expect.poll(() => shipping.getByRole('radio', { name: /Express/ }).count()).toBe(1);
      await express.check();
      await expect.poll(() => summary.getByText('$12.99').count()).toBeGreaterThan(0);
    }
    await page.getByLabel('Card number').fill(SUCCESS_CARD);
    await b.shot('checkout');
    // Submitted from the keyboard: Enter in the last field.
    await page.getByLabel('Card number').press('Enter');

    const thanks = page.getByRole('status').filter({ hasText: 'Thank you!' });
    await thanks.waitFor({ timeout: 30_000 });
    const heading = await page.getByRole('heading', { level: 1, name: /^Order / }).textContent();
    const number = heading?.replace('Order ', '').trim() ?? '';
    expect(number).toMatch(/^FC-/);
    expect(await thanks.textContent()).toMatch(/confirmed/);
    await b.shot('order-confirmation');

    // The cart starts afresh, and the order is in this device's history.
    expect(await page.getByRole('button', { name: /^Cart, 0 items/ }).count()).toBe(1);
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('link', { name: number }).waitFor();
    await b.shot('order-history');

    expect(b.errors).toEqual([]);
  });

  it('when the answer to placing an order is lost, then the retry sends the same key and the order is placed once', async () => {
    const own = await openBrowser();
    try {
      const { page } = own;
      const product = await productWithVariants(shop.url, 'shirt');
      await page.goto(`${shop.url}/p/${product.slug}`);
      await page.getByRole('heading', { level: 1, name: product.title }).waitFor();
      await page.getByRole('button', { name: 'Add to cart' }).click();
      const cart = page.getByRole('dialog', { name: 'Your cart' });
      await expect.poll(() => cart.getByRole('listitem').count()).toBe(1);
      await cart.getByRole('button', { name: 'Checkout' }).click();

      const email = 'lost.answer@example.test';
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Full name').fill('Lou Stanswer');
      await page.getByLabel('Street address').fill('4 Tunnel Road');
      await page.getByLabel('City').fill('Ogdenville');
      await page.getByLabel('Postal code').fill('67890');
      await page.getByLabel('Card number').fill(SUCCESS_CARD);

      // The first checkout reaches the shop, but the connection drops before its answer arrives, and stays down until the shopper tries again.
      const keys: string[] = [];
      let offline = false;
      await page.route('**/v1/**', async (route) => {
        const request = route.request();
        if (request.method() === 'POST' && new URL(request.url()).pathname === '/v1/checkout') {
          keys.push(request.headers()['idempotency-key'] ?? '');
          if (keys.length === 1) {
            await route.fetch();
            offline = true;
            return route.abort('internetdisconnected');
          }
        }
        return offline ? route.abort('internetdisconnected') : route.continue();
      });
      await page.getByLabel('Card number').press('Enter');
      const alert = page.getByRole('alert').filter({ hasText: 'Order not placed' });
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent()).toMatch(/could not be reached/);

      offline = false;
      await page.getByRole('form', { name: 'Checkout' }).getByRole('button', { name: /Place order/ }).click();
      await page.getByRole('status').filter({ hasText: 'Thank you!' }).waitFor({ timeout: 30_000 });
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
      // One order, the one the first try placed.
      expect(await shop.db.knex('orders.orders').where({ email }).select('idempotency_key')).toEqual([{ idempotency_key: keys[0] }]);

      expect(own.errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
