import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, buildTestApp, createTestDatabase, type TestApp } from '@fusioncommerce/platform/testing';
import { catalogService } from '../src/service.ts';
import { buildProduct, buildVariant } from './factories.ts';

const HOSTILE_SEARCHES = [
  "'; drop table catalog.products; --",
  '!!! & | <-> :* ()',
  'a:* & !b | (c <-> d)',
  '\\\\\\\\',
  '%00%ff',
  '"unterminated',
  '%F0%9F%98%80 emoji',
  'x'.repeat(200),
  '<script>alert(1)</script>',
  '日本語 検索',
];

describe.each(BACKENDS)('bad input to the catalog on %s', (backend) => {
  let t: TestApp;
  let admin: { authorization: string };
  let existing: { id: string; version: number; variants: { sku: string }[] };

  const snapshot = async () => {
    const [products, variants, categories] = await Promise.all(
      ['catalog.products', 'catalog.variants', 'catalog.categories'].map((table) =>
        t.db.knex(table).select('*').orderBy('id'),
      ),
    );
    return JSON.stringify({ products, variants, categories });
  };

  beforeAll(async () => {
    t = await buildTestApp([catalogService], await createTestDatabase(backend));
    admin = await t.as('admin');
    const res = await t.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct() });
    existing = res.json();
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });

  const json = { 'content-type': 'application/json' };
  const cases: { name: string; status: number; request: () => InjectOptions }[] = [
    { name: 'malformed JSON', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: { ...admin, ...json }, payload: '{"title": "x",' }) },
    { name: 'an empty JSON body', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: { ...admin, ...json }, payload: '' }) },
    { name: 'a JSON array instead of an object', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: [] }) },
    { name: 'a wrong type', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ title: 42 }) }) },
    { name: 'a numeric string for a price', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [{ ...buildVariant(), price: { amount: '100', currency: 'USD' } }] }) }) },
    { name: 'an unknown field', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ isFree: true }) }) },
    { name: 'an unknown nested field', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [{ ...buildVariant(), stock: 5 }] }) }) },
    { name: 'a negative price', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant({ price: { amount: -1, currency: 'USD' } })] }) }) },
    { name: 'a float price', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant({ price: { amount: 19.99, currency: 'USD' } })] }) }) },
    { name: 'an absurd price', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant({ price: { amount: Number.MAX_SAFE_INTEGER, currency: 'USD' } })] }) }) },
    { name: 'a lower-case currency', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant({ price: { amount: 100, currency: 'usd' } })] }) }) },
    { name: 'a duplicate SKU', status: 409, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant({ sku: existing.variants[0]?.sku })] }) }) },
    { name: 'a SKU repeated inside one product', status: 409, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant({ sku: 'TWIN-1', options: { size: 'S' } }), buildVariant({ sku: 'TWIN-1', options: { size: 'M' } })] }) }) },
    { name: 'two variants with the same options', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant(), buildVariant()] }) }) },
    { name: 'a hostile slug', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ slug: '../../etc/passwd' }) }) },
    { name: 'an image that is not a URL', status: 400, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ images: [{ url: 'javascript:alert(1)', alt: 'x' }] }) }) },
    { name: 'an unknown category', status: 404, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ categoryIds: ['01900000-0000-7000-8000-000000000000'] }) }) },
    { name: 'an oversize body', status: 413, request: () => ({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ description: 'x'.repeat(2 * 1024 * 1024) }) }) },
    { name: 'a non-JSON content type', status: 415, request: () => ({ method: 'POST', url: '/v1/products', headers: { ...admin, 'content-type': 'text/plain' }, payload: 'title=x' }) },
    { name: 'an empty patch', status: 400, request: () => ({ method: 'PATCH', url: `/v1/products/${existing.id}`, headers: { ...admin, 'if-match': '"1"' }, payload: {} }) },
    { name: 'a garbage If-Match', status: 412, request: () => ({ method: 'PATCH', url: `/v1/products/${existing.id}`, headers: { ...admin, 'if-match': 'banana' }, payload: { title: 'x' } }) },
    { name: 'a malformed id', status: 400, request: () => ({ method: 'PATCH', url: '/v1/products/not-a-uuid', headers: { ...admin, 'if-match': '"1"' }, payload: { title: 'x' } }) },
    { name: 'a missing product', status: 404, request: () => ({ method: 'PATCH', url: '/v1/products/01900000-0000-7000-8000-000000000000', headers: { ...admin, 'if-match': '"1"' }, payload: { title: 'x' } }) },
    { name: 'a bad cursor', status: 400, request: () => ({ url: '/v1/products?cursor=definitely-not-a-cursor' }) },
    { name: 'a cursor from another sort', status: 400, request: () => ({ url: `/v1/products?sort=title&cursor=${Buffer.from(JSON.stringify(['newest', null, 'x'])).toString('base64url')}` }) },
    { name: 'a limit too large', status: 400, request: () => ({ url: '/v1/products?limit=100000' }) },
    { name: 'a negative limit', status: 400, request: () => ({ url: '/v1/products?limit=-5' }) },
    { name: 'a float limit', status: 400, request: () => ({ url: '/v1/products?limit=2.5' }) },
    { name: 'an unknown sort', status: 400, request: () => ({ url: '/v1/products?sort=random()' }) },
    { name: 'an unknown query parameter', status: 400, request: () => ({ url: '/v1/products?admin=true' }) },
    { name: 'a price filter that is text', status: 400, request: () => ({ url: '/v1/products?minPrice=cheap' }) },
    { name: 'a search string too long', status: 400, request: () => ({ url: `/v1/products?q=${'a'.repeat(201)}` }) },
    { name: 'a bad variant lookup', status: 400, request: () => ({ url: "/v1/variants?skus=a'b" }) },
    { name: 'an unknown route', status: 404, request: () => ({ url: '/v1/nothing-here' }) },
    { name: 'a category moved under a missing parent', status: 404, request: () => ({ method: 'POST', url: '/v1/categories', headers: admin, payload: { name: 'Orphan', parentId: '01900000-0000-7000-8000-000000000000' } }) },
  ];

  it.each(cases)('when a request has $name, then it is a $status problem and nothing changes', async ({ status, request }) => {
    const before = await snapshot();
    const res = await t.app.inject(request());
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String), code: expect.any(String) });
    expect(problem.requestId).toBe(res.headers['x-request-id']);
    expect(await snapshot()).toBe(before);
  });

  it('when a validation fails, then the problem lists the offending fields', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ title: '', extra: 1 }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: expect.stringMatching(/^\/body/), message: expect.any(String) })]);
  });

  it.each(HOSTILE_SEARCHES)('when a shopper searches for %j, then the answer is a 200 list, never an error', async (q) => {
    const res = await t.app.inject(`/v1/products?q=${encodeURIComponent(q.slice(0, 200))}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(Array.isArray(res.json().data)).toBe(true);
  });
});
