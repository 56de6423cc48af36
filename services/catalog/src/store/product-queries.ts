/**
 * The read side: storefront and admin lists in one SQL statement each — the
 * page of products with their variants and categories aggregated as JSON, so
 * a page of 20 never costs a query per product.
 */
import type { Knex } from 'knex';
import { decodeCursor, toPage, type Page } from '@fusioncommerce/platform';
import type { ProductStatus } from '../domain/product.ts';

export type ProductSort = 'newest' | 'price_asc' | 'price_desc' | 'title' | 'relevance';

export interface ProductFilter {
  statuses: ProductStatus[];
  categoryId?: string;
  minPrice?: number;
  maxPrice?: number;
  q?: string;
  sort: ProductSort;
  limit: number;
  cursor?: string;
}

export interface VariantView {
  id: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  price: { amount: number; currency: string };
  compareAtPrice: { amount: number; currency: string } | null;
  weightGrams: number;
  barcode: string | null;
}

export interface ProductView {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: ProductStatus;
  images: { url: string; alt: string }[];
  tags: string[];
  categories: { id: string; slug: string; name: string }[];
  options: { name: string; values: string[] }[];
  variants: VariantView[];
  priceRange: { min: { amount: number; currency: string }; max: { amount: number; currency: string } } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

interface Row {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: ProductStatus;
  images: ProductView['images'];
  tags: string[];
  price_min: number | null;
  price_max: number | null;
  currency: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  variants: VariantView[];
  categories: ProductView['categories'];
  rank?: number;
}

const MAX_SEARCH_TERMS = 8;
const MAX_RELEVANCE_OFFSET = 1000;

/**
 * A prefix query from the words in what the shopper typed, so "runn sho" finds
 * "Running shoes" while typing. Only letters and digits reach to_tsquery, so no
 * input can make it fail.
 */
export function searchQuery(q: string): string | null {
  const words = (q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_SEARCH_TERMS).map((w) => w.slice(0, 40));
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

const VARIANTS_JSON = `coalesce((
  select json_agg(json_build_object(
    'id', v.id, 'sku', v.sku, 'title', v.title, 'options', v.options,
    'price', json_build_object('amount', v.price_amount, 'currency', v.currency),
    'compareAtPrice', case when v.compare_at_amount is null then null
      else json_build_object('amount', v.compare_at_amount, 'currency', v.currency) end,
    'weightGrams', v.weight_grams, 'barcode', v.barcode) order by v.position)
  from catalog.variants v where v.product_id = p.id), '[]'::json) as variants`;

const CATEGORIES_JSON = `coalesce((
  select json_agg(json_build_object('id', c.id, 'slug', c.slug, 'name', c.name) order by c.name)
  from catalog.product_categories pc join catalog.categories c on c.id = pc.category_id
  where pc.product_id = p.id), '[]'::json) as categories`;

function optionsOf(variants: VariantView[]): ProductView['options'] {
  const byName = new Map<string, string[]>();
  for (const v of variants) {
    for (const [name, value] of Object.entries(v.options)) {
      const values = byName.get(name) ?? [];
      if (!values.includes(value)) values.push(value);
      byName.set(name, values);
    }
  }
  return [...byName].map(([name, values]) => ({ name, values }));
}

function toView(row: Row): ProductView {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    status: row.status,
    images: row.images,
    tags: row.tags,
    categories: row.categories,
    options: optionsOf(row.variants),
    variants: row.variants,
    priceRange:
      row.price_min === null || row.price_max === null || row.currency === null
        ? null
        : {
            min: { amount: Number(row.price_min), currency: row.currency },
            max: { amount: Number(row.price_max), currency: row.currency },
          },
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    publishedAt: row.published_at ? new Date(row.published_at).toISOString() : null,
  };
}

export class ProductQueries {
  constructor(private readonly knex: Knex) {}

  private base(db: Knex | Knex.Transaction = this.knex): Knex.QueryBuilder {
    return db
      .from({ p: 'catalog.products' })
      .select(
        'p.id', 'p.slug', 'p.title', 'p.description', 'p.status', 'p.images', 'p.tags', 'p.price_min', 'p.price_max',
        'p.currency', 'p.version', 'p.created_at', 'p.updated_at', 'p.published_at',
        db.raw(VARIANTS_JSON), db.raw(CATEGORIES_JSON),
      );
  }

  async findOne(by: { id: string } | { slug: string }, statuses: ProductStatus[], db?: Knex | Knex.Transaction): Promise<ProductView | undefined> {
    const query = this.base(db).whereIn('p.status', statuses);
    if ('id' in by) void query.where('p.id', by.id);
    else void query.where('p.slug', by.slug);
    const row = (await query.first()) as Row | undefined;
    return row ? toView(row) : undefined;
  }

  async list(filter: ProductFilter): Promise<Page<ProductView>> {
    const { sort, limit } = filter;
    const query = this.base().whereIn('p.status', filter.statuses).limit(limit + 1);

    if (filter.categoryId) {
      void query.whereIn(
        'p.id',
        this.knex
          .withRecursive('tree', (qb) => {
            void qb
              .select('id').from('catalog.categories').where('id', filter.categoryId as string)
              .unionAll((u) => void u.select('c.id').from({ c: 'catalog.categories' }).join('tree', 'c.parent_id', 'tree.id'));
          })
          .select('pc.product_id')
          .from({ pc: 'catalog.product_categories' })
          .whereIn('pc.category_id', this.knex.select('id').from('tree')),
      );
    }
    if (filter.minPrice !== undefined || filter.maxPrice !== undefined) {
      void query.whereExists((sub) => {
        void sub.select(this.knex.raw('1')).from({ v: 'catalog.variants' }).whereRaw('v.product_id = p.id');
        if (filter.minPrice !== undefined) void sub.where('v.price_amount', '>=', filter.minPrice);
        if (filter.maxPrice !== undefined) void sub.where('v.price_amount', '<=', filter.maxPrice);
      });
    }

    const position = filter.cursor ? decodeCursor(filter.cursor, sort) : undefined;
    if (sort === 'relevance') {
      const tsquery = filter.q ? searchQuery(filter.q) : null;
      if (!tsquery) return { data: [], nextCursor: null };
      const offset = position ? Number(position.value) : 0;
      if (!Number.isInteger(offset) || offset < 0 || offset > MAX_RELEVANCE_OFFSET) return { data: [], nextCursor: null };
      void query
        .whereRaw(`p.search @@ to_tsquery('english', ?)`, [tsquery])
        .orderByRaw(`ts_rank_cd(p.search, to_tsquery('english', ?)) desc, p.id`, [tsquery])
        .offset(offset);
      const rows = (await query) as Row[];
      return toPage(rows.map(toView), limit, (row) => ({ sort, value: offset + limit, id: row.id }));
    }

    if (filter.q) {
      const tsquery = searchQuery(filter.q);
      if (!tsquery) return { data: [], nextCursor: null };
      void query.whereRaw(`p.search @@ to_tsquery('english', ?)`, [tsquery]);
    }

    const price = 'coalesce(p.price_min, -1)';
    switch (sort) {
      case 'newest':
        // UUIDv7 ids are time-ordered, so the id alone is the creation order.
        if (position) void query.where('p.id', '<', position.id);
        void query.orderBy('p.id', 'desc');
        break;
      case 'price_asc':
        if (position) void query.whereRaw(`(${price}, p.id) > (?, ?)`, [Number(position.value), position.id]);
        void query.orderByRaw(`${price} asc, p.id asc`);
        break;
      case 'price_desc':
        if (position) void query.whereRaw(`(${price}, p.id) < (?, ?)`, [Number(position.value), position.id]);
        void query.orderByRaw(`${price} desc, p.id desc`);
        break;
      case 'title':
        if (position) void query.whereRaw('(p.title, p.id) > (?, ?)', [String(position.value), position.id]);
        void query.orderBy([{ column: 'p.title' }, { column: 'p.id' }]);
        break;
    }
    const rows = (await query) as Row[];
    return toPage(rows.map(toView), limit, (row) => ({
      sort,
      value: sort === 'title' ? row.title : sort === 'newest' ? null : (row.priceRange?.min.amount ?? -1),
      id: row.id,
    }));
  }

  /** Variants by id or SKU with what a cart needs of their product (published only). */
  async variants(by: { ids?: string[]; skus?: string[] }): Promise<(VariantView & { productId: string; productSlug: string; productTitle: string; image: string | null })[]> {
    const query = this.knex
      .from({ v: 'catalog.variants' })
      .join({ p: 'catalog.products' }, 'p.id', 'v.product_id')
      .where('p.status', 'published')
      .select(
        'v.id', 'v.sku', 'v.title', 'v.options', 'v.price_amount', 'v.currency', 'v.compare_at_amount', 'v.weight_grams',
        'v.barcode', 'p.id as product_id', 'p.slug as product_slug', 'p.title as product_title',
        this.knex.raw(`p.images->0->>'url' as image`),
      )
      .orderBy('v.sku');
    if (by.ids) void query.whereIn('v.id', by.ids);
    if (by.skus) void query.whereIn('v.sku', by.skus);
    const rows = (await query) as {
      id: string; sku: string; title: string; options: Record<string, string>; price_amount: number; currency: string;
      compare_at_amount: number | null; weight_grams: number; barcode: string | null; product_id: string; product_slug: string;
      product_title: string; image: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      sku: r.sku,
      title: r.title,
      options: r.options,
      price: { amount: Number(r.price_amount), currency: r.currency },
      compareAtPrice: r.compare_at_amount === null ? null : { amount: Number(r.compare_at_amount), currency: r.currency },
      weightGrams: r.weight_grams,
      barcode: r.barcode,
      productId: r.product_id,
      productSlug: r.product_slug,
      productTitle: r.product_title,
      image: r.image,
    }));
  }
}
