/**
 * Shipping for a cart, priced from orders' replica of the shipping options
 * with the same function the shipping service quotes with. The rules:
 * - a shop with no active option in the cart's currency does not charge for shipping;
 * - until the cart knows its destination country, shipping is not priced (null);
 * - the shopper's chosen option is charged; with none chosen, the cheapest that applies;
 * - a chosen option that no longer applies, or no option at all for the destination,
 *   makes the cart not checkout-ready, with `issue` saying why.
 */
import type { Knex } from 'knex';
import { evaluateShippingRate, quoteShippingOptions } from '@fusioncommerce/contracts';
import { activeShippingOptions, findShippingOption } from '../store/shipping-option-replica.ts';

export interface ShippingQuoteView {
  id: string;
  name: string;
  description: string | null;
  carrier: string;
  estimatedDays: { min: number; max: number } | null;
  amount: { amount: number; currency: string };
  free: boolean;
}

export interface CartShippingView {
  /** The destination country quotes are for (the cart's, or checkout's address). */
  country: string | null;
  /** The option the shopper chose, if any (it may no longer apply: see `issue`). */
  selectedOptionId: string | null;
  /** Every option that applies to this cart and destination, cheapest first. */
  options: ShippingQuoteView[];
  /** The option in the totals: the chosen one, or the cheapest; null when none applies or the destination is unknown. */
  option: ShippingQuoteView | null;
  /** False when the shop offers no shipping in the cart's currency: nothing to choose, nothing charged. */
  required: boolean;
  /** Why shipping stops the cart from checking out, if it does. */
  issue: string | null;
}

export interface CartShipping {
  view: CartShippingView;
  /** The shipping charge; null until it can be priced. */
  amount: number | null;
}

export interface ShippingRequest {
  currency: string | null;
  subtotal: number;
  weightGrams: number;
  country: string | null;
  selectedOptionId: string | null;
}

export async function shippingForCart(db: Knex | Knex.Transaction, request: ShippingRequest): Promise<CartShipping> {
  const { currency, country, selectedOptionId } = request;
  const base: CartShippingView = { country, selectedOptionId, options: [], option: null, required: false, issue: null };
  if (!currency) return { view: base, amount: null };
  const offered = await activeShippingOptions(db, currency);
  if (offered.length === 0) return { view: base, amount: 0 };
  if (!country) return { view: { ...base, required: true }, amount: null };

  const parcel = { currency, subtotal: request.subtotal, weightGrams: request.weightGrams };
  const options: ShippingQuoteView[] = quoteShippingOptions(offered, { country }, parcel).map((q) => ({
    id: q.id,
    name: q.name,
    description: q.description,
    carrier: q.carrier,
    estimatedDays: q.estimatedDays,
    amount: { amount: q.amount, currency },
    free: q.free,
  }));
  const view: CartShippingView = { ...base, required: true, options };
  if (selectedOptionId) {
    const chosen = options.find((o) => o.id === selectedOptionId);
    if (chosen) return { view: { ...view, option: chosen }, amount: chosen.amount.amount };
    const known = await findShippingOption(db, selectedOptionId);
    const why =
      !known || known.status !== 'active'
        ? 'is no longer offered'
        : (() => {
            const outcome = evaluateShippingRate(known.rules, { country }, parcel);
            return outcome.applicable ? 'does not apply' : outcome.message;
          })();
    const name = known ? `"${known.name}"` : 'The shipping option you chose';
    return { view: { ...view, issue: `${known ? `The shipping option ${name}` : name} ${why} for this cart; choose another.` }, amount: null };
  }
  const cheapest = options[0];
  if (!cheapest) return { view: { ...view, issue: `No shipping option delivers this cart to ${country}.` }, amount: null };
  return { view: { ...view, option: cheapest }, amount: cheapest.amount.amount };
}
