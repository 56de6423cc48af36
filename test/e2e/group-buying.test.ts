// Group buying in the browser: a shopper starts a group from the product page and shares the link; another joins by it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, openBrowser, openShop, SUCCESS_CARD, type BrowserSession, type Shop } from './browser.ts';

const PASSWORD = 'group-buyer-password-1';

async function signIn(page: Page, url: string, email: string, next: string) {
  await page.goto(`${url}/account?next=${encodeURIComponent(next)}`);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await form.getByLabel('Password', { exact: true }).press('Enter');
  await page.waitForURL((u) => u.pathname === next.split('?')[0]);
}

async function takeSeat(page: Page, name: string, submit: string) {
  const form = page.getByRole('form', { name: submit });
  await form.getByLabel('Full name').fill(name);
  await form.getByLabel('Street address').fill('5 Group Lane');
  await form.getByLabel('City').fill('Teamtown');
  await form.getByLabel('Postal code').fill('22222');
  await form.getByLabel('Card number').fill(SUCCESS_CARD);
  await form.getByRole('button', { name: submit }).click();
}

describe.skipIf(!hasChromium)('group buying in Chromium: start, share, join', () => {
  let shop: Shop;
  let starter: BrowserSession;
  let joiner: BrowserSession;

  beforeAll(async () => {
    shop = await openShop();
    for (const email of ['starter@example.test', 'joiner@example.test']) {
      await shop.gateway.app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email, password: PASSWORD, name: email.split('@')[0] } });
    }
    starter = await openBrowser();
    joiner = await openBrowser();
    // A signed-in shopper without a cart yet: /v1/carts/mine answers 404, which Chromium logs.
    starter.expectHttpError(404);
    joiner.expectHttpError(404);
  });

  afterAll(async () => {
    await starter?.close();
    await joiner?.close();
    await shop?.close();
  });

  it('when a shopper starts a group and another joins by its link, then both see the tier ladder, the countdown and the member count rise', async () => {
    const deals = (await shop.gateway.app.inject('/v1/group-deals?limit=1')).json<{ data: { productId: string; minGroupSize: number }[] }>();
    const deal = deals.data[0];
    if (!deal) throw new Error('the demo data has no group deal');
    const product = (await shop.gateway.app.inject(`/v1/products/${deal.productId}`)).json<{ slug: string; title: string }>();

    const a = starter.page;
    await signIn(a, shop.url, 'starter@example.test', `/p/${product.slug}`);
    const panel = a.getByRole('region', { name: /Group deal/ });
    await panel.getByRole('list', { name: 'Price tiers' }).waitFor();
    await starter.shot('product-group-deal');
    await panel.getByRole('button', { name: 'Start a group' }).click();
    await takeSeat(a, 'Stella Starter', 'Start the group');

    await a.getByRole('heading', { level: 1, name: /^Group: / }).waitFor();
    await a.getByRole('status').filter({ hasText: 'Your group is open' }).waitFor();
    expect(await a.getByRole('timer').first().getAttribute('aria-label')).toMatch(/^Time left \S/);
    const link = await a.getByLabel('Link to this group').inputValue();
    expect(link).toMatch(/\/groups\/[A-Za-z0-9]+$/);
    await expect.poll(() => a.getByRole('heading', { name: /^1 of \d+ members/ }).count(), { timeout: 30_000 }).toBe(1);
    await starter.shot('group-started');

    const b = joiner.page;
    const path = new URL(link).pathname;
    await signIn(b, shop.url, 'joiner@example.test', path);
    await b.getByRole('heading', { name: 'Join this group' }).waitFor();
    await takeSeat(b, 'Joe Joiner', 'Join the group');
    await b.getByRole('status').filter({ hasText: 'You are in' }).waitFor();
    await expect.poll(() => b.getByRole('heading', { name: /^2 of \d+ members/ }).count(), { timeout: 30_000 }).toBe(1);
    await joiner.shot('group-joined');
    // The starter's page follows along on its own.
    await expect.poll(() => a.getByRole('heading', { name: /^2 of \d+ members/ }).count(), { timeout: 30_000 }).toBe(1);

    expect(starter.errors).toEqual([]);
    expect(joiner.errors).toEqual([]);
  });
});
