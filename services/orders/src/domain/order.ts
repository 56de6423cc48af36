/**
 * The order aggregate and the saga's rules. An order is placed `pending`;
 * stock and payment report back by events, and the order decides: confirmed
 * once stock is reserved and payment authorized, cancelled (with a reason)
 * when either fails or it waits too long. Every transition is explicit and
 * recorded; an illegal one is refused with the current state.
 */
import { OrdersError } from './errors.ts';

export type OrderStatus = 'pending' | 'confirmed' | 'shipped' | 'delivered' | 'cancelled' | 'refunded' | 'partially_refunded';
export type StockState = 'requested' | 'reserved' | 'failed' | 'released' | 'committed';
export type PaymentState = 'none' | 'requested' | 'authorized' | 'failed' | 'captured' | 'voided' | 'refunded' | 'partially_refunded';
export type CancelReason = 'out_of_stock' | 'payment_declined' | 'expired' | 'cancelled_by_admin' | 'cancelled_by_customer';

export interface OrderLine {
  variantId: string;
  sku: string;
  productId: string;
  title: string;
  unitPrice: number;
  quantity: number;
  lineTotal: number;
}

/** The shipping option an order was charged for, as it was at checkout. */
export interface ShippingChoice {
  id: string;
  name: string;
  carrier: string;
  amount: number;
}

export interface OrderState {
  id: string;
  number: string;
  cartId: string | null;
  customerId: string | null;
  email: string;
  currency: string;
  lines: OrderLine[];
  subtotal: number;
  shippingTotal: number;
  total: number;
  shippingAddress: Record<string, string>;
  /** Null when the shop charged no shipping (it offers no options). */
  shippingOption?: ShippingChoice | null;
  status: OrderStatus;
  stock: StockState;
  payment: PaymentState;
  paymentId: string | null;
  refunded: number;
  reason: string | null;
  version: number;
  placedAt: Date;
  updatedAt: Date;
}

/** The group-buying seat an order was made for. */
export interface GroupOrigin {
  participationId: string;
  groupId: string;
  dealId: string;
}

/** Something that happened to an order: the saga's outbound messages and its timeline. */
export type OrderEvent =
  | { type: 'placed' }
  | { type: 'placed_by_group'; origin: GroupOrigin }
  | { type: 'payment_requested' }
  | { type: 'confirmed' }
  | { type: 'cancelled'; reason: CancelReason; releaseStock: boolean; voidOrRefund: boolean }
  | { type: 'refund_requested'; amount: number; reason: string }
  | { type: 'note'; what: string; data?: Record<string, unknown> };

const TERMINAL: OrderStatus[] = ['cancelled', 'refunded'];

export class Order {
  private readonly events: OrderEvent[] = [];

  private constructor(private state: OrderState) {}

  static place(state: Omit<OrderState, 'status' | 'stock' | 'payment' | 'paymentId' | 'refunded' | 'reason' | 'version' | 'updatedAt'>): Order {
    const order = new Order({
      ...state,
      status: 'pending',
      stock: 'requested',
      payment: 'none',
      paymentId: null,
      refunded: 0,
      reason: null,
      version: 1,
      updatedAt: state.placedAt,
    });
    order.events.push({ type: 'placed' });
    return order;
  }

  /**
   * An order group buying made: its participant already paid (captured at the
   * final tier price) and its stock is already sold, so it is born confirmed,
   * past the checkout saga, with no shipping charged.
   */
  static fromGroup(
    state: Pick<OrderState, 'id' | 'number' | 'customerId' | 'email' | 'currency' | 'lines' | 'total' | 'shippingAddress' | 'placedAt'> & { paymentId: string },
    origin: GroupOrigin,
  ): Order {
    const order = new Order({
      ...state,
      cartId: null,
      subtotal: state.total,
      shippingTotal: 0,
      shippingOption: null,
      status: 'confirmed',
      stock: 'committed',
      payment: 'captured',
      refunded: 0,
      reason: null,
      version: 1,
      updatedAt: state.placedAt,
    });
    order.events.push({ type: 'placed_by_group', origin });
    return order;
  }

  static restore(state: OrderState): Order {
    return new Order(state);
  }

  get id(): string {
    return this.state.id;
  }

  get status(): OrderStatus {
    return this.state.status;
  }

  snapshot(): OrderState {
    return structuredClone(this.state);
  }

  pullEvents(): OrderEvent[] {
    return this.events.splice(0, this.events.length);
  }

  private touch(now: Date): void {
    this.state.version += 1;
    this.state.updatedAt = now;
  }

  private note(what: string, data?: Record<string, unknown>): void {
    this.events.push({ type: 'note', what, data });
  }

  /** Inventory held every line. Next: ask for the payment — unless the order was already given up. */
  stockReserved(now: Date): void {
    if (this.state.stock !== 'requested') return; // redelivered or late: nothing new
    if (this.state.status !== 'pending') {
      // Cancelled meanwhile (it expired): the cancellation already asked inventory to let go.
      this.state.stock = 'released';
      this.touch(now);
      this.note('stock reserved after the order ended; released');
      return;
    }
    this.state.stock = 'reserved';
    this.state.payment = 'requested';
    this.touch(now);
    this.events.push({ type: 'payment_requested' });
  }

  stockShort(now: Date, shortages: { sku: string; requested: number; available: number }[]): void {
    if (this.state.stock !== 'requested') return;
    this.state.stock = 'failed';
    this.touch(now);
    this.note('stock short', { shortages });
    if (this.state.status === 'pending') this.cancel('out_of_stock', now);
  }

  paymentAuthorized(paymentId: string, now: Date): void {
    if (this.state.payment !== 'requested') return;
    this.state.payment = 'authorized';
    this.state.paymentId = paymentId;
    this.touch(now);
    if (this.state.status !== 'pending') {
      // Ended meanwhile; the cancellation event makes payments void this authorization.
      this.note('payment authorized after the order ended; voided');
      return;
    }
    this.state.status = 'confirmed';
    this.events.push({ type: 'confirmed' });
  }

  paymentFailed(paymentId: string, code: string, now: Date): void {
    if (this.state.payment !== 'requested') return;
    this.state.payment = 'failed';
    this.state.paymentId = paymentId;
    this.touch(now);
    this.note('payment failed', { code });
    if (this.state.status === 'pending') this.cancel('payment_declined', now, code);
  }

  paymentCaptured(now: Date): void {
    if (this.state.payment === 'authorized') {
      this.state.payment = 'captured';
      this.touch(now);
    }
  }

  paymentVoided(now: Date): void {
    if (this.state.payment === 'authorized' || this.state.payment === 'requested') {
      this.state.payment = 'voided';
      this.touch(now);
    }
  }

  paymentRefunded(totalRefunded: number, fully: boolean, now: Date): void {
    if (totalRefunded <= this.state.refunded) return;
    this.state.refunded = totalRefunded;
    this.state.payment = fully ? 'refunded' : 'partially_refunded';
    if (this.state.status !== 'cancelled') this.state.status = fully ? 'refunded' : 'partially_refunded';
    this.touch(now);
  }

  stockSettled(kind: 'committed' | 'released', now: Date): void {
    if (this.state.stock === kind) return;
    this.state.stock = kind;
    this.touch(now);
  }

  /** Shipping reports a shipment left; the order is shipped once nothing of it is left to ship. */
  shipmentShipped(allShipped: boolean, now: Date): void {
    if (!allShipped) {
      this.note('partially shipped');
      return;
    }
    if (this.state.status !== 'confirmed') {
      this.note('shipped', { while: this.state.status });
      return;
    }
    this.state.status = 'shipped';
    this.touch(now);
    this.note('shipped');
  }

  /** Shipping reports a shipment arrived; the order is delivered once every shipment has. */
  shipmentDelivered(allDelivered: boolean, now: Date): void {
    if (!allDelivered) {
      this.note('partially delivered');
      return;
    }
    if (this.state.status !== 'shipped') {
      this.note('delivered', { while: this.state.status });
      return;
    }
    this.state.status = 'delivered';
    this.touch(now);
    this.note('delivered');
  }

  /** Ends the order; stock and payment are told to let go of whatever they hold for it. */
  cancel(reason: CancelReason, now: Date, detail?: string): void {
    if (TERMINAL.includes(this.state.status) || this.state.status === 'partially_refunded') {
      throw OrdersError.illegalTransition(this.state.status, 'cancelled');
    }
    if (this.state.status === 'shipped' || this.state.status === 'delivered') {
      throw OrdersError.illegalTransition(this.state.status, 'cancelled (refund it instead)');
    }
    this.state.status = 'cancelled';
    this.state.reason = detail ? `${reason}: ${detail}` : reason;
    this.touch(now);
    this.events.push({
      type: 'cancelled',
      reason,
      releaseStock: this.state.stock === 'requested' || this.state.stock === 'reserved' || this.state.stock === 'committed',
      voidOrRefund: this.state.payment === 'requested' || this.state.payment === 'authorized' || this.state.payment === 'captured',
    });
  }

  /** Asks payments to give back `amount` of what was captured. */
  requestRefund(amount: number, reason: string, now: Date): void {
    if (!['confirmed', 'shipped', 'delivered', 'partially_refunded'].includes(this.state.status)) {
      throw OrdersError.illegalTransition(this.state.status, 'refunded');
    }
    if (this.state.payment !== 'captured' && this.state.payment !== 'partially_refunded') throw OrdersError.notPaid();
    const refundable = this.state.total - this.state.refunded;
    if (amount > refundable) throw OrdersError.refundTooLarge(refundable);
    this.touch(now);
    this.events.push({ type: 'refund_requested', amount, reason });
  }
}
