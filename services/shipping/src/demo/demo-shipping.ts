/** Demo shipping options for the embedded shop: standard (free above $50), express by weight, and international. */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import type { OptionState } from '../domain/option.ts';
import { shippingDeps } from '../use-cases/deps.ts';
import { insertOption } from '../use-cases/manage-options.ts';

type DemoOption = Omit<OptionState, 'id' | 'status' | 'version' | 'createdAt' | 'updatedAt' | 'archivedAt'>;

const DEMO_OPTIONS: DemoOption[] = [
  {
    name: 'Standard',
    description: 'Tracked delivery in 3–5 business days; free on orders of $50 or more.',
    carrier: 'manual',
    estimatedDays: { min: 3, max: 5 },
    rules: { currency: 'USD', countries: ['US'], rate: { type: 'flat', amount: 499 }, freeAbove: 5000, minSubtotal: null },
  },
  {
    name: 'Express',
    description: 'Next or second business day, priced by weight.',
    carrier: 'manual',
    estimatedDays: { min: 1, max: 2 },
    rules: {
      currency: 'USD',
      countries: ['US'],
      rate: {
        type: 'weight',
        bands: [
          { upToGrams: 1000, amount: 1299 },
          { upToGrams: 5000, amount: 1999 },
          { upToGrams: 30000, amount: 3499 },
        ],
      },
      freeAbove: null,
      minSubtotal: null,
    },
  },
  {
    name: 'International',
    description: 'Tracked delivery in 7–14 business days.',
    carrier: 'manual',
    estimatedDays: { min: 7, max: 14 },
    rules: {
      currency: 'USD',
      countries: ['CA', 'MX', 'GB', 'IE', 'DE', 'FR', 'NL', 'BE', 'ES', 'IT', 'AT', 'CH', 'SE', 'DK', 'NO', 'FI', 'PL', 'PT', 'AU', 'NZ', 'JP'],
      rate: { type: 'flat', amount: 1999 },
      freeAbove: 20000,
      minSubtotal: null,
    },
  },
];

/** Adds the demo options to a shop that has none; each is announced so orders' replica learns it. Returns how many were added. */
export async function seedDemoShipping(knex: Knex): Promise<number> {
  const deps = shippingDeps(knex);
  return knex.transaction(async (trx) => {
    const existing = await trx('shipping.options').count<{ n: string | number }[]>('id as n');
    if (Number(existing[0]?.n ?? 0) > 0) return 0;
    const now = new Date();
    for (const [i, option] of DEMO_OPTIONS.entries()) {
      // A millisecond apart, so the admin list shows them in this order.
      const at = new Date(now.getTime() + i);
      await insertOption(deps, trx, { ...option, id: uuidv7(), status: 'active', version: 1, createdAt: at, updatedAt: at, archivedAt: null });
    }
    return DEMO_OPTIONS.length;
  });
}
