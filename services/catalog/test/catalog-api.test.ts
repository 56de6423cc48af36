import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, buildTestApp, createTestDatabase, type TestApp } from '@fusioncommerce/platform/testing';
import { catalogService } from '../src/service.ts';
import { buildProduct, buildVariant } from './factories.ts';

describe.each(BACKENDS)('catalog API on %s', (backend) => {
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

  const create = async (body: Record<string, unknown> = buildProduct()) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; slug: string; version: number; variants: { id: string; sku: string }[] };
  };
  const publish = async (id: string, version: number) => {
    const res = await t.app.inject({ method: 'POST', url: `/v1/products/${id}/publish`, headers: { ...admin, 'if-match': `"${version}"` }, payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { id: string; version: number; status: string };
  };

  it('when an admin creates a product, then it is a draft that shoppers cannot see until it is published', async () => {
    const product = await create();
    expect(product).toMatchObject({ status: 'draft', version: 1 });
    expect((await t.app.inject(`/v1/products/${product.slug}`)).statusCode).toBe(404);

    const published = await publish(product.id, product.version);
    expect(published).toMatchObject({ status: 'published', version: 2 });

    const bySlug = await t.app.inject(`/v1/products/${product.slug}`);
    expect(bySlug.statusCode).toBe(200);
    expect(bySlug.json()).toMatchObject({
      id: product.id,
      options: [{ name: 'size', values: ['S', 'L'] }],
      priceRange: { min: { amount: 2500, currency: 'USD' }, max: { amount: 3000, currency: 'USD' } },
    });
    expect((await t.app.inject(`/v1/products/${product.id}`)).statusCode).toBe(200);
  });

  it('when the same SKU is used on a second product, then it is a 409 and nothing is created', async () => {
    const first = await create();
    const before = await t.db.knex('catalog.products').count<{ count: number }[]>('* as count');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/products',
      headers: admin,
      payload: buildProduct({ variants: [buildVariant({ sku: first.variants[0]?.sku })] }),
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'CATALOG.DUPLICATE_SKU', status: 409 });
    const after = await t.db.knex('catalog.products').count<{ count: number }[]>('* as count');
    expect(Number(after[0]?.count)).toBe(Number(before[0]?.count));
  });

  it('when two admins edit from the same version, then the second gets 412 (If-Match) or 409 (version field)', async () => {
    const product = await create();
    const first = await t.app.inject({ method: 'PATCH', url: `/v1/products/${product.id}`, headers: { ...admin, 'if-match': '"1"' }, payload: { title: 'First edit' } });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"2"');

    const stale = await t.app.inject({ method: 'PATCH', url: `/v1/products/${product.id}`, headers: { ...admin, 'if-match': '"1"' }, payload: { title: 'Second edit' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'CATALOG.PRECONDITION_FAILED', currentVersion: 2 });

    const staleBody = await t.app.inject({ method: 'PATCH', url: `/v1/products/${product.id}`, headers: admin, payload: { title: 'Third edit', version: 1 } });
    expect(staleBody.statusCode).toBe(409);

    const none = await t.app.inject({ method: 'PATCH', url: `/v1/products/${product.id}`, headers: admin, payload: { title: 'No precondition' } });
    expect(none.statusCode).toBe(428);

    const current = await t.app.inject({ url: `/v1/admin/products/${product.id}`, headers: admin });
    expect(current.json()).toMatchObject({ title: 'First edit', version: 2 });
  });
});
