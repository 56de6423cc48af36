import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEAL_COUNT, demoDealRequests, pickDemoDealVariants } from '@fusioncommerce/group-commerce';
import { openDatabase, type Database } from '@fusioncommerce/platform';
import { buildGateway, type Gateway } from '../src/gateway.ts';
import { demoImageSvg } from '../src/demo-images.ts';

describe('the embedded gateway', () => {
  let db: Database;
  let gateway: Gateway;

  beforeAll(async () => {
    db = openDatabase({ inMemory: true });
    gateway = await buildGateway({ config: {}, db, logger: false });
  });
  afterAll(async () => {
    await gateway.app.close();
    await db.close();
  });

  it('when it starts on an empty database, then it loads a demo catalog of 200+ products in 10+ categories', async () => {
    expect(gateway.seeded).toBe(true);
    const [{ count: products }] = (await db.knex('catalog.products').count('* as count')) as [{ count: number }];
    const [{ count: categories }] = (await db.knex('catalog.categories').count('* as count')) as [{ count: number }];
    expect(Number(products)).toBeGreaterThanOrEqual(200);
    expect(Number(categories)).toBeGreaterThanOrEqual(10);
    const page = (await gateway.app.inject('/v1/products?limit=20')).json();
    expect(page.data).toHaveLength(20);
    expect(page.data[0].variants.length).toBeGreaterThan(0);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('when it starts on an empty database, then the demo group deals are on the first well-stocked published variants, as group buying defines them', async () => {
    const deals = (await gateway.app.inject('/v1/group-deals?limit=10')).json<{ data: { variantId: string; sku: string; tiers: unknown[] }[] }>().data;
    expect(deals).toHaveLength(DEMO_DEAL_COUNT);
    const variants = (await db.knex('catalog.variants as v')
      .join('catalog.products as p', 'p.id', 'v.product_id')
      .join('inventory.stock_levels as s', 's.sku', 'v.sku')
      .where('p.status', 'published')
      .select('v.id', 'v.sku', 'v.price_amount', 'v.currency', 's.on_hand')) as { id: string; sku: string; price_amount: number; currency: string; on_hand: number }[];
    const picked = pickDemoDealVariants(variants.map((v) => ({ ...v, onHand: Number(v.on_hand) })));
    expect(deals.map((d) => d.sku).sort()).toEqual(picked.map((v) => v.sku).sort());
    for (const deal of deals) {
      const variant = picked.find((v) => v.id === deal.variantId) as (typeof picked)[number];
      expect(deal.tiers).toEqual(demoDealRequests([{ variantId: variant.id, price: Number(variant.price_amount), currency: variant.currency }])[0]?.tiers);
    }
  });

  it('when the demo shop has started, then a shopper can buy a demo product with the test card', async () => {
    const until = Date.now() + 30_000;
    let variantId: string | undefined;
    while (!variantId && Date.now() < until) {
      const row = await db.knex('orders.catalog_variants').where({ sellable: true }).first<{ variant_id: string; sku: string } | undefined>('variant_id', 'sku');
      const stocked = row ? await db.knex('inventory.stock_levels').where({ sku: row.sku }).where('on_hand', '>', 0).first() : undefined;
      if (row && stocked) variantId = row.variant_id;
      else await new Promise((r) => setTimeout(r, 50));
    }
    expect(variantId, 'demo variants known to orders and stocked by inventory').toBeDefined();
    const cart = (await gateway.app.inject({ method: 'POST', url: '/v1/carts' })).json();
    expect((await gateway.app.inject({ method: 'POST', url: `/v1/carts/${cart.id}/lines`, payload: { variantId, quantity: 1 } })).statusCode).toBe(200);
    const order = await gateway.app.inject({
      method: 'POST',
      url: '/v1/checkout',
      headers: { 'idempotency-key': `demo-${Date.now()}` },
      payload: {
        cartId: cart.id,
        email: 'demo@example.test',
        shippingAddress: { name: 'Demo', line1: '1 Demo Way', city: 'Demo', postalCode: '1000', country: 'NL' },
        payment: { method: '4242424242424242' },
      },
    });
    expect(order.statusCode, order.body).toBe(201);
    expect(order.json().status).toBe('confirmed');
  });

  it('when it starts again on the same data, then the demo catalog is not loaded twice, even if the shop deleted it', async () => {
    await db.knex('catalog.product_categories').delete();
    await db.knex('catalog.variants').delete();
    await db.knex('catalog.products').delete();
    const again = await buildGateway({ config: {}, db, logger: false });
    expect(again.seeded).toBe(false);
    const [{ count }] = (await db.knex('catalog.products').count('* as count')) as [{ count: number }];
    expect(Number(count)).toBe(0);
    await again.app.close();
  });

  it('when the health and docs are asked for at the gateway, then they answer', async () => {
    expect((await gateway.app.inject('/v1/health')).json()).toEqual({ status: 'ok' });
    expect((await gateway.app.inject('/ready')).statusCode).toBe(200);
    const doc = (await gateway.app.inject('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/products', '/v1/categories', '/v1/admin/products']));
  });

  it('when requests reach the database, then /metrics counts the statements sent', async () => {
    const count = async () => Number(/^db_queries_total\{[^}]*\} (\d+)/m.exec((await gateway.app.inject('/metrics')).body)?.[1]);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    // A cart: a transaction with its statements.
    expect((await gateway.app.inject({ method: 'POST', url: '/v1/carts' })).statusCode).toBe(201);
    expect(await count()).toBeGreaterThanOrEqual(before + 3);
  });

  it('when a demo image is requested, then a cacheable SVG comes back; a hostile name is refused', async () => {
    const res = await gateway.app.inject('/demo-images/alpine-tent.svg');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    expect(res.body).toContain('Alpine Tent');
    expect((await gateway.app.inject('/demo-images/..%2F..%2Fetc%2Fpasswd')).statusCode).toBe(400);
    expect(demoImageSvg('a-<b>')).not.toContain('<b>');
  });
});
