import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp } from '@fusioncommerce/platform/testing';
import { catalogService } from '../src/service.ts';
import { StorefrontCache } from '../src/store/storefront-cache.ts';
import { buildProduct, buildVariant } from './factories.ts';

describe('the storefront cache', () => {
  it('when a key is read twice, then the second read does not load again', async () => {
    const cache = new StorefrontCache({ maxEntries: 10, maxAgeMs: 1000 });
    let loads = 0;
    const load = async () => `body-${++loads}`;
    expect(await cache.getOrLoad('/a', load)).toBe('body-1');
    expect(await cache.getOrLoad('/a', load)).toBe('body-1');
    expect(cache.snapshot()).toMatchObject({ hits: 1, misses: 1, size: 1 });
  });

  it('when it is full, then the least recently used entry goes first', async () => {
    const cache = new StorefrontCache({ maxEntries: 2, maxAgeMs: 1000 });
    await cache.getOrLoad('/a', async () => 'a');
    await cache.getOrLoad('/b', async () => 'b');
    await cache.getOrLoad('/a', async () => 'a again');
    await cache.getOrLoad('/c', async () => 'c');
    expect(await cache.getOrLoad('/a', async () => 'reloaded')).toBe('a');
    expect(await cache.getOrLoad('/b', async () => 'b reloaded')).toBe('b reloaded');
  });

  it('when an entry is older than the maximum age, then it is loaded again', async () => {
    let now = 0;
    const cache = new StorefrontCache({ maxEntries: 10, maxAgeMs: 100, now: () => now });
    await cache.getOrLoad('/a', async () => 'old');
    now = 150;
    expect(await cache.getOrLoad('/a', async () => 'new')).toBe('new');
  });

  it('when the catalog changes while a read is loading, then the stale answer is not kept', async () => {
    const cache = new StorefrontCache({ maxEntries: 10, maxAgeMs: 10_000 });
    let finish: (body: string) => void = () => undefined;
    const slow = cache.getOrLoad('/a', () => new Promise<string>((resolve) => (finish = resolve)));
    cache.invalidateAll();
    finish('loaded before the change');
    expect(await slow).toBe('loaded before the change');
    expect(await cache.getOrLoad('/a', async () => 'after the change')).toBe('after the change');
  });

  it('when it is turned off, then every read loads', async () => {
    const cache = new StorefrontCache({ maxEntries: 0, maxAgeMs: 1000 });
    let loads = 0;
    await cache.getOrLoad('/a', async () => String(++loads));
    await cache.getOrLoad('/a', async () => String(++loads));
    expect(loads).toBe(2);
  });
});

describe('storefront reads stay fresh through the cache', () => {
  let t: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    t = await buildTestApp([catalogService], await createTestDatabase('pglite'));
    admin = await t.as('admin');
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });

  it('when an admin changes a cached product, then the very next storefront read shows the change', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant()] }) })).json();
    const published = (await t.app.inject({ method: 'POST', url: `/v1/products/${created.id}/publish`, headers: admin, payload: { version: 1 } })).json();
    const url = `/v1/products/${created.slug}`;
    expect((await t.app.inject(url)).json().title).toBe(created.title);
    expect((await t.app.inject('/v1/products?limit=5')).json().data[0].title).toBe(created.title);

    const renamed = await t.app.inject({ method: 'PATCH', url: `/v1/products/${created.id}`, headers: admin, payload: { title: 'Renamed while cached', version: published.version } });
    expect(renamed.statusCode).toBe(200);
    expect((await t.app.inject(url)).json().title).toBe('Renamed while cached');
    expect((await t.app.inject('/v1/products?limit=5')).json().data[0].title).toBe('Renamed while cached');

    await t.app.inject({ method: 'POST', url: `/v1/products/${created.id}/archive`, headers: admin, payload: { version: renamed.json().version } });
    expect((await t.app.inject(url)).statusCode).toBe(404);
  });

  it('when a shopper asks for a product before it is published, then publishing shows it at once (misses are not cached)', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant()] }) })).json();
    expect((await t.app.inject(`/v1/products/${created.slug}`)).statusCode).toBe(404);
    await t.app.inject({ method: 'POST', url: `/v1/products/${created.id}/publish`, headers: admin, payload: { version: 1 } });
    expect((await t.app.inject(`/v1/products/${created.slug}`)).statusCode).toBe(200);
  });
});
