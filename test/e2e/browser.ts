/**
 * End-to-end support: a real gateway (every service, the demo catalog, the
 * built web apps) on a free port over a fresh PostgreSQL database, and
 * headless Chromium pages that record console errors and take screenshots.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { buildGateway, type Gateway } from '../../apps/gateway/src/gateway.ts';
import { defaultDistDir, ensureWebBuild } from '../../apps/gateway/src/web.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** Without Chromium the suites report as skipped, by name. */
export const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
export const SUCCESS_CARD = '4242 4242 4242 4242';
export const DECLINED_CARD = '4000 0000 0000 0002';

export interface Shop {
  gateway: Gateway;
  db: TestDatabase;
  url: string;
  close(): Promise<void>;
}

async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The whole platform as `npm start` runs it, with the demo data, listening on a free port. */
export async function openShop(): Promise<Shop> {
  if (ensureWebBuild() === 'unavailable') throw new Error(`the web apps are not built (${defaultDistDir()})`);
  const db = await createTestDatabase('postgres');
  const gateway = await buildGateway({ config: { DATABASE_URL: db.url }, db, logger: false, demoData: true });
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;
  // Orders learns the demo catalog from catalog events: wait until it can sell every variant.
  const count = async (query: ReturnType<typeof db.knex>) => Number((await query.count<{ count: string }[]>('* as count'))[0]?.count ?? 0);
  const published = await count(db.knex('catalog.variants as v').join('catalog.products as p', 'p.id', 'v.product_id').where('p.status', 'published'));
  let known = 0;
  await eventually(async () => {
    known = await count(db.knex('orders.catalog_variants').where({ sellable: true }));
    return known >= published;
  }, 'orders to learn the demo catalog', 120_000).catch((error: Error) => {
    throw new Error(`${error.message}: ${known} of ${published} published variants known`);
  });
  return {
    gateway,
    db,
    url,
    async close() {
      await gateway.app.close();
      await db.close();
    },
  };
}

export interface BrowserSession {
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions seen so far (minus the ones a test expects). */
  errors: string[];
  /** An HTTP error status the test provokes on purpose (Chromium logs it as a console error). */
  expectHttpError(status: number): void;
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  const expected = new Set<number>();
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(message.text())?.[1];
    if (status && expected.has(Number(status))) return;
    errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return {
    browser,
    page,
    errors,
    expectHttpError: (status) => void expected.add(status),
    async shot(name) {
      // From the top, so the sticky header sits where a visitor sees it.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
    },
  };
}

/** A published demo product with at least two variants in stock, found through the API as a shopper would. */
export async function productWithVariants(url: string, q: string): Promise<{ title: string; slug: string; variants: { title: string; options: Record<string, string> }[]; options: { name: string }[] }> {
  const res = await fetch(`${url}/v1/products?q=${encodeURIComponent(q)}&limit=20`);
  const page = (await res.json()) as { data: { title: string; slug: string; variants: { title: string; sku: string; options: Record<string, string> }[]; options: { name: string }[] }[] };
  const product = page.data.find((p) => p.variants.length >= 2);
  if (!product) throw new Error(`no product with two variants matches "${q}"`);
  return product;
}
