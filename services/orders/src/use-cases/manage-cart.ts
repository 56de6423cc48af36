/** Cart use cases: one transaction each, the cart row locked so concurrent edits queue instead of losing lines. */
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import type { Principal } from '@fusioncommerce/platform';
import { Cart } from '../domain/cart.ts';
import { OrdersError } from '../domain/errors.ts';
import { activeCartOf, loadCart, saveCart } from '../store/cart-store.ts';
import { findBySku, findVariants, type PricedVariant } from '../store/variant-replica.ts';
import type { OrdersDeps } from './deps.ts';
import { priceCart, type CartView } from './price-cart.ts';

const customerOf = (principal: Principal): string | null => (principal.type === 'user' ? principal.id : null);

/**
 * Who may touch a cart: its customer, or — for a guest cart — whoever holds its
 * id (a random UUID: the capability). Anyone else is told it does not exist.
 */
export function assertCartAccess(cart: Cart, principal: Principal): void {
  const owner = cart.snapshot().customerId;
  if (owner !== null && owner !== customerOf(principal) && !(principal.type === 'user' && principal.role === 'admin')) {
    throw OrdersError.cartNotFound(cart.id);
  }
}

export async function createCart(deps: OrdersDeps, principal: Principal): Promise<CartView> {
  // Random, not time-ordered: a guest cart's id is what lets its holder in.
  const cart = Cart.open(uuidv4(), customerOf(principal));
  return deps.knex.transaction(async (trx) => {
    await saveCart(trx, cart, true);
    return priceCart(trx, cart);
  });
}

export async function getCart(deps: OrdersDeps, id: string, principal: Principal): Promise<CartView> {
  const cart = await loadCart(deps.knex, id);
  assertCartAccess(cart, principal);
  return priceCart(deps.knex, cart);
}

export async function addLine(
  deps: OrdersDeps,
  id: string,
  principal: Principal,
  item: { variantId?: string; sku?: string; quantity: number },
): Promise<CartView> {
  return deps.knex.transaction(async (trx) => {
    const cart = await loadCart(trx, id, true);
    assertCartAccess(cart, principal);
    const variantId = item.variantId ?? (item.sku ? await findBySku(trx, item.sku) : undefined);
    // The new variant and the cart's own, in one read: the currency check and the answer's prices both come from it.
    const variants = variantId ? await findVariants(trx, [...new Set([...cart.lines.map((l) => l.variantId), variantId])]) : new Map<string, PricedVariant>();
    const variant = variantId ? variants.get(variantId) : undefined;
    if (!variantId || !variant?.sellable) throw OrdersError.variantUnavailable(item.variantId ?? item.sku ?? 'This item');
    // The cart's currency is that of its first line the catalog still sells (as priceCart has it).
    const currency = cart.lines.map((l) => variants.get(l.variantId)).find((v) => v?.sellable)?.currency;
    if (currency && currency !== variant.currency) throw OrdersError.currencyMismatch(currency, variant.currency);
    cart.add(uuidv7(), variantId, item.quantity);
    await saveCart(trx, cart);
    return priceCart(trx, cart, {}, variants);
  });
}

export async function setLineQuantity(deps: OrdersDeps, id: string, principal: Principal, lineId: string, quantity: number): Promise<CartView> {
  return deps.knex.transaction(async (trx) => {
    const cart = await loadCart(trx, id, true);
    assertCartAccess(cart, principal);
    cart.setQuantity(lineId, quantity);
    await saveCart(trx, cart);
    return priceCart(trx, cart);
  });
}

/** On sign-in: the guest cart's lines join the customer's active cart (made if they have none). */
export async function mergeCart(deps: OrdersDeps, guestCartId: string, principal: Principal): Promise<CartView> {
  const customerId = customerOf(principal);
  if (!customerId) throw OrdersError.cartMergeForbidden();
  return deps.knex.transaction(async (trx) => {
    const guest = await loadCart(trx, guestCartId, true);
    if (guest.snapshot().customerId !== null) throw OrdersError.cartMergeForbidden();
    const existingId = await activeCartOf(trx, customerId);
    const mine = existingId ? await loadCart(trx, existingId, true) : Cart.open(uuidv4(), customerId);
    mine.absorb(guest, () => uuidv7());
    if (!existingId) await saveCart(trx, mine, true);
    else await saveCart(trx, mine);
    await saveCart(trx, guest);
    return priceCart(trx, mine);
  });
}

/** The signed-in customer's active cart, if any. */
export async function myCart(deps: OrdersDeps, principal: Principal): Promise<CartView | undefined> {
  const customerId = customerOf(principal);
  const id = customerId ? await activeCartOf(deps.knex, customerId) : undefined;
  return id ? getCart(deps, id, principal) : undefined;
}

/**
 * Where the cart ships and how: the country quotes are for and, optionally,
 * the chosen option (it must apply to the cart now; null: the cheapest).
 */
export async function setCartShipping(deps: OrdersDeps, id: string, principal: Principal, choice: { country: string; optionId?: string | null }): Promise<CartView> {
  return deps.knex.transaction(async (trx) => {
    const cart = await loadCart(trx, id, true);
    assertCartAccess(cart, principal);
    cart.chooseShipping(choice.country, choice.optionId ?? null);
    const priced = await priceCart(trx, cart);
    if (choice.optionId && priced.shipping.option?.id !== choice.optionId) {
      throw OrdersError.shippingOptionNotApplicable(priced.shipping.issue ?? `Shipping option ${choice.optionId} does not apply to this cart.`);
    }
    await saveCart(trx, cart);
    return priced;
  });
}
