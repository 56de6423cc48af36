/** Writes the product aggregate: one row, its variants and its categories, guarded by its version. */
import type { Knex } from 'knex';
import { Product, type ProductState, type Variant } from '../domain/product.ts';
import { CatalogError } from '../domain/errors.ts';

const T = {
  products: 'catalog.products',
  variants: 'catalog.variants',
  productCategories: 'catalog.product_categories',
  categories: 'catalog.categories',
} as const;

interface ProductRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: ProductState['status'];
  images: ProductState['images'];
  tags: string[];
  version: number;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

interface VariantRow {
  id: string;
  product_id: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  price_amount: number;
  currency: string;
  compare_at_amount: number | null;
  weight_grams: number;
  barcode: string | null;
  position: number;
}

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** Turns unique violations into the domain's conflicts; anything else is rethrown. */
export function mapUniqueViolation(error: unknown, state: Pick<ProductState, 'slug' | 'variants'>): never {
  const e = error as PgError;
  if (e.code === '23505') {
    const text = `${e.constraint ?? ''} ${e.detail ?? ''}`;
    if (text.includes('sku')) {
      const sku = /\(sku\)=\((.*)\)/.exec(e.detail ?? '')?.[1] ?? state.variants.map((v) => v.sku).join(', ');
      throw CatalogError.duplicateSku(sku);
    }
    if (text.includes('slug')) throw CatalogError.duplicateSlug(state.slug);
  }
  throw error;
}

function variantRow(productId: string, v: Variant): VariantRow {
  return {
    id: v.id,
    product_id: productId,
    sku: v.sku,
    title: v.title,
    options: v.options,
    price_amount: v.price.amount,
    currency: v.price.currency,
    compare_at_amount: v.compareAtPrice?.amount ?? null,
    weight_grams: v.weightGrams,
    barcode: v.barcode,
    position: v.position,
  };
}

function productRow(s: ProductState) {
  const amounts = s.variants.map((v) => v.price.amount);
  return {
    id: s.id,
    slug: s.slug,
    title: s.title,
    description: s.description,
    status: s.status,
    images: JSON.stringify(s.images),
    tags: JSON.stringify(s.tags),
    price_min: amounts.length ? Math.min(...amounts) : null,
    price_max: amounts.length ? Math.max(...amounts) : null,
    currency: s.variants[0]?.price.currency ?? null,
    version: s.version,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    published_at: s.publishedAt,
  };
}

/** Re-renders the storefront documents of these products (see migration 003). */
export async function refreshDocuments(trx: Knex | Knex.Transaction, productIds: string[]): Promise<void> {
  if (productIds.length === 0) return;
  await trx.raw('update catalog.products set document = catalog.product_document(id) where id = any(?::uuid[])', [productIds]);
}

/** Re-renders the documents of every product in these categories (after a rename). */
export async function refreshCategoryDocuments(trx: Knex.Transaction, categoryIds: string[]): Promise<void> {
  await trx.raw(
    'update catalog.products set document = catalog.product_document(id) where id in (select product_id from catalog.product_categories where category_id = any(?::uuid[]))',
    [categoryIds],
  );
}

export class ProductStore {
  constructor(private readonly knex: Knex) {}

  async load(id: string, trx: Knex.Transaction): Promise<Product> {
    const row = await trx<ProductRow>(T.products).where({ id }).first();
    if (!row) throw CatalogError.productNotFound(id);
    const [variants, categories] = await Promise.all([
      trx<VariantRow>(T.variants).where({ product_id: id }).orderBy('position'),
      trx(T.productCategories).where({ product_id: id }).select<{ category_id: string }[]>('category_id'),
    ]);
    return Product.restore({
      id: row.id,
      slug: row.slug,
      title: row.title,
      description: row.description,
      status: row.status,
      images: row.images,
      tags: row.tags,
      categoryIds: categories.map((c) => c.category_id),
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      publishedAt: row.published_at,
      variants: variants.map((v) => ({
        id: v.id,
        sku: v.sku,
        title: v.title,
        options: v.options,
        price: { amount: Number(v.price_amount), currency: v.currency },
        compareAtPrice: v.compare_at_amount === null ? null : { amount: Number(v.compare_at_amount), currency: v.currency },
        weightGrams: v.weight_grams,
        barcode: v.barcode,
        position: v.position,
      })),
    });
  }

  async insert(product: Product, trx: Knex.Transaction): Promise<void> {
    const s = product.snapshot();
    try {
      await trx(T.products).insert(productRow(s));
      if (s.variants.length) await trx(T.variants).insert(s.variants.map((v) => variantRow(s.id, v)));
    } catch (error) {
      mapUniqueViolation(error, s);
    }
    await this.writeCategories(s, trx);
    await refreshDocuments(trx, [s.id]);
  }

  /** Bulk insert for imports and demo data: a few statements for any number of products. */
  async insertMany(products: Product[], trx: Knex.Transaction): Promise<void> {
    const states = products.map((p) => p.snapshot());
    const chunk = 500;
    const rows = states.map(productRow);
    const variants = states.flatMap((s) => s.variants.map((v) => variantRow(s.id, v)));
    const links = states.flatMap((s) => s.categoryIds.map((category_id) => ({ product_id: s.id, category_id })));
    try {
      for (let i = 0; i < rows.length; i += chunk) await trx(T.products).insert(rows.slice(i, i + chunk));
      for (let i = 0; i < variants.length; i += chunk) await trx(T.variants).insert(variants.slice(i, i + chunk));
      for (let i = 0; i < links.length; i += chunk) await trx(T.productCategories).insert(links.slice(i, i + chunk));
    } catch (error) {
      mapUniqueViolation(error, { slug: 'one of the slugs', variants: [] });
    }
    await refreshDocuments(trx, states.map((s) => s.id));
  }

  /** Saves if nobody else saved since `expectedVersion`; otherwise a version conflict. */
  async save(product: Product, expectedVersion: number, trx: Knex.Transaction): Promise<void> {
    const s = product.snapshot();
    if (s.version === expectedVersion) return; // nothing changed
    const { id: _id, created_at: _created, ...row } = productRow(s);
    try {
      const updated = await trx(T.products).where({ id: s.id, version: expectedVersion }).update(row);
      if (updated === 0) throw CatalogError.versionMismatch(await this.currentVersion(s.id, trx));
      const keep = s.variants.map((v) => v.id);
      await trx(T.variants).where({ product_id: s.id }).whereNotIn('id', keep).delete();
      if (s.variants.length) {
        await trx(T.variants)
          .insert(s.variants.map((v) => ({ ...variantRow(s.id, v), updated_at: s.updatedAt })))
          .onConflict('id')
          .merge();
      }
    } catch (error) {
      mapUniqueViolation(error, s);
    }
    await this.writeCategories(s, trx);
    await refreshDocuments(trx, [s.id]);
  }

  async currentVersion(id: string, trx: Knex | Knex.Transaction = this.knex): Promise<number> {
    const row = await trx(T.products).where({ id }).first<{ version: number } | undefined>('version');
    if (!row) throw CatalogError.productNotFound(id);
    return row.version;
  }

  private async writeCategories(s: ProductState, trx: Knex.Transaction): Promise<void> {
    const found = s.categoryIds.length
      ? await trx(T.categories).whereIn('id', s.categoryIds).pluck<string[]>('id')
      : [];
    const missing = s.categoryIds.find((id) => !found.includes(id));
    if (missing) throw CatalogError.categoryNotFound(missing);
    await trx(T.productCategories).where({ product_id: s.id }).whereNotIn('category_id', s.categoryIds).delete();
    if (s.categoryIds.length) {
      await trx(T.productCategories)
        .insert(s.categoryIds.map((category_id) => ({ product_id: s.id, category_id })))
        .onConflict(['product_id', 'category_id'])
        .ignore();
    }
  }
}
