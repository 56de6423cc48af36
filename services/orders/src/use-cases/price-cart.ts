/** A cart as the shopper sees it: every price and total computed here from the catalog replica, never taken from the client. */
import type { Knex } from 'knex';
import type { Cart } from '../domain/cart.ts';
import { findVariants } from '../store/variant-replica.ts';

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
  available: boolean;
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
  /** True when every line can be bought now. */
  checkoutReady: boolean;
}

export async function priceCart(db: Knex | Knex.Transaction, cart: Cart): Promise<CartView> {
  const s = cart.snapshot();
  const variants = await findVariants(db, s.lines.map((l) => l.variantId));
  const lines: CartLineView[] = s.lines.map((l) => {
    const v = variants.get(l.variantId);
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
      available: Boolean(v?.sellable),
    };
  });
  const currency = lines.find((l) => l.available)?.unitPrice.currency ?? null;
  const subtotal = lines.filter((l) => l.available).reduce((sum, l) => sum + l.lineTotal.amount, 0);
  const total = currency ? { amount: subtotal, currency } : null;
  return {
    id: s.id,
    status: s.status,
    customerId: s.customerId,
    currency,
    lines,
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    subtotal: total,
    shippingTotal: currency ? { amount: 0, currency } : null,
    total,
    checkoutReady: s.status === 'active' && lines.length > 0 && lines.every((l) => l.available && l.unitPrice.currency === currency),
  };
}
