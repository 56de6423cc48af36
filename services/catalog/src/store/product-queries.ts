/**
 * The read side: storefront and admin lists in one SQL statement each — the
 * page of products with their variants and categories aggregated as JSON, so
 * a page of 20 never costs a query per product.
 */
import type { Knex } from 'knex';
import { decodeCursor, toPage, type CursorPosition } from '@fusioncommerce/platform';
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

/** A page as the storefront sends it: stored documents, joined without re-serialising. */
export interface DocumentPage {
  documents: string[];
  nextCursor: string | null;
}

export function pageJson(page: DocumentPage): string {
  return `{"data":[${page.documents.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
}

interface Row {
  id: string;
  title: string;
  price_min: number | null;
  document: string;
}

const MAX_SEARCH_TERMS = 8;
const MAX_RELEVANCE_OFFSET = 1000;

/**
 * A query from the words the shopper typed, each matching as a word prefix
 * while typing: "runn sho" finds "Running shoes". Each word is tried both
 * stemmed ("shoes" finds "shoe") and as written ("pony" finds "ponytail",
 * which stemming would turn into "poni"). Stop words ("the", "and") are
 * left out, as the stemmed index leaves them out. Only letters and digits reach
 * to_tsquery, so no input can make it fail.
 */
export function searchQuery(q: string): { sql: string; bindings: string[] } | null {
  const words = (q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_SEARCH_TERMS).map((w) => `${w.slice(0, 40)}:*`);
  if (!words.length) return null;
  return {
    sql: `(${words.map(() => `(case when numnode(to_tsquery('english', ?)) = 0 then ''::tsquery else to_tsquery('english', ?) || to_tsquery('simple', ?) end)`).join(' && ')})`,
    bindings: words.flatMap((w) => [w, w, w]),
  };
}

function documentPage(rows: Row[], limit: number, positionOf: (row: Row) => CursorPosition): DocumentPage {
  const page = toPage(rows, limit, positionOf);
  return { documents: page.data.map((row) => row.document), nextCursor: page.nextCursor };
}

export class ProductQueries {
  constructor(private readonly knex: Knex) {}

  private base(db: Knex | Knex.Transaction = this.knex): Knex.QueryBuilder {
    return db.from({ p: 'catalog.products' }).select('p.id', 'p.title', 'p.price_min', db.raw('p.document::text as document'));
  }

  /** One product's stored document, as JSON text. */
  async findDocument(by: { id: string } | { slug: string }, statuses: ProductStatus[], db?: Knex | Knex.Transaction): Promise<string | undefined> {
    const query = this.base(db).whereIn('p.status', statuses);
    if ('id' in by) void query.where('p.id', by.id);
    else void query.where('p.slug', by.slug);
    const row = (await query.first()) as Row | undefined;
    return row?.document;
  }

  async findOne(by: { id: string } | { slug: string }, statuses: ProductStatus[], db?: Knex | Knex.Transaction): Promise<ProductView | undefined> {
    const document = await this.findDocument(by, statuses, db);
    return document === undefined ? undefined : (JSON.parse(document) as ProductView);
  }

  async list(filter: ProductFilter): Promise<DocumentPage> {
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

    const shape = sort === 'relevance' ? { value: 'number' as const } : sort === 'title' ? { id: 'uuid' as const, value: 'string' as const } : sort === 'newest' ? { id: 'uuid' as const } : { id: 'uuid' as const, value: 'number' as const };
    const position = filter.cursor ? decodeCursor(filter.cursor, sort, shape) : undefined;
    if (sort === 'relevance') {
      const tsquery = filter.q ? searchQuery(filter.q) : null;
      if (!tsquery) return { documents: [], nextCursor: null };
      const offset = position ? Number(position.value) : 0;
      if (!Number.isInteger(offset) || offset < 0 || offset > MAX_RELEVANCE_OFFSET) return { documents: [], nextCursor: null };
      void query
        .whereRaw(`p.search @@ ${tsquery.sql}`, tsquery.bindings)
        .orderByRaw(`ts_rank_cd(p.search, ${tsquery.sql}) desc, p.id`, tsquery.bindings)
        .offset(offset);
      return documentPage((await query) as Row[], limit, () => ({ sort, value: offset + limit, id: '' }));
    }

    if (filter.q) {
      const tsquery = searchQuery(filter.q);
      if (!tsquery) return { documents: [], nextCursor: null };
      void query.whereRaw(`p.search @@ ${tsquery.sql}`, tsquery.bindings);
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
    return documentPage((await query) as Row[], limit, (row) => ({
      sort,
      value: sort === 'title' ? row.title : sort === 'newest' ? null : (row.price_min ?? -1),
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
