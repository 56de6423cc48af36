/**
 * The money rule of group buying. A deal's tiers give a unit price from a
 * number of members on: `[{1: 5000}, {3: 4500}, {5: 4000}]`. Participants are
 * strictly rising and prices strictly falling, so more members never cost more.
 *
 * - The final unit price of a group is the price of the highest tier its
 *   member count reaches when it settles.
 * - A group only succeeds with at least `minGroupSize` members, so the most a
 *   member can ever be charged is the price at `minGroupSize`. That is what is
 *   authorized when they join (× quantity): enough for every possible outcome,
 *   and no more than needed.
 * - On success exactly final unit price × quantity is captured; the rest of
 *   the hold is released by the provider.
 */
import type { FieldError } from '@fusioncommerce/platform';

export interface Tier {
  minParticipants: number;
  unitPrice: number;
}

export interface DealRules {
  tiers: Tier[];
  minGroupSize: number;
  maxGroupSize: number | null;
}

export const MAX_TIERS = 10;
export const MAX_GROUP_SIZE = 1000;

/** What is wrong with a deal's rules, as field errors against the request body; empty when they hold. */
export function checkRules(rules: DealRules): FieldError[] {
  const errors: FieldError[] = [];
  const { tiers, minGroupSize, maxGroupSize } = rules;
  if (tiers.length === 0) errors.push({ pointer: '/body/tiers', message: 'needs at least one tier' });
  tiers.forEach((tier, i) => {
    const previous = tiers[i - 1];
    if (previous && tier.minParticipants <= previous.minParticipants) {
      errors.push({ pointer: `/body/tiers/${i}/minParticipants`, message: 'must be greater than the previous tier’s' });
    }
    if (previous && tier.unitPrice >= previous.unitPrice) {
      errors.push({ pointer: `/body/tiers/${i}/unitPrice/amount`, message: 'must be lower than the previous tier’s' });
    }
    if (maxGroupSize !== null && tier.minParticipants > maxGroupSize) {
      errors.push({ pointer: `/body/tiers/${i}/minParticipants`, message: 'can never be reached: it exceeds maxGroupSize' });
    }
  });
  const first = tiers[0];
  if (first && first.minParticipants > minGroupSize) {
    errors.push({ pointer: '/body/tiers/0/minParticipants', message: 'must not exceed minGroupSize, so every successful group has a price' });
  }
  if (maxGroupSize !== null && maxGroupSize < minGroupSize) errors.push({ pointer: '/body/maxGroupSize', message: 'must be at least minGroupSize' });
  return errors;
}

/** The unit price for a group of `members`; null below the first tier. */
export function priceFor(tiers: Tier[], members: number): number | null {
  let price: number | null = null;
  for (const tier of tiers) if (members >= tier.minParticipants) price = tier.unitPrice;
  return price;
}

/** What a member authorizes per unit: the price at the minimum group size, the highest any successful group pays. */
export function authorizedUnitPrice(rules: DealRules): number {
  const price = priceFor(rules.tiers, rules.minGroupSize);
  if (price === null) throw new Error('a deal whose first tier is above its minimum group size');
  return price;
}

/** The tier after the one `members` reach, and how many more members it takes. */
export function nextTier(tiers: Tier[], members: number): (Tier & { membersNeeded: number }) | null {
  const next = tiers.find((t) => t.minParticipants > members);
  return next ? { ...next, membersNeeded: next.minParticipants - members } : null;
}
