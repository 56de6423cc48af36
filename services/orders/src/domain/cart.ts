/** A cart: lines of variants and quantities. Prices are never stored here; they are looked up on every read. */
import { OrdersError } from './errors.ts';

export const MAX_LINES = 50;
export const MAX_QUANTITY = 99;

export type CartStatus = 'active' | 'merged' | 'completed';

export interface CartLine {
  id: string;
  variantId: string;
  quantity: number;
}

export interface CartState {
  id: string;
  customerId: string | null;
  status: CartStatus;
  lines: CartLine[];
  version: number;
  /** Where the shopper said it goes (ISO 3166-1 alpha-2), for shipping quotes; checkout's address decides. */
  shippingCountry: string | null;
  /** The shipping option the shopper chose; null: the cheapest that applies. */
  shippingOptionId: string | null;
}

export class Cart {
  private constructor(private state: CartState) {}

  static open(id: string, customerId: string | null): Cart {
    return new Cart({ id, customerId, status: 'active', lines: [], version: 1, shippingCountry: null, shippingOptionId: null });
  }

  static restore(state: CartState): Cart {
    return new Cart(state);
  }

  snapshot(): CartState {
    return structuredClone(this.state);
  }

  get id(): string {
    return this.state.id;
  }

  get lines(): readonly CartLine[] {
    return this.state.lines;
  }

  private assertOpen(): void {
    if (this.state.status !== 'active') throw OrdersError.cartClosed(this.state.status);
  }

  /** Adds to the line of this variant if there is one. */
  add(lineId: string, variantId: string, quantity: number): CartLine {
    this.assertOpen();
    const existing = this.state.lines.find((l) => l.variantId === variantId);
    if (existing) {
      if (existing.quantity + quantity > MAX_QUANTITY) throw OrdersError.quantityTooLarge(MAX_QUANTITY);
      existing.quantity += quantity;
      this.state.version++;
      return existing;
    }
    if (this.state.lines.length >= MAX_LINES) throw OrdersError.tooManyLines(MAX_LINES);
    if (quantity > MAX_QUANTITY) throw OrdersError.quantityTooLarge(MAX_QUANTITY);
    const line = { id: lineId, variantId, quantity };
    this.state.lines.push(line);
    this.state.version++;
    return line;
  }

  /** Sets where the cart ships and, optionally, how (null: the cheapest option that applies). */
  chooseShipping(country: string, optionId: string | null): void {
    this.assertOpen();
    this.state.shippingCountry = country;
    this.state.shippingOptionId = optionId;
    this.state.version++;
  }

  /** Sets a line's quantity; zero removes it. */
  setQuantity(lineId: string, quantity: number): void {
    this.assertOpen();
    const line = this.state.lines.find((l) => l.id === lineId);
    if (!line) throw OrdersError.lineNotFound(lineId);
    if (quantity > MAX_QUANTITY) throw OrdersError.quantityTooLarge(MAX_QUANTITY);
    if (quantity === 0) this.state.lines = this.state.lines.filter((l) => l.id !== lineId);
    else line.quantity = quantity;
    this.state.version++;
  }

  remove(lineId: string): void {
    this.setQuantity(lineId, 0);
  }

  /** Takes a guest cart's lines into this one (quantities add up, capped), and closes the guest cart. */
  absorb(guest: Cart, newLineId: () => string): void {
    this.assertOpen();
    guest.assertOpen();
    for (const line of guest.state.lines) {
      const existing = this.state.lines.find((l) => l.variantId === line.variantId);
      if (existing) existing.quantity = Math.min(MAX_QUANTITY, existing.quantity + line.quantity);
      else if (this.state.lines.length < MAX_LINES) this.state.lines.push({ id: newLineId(), variantId: line.variantId, quantity: line.quantity });
    }
    // The shopper's shipping choice comes along unless this cart has its own.
    if (this.state.shippingCountry === null && guest.state.shippingCountry !== null) {
      this.state.shippingCountry = guest.state.shippingCountry;
      this.state.shippingOptionId = guest.state.shippingOptionId;
    }
    guest.state.status = 'merged';
    guest.state.lines = [];
    guest.state.version++;
    this.state.version++;
  }

  complete(): void {
    this.state.status = 'completed';
    this.state.version++;
  }
}
