/**
 * Demo deals: group prices on a couple of well-stocked demo variants, so the
 * storefront shows the badge and tier ladder out of the box. One definition
 * serves both ways of loading them: the embedded shop's composition root
 * seeds them here (it may read the catalog; this service may not, so it hands
 * over the variants, which also go into this service's catalog copy), and
 * `fusion demo` sends the same requests to `POST /v1/group-deals` of a
 * distributed shop.
 */
import type { Knex } from 'knex';
import type { CreateDealBody } from '../schemas/group-commerce.ts';
import { DEALS } from '../store/deal-store.ts';
import { insertDeal, newDealRow } from '../use-cases/manage-deals.ts';

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

/** How many demo deals a shop gets, and the stock a variant needs on hand to carry one. */
export const DEMO_DEAL_COUNT = 2;
export const DEMO_DEAL_MIN_STOCK = 20;

/**
 * The variants the demo deals go on: published ones with at least
 * DEMO_DEAL_MIN_STOCK units on hand, the first DEMO_DEAL_COUNT by SKU.
 */
export function pickDemoDealVariants<T extends { sku: string; onHand: number }>(candidates: T[]): T[] {
  return candidates
    .filter((c) => c.onHand >= DEMO_DEAL_MIN_STOCK)
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .slice(0, DEMO_DEAL_COUNT);
}

/**
 * The `POST /v1/group-deals` body of each demo deal, one per variant given:
 * 10 % off from 2 members, 20 % off from 5; groups of 2–10 over 48 hours,
 * 2 per customer, starting now (the server's) and running `days`.
 */
export function demoDealRequests(variants: Pick<DemoVariant, 'variantId' | 'price' | 'currency'>[], options: DemoDealOptions = {}): CreateDealBody[] {
  const now = options.now ?? new Date();
  const endsAt = new Date(now.getTime() + (options.days ?? 90) * 24 * 3600 * 1000).toISOString();
  return variants.map((v) => {
    const ladder = [
      { minParticipants: 1, amount: v.price },
      { minParticipants: 2, amount: Math.round(v.price * 0.9) },
      { minParticipants: 5, amount: Math.round(v.price * 0.8) },
    ];
    // A very cheap variant can round two tiers to one price: prices must strictly fall.
    const tiers = ladder
      .filter((t, i) => i === 0 || t.amount < (ladder[i - 1] as { amount: number }).amount)
      .map((t) => ({ minParticipants: t.minParticipants, unitPrice: { amount: t.amount, currency: v.currency } }));
    return { variantId: v.variantId, tiers, minGroupSize: 2, maxGroupSize: 10, groupWindowSeconds: 48 * 3600, perCustomerLimit: 2, endsAt };
  });
}

/** Creates one deal per variant given (the first DEMO_DEAL_COUNT used), unless that variant has one already. Returns how many were made. */
export async function seedDemoDeals(knex: Knex, variants: DemoVariant[], options: DemoDealOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  // A gateway mounted without group buying has no tables for it: nothing to seed.
  if (!(await knex.schema.withSchema('group_commerce').hasTable('deals'))) return 0;
  const chosen = variants.slice(0, DEMO_DEAL_COUNT);
  const requests = demoDealRequests(chosen, { ...options, now });
  let made = 0;
  await knex.transaction(async (trx) => {
    for (const [i, v] of chosen.entries()) {
      const request = requests[i] as CreateDealBody;
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
      // The rules an admin's deal is held to: a demo ladder that breaks them fails loudly here.
      await insertDeal(trx, newDealRow({ ...v, sellable: true }, { ...request, startsAt: now.toISOString() }, now));
      made += 1;
    }
  });
  return made;
}
