// An admin signs in, sees the dashboard, creates and publishes a product that then sells in the storefront, and ships an order.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_ADMIN_EMAIL, DEVELOPMENT_ADMIN_PASSWORD } from '@fusioncommerce/platform';
import { hasChromium, openBrowser, openShop, type BrowserSession, type Shop } from './browser.ts';

describe.skipIf(!hasChromium)('admin console in Chromium: sign in, products, shipping', () => {
  let shop: Shop;
  let b: BrowserSession;
  let orderNumber: string;

  beforeAll(async () => {
    shop = await openShop();
    b = await openBrowser();
    // A shopper's order (through the API) for the dashboard to chart and the admin to ship.
    const app = shop.gateway.app;
    const product = (await app.inject({ url: '/v1/products?limit=1&sort=price_desc' })).json<{ data: { variants: { id: string }[] }[] }>().data[0];
    const cart = (await app.inject({ method: 'POST', url: '/v1/carts' })).json<{ id: string }>();
    await app.inject({ method: 'POST', url: `/v1/carts/${cart.id}/lines`, payload: { variantId: product?.variants[0]?.id, quantity: 2 } });
    const order = await app.inject({
      method: 'POST',
      url: '/v1/checkout',
      headers: { 'idempotency-key': randomUUID() },
      payload: { cartId: cart.id, email: 'buyer@example.test', shippingAddress: { name: 'Bea Buyer', line1: '3 High Street', city: 'Capital City', postalCode: '10001', country: 'US' }, payment: { method: '4242424242424242' } },
    });
    const placed = order.json<{ number: string; status: string }>();
    expect(placed.status).toBe('confirmed');
    orderNumber = placed.number;
  });

  afterAll(async () => {
    await b?.close();
    await shop?.close();
  });

  it('when an admin creates and publishes a product, then shoppers find it; and the admin ships an order', async () => {
    const { page } = b;
    await page.goto(`${shop.url}/admin`);
    await page.getByLabel('Email').fill(DEVELOPMENT_ADMIN_EMAIL);
    await page.getByLabel('Password').fill(DEVELOPMENT_ADMIN_PASSWORD);
    await page.getByLabel('Password').press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    // The shopper's order, in the figures the orders service summarizes.
    await page.getByRole('img', { name: /Orders and revenue per day for the last 30 days: 1 order, / }).waitFor();
    await page.getByRole('img', { name: 'Top products by revenue' }).waitFor();
    await b.shot('admin-dashboard');

    // A new product: the API's validation errors appear next to their fields.
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await sections.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('link', { name: 'New product' }).click();
    await page.getByRole('heading', { level: 1, name: 'New product' }).waitFor();
    b.expectHttpError(400);
    await page.getByLabel('Variant 1 SKU').fill('not a sku');
    await page.getByLabel('Variant 1 price').fill('18.50');
    await page.getByRole('button', { name: 'Create product' }).click();
    await expect.poll(() => page.getByLabel('Title', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Required.').count()).toBe(1);
    await page.getByLabel('Title', { exact: true }).fill('Trailhead Enamel Mug');
    await page.getByRole('button', { name: 'Create product' }).click();
    await expect.poll(() => page.getByLabel('Variant 1 SKU').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Not in the expected format.').count()).toBe(1);
    await b.shot('admin-product-validation');

    await page.getByLabel('Variant 1 SKU').fill('E2E-MUG-SAGE');
    await page.getByLabel('Variant 1 options').fill('colour=Sage');
    await page.getByLabel('Description', { exact: true }).fill('A sturdy enamel mug for the trail.');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('status').filter({ hasText: 'Product created as a draft.' }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('status').filter({ hasText: 'Published' }).waitFor();
    await b.shot('admin-product-published');

    // The storefront sells it.
    await page.goto(`${shop.url}/search?q=Trailhead`);
    await page.getByRole('list', { name: 'Search results' }).getByRole('link', { name: /Trailhead Enamel Mug/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Trailhead Enamel Mug' }).waitFor();
    expect(await page.getByText('$18.50').count()).toBeGreaterThan(0);
    await b.shot('storefront-new-product');

    // Ship the shopper's order with a tracking number.
    await page.goto(`${shop.url}/admin/orders`);
    await page.getByRole('link', { name: orderNumber }).click();
    await page.getByRole('heading', { level: 1, name: `Order ${orderNumber}` }).waitFor();
    await page.getByLabel('Carrier').fill('DHL');
    await page.getByLabel('Tracking number').fill('JD014600006281230');
    await page.getByRole('button', { name: 'Mark shipped' }).click();
    await expect.poll(() => page.locator('.row-between .badge').first().textContent(), { timeout: 15_000 }).toBe('shipped');
    await b.shot('admin-order-shipped');

    // The other sections render.
    await sections.getByRole('link', { name: 'Inventory' }).click();
    await page.getByRole('table', { name: 'Stock levels' }).getByRole('row').nth(1).waitFor();
    await b.shot('admin-inventory');
    if (await sections.getByRole('link', { name: 'Group deals' }).count()) {
      await sections.getByRole('link', { name: 'Group deals' }).click();
      await page.getByRole('table', { name: 'Group deals' }).getByRole('row').nth(1).waitFor();
      await b.shot('admin-group-deals');
    }

    expect(b.errors).toEqual([]);
  });

  it('when a variant row is wrong before or after sending, then the message shows on that row, even with a blank row before it', async () => {
    const own = await openBrowser();
    try {
      const { page } = own;
      await page.goto(`${shop.url}/admin/products/new`);
      await page.getByLabel('Email').fill(DEVELOPMENT_ADMIN_EMAIL);
      await page.getByLabel('Password').fill(DEVELOPMENT_ADMIN_PASSWORD);
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('heading', { level: 1, name: 'New product' }).waitFor();
      own.expectHttpError(400);

      // Row 1 stays blank; row 2 has a price that is not one: the console says so before sending anything.
      await page.getByLabel('Title', { exact: true }).fill('Row Keeper Flask');
      await page.getByRole('button', { name: 'Add variant' }).click();
      await page.getByLabel('Variant 2 SKU').fill('not a sku');
      await page.getByLabel('Variant 2 price').fill('twelve');
      await page.getByLabel('Title', { exact: true }).press('Enter');
      await expect.poll(() => page.getByLabel('Variant 2 price').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByText('Enter a price such as 19.99.').count()).toBe(1);
      expect(await page.getByLabel('Variant 1 price').getAttribute('aria-invalid')).toBeNull();
      expect(await page.getByRole('alert').filter({ hasText: 'Some fields need attention' }).count()).toBe(1);

      // The API's message about the only row sent lands on row 2, where that row is on screen.
      await page.getByLabel('Variant 2 price').fill('12.00');
      await page.getByRole('button', { name: 'Create product' }).click();
      await expect.poll(() => page.getByLabel('Variant 2 SKU').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByText('Not in the expected format.').count()).toBe(1);
      expect(await page.getByLabel('Variant 1 SKU').getAttribute('aria-invalid')).toBeNull();
      expect(await page.getByLabel('Variant 2 price').getAttribute('aria-invalid')).toBeNull();

      await page.getByLabel('Variant 2 SKU').fill('E2E-FLASK-ROW');
      await page.getByRole('button', { name: 'Create product' }).click();
      await page.getByRole('status').filter({ hasText: 'Product created as a draft.' }).waitFor();
      expect(await page.getByLabel('Variant 1 SKU').inputValue()).toBe('E2E-FLASK-ROW');
      expect(await page.getByLabel('Variant 2 SKU').count()).toBe(0);

      expect(own.errors).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
