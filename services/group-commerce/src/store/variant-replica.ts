/** Group buying's copy of what the catalog sells, kept current from catalog events; a newer product version always wins. */
import type { Knex } from 'knex';

export interface ReplicaVariant {
  variantId: string;
  sku: string;
  productId: string;
  productTitle: string;
  variantTitle: string;
  price: number;
  currency: string;
  sellable: boolean;
}

export interface ProductFacts {
  id: string;
  slug: string;
  title: string;
  status: string;
  version: number;
  variants: { id: string; sku: string; title: string; price: { amount: number; currency: string } }[];
}

const T = 'group_commerce.catalog_variants';

export async function applyProduct(trx: Knex | Knex.Transaction, product: ProductFacts): Promise<void> {
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
        sellable,
        product_version: product.version,
        updated_at: new Date(),
      })),
    )
    .onConflict('variant_id')
    .merge();
}

export async function findVariant(db: Knex | Knex.Transaction, variantId: string): Promise<ReplicaVariant | undefined> {
  const r = (await db(T).where({ variant_id: variantId }).first()) as
    | { variant_id: string; sku: string; product_id: string; product_title: string; variant_title: string; price_amount: number; currency: string; sellable: boolean }
    | undefined;
  if (!r) return undefined;
  return {
    variantId: r.variant_id,
    sku: r.sku,
    productId: r.product_id,
    productTitle: r.product_title,
    variantTitle: r.variant_title,
    price: Number(r.price_amount),
    currency: r.currency,
    sellable: r.sellable,
  };
}

/** What a deal is called: the product, and the variant when it says more than the product. */
export function dealTitle(productTitle: string, variantTitle: string): string {
  const extra = variantTitle.trim();
  return extra && extra !== 'Default' && extra !== productTitle ? `${productTitle} — ${extra}` : productTitle;
}
