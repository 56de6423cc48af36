import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from '@fusioncommerce/platform/testing';
import { DEFAULT_CATALOG_SETTINGS } from '../src/config.ts';
import { catalogService, createCatalogService } from '../src/service.ts';
import { CatalogChangeWatch } from '../src/store/change-watch.ts';
import { StorefrontCache } from '../src/store/storefront-cache.ts';
import { buildProduct, buildVariant } from './factories.ts';

describe('the storefront cache', () => {
  it('when a key is read twice, then the second read does not load again', async () => {
    const cache = new StorefrontCache({ maxEntries: 10, maxAgeMs: 1000 });
    let loads = 0;
    const load = async () => `body-${++loads}`;
    expect((await cache.getOrLoad('/a', load)).text).toBe('body-1');
    expect((await cache.getOrLoad('/a', load)).text).toBe('body-1');
    expect(cache.snapshot()).toMatchObject({ hits: 1, misses: 1, size: 1 });
  });

  it('when it is full, then the least recently used entry goes first', async () => {
    const cache = new StorefrontCache({ maxEntries: 2, maxAgeMs: 1000 });
    await cache.getOrLoad('/a', async () => 'a');
    await cache.getOrLoad('/b', async () => 'b');
    await cache.getOrLoad('/a', async () => 'a again');
    await cache.getOrLoad('/c', async () => 'c');
    expect((await cache.getOrLoad('/a', async () => 'reloaded')).text).toBe('a');
    expect((await cache.getOrLoad('/b', async () => 'b reloaded')).text).toBe('b reloaded');
  });

  it('when an entry is older than the maximum age, then it is loaded again', async () => {
    let now = 0;
    const cache = new StorefrontCache({ maxEntries: 10, maxAgeMs: 100, now: () => now });
    await cache.getOrLoad('/a', async () => 'old');
    now = 150;
    expect((await cache.getOrLoad('/a', async () => 'new')).text).toBe('new');
  });

  it('when the catalog changes while a read is loading, then the stale answer is not kept', async () => {
    const cache = new StorefrontCache({ maxEntries: 10, maxAgeMs: 10_000 });
    let finish: (body: string) => void = () => undefined;
    const slow = cache.getOrLoad('/a', () => new Promise<string>((resolve) => (finish = resolve)));
    cache.invalidateAll();
    finish('loaded before the change');
    expect((await slow).text).toBe('loaded before the change');
    expect((await cache.getOrLoad('/a', async () => 'after the change')).text).toBe('after the change');
  });

  it('when a kept body is large, then its compressed copies are made once and hold the same JSON; a small or unkept one is not compressed', async () => {
    const cache = new StorefrontCache({ maxEntries: 10, maxAgeMs: 10_000 });
    const json = JSON.stringify({ data: Array.from({ length: 50 }, (_, i) => ({ id: i, title: `Product ${i}` })) });
    const body = await cache.getOrLoad('/big', async () => json);
    expect(body.compressible).toBe(true);
    const br = body.encodedAs('br');
    expect(body.encodedAs('br')).toBe(br);
    expect(brotliDecompressSync(br).toString()).toBe(json);
    expect(gunzipSync(body.encodedAs('gzip')).toString()).toBe(json);
    expect(br.length).toBeLessThan(json.length / 3);
    expect((await cache.getOrLoad('/small', async () => '{"data":[]}')).compressible).toBe(false);
    let finish: (body: string) => void = () => undefined;
    const racing = cache.getOrLoad('/raced', () => new Promise<string>((resolve) => (finish = resolve)));
    cache.invalidateAll();
    finish(json);
    expect((await racing).compressible).toBe(false);
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

describe('storefront caches across processes (real PostgreSQL)', () => {
  // Two catalog processes on one database, as two replicas run: each has its own cache.
  let db: TestDatabase;
  let writer: TestApp;
  let reader: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    writer = await buildTestApp([createCatalogService({ ...DEFAULT_CATALOG_SETTINGS, cacheWatchMs: 250 })], db);
    reader = await buildTestApp([createCatalogService({ ...DEFAULT_CATALOG_SETTINGS, cacheWatchMs: 250 })], db, { tokens: writer.tokens });
    admin = await writer.as('admin');
  });
  afterAll(async () => {
    await reader.close();
    await writer.close();
    await db.close();
  });

  /** Polls the other process until `check` passes; the catalog's promise is "within a second". */
  async function withinASecond(check: () => Promise<boolean>): Promise<number> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > 1000) throw new Error('the other process still served the old answer after a second');
      await new Promise((r) => setTimeout(r, 20));
    }
    return Date.now() - started;
  }

  it('when another process changes a product this process has cached, then the change shows here within a second', async () => {
    const created = (await writer.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant()] }) })).json();
    const published = (await writer.app.inject({ method: 'POST', url: `/v1/products/${created.id}/publish`, headers: admin, payload: { version: 1 } })).json();
    const url = `/v1/products/${created.slug}`;
    await withinASecond(async () => (await reader.app.inject(url)).statusCode === 200);
    // Cached here now: a second read is a hit.
    const before = (await reader.app.inject(url)).json();
    expect(before.title).toBe(created.title);

    const renamed = await writer.app.inject({ method: 'PATCH', url: `/v1/products/${created.id}`, headers: admin, payload: { title: 'Renamed by another replica', version: published.version } });
    expect(renamed.statusCode).toBe(200);
    await withinASecond(async () => (await reader.app.inject(url)).json().title === 'Renamed by another replica');

    await writer.app.inject({ method: 'POST', url: `/v1/products/${created.id}/archive`, headers: admin, payload: { version: renamed.json().version } });
    await withinASecond(async () => (await reader.app.inject(url)).statusCode === 404);
  });

  it('when another process renames a category, then category listings here follow within a second', async () => {
    const category = (await writer.app.inject({ method: 'POST', url: '/v1/categories', headers: admin, payload: { name: `Cached ${Date.now()}` } })).json();
    await withinASecond(async () => ((await reader.app.inject('/v1/categories')).json().data as { id: string }[]).some((c) => c.id === category.id));
    const renamed = await writer.app.inject({ method: 'PATCH', url: `/v1/categories/${category.id}`, headers: admin, payload: { name: 'Renamed elsewhere' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    await withinASecond(async () => ((await reader.app.inject('/v1/categories')).json().data as { id: string; name: string }[]).some((c) => c.id === category.id && c.name === 'Renamed elsewhere'));
  });

  it('when a shopper’s browser takes brotli or gzip, then a cached page of products comes compressed, the same JSON, and says it varies by encoding', async () => {
    for (let i = 0; i < 4; i++) {
      const created = await writer.app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: buildProduct({ variants: [buildVariant({ options: { size: 'S' } }), buildVariant({ options: { size: 'M' } })] }) });
      expect(created.statusCode, created.body).toBe(201);
      const published = await writer.app.inject({ method: 'POST', url: `/v1/products/${created.json().id}/publish`, headers: admin, payload: { version: 1 } });
      expect(published.statusCode, published.body).toBe(200);
    }
    const url = '/v1/products?limit=20&sort=newest';
    const plain = await writer.app.inject({ url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toContain('accept-encoding');
    // The first read after a change loads and keeps the page; the events of the changes just made may empty the cache once more.
    let br = await writer.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    await withinASecond(async () => {
      br = await writer.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      return br.headers['content-encoding'] === 'br';
    });
    expect(br.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(plain.json());
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    const gzip = await writer.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString())).toEqual(plain.json());
    const refused = await writer.app.inject({ url, headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.json()).toEqual(plain.json());
  });

  it('when nothing changes, then the watch leaves the cache alone', async () => {
    const watchless = new CatalogChangeWatch({ knex: db.knex, cache: new StorefrontCache({ maxEntries: 10, maxAgeMs: 10_000 }), intervalMs: 0 });
    expect(await watchless.check()).toBe(false); // first reading: nothing to compare with
    expect(await watchless.check()).toBe(false);
    await writer.app.inject({ method: 'POST', url: '/v1/categories', headers: admin, payload: { name: `Watched ${Date.now()}` } });
    expect(await watchless.check()).toBe(true);
    expect(await watchless.check()).toBe(false);
  });
});
