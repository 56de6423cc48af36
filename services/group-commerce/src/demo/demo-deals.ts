/**
 * Demo deals for the embedded shop: group prices on a couple of demo variants,
 * so the storefront shows the badge and tier ladder out of the box. The
 * composition root hands over the variants (it may read the catalog; this
 * service may not), which also go into this service's catalog copy.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { DEALS } from '../store/deal-store.ts';
import { dealTitle } from '../store/variant-replica.ts';

export interface DemoVariant {
  variantId: string;
  sku: string;
  productId: string;
  productTitle: string;
  productSlug: string;
  variantTitle: string;
  price: number;
  currency: string;
}

export interface DemoDealOptions {
  now?: Date;
  /** How long the demo deals run (default 90 days). */
  days?: number;
}

/** Creates one deal per variant given (the first two used), unless that variant has one already. Returns how many were made. */
export async function seedDemoDeals(knex: Knex, variants: DemoVariant[], options: DemoDealOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const endsAt = new Date(now.getTime() + (options.days ?? 90) * 24 * 3600 * 1000);
  // A gateway mounted without group buying has no tables for it: nothing to seed.
  if (!(await knex.schema.withSchema('group_commerce').hasTable('deals'))) return 0;
  let made = 0;
  await knex.transaction(async (trx) => {
    for (const v of variants.slice(0, 2)) {
      await trx('group_commerce.catalog_variants')
        .insert({
          variant_id: v.variantId,
          sku: v.sku,
          product_id: v.productId,
          product_title: v.productTitle,
          product_slug: v.productSlug,
          variant_title: v.variantTitle,
          price_amount: v.price,
          currency: v.currency,
          sellable: true,
          product_version: 0,
        })
        .onConflict('variant_id')
        .ignore();
      if (await trx(DEALS).where({ variant_id: v.variantId }).first('id')) continue;
      // 10 % off from 2 members, 20 % off from 5; groups of 2–10 over 48 hours, 2 per customer.
      const tiers = [
        { minParticipants: 1, unitPrice: v.price },
        { minParticipants: 2, unitPrice: Math.round(v.price * 0.9) },
        { minParticipants: 5, unitPrice: Math.round(v.price * 0.8) },
      ].filter((t, i, all) => i === 0 || t.unitPrice < (all[i - 1] as { unitPrice: number }).unitPrice);
      await trx(DEALS).insert({
        id: uuidv7(),
        variant_id: v.variantId,
        product_id: v.productId,
        sku: v.sku,
        title: dealTitle(v.productTitle, v.variantTitle),
        currency: v.currency,
        tiers: JSON.stringify(tiers),
        min_group_size: 2,
        max_group_size: 10,
        group_window_seconds: 48 * 3600,
        per_customer_limit: 2,
        starts_at: now,
        ends_at: endsAt,
        status: 'active',
        version: 1,
        created_at: now,
        updated_at: now,
      });
      made += 1;
    }
  });
  return made;
}
