/**
 * `fusion demo`'s receipts against a scripted platform: sent a few at a time,
 * and stopped at the first failure (the run is idempotent, so the next one
 * sends what is missing). The whole flow against real services is in demo.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { demoQuantity } from '@fusioncommerce/inventory';
import { DemoError, runDemo } from '../src/demo.ts';
import { SIGNING_KEYS } from './support/platform.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** SKUs the demo gives stock to (demo quantity above 0). */
function stockedSkus(count: number): string[] {
  const skus: string[] = [];
  for (let i = 0; skus.length < count; i += 1) if (demoQuantity(`DEMO-${i}`) > 0) skus.push(`DEMO-${i}`);
  return skus;
}

interface Script {
  skus: string[];
  /** The receipt of this SKU fails with a 500. */
  failing?: string;
}

/** A platform with a catalog of `skus`, none stocked, no group buying; a receipt takes 20 ms, a failing one fails at once. */
function scriptedPlatform(script: Script) {
  const receipts: string[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const page = (data: unknown[]) => json({ data, nextCursor: null });
  const fake = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const receipt = /^\/v1\/inventory\/items\/([^/]+)\/receipts$/.exec(url.pathname);
    if (method === 'POST' && receipt) {
      const sku = decodeURIComponent(receipt[1] as string);
      receipts.push(sku);
      if (sku === script.failing) return json({ code: 'INVENTORY.UNAVAILABLE', detail: 'database down' }, 500);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await sleep(20);
      inFlight -= 1;
      return json({ sku }, 201);
    }
    switch (url.pathname) {
      case '/health':
        return json({ status: 'ok' });
      case '/v1/products':
        return page([{}]);
      case '/v1/admin/products':
        return page([{ id: 'p1', title: 'Demo', status: 'published', variants: script.skus.map((sku) => ({ id: `v-${sku}`, sku, title: sku, price: { amount: 100, currency: 'USD' } })) }]);
      case '/v1/inventory/items':
        return page((url.searchParams.get('skus') ?? '').split(',').map((sku) => ({ sku, onHand: 0 })));
      case '/v1/inventory/movements':
        return page([]);
      default:
        return json({ code: 'REQUEST.ROUTE_NOT_FOUND', detail: `${method} ${url.pathname}` }, 404);
    }
  }) as typeof fetch;
  return { fetch: fake, receipts, mostInFlight: () => mostInFlight };
}

const run = (platform: ReturnType<typeof scriptedPlatform>, concurrency: number) =>
  runDemo({ baseUrl: 'http://shop.test', auth: { signingKeys: SIGNING_KEYS }, root, concurrency, waitMs: 1000, pollIntervalMs: 10, fetch: platform.fetch });

describe('fusion demo receipts', () => {
  it('when every SKU needs stock, then each gets one receipt, never more than `concurrency` at once', async () => {
    const skus = stockedSkus(12);
    const platform = scriptedPlatform({ skus });
    const report = await run(platform, 3);
    expect(report.stock).toMatchObject({ received: 12, inStock: 0, movedBefore: 0, soldOut: 0 });
    expect([...platform.receipts].sort()).toEqual([...skus].sort());
    expect(platform.mostInFlight()).toBe(3);
    expect(report.deals.note).toMatch(/group buying is not deployed/);
  });

  it('when a receipt fails, then the receipts still waiting are not sent and the error says to run it again', async () => {
    const skus = stockedSkus(12);
    const platform = scriptedPlatform({ skus, failing: skus[0] });
    const failed = await run(platform, 2).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(DemoError);
    expect((failed as DemoError).message).toBe(
      `POST /v1/inventory/items/${skus[0]}/receipts → 500 INVENTORY.UNAVAILABLE: database down; fusion demo can simply be run again once the platform is well`,
    );
    // The failing receipt and the one sent beside it (let it finish); none of the ten queued behind them.
    await sleep(100);
    expect(platform.receipts).toEqual(skus.slice(0, 2));
  });
});
