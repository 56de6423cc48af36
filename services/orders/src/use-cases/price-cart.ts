/** A cart as the shopper sees it: every price and total computed here from the catalog replica, never taken from the client. */
import type { Knex } from 'knex';
import type { Cart } from '../domain/cart.ts';
import { findVariants, type PricedVariant } from '../store/variant-replica.ts';
import { shippingForCart, type CartShippingView } from './quote-shipping.ts';

export interface CartLineView {
  id: string;
  variantId: string;
  sku: string;
  productId: string;
  productSlug: string;
  productTitle: string;
  variantTitle: string;
  quantity: number;
  unitPrice: { amount: number; currency: string };
  lineTotal: { amount: number; currency: string };
  weightGrams: number;
  /** True when the line can be bought as it is: the catalog sells it and stock covers the quantity as far as carts know. */
  available: boolean;
  /** Why not, when `available` is false. */
  unavailableReason: 'not_sold' | 'insufficient_stock' | null;
  /** What can be sold of the SKU now, as far as carts know; null when inventory has not said. */
  stockAvailable: number | null;
}

export interface CartView {
  id: string;
  status: string;
  customerId: string | null;
  currency: string | null;
  lines: CartLineView[];
  itemCount: number;
  subtotal: { amount: number; currency: string } | null;
  shippingTotal: { amount: number; currency: string } | null;
  total: { amount: number; currency: string } | null;
  /** True when every line can be bought now (and shipping, when the shop charges for it, has no issue). */
  checkoutReady: boolean;
  /** Destination, the options that apply (cheapest first) and the one in the totals; see quote-shipping.ts. */
  shipping: CartShippingView;
}

/**
 * `destination.country` overrides the cart's own (checkout ships to its
 * address). `known`: the variants, already read in this transaction, when
 * they cover every line.
 */
export async function priceCart(db: Knex | Knex.Transaction, cart: Cart, destination: { country?: string } = {}, known?: Map<string, PricedVariant>): Promise<CartView> {
  const s = cart.snapshot();
  const ids = s.lines.map((l) => l.variantId);
  const variants = known && ids.every((id) => known.has(id)) ? known : await findVariants(db, ids);
  const lines: CartLineView[] = s.lines.map((l) => {
    const v = variants.get(l.variantId);
    const stock = v?.stock ?? null;
    const unavailableReason = !v?.sellable ? 'not_sold' : stock !== null && stock < l.quantity ? 'insufficient_stock' : null;
    const price = v?.price ?? 0;
    const currency = v?.currency ?? 'XXX';
    return {
      id: l.id,
      variantId: l.variantId,
      sku: v?.sku ?? '',
      productId: v?.productId ?? '',
      productSlug: v?.productSlug ?? '',
      productTitle: v?.productTitle ?? 'No longer available',
      variantTitle: v?.variantTitle ?? '',
      quantity: l.quantity,
      unitPrice: { amount: price, currency },
      lineTotal: { amount: price * l.quantity, currency },
      weightGrams: (v?.weightGrams ?? 0) * l.quantity,
      available: unavailableReason === null,
      unavailableReason,
      stockAvailable: stock,
    };
  });
  // Lines the catalog sells count in the totals even when stock looks short: reserving at checkout decides.
  const sold = lines.filter((l) => l.unavailableReason !== 'not_sold');
  const currency = sold[0]?.unitPrice.currency ?? null;
  const subtotal = sold.reduce((sum, l) => sum + l.lineTotal.amount, 0);
  const shipping = await shippingForCart(db, {
    currency,
    subtotal,
    weightGrams: sold.reduce((sum, l) => sum + l.weightGrams, 0),
    country: destination.country ?? s.shippingCountry,
    selectedOptionId: s.shippingOptionId,
  });
  const total = currency ? { amount: subtotal + (shipping.amount ?? 0), currency } : null;
  return {
    id: s.id,
    status: s.status,
    customerId: s.customerId,
    currency,
    lines,
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    subtotal: currency ? { amount: subtotal, currency } : null,
    shippingTotal: currency && shipping.amount !== null ? { amount: shipping.amount, currency } : null,
    total,
    checkoutReady: s.status === 'active' && lines.length > 0 && lines.every((l) => l.available && l.unitPrice.currency === currency) && shipping.view.issue === null,
    shipping: shipping.view,
  };
}
