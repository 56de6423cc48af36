// A declined card says so clearly, charges nothing and keeps the cart; the same cart then checks out with a good card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECLINED_CARD, hasChromium, openBrowser, openShop, productWithVariants, SUCCESS_CARD, type BrowserSession, type Shop } from './browser.ts';

describe.skipIf(!hasChromium)('storefront in Chromium: a declined card', () => {
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

  it('when the card is declined, then the shopper reads why, the cart survives, and another card completes the order', async () => {
    const { page } = b;
    const product = await productWithVariants(shop.url, 'shirt');

    await page.goto(`${shop.url}/p/${product.slug}`);
    await page.getByRole('heading', { level: 1, name: product.title }).waitFor();
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    const cart = page.getByRole('dialog', { name: 'Your cart' });
    await expect.poll(() => cart.getByRole('listitem').count()).toBe(1);
    await cart.getByRole('button', { name: 'Checkout' }).click();

    const form = page.getByRole('form', { name: 'Checkout' });
    // Nothing filled in: the form says which fields it needs, next to them.
    await form.getByRole('button', { name: /Place order/ }).click();
    await expect.poll(() => form.getByText('Enter the email address for your receipt.').isVisible()).toBe(true);
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Email').fill('declined@example.test');
    await page.getByLabel('Full name').fill('Dee Clined');
    await page.getByLabel('Street address').fill('2 Side Street');
    await page.getByLabel('City').fill('Shelbyville');
    await page.getByLabel('Postal code').fill('54321');
    await page.getByLabel('Card number').fill(DECLINED_CARD);
    await form.getByRole('button', { name: /Place order/ }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'Order not placed' });
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/card was declined.*Nothing was charged.*cart is saved/);
    // Still on checkout, the cart and what was typed intact.
    expect(await page.getByRole('complementary', { name: 'Order summary' }).getByText(product.title).count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: /^Cart, 2 items/ }).count()).toBe(1);
    expect(await page.getByLabel('Street address').inputValue()).toBe('2 Side Street');
    await b.shot('checkout-declined');

    await page.getByLabel('Card number').fill(SUCCESS_CARD);
    await page.getByLabel('Card number').press('Enter');
    await page.getByRole('status').filter({ hasText: 'Thank you!' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('heading', { level: 1, name: /^Order FC-/ }).count()).toBe(1);

    expect(b.errors).toEqual([]);
  });
});
