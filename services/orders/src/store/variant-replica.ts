/** Orders' copy of what the catalog sells, kept current from catalog events; a newer product version always wins. */
import type { Knex } from 'knex';

export interface ReplicaVariant {
  variantId: string;
  sku: string;
  productId: string;
  productTitle: string;
  productSlug: string;
  variantTitle: string;
  price: number;
  currency: string;
  weightGrams: number;
  sellable: boolean;
}

export interface ProductFacts {
  id: string;
  slug: string;
  title: string;
  status: string;
  version: number;
  variants: { id: string; sku: string; title: string; price: { amount: number; currency: string }; weightGrams: number }[];
}

const T = 'orders.catalog_variants';

export async function applyProduct(trx: Knex.Transaction, product: ProductFacts): Promise<void> {
  const current = await trx(T).where({ product_id: product.id }).max<{ version: number | null }>('product_version as version').first();
  if (current?.version !== null && current?.version !== undefined && current.version > product.version) return; // stale event
  const sellable = product.status === 'published';
  const keep = product.variants.map((v) => v.id);
  await trx(T).where({ product_id: product.id }).whereNotIn('variant_id', keep).update({ sellable: false, product_version: product.version, updated_at: new Date() });
  if (product.variants.length === 0) return;
  await trx(T)
    .insert(
      product.variants.map((v) => ({
        variant_id: v.id,
        sku: v.sku,
        product_id: product.id,
        product_title: product.title,
        product_slug: product.slug,
        variant_title: v.title,
        price_amount: v.price.amount,
        currency: v.price.currency,
        weight_grams: v.weightGrams,
        sellable,
        product_version: product.version,
        updated_at: new Date(),
      })),
    )
    .onConflict('variant_id')
    .merge();
}

/** A variant as carts price it: the catalog's facts and what orders knows of its stock. */
export interface PricedVariant extends ReplicaVariant {
  /** What can still be sold of its SKU as far as orders knows (never below zero); null when inventory has not said. */
  stock: number | null;
}

/** The variants with their stock, in one read (every cart view and change needs both). */
export async function findVariants(db: Knex | Knex.Transaction, variantIds: string[]): Promise<Map<string, PricedVariant>> {
  if (variantIds.length === 0) return new Map();
  const rows = (await db({ v: T })
    .leftJoin({ s: 'orders.stock_levels' }, 's.sku', 'v.sku')
    .whereIn('v.variant_id', variantIds)
    .select('v.*', db.raw('case when s.sku is null then null else greatest(s.available - s.held, 0) end as stock'))) as {
    variant_id: string; sku: string; product_id: string; product_title: string; product_slug: string; variant_title: string;
    price_amount: number; currency: string; weight_grams: number; sellable: boolean; stock: number | null;
  }[];
  return new Map(
    rows.map((r) => [
      r.variant_id,
      {
        variantId: r.variant_id,
        sku: r.sku,
        productId: r.product_id,
        productTitle: r.product_title,
        productSlug: r.product_slug,
        variantTitle: r.variant_title,
        price: Number(r.price_amount),
        currency: r.currency,
        weightGrams: r.weight_grams,
        sellable: r.sellable,
        stock: r.stock === null ? null : Number(r.stock),
      },
    ]),
  );
}

export async function findBySku(db: Knex | Knex.Transaction, sku: string): Promise<string | undefined> {
  const row = await db(T).where({ sku, sellable: true }).first<{ variant_id: string } | undefined>('variant_id');
  return row?.variant_id;
}
