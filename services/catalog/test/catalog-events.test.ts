import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEventData } from '@fusioncommerce/contracts';
import { BACKENDS, buildTestApp, createTestDatabase, type TestApp } from '@fusioncommerce/platform/testing';
import { catalogService } from '../src/service.ts';
import { buildProduct, buildVariant } from './factories.ts';

interface OutboxRow {
  position: number;
  id: string;
  type: string;
  source: string;
  subject: string;
  data: Record<string, unknown>;
  published_at: Date | null;
}

describe.each(BACKENDS)('catalog events on %s', (backend) => {
  let t: TestApp;
  let admin: { authorization: string };

  beforeAll(async () => {
    t = await buildTestApp([catalogService], await createTestDatabase(backend));
    admin = await t.as('admin');
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });

  const outbox = async (subject: string) => (await t.db.knex('catalog.outbox').where({ subject }).orderBy('position')) as OutboxRow[];
  const totalEvents = async () => Number(((await t.db.knex('catalog.outbox').count({ n: '*' })) as { n: number }[])[0]?.n);

  const call = async (method: 'POST' | 'PATCH', url: string, version: number | undefined, payload: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method, url, headers: { ...admin, ...(version ? { 'if-match': `"${version}"` } : {}) }, payload });
    return res;
  };

  it('when a product goes through its life, then each change records its event in the outbox, in order, under the product id, within its contract', async () => {
    const created = await call('POST', '/v1/products', undefined, buildProduct());
    expect(created.statusCode, created.body).toBe(201);
    const product = created.json() as { id: string; variants: { id: string; price: { amount: number } }[] };
    const [variant] = product.variants;
    expect((await call('POST', `/v1/products/${product.id}/publish`, 1)).statusCode).toBe(200);
    expect((await call('PATCH', `/v1/products/${product.id}`, 2, { title: 'Renamed' })).statusCode).toBe(200);
    expect((await call('PATCH', `/v1/products/${product.id}/variants/${variant?.id}`, 3, { price: { amount: 1999, currency: 'USD' } })).statusCode).toBe(200);
    expect((await call('POST', `/v1/products/${product.id}/unpublish`, 4)).statusCode).toBe(200);
    expect((await call('POST', `/v1/products/${product.id}/archive`, 5)).statusCode).toBe(200);

    const rows = await outbox(product.id);
    expect(rows.map((r) => r.type)).toEqual([
      'catalog.product.created',
      'catalog.product.published',
      'catalog.product.updated',
      'catalog.product.updated',
      'catalog.variant.price_changed',
      'catalog.product.unpublished',
      'catalog.product.archived',
    ]);
    for (const row of rows) {
      expect(row.source).toBe('/fusioncommerce/catalog');
      expect(() => validateEventData(row.type, row.data)).not.toThrow();
    }
    const versions = rows.filter((r) => r.type !== 'catalog.variant.price_changed').map((r) => (r.data.product as { version: number }).version);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[2]?.data).toMatchObject({ changed: ['title'], product: { title: 'Renamed', status: 'published' } });
    expect(rows[4]?.data).toMatchObject({
      productId: product.id,
      variant: { id: variant?.id, price: { amount: 1999, currency: 'USD' } },
      previousPrice: { amount: variant?.price.amount, currency: 'USD' },
    });
    expect(rows[6]?.data).toMatchObject({ product: { id: product.id, status: 'archived' } });
    // Internals stay inside the catalog: the published snapshot has no barcode or compare-at price.
    expect(Object.keys((rows[0]?.data.product as { variants: Record<string, unknown>[] }).variants[0] ?? {}).sort()).toEqual([
      'id',
      'options',
      'price',
      'sku',
      'title',
      'weightGrams',
    ]);
  });

  it('when a change is refused, then no event is recorded', async () => {
    const first = (await call('POST', '/v1/products', undefined, buildProduct())).json() as { id: string; title: string; variants: { sku: string }[] };
    const before = await totalEvents();

    const duplicateSku = await call('POST', '/v1/products', undefined, buildProduct({ variants: [buildVariant({ sku: first.variants[0]?.sku })] }));
    expect(duplicateSku.statusCode).toBe(409);
    const stale = await call('PATCH', `/v1/products/${first.id}`, 7, { title: 'Stale edit' });
    expect(stale.statusCode).toBe(412);
    const unchanged = await call('PATCH', `/v1/products/${first.id}`, 1, { title: first.title });
    expect(unchanged.statusCode).toBe(200);

    expect(await totalEvents()).toBe(before);
    expect((await outbox(first.id)).map((r) => r.type)).toEqual(['catalog.product.created']);
  });
});
