/**
 * `fusion demo` against a running platform loaded by `fusion seed` alone (the
 * catalog and shipping options in their own tables, nothing else): it
 * completes the demo shop through the admin API — every SKU with its demo
 * quantity, the two demo group deals — so a shopper can buy; a second run
 * adds nothing; a refused token, an unreachable URL or a catalog that never
 * appears stop it with exit 1 and a line saying why.
 */
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogService } from '@fusioncommerce/catalog';
import { inventoryService, demoQuantity, DEMO_STOCK_REASON } from '@fusioncommerce/inventory';
import { DEMO_DEAL_COUNT, demoDealRequests, pickDemoDealVariants } from '@fusioncommerce/group-commerce';
import { testTokens } from '@fusioncommerce/platform/testing';
import { SIGNING_KEYS, cli, startDistributedPlatform, startPlatform, type DistributedPlatform, type RunningPlatform } from './support/platform.ts';

const OTHER_KEYS = 'other:another-signing-key-0123456789abcdef0123456';
const SUCCESS_CARD = '4242424242424242';

interface DealView {
  id: string;
  variantId: string;
  sku: string;
  tiers: { minParticipants: number; unitPrice: { amount: number; currency: string } }[];
  minGroupSize: number;
  maxGroupSize: number | null;
  perCustomerLimit: number;
  groupWindowSeconds: number;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A port on this machine where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function call<T>(baseUrl: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const answer = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: answer.status, body: (await answer.json()) as T };
}

/** A shopper's whole purchase of a well-stocked demo product, as a guest with the test card; resolves to the settled order. */
async function buyDemoProduct(baseUrl: string): Promise<{ id: string; status: string }> {
  const variant = (await call<{ data: { variants: { id: string; sku: string }[] }[] }>(baseUrl, '/v1/products?limit=50')).body.data
    .flatMap((p) => p.variants)
    .find((v) => demoQuantity(v.sku) >= 8);
  expect(variant, 'a well-stocked demo variant in the storefront').toBeDefined();
  const cart = (await call<{ id: string }>(baseUrl, '/v1/carts', { method: 'POST', body: {} })).body;
  // Orders learns the demo products from the catalog's events, as inventory does.
  await until(
    async () => ((await call(baseUrl, `/v1/carts/${cart.id}/lines`, { method: 'POST', body: { variantId: variant?.id, quantity: 1 } })).status === 200 ? true : undefined),
    'orders to sell the demo variant',
  );
  const placed = await call<{ id: string; status: string }>(baseUrl, '/v1/checkout', {
    method: 'POST',
    headers: { 'idempotency-key': randomUUID() },
    body: {
      cartId: cart.id,
      email: 'shopper@example.test',
      shippingAddress: { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' },
      payment: { method: SUCCESS_CARD },
    },
  });
  expect([201, 202], JSON.stringify(placed.body)).toContain(placed.status);
  return until(async () => {
    const current = (await call<{ id: string; status: string }>(baseUrl, `/v1/orders/${placed.body.id}`)).body;
    return current.status === 'pending' ? undefined : current;
  }, 'the order to settle');
}

describe('fusion demo after fusion seed, against the platform without demo data', () => {
  let platform: RunningPlatform;
  let first: { code: number; stdout: string; stderr: string };
  let admin: { authorization: string };

  const api = <T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => call<T>(platform.url, path, init);

  /** What a run could change: stock to sell (on hand less reserved: an order's commit moves both), receipts, group deals. */
  const snapshot = async () => {
    const knex = platform.db.knex;
    return {
      available: await knex('inventory.stock_levels').orderBy(['sku', 'location_id']).select('sku', 'location_id', knex.raw('on_hand - reserved as available')),
      receipts: Number(((await knex('inventory.movements').where({ kind: 'receipt' }).count({ n: '*' })) as { n: string }[])[0]?.n),
      deals: await knex('group_commerce.deals').orderBy('id').select('id', 'variant_id', 'status', 'version'),
    };
  };

  beforeAll(async () => {
    platform = await startPlatform();
    admin = { authorization: `Bearer ${await testTokens(SIGNING_KEYS).sign({ id: randomUUID(), role: 'admin', email: 'ops@example.test' })}` };
    // The distributed runbook's first step: the demo catalog and shipping options into the services' own tables.
    const seeded = await cli(['seed', '--database-url', platform.db.url as string]);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/catalog: loaded the demo catalog/);
    expect(Number(((await platform.db.knex('inventory.stock_levels').count({ n: '*' })) as { n: string }[])[0]?.n)).toBe(0);
    first = await cli(['demo', platform.url, '--signing-keys', SIGNING_KEYS, '--wait', '60']);
  }, 300_000);
  afterAll(async () => platform?.close());

  it('when run, then every demo SKU is tracked with its demo quantity on hand, received as demo stock, with progress shown', async () => {
    expect(first.code, first.stderr).toBe(0);
    const skus = (await platform.db.knex('catalog.variants').pluck('sku')) as string[];
    const stocked = skus.filter((sku) => demoQuantity(sku) > 0);
    expect(first.stdout).toContain(`stock: ${stocked.length} SKU(s) received their demo quantity`);
    expect(first.stdout).toContain(`${skus.length - stocked.length} sold out by design; left alone: 0 in stock already, 0 with earlier stock movements`);
    expect(first.stderr).toContain(`stocking demo SKUs: 0/${stocked.length}`);
    expect(first.stderr).toContain(`stocking demo SKUs: ${stocked.length}/${stocked.length} done`);

    const tracked = new Set((await platform.db.knex('inventory.items').pluck('sku')) as string[]);
    expect(skus.filter((sku) => !tracked.has(sku))).toEqual([]);
    const receipts = (await platform.db.knex('inventory.movements').where({ kind: 'receipt' }).select('sku', 'on_hand_delta', 'reason')) as { sku: string; on_hand_delta: number; reason: string }[];
    expect(receipts.map((r) => [r.sku, r.on_hand_delta, r.reason]).sort()).toEqual(stocked.map((sku) => [sku, demoQuantity(sku), DEMO_STOCK_REASON]).sort());
    // On hand now: the demo quantity, but where a shopper's order (another test) has taken units since.
    const sold = new Set((await platform.db.knex('inventory.movements').whereNot({ kind: 'receipt' }).pluck('sku')) as string[]);
    const onHand = new Map(
      ((await platform.db.knex('inventory.stock_levels').groupBy('sku').select('sku').sum({ units: 'on_hand' })) as { sku: string; units: string }[]).map((r) => [r.sku, Number(r.units)]),
    );
    for (const sku of skus.filter((s) => !sold.has(s))) expect([sku, onHand.get(sku) ?? 0]).toEqual([sku, demoQuantity(sku)]);
  });

  it('when run, then the two demo deals are on the well-stocked published variants the embedded shop would pick, with its tiers', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/group deals: created 2 — .+ \(SKU [A-Z0-9-]+\), .+ \(SKU [A-Z0-9-]+\); 0 there already/);
    const deals = (await api<{ data: DealView[] }>('/v1/group-deals?state=any&limit=100', { headers: admin })).body.data;
    expect(deals).toHaveLength(DEMO_DEAL_COUNT);
    const published = (await platform.db.knex('catalog.variants as v')
      .join('catalog.products as p', 'p.id', 'v.product_id')
      .where('p.status', 'published')
      .select('v.id', 'v.sku', 'v.price_amount', 'v.currency')) as { id: string; sku: string; price_amount: string; currency: string }[];
    const expected = pickDemoDealVariants(published.map((v) => ({ ...v, onHand: demoQuantity(v.sku) })));
    expect(deals.map((d) => d.sku).sort()).toEqual(expected.map((v) => v.sku).sort());
    for (const deal of deals) {
      const variant = expected.find((v) => v.id === deal.variantId) as (typeof expected)[number];
      const [request] = demoDealRequests([{ variantId: variant.id, price: Number(variant.price_amount), currency: variant.currency }]);
      expect(deal.tiers).toEqual(request?.tiers);
      expect([deal.minGroupSize, deal.maxGroupSize, deal.perCustomerLimit, deal.groupWindowSeconds]).toEqual([2, 10, 2, 48 * 3600]);
    }
    // Shoppers see them live.
    expect((await api<{ data: unknown[] }>('/v1/group-deals')).body.data).toHaveLength(DEMO_DEAL_COUNT);
  });

  it('when a shopper puts a demo product in a cart and pays with the test card, then the order is confirmed', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect((await buyDemoProduct(platform.url)).status).toBe('confirmed');
  });

  it('when run a second time, then it adds nothing: no receipt, no deal, stock as it was', async () => {
    expect(first.code, first.stderr).toBe(0);
    const before = await snapshot();
    const again = await cli(['demo', platform.url, '--signing-keys', SIGNING_KEYS, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as { stock: { received: number; units: number }; deals: { created: unknown[]; existing: unknown[] } };
    expect(report.stock).toMatchObject({ received: 0, units: 0 });
    expect(report.deals.created).toEqual([]);
    expect(report.deals.existing).toHaveLength(DEMO_DEAL_COUNT);
    expect(await snapshot()).toEqual(before);
  });

  it('when the token is signed with keys the platform does not hold, or is not a token, then it exits 1 saying the token was refused', async () => {
    const signed = await cli(['demo', platform.url, '--signing-keys', OTHER_KEYS]);
    expect(signed.code).toBe(1);
    expect(signed.stderr).toMatch(/fusion: the platform refused the admin token \(signed with key "other"/);
    const garbage = await cli(['demo', platform.url, '--token', 'not-a-token']);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/fusion: the platform refused the admin token \(the given token\): GET \/v1\/admin\/products → 401/);
    const none = await cli(['demo', platform.url]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('fusion: no admin credentials: pass --token, --email and --password, or --signing-keys');
  });
});

describe('fusion demo against a proxying gateway in front of every service (the compose and Kubernetes shape)', () => {
  let platform: DistributedPlatform;
  beforeAll(async () => {
    // Each event consumer holds a connection while its handler takes another: under the demo's burst of events,
    // three connections per service can all end up held by loops waiting for a second one.
    platform = await startDistributedPlatform();
  });
  afterAll(async () => platform?.close());

  it('when run after fusion seed, then the shop is complete through the gateway: stock, two deals, a confirmed order; a second run adds nothing', async () => {
    const seeded = await cli(['seed', '--database-url', platform.db.url as string]);
    expect(seeded.code, seeded.stderr).toBe(0);
    const first = await cli(['demo', platform.url, '--signing-keys', SIGNING_KEYS, '--wait', '60', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const skus = (await platform.db.knex('catalog.variants').pluck('sku')) as string[];
    const stocked = skus.filter((sku) => demoQuantity(sku) > 0);
    const report = JSON.parse(first.stdout) as { stock: { received: number; soldOut: number }; deals: { created: { sku: string }[] } };
    expect(report.stock).toMatchObject({ received: stocked.length, soldOut: skus.length - stocked.length });
    expect(report.deals.created).toHaveLength(DEMO_DEAL_COUNT);
    expect(Number(((await platform.db.knex('inventory.stock_levels').sum({ units: 'on_hand' })) as { units: string }[])[0]?.units)).toBe(
      stocked.reduce((sum, sku) => sum + demoQuantity(sku), 0),
    );
    expect((await call<{ data: unknown[] }>(platform.url, '/v1/group-deals')).body.data).toHaveLength(DEMO_DEAL_COUNT);

    // Orders learns what each SKU has to sell from inventory's events: once it has every one, shoppers can buy.
    await until(async () => {
      const known = Number(((await platform.db.knex('orders.stock_levels').where('available', '>', 0).count({ n: '*' })) as { n: string }[])[0]?.n);
      return known === stocked.length ? true : undefined;
    }, 'orders to learn the demo stock', 120_000);
    expect((await buyDemoProduct(platform.url)).status).toBe('confirmed');

    const receipts = async () => Number(((await platform.db.knex('inventory.movements').where({ kind: 'receipt' }).count({ n: '*' })) as { n: string }[])[0]?.n);
    const before = { receipts: await receipts(), deals: await platform.db.knex('group_commerce.deals').pluck('id') };
    const again = await cli(['demo', platform.url, '--signing-keys', SIGNING_KEYS]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/stock: 0 SKU\(s\) received their demo quantity \(0 units\)/);
    expect(again.stdout).toMatch(/group deals: created 0; 2 there already/);
    expect({ receipts: await receipts(), deals: await platform.db.knex('group_commerce.deals').pluck('id') }).toEqual(before);
  });
});

describe('fusion demo when it cannot complete the shop', () => {
  it('when nothing answers at the URL, then it exits 1 saying it cannot reach the platform', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { code, stdout, stderr } = await cli(['demo', url, '--signing-keys', SIGNING_KEYS]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`fusion: cannot reach the platform at ${url}: ECONNREFUSED`);
  });

  it('when the catalog never appears, then it exits 1 after --wait saying to load the demo catalog first', async () => {
    const platform = await startPlatform({ services: [catalogService, inventoryService] });
    try {
      const { code, stderr } = await cli(['demo', platform.url, '--signing-keys', SIGNING_KEYS, '--wait', '1']);
      expect(code).toBe(1);
      expect(stderr).toContain('… waiting for the catalog');
      expect(stderr).toMatch(/fusion: the catalog shows no products after 1 s: load the demo catalog first \(npx fusion seed --database-url …\)/);
    } finally {
      await platform.close();
    }
  });
});
