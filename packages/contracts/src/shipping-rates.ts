/**
 * Shipping rate rules and the one function that prices them. Shipping quotes
 * with it and orders prices carts with it (from its replica of the options),
 * so a shopper is charged exactly what the shipping service would quote.
 *
 * An option ships to a list of countries in one currency, at a flat amount or
 * by weight bands; it can be free at or above a subtotal, and need a minimum
 * subtotal to apply at all. Amounts are integer minor units.
 */
import { Type, type Static } from 'typebox';

const Amount = Type.Integer({ minimum: 0, maximum: 100_000_000_00 });
export const COUNTRY_PATTERN = '^[A-Z]{2}$';

export const WeightBandSchema = Type.Object({
  upToGrams: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Parcels up to this weight (inclusive) pay `amount`.' }),
  amount: Amount,
});

export const ShippingRateSchema = Type.Union([
  Type.Object({ type: Type.Literal('flat'), amount: Amount }),
  Type.Object({
    type: Type.Literal('weight'),
    bands: Type.Array(WeightBandSchema, { minItems: 1, maxItems: 20, description: 'Ascending by upToGrams; heavier than the last band: the option does not apply.' }),
  }),
]);

export const ShippingRulesSchema = Type.Object({
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  countries: Type.Array(Type.String({ pattern: COUNTRY_PATTERN }), { minItems: 1, maxItems: 250, description: 'ISO 3166-1 alpha-2 codes the option ships to.' }),
  rate: ShippingRateSchema,
  freeAbove: Type.Union([Amount, Type.Null()], { description: 'Free when the subtotal is at least this; null: never free.' }),
  minSubtotal: Type.Union([Amount, Type.Null()], { description: 'The option applies only from this subtotal; null: always.' }),
});

export type WeightBand = Static<typeof WeightBandSchema>;
export type ShippingRate = Static<typeof ShippingRateSchema>;
export type ShippingRules = Static<typeof ShippingRulesSchema>;

/** Where a parcel goes. */
export interface ShippingDestination {
  country: string;
}

/** What is shipped: the cart's (or order's) subtotal in its currency and its weight. */
export interface ShippingParcel {
  currency: string;
  subtotal: number;
  weightGrams: number;
}

export type NotApplicableReason = 'country' | 'currency' | 'subtotal' | 'weight';

export type RateOutcome =
  | { applicable: true; amount: number; free: boolean }
  | { applicable: false; reason: NotApplicableReason; message: string };

/** Prices one option's rules for a destination and parcel: an amount, or why it does not apply. */
export function evaluateShippingRate(rules: ShippingRules, destination: ShippingDestination, parcel: ShippingParcel): RateOutcome {
  const country = destination.country.toUpperCase();
  if (!rules.countries.includes(country)) return { applicable: false, reason: 'country', message: `does not ship to ${country}` };
  if (rules.currency !== parcel.currency) return { applicable: false, reason: 'currency', message: `is priced in ${rules.currency}, not ${parcel.currency}` };
  if (rules.minSubtotal !== null && parcel.subtotal < rules.minSubtotal) {
    return { applicable: false, reason: 'subtotal', message: `needs a subtotal of at least ${rules.minSubtotal}` };
  }
  let amount: number;
  if (rules.rate.type === 'flat') {
    amount = rules.rate.amount;
  } else {
    const bands = [...rules.rate.bands].sort((a, b) => a.upToGrams - b.upToGrams);
    const band = bands.find((b) => parcel.weightGrams <= b.upToGrams);
    if (!band) return { applicable: false, reason: 'weight', message: `takes parcels up to ${bands[bands.length - 1]?.upToGrams ?? 0} g` };
    amount = band.amount;
  }
  if (rules.freeAbove !== null && parcel.subtotal >= rules.freeAbove) return { applicable: true, amount: 0, free: true };
  return { applicable: true, amount, free: amount === 0 };
}

export interface QuotableOption {
  id: string;
  name: string;
  rules: ShippingRules;
}

export type ShippingQuote<T extends QuotableOption> = T & { amount: number; free: boolean };

/** The options that apply, priced, cheapest first (then by name and id, so the order is stable). */
export function quoteShippingOptions<T extends QuotableOption>(options: readonly T[], destination: ShippingDestination, parcel: ShippingParcel): ShippingQuote<T>[] {
  const quotes: ShippingQuote<T>[] = [];
  for (const option of options) {
    const outcome = evaluateShippingRate(option.rules, destination, parcel);
    if (outcome.applicable) quotes.push({ ...option, amount: outcome.amount, free: outcome.free });
  }
  return quotes.sort((a, b) => a.amount - b.amount || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
