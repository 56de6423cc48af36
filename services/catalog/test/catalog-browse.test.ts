import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, buildTestApp, createTestDatabase, type TestApp } from '@fusioncommerce/platform/testing';
import { catalogService } from '../src/service.ts';
import { buildProduct, buildVariant, uniq } from './factories.ts';

interface ProductBody {
  id: string;
  slug: string;
  title: string;
  version: number;
  priceRange: { min: { amount: number } } | null;
  variants: { id: string; sku: string; price: { amount: number } }[];
}

describe.each(BACKENDS)('browsing the catalog on %s', (backend) => {
  let t: TestApp;
  let admin: { authorization: string };
  // Every category and product here carries this tag, so tests never see each other's data.
  const run = uniq().toLowerCase();
  const ids: Record<string, string> = {};

  const post = async (url: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url, headers: admin, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as ProductBody & { id: string };
  };
  const published = async (body: Record<string, unknown>) => {
    const product = await post('/v1/products', body);
    return post(`/v1/products/${product.id}/publish`, { version: product.version });
  };
  const list = async (query: string) => {
    const res = await t.app.inject(`/v1/products?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { data: ProductBody[]; nextCursor: string | null };
  };

  beforeAll(async () => {
    t = await buildTestApp([catalogService], await createTestDatabase(backend));
    admin = await t.as('admin');
    // outdoor → camping → tents, and a sibling clothing tree
    ids.outdoor = (await post('/v1/categories', { name: `Outdoor ${run}`, slug: `outdoor-${run}` })).id;
    ids.camping = (await post('/v1/categories', { name: `Camping ${run}`, slug: `camping-${run}`, parentId: ids.outdoor })).id;
    ids.tents = (await post('/v1/categories', { name: `Tents ${run}`, slug: `tents-${run}`, parentId: ids.camping })).id;
    ids.clothing = (await post('/v1/categories', { name: `Clothing ${run}`, slug: `clothing-${run}` })).id;

    const priced = (amount: number) => [buildVariant({ price: { amount, currency: 'USD' } })];
    await published(buildProduct({ title: `Alpine Tent ${run}`, categoryIds: [ids.tents], variants: priced(30000), tags: [run] }));
    await published(buildProduct({ title: `Camp Stove ${run}`, categoryIds: [ids.camping], variants: priced(4500), tags: [run] }));
    await published(buildProduct({ title: `Trail Map ${run}`, categoryIds: [ids.outdoor], variants: priced(1200), tags: [run] }));
    await published(buildProduct({ title: `Rain Jacket ${run}`, categoryIds: [ids.clothing], variants: priced(12000), tags: [run] }));
    await post('/v1/products', buildProduct({ title: `Secret Draft Tent ${run}`, categoryIds: [ids.tents], variants: priced(100), tags: [run] }));
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });

  it('when a shopper filters by a category, then products of its descendants are included and drafts are not', async () => {
    const outdoor = await list(`category=outdoor-${run}&sort=title`);
    expect(outdoor.data.map((p) => p.title)).toEqual([`Alpine Tent ${run}`, `Camp Stove ${run}`, `Trail Map ${run}`]);
    const camping = await list(`category=${ids.camping}&sort=title`);
    expect(camping.data.map((p) => p.title)).toEqual([`Alpine Tent ${run}`, `Camp Stove ${run}`]);
    expect((await t.app.inject('/v1/products?category=no-such-category')).statusCode).toBe(404);
  });

  it('when a shopper filters by price and sorts, then only products with a variant in range come back in order', async () => {
    const mid = await list(`category=outdoor-${run}&minPrice=1000&maxPrice=5000&sort=price_asc`);
    expect(mid.data.map((p) => p.priceRange?.min.amount)).toEqual([1200, 4500]);
    const desc = await list(`category=outdoor-${run}&sort=price_desc`);
    expect(desc.data.map((p) => p.priceRange?.min.amount)).toEqual([30000, 4500, 1200]);
  });

  it('when a shopper pages with the cursor, then every product appears exactly once across pages, in every sort', async () => {
    for (const sort of ['newest', 'price_asc', 'price_desc', 'title']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { data: ProductBody[]; nextCursor: string | null } = await list(`q=${run}&sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.data.map((p) => p.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen, sort).toHaveLength(4);
      expect(new Set(seen).size, sort).toBe(4);
    }
  });

  it('when a shopper searches, then title matches rank first and word prefixes match while typing', async () => {
    const other = uniq().toLowerCase();
    await published(buildProduct({ title: `Lantern ${other}`, description: `Pairs well with a tent ${other}`, variants: [buildVariant()] }));
    await published(buildProduct({ title: `Tent ${other}`, description: 'Sleeps two.', variants: [buildVariant()] }));
    const results = await list(`q=${encodeURIComponent(`tent ${other}`)}`);
    expect(results.data.map((p) => p.title)).toEqual([`Tent ${other}`, `Lantern ${other}`]);
    const prefix = await list(`q=${encodeURIComponent(`lant ${other.slice(0, 6)}`)}`);
    expect(prefix.data.map((p) => p.title)).toContain(`Lantern ${other}`);
  });

  it('when a shopper is part-way through a word that stemming would change, then the product still matches', async () => {
    const other = uniq().toLowerCase();
    await published(buildProduct({ title: `Running shoes ${other}`, variants: [buildVariant()] }));
    await published(buildProduct({ title: `Ponytail holder ${other}`, variants: [buildVariant()] }));
    const titles = async (q: string) => (await list(`q=${encodeURIComponent(q)}`)).data.map((p) => p.title);
    expect(await titles(`runn sho ${other}`)).toEqual([`Running shoes ${other}`]);
    expect(await titles(`pony ${other}`)).toEqual([`Ponytail holder ${other}`]);
    expect(await titles(`shoe ${other}`)).toEqual([`Running shoes ${other}`]);
    expect(await titles(`holders ${other}`)).toEqual([`Ponytail holder ${other}`]);
    expect(await titles(`the ${other}`)).toHaveLength(2);
    expect(await titles(`the`)).toEqual([]);
  });

  it('when the storefront lists 20 products with variants, then it costs a single SQL statement', async () => {
    for (let i = 0; i < 20; i++) await published(buildProduct({ tags: [`bulk${run}`], variants: [buildVariant({ options: { size: 'S' } }), buildVariant({ options: { size: 'M' } })] }));
    const statements: string[] = [];
    const onQuery = (q: { sql: string }) => statements.push(q.sql);
    t.db.knex.on('query', onQuery);
    const page = await list(`q=bulk${run}&limit=20&sort=newest`);
    t.db.knex.off('query', onQuery);
    expect(page.data).toHaveLength(20);
    expect(page.data.every((p) => p.variants.length === 2)).toBe(true);
    expect(statements.filter((s) => !/^(begin|commit|rollback)/i.test(s))).toHaveLength(1);
  });

  it('when an admin lists by status, then drafts and archived products are visible to them only', async () => {
    const drafts = await t.app.inject({ url: `/v1/admin/products?status=draft&q=${run}`, headers: admin });
    expect(drafts.json().data.map((p: ProductBody) => p.title)).toEqual([`Secret Draft Tent ${run}`]);
    expect((await t.app.inject(`/v1/admin/products?status=draft`)).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/admin/products', headers: await t.as('customer') })).statusCode).toBe(403);
  });

  it('when a product is archived, then it leaves the storefront but keeps its data; an illegal transition is a 409 with the current state', async () => {
    const product = await published(buildProduct({ variants: [buildVariant()] }));
    const archived = await post(`/v1/products/${product.id}/archive`, { version: product.version });
    expect((await t.app.inject(`/v1/products/${product.slug}`)).statusCode).toBe(404);
    const again = await t.app.inject({ method: 'POST', url: `/v1/products/${product.id}/archive`, headers: admin, payload: { version: archived.version } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CATALOG.ILLEGAL_STATUS_TRANSITION', currentState: 'archived' });
    const draft = await post(`/v1/products/${product.id}/unpublish`, { version: archived.version });
    expect(draft).toMatchObject({ status: 'draft' });
  });

  it('when a product without variants is published, then it is refused', async () => {
    const product = await post('/v1/products', buildProduct({ variants: [] }));
    const res = await t.app.inject({ method: 'POST', url: `/v1/products/${product.id}/publish`, headers: admin, payload: { version: 1 } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CATALOG.NO_VARIANTS');
  });

  it('when an admin adds, reprices and removes variants, then the product and its price range follow', async () => {
    const product = await post('/v1/products', buildProduct({ variants: [buildVariant({ options: { size: 'S' }, price: { amount: 1000, currency: 'USD' } })] }));
    const added = await post(`/v1/products/${product.id}/variants`, { ...buildVariant({ options: { size: 'XL' }, price: { amount: 5000, currency: 'USD' } }), version: product.version });
    expect(added.variants).toHaveLength(2);
    expect(added.priceRange).toMatchObject({ min: { amount: 1000 }, max: { amount: 5000 } });
    const [small] = added.variants;
    const repriced = await t.app.inject({
      method: 'PATCH',
      url: `/v1/products/${product.id}/variants/${small?.id}`,
      headers: { ...admin, 'if-match': `"${added.version}"` },
      payload: { price: { amount: 800, currency: 'USD' } },
    });
    expect(repriced.statusCode, repriced.body).toBe(200);
    expect(repriced.json().priceRange.min.amount).toBe(800);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/v1/products/${product.id}/variants/${small?.id}`,
      headers: { ...admin, 'if-match': repriced.headers.etag as string },
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().variants.map((v: { id: string }) => v.id)).not.toContain(small?.id);

    const mixed = await t.app.inject({
      method: 'POST',
      url: `/v1/products/${product.id}/variants`,
      headers: admin,
      payload: { ...buildVariant({ options: { size: 'XS' }, price: { amount: 100, currency: 'EUR' } }), version: removed.json().version },
    });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().code).toBe('CATALOG.MIXED_CURRENCIES');
  });

  it('when a shopper looks variants up by SKU, then published ones come back with their product', async () => {
    const product = await published(buildProduct({ variants: [buildVariant()] }));
    const sku = product.variants[0]?.sku as string;
    const res = await t.app.inject(`/v1/variants?skus=${sku},NOPE-${run}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual([expect.objectContaining({ sku, productId: product.id, productSlug: product.slug })]);
  });

  it('when categories are read, moved or deleted, then the tree stays a tree', async () => {
    const tree = await t.app.inject('/v1/categories');
    const outdoor = tree.json().data.find((c: { id: string }) => c.id === ids.outdoor);
    expect(outdoor.productCount).toBe(3);
    expect(outdoor.children[0].children[0].slug).toBe(`tents-${run}`);

    const cycle = await t.app.inject({ method: 'PATCH', url: `/v1/categories/${ids.outdoor}`, headers: admin, payload: { parentId: ids.tents } });
    expect(cycle.statusCode).toBe(409);
    const notEmpty = await t.app.inject({ method: 'DELETE', url: `/v1/categories/${ids.camping}`, headers: admin });
    expect(notEmpty.statusCode).toBe(409);
    const renamed = await t.app.inject({ method: 'PATCH', url: `/v1/categories/${ids.clothing}`, headers: admin, payload: { name: 'Apparel' } });
    expect(renamed.json()).toMatchObject({ name: 'Apparel' });
    const jacket = (await list(`category=clothing-${run}`)).data[0] as unknown as { categories: { name: string }[] };
    expect(jacket.categories).toEqual([expect.objectContaining({ name: 'Apparel' })]);
    const duplicate = await t.app.inject({ method: 'POST', url: '/v1/categories', headers: admin, payload: { name: 'Again', slug: `tents-${run}` } });
    expect(duplicate.statusCode).toBe(409);
    const leaf = await post('/v1/categories', { name: `Leaf ${run}` });
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/categories/${leaf.id}`, headers: admin })).statusCode).toBe(204);
    expect((await t.app.inject(`/v1/categories/${leaf.id}`)).statusCode).toBe(404);
    expect((await t.app.inject(`/v1/categories/camping-${run}`)).json()).toMatchObject({ parentId: ids.outdoor });
  });
});
