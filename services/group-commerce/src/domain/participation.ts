/**
 * A participation: one shopper's seat in a group. It is taken `pending`
 * (stock and payment requested), becomes `active` (a member, counted for the
 * tier) once stock is held and payment authorized, and ends `left` or `failed`
 * (holds let go) or `confirmed` → `completed` (captured, stock sold, order
 * made) when the group succeeds. Every transition is explicit; an illegal one
 * by a shopper is refused with the current state.
 */
import { GroupError } from './errors.ts';

export type ParticipationStatus = 'pending' | 'active' | 'left' | 'failed' | 'confirmed' | 'completed';
export type StockState = 'requested' | 'reserved' | 'failed' | 'released' | 'committed';
export type PaymentState = 'none' | 'requested' | 'authorized' | 'failed' | 'voided' | 'captured';
export type FailReason = 'out_of_stock' | 'payment_declined' | 'group_failed' | 'group_closed' | 'reservation_expired';

export interface ParticipationState {
  id: string;
  groupId: string;
  dealId: string;
  customerId: string;
  email: string;
  quantity: number;
  currency: string;
  authorizedUnitPrice: number;
  authorizedAmount: number;
  finalUnitPrice: number | null;
  finalAmount: number | null;
  status: ParticipationStatus;
  stock: StockState;
  payment: PaymentState;
  paymentId: string | null;
  reason: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ParticipationEvent =
  | { type: 'joined' }
  | { type: 'payment_requested' }
  | { type: 'activated' }
  | { type: 'left'; releaseStock: boolean; voidPayment: boolean }
  | { type: 'failed'; reason: FailReason; releaseStock: boolean; voidPayment: boolean }
  | { type: 'confirmed' }
  | { type: 'completed' };

/** A seat counts against the group's maximum while it is one of these. */
export const SEATED: ParticipationStatus[] = ['pending', 'active'];
/** Counts against the customer's limit on the deal. */
export const LIVE: ParticipationStatus[] = ['pending', 'active', 'confirmed', 'completed'];

export class Participation {
  private readonly events: ParticipationEvent[] = [];

  private constructor(private s: ParticipationState) {}

  static join(state: Omit<ParticipationState, 'status' | 'stock' | 'payment' | 'paymentId' | 'reason' | 'version' | 'updatedAt' | 'finalUnitPrice' | 'finalAmount'>): Participation {
    const p = new Participation({
      ...state,
      status: 'pending',
      stock: 'requested',
      payment: 'none',
      paymentId: null,
      reason: null,
      finalUnitPrice: null,
      finalAmount: null,
      version: 1,
      updatedAt: state.createdAt,
    });
    p.events.push({ type: 'joined' });
    return p;
  }

  static restore(state: ParticipationState): Participation {
    return new Participation(state);
  }

  get id(): string {
    return this.s.id;
  }

  get status(): ParticipationStatus {
    return this.s.status;
  }

  get seated(): boolean {
    return SEATED.includes(this.s.status);
  }

  snapshot(): ParticipationState {
    return structuredClone(this.s);
  }

  pullEvents(): ParticipationEvent[] {
    return this.events.splice(0, this.events.length);
  }

  private touch(now: Date): void {
    this.s.version += 1;
    this.s.updatedAt = now;
  }

  /** What inventory and payments must let go of when the participation ends now. */
  private holds(): { releaseStock: boolean; voidPayment: boolean } {
    return {
      releaseStock: this.s.stock === 'requested' || this.s.stock === 'reserved',
      voidPayment: this.s.payment === 'requested' || this.s.payment === 'authorized',
    };
  }

  stockReserved(now: Date): void {
    if (this.s.stock !== 'requested') return; // redelivered or late
    if (this.s.status !== 'pending') return; // ended meanwhile: its end already asked inventory to let go
    this.s.stock = 'reserved';
    this.s.payment = 'requested';
    this.touch(now);
    this.events.push({ type: 'payment_requested' });
  }

  stockShort(now: Date): void {
    if (this.s.stock !== 'requested') return;
    this.s.stock = 'failed';
    this.touch(now);
    if (this.s.status === 'pending') this.fail('out_of_stock', now);
  }

  paymentAuthorized(paymentId: string, now: Date): void {
    if (this.s.payment !== 'requested') return;
    this.s.payment = 'authorized';
    this.s.paymentId = paymentId;
    this.touch(now);
    if (this.s.status !== 'pending') return; // ended meanwhile: its end already asked payments to void
    this.s.status = 'active';
    this.events.push({ type: 'activated' });
  }

  paymentFailed(paymentId: string, now: Date): void {
    if (this.s.payment !== 'requested') return;
    this.s.payment = 'failed';
    this.s.paymentId = paymentId;
    this.touch(now);
    if (this.s.status === 'pending') this.fail('payment_declined', now);
  }

  /** Inventory let the reservation lapse before the group settled: the seat cannot be honoured. */
  reservationExpired(now: Date): void {
    if (this.s.stock !== 'reserved' && this.s.stock !== 'requested') return;
    this.s.stock = 'released';
    this.touch(now);
    if (this.seated) this.fail('reservation_expired', now);
  }

  stockSettled(kind: 'committed' | 'released', now: Date): void {
    if (this.s.stock === kind) return;
    this.s.stock = kind;
    this.touch(now);
  }

  paymentCaptured(now: Date): void {
    if (this.s.payment !== 'authorized') return;
    this.s.payment = 'captured';
    this.touch(now);
  }

  paymentVoided(now: Date): void {
    if (this.s.payment !== 'authorized' && this.s.payment !== 'requested') return;
    this.s.payment = 'voided';
    this.touch(now);
  }

  fail(reason: FailReason, now: Date): void {
    if (!this.seated) return;
    const holds = this.holds();
    this.s.status = 'failed';
    this.s.reason = reason;
    this.touch(now);
    this.events.push({ type: 'failed', reason, ...holds });
  }

  /** The shopper leaves before the group settles. */
  leave(now: Date): void {
    if (!this.seated) throw GroupError.cannotLeave(this.s.status);
    const holds = this.holds();
    this.s.status = 'left';
    this.s.reason = 'left_by_customer';
    this.touch(now);
    this.events.push({ type: 'left', ...holds });
  }

  /** The group succeeded at `unitPrice`: charge exactly that per unit, never more than was authorized. */
  confirm(unitPrice: number, now: Date): void {
    if (this.s.status !== 'active') throw new Error(`participation ${this.s.id} is ${this.s.status}, not active, at settlement`);
    const amount = unitPrice * this.s.quantity;
    if (amount > this.s.authorizedAmount) throw new Error(`final amount ${amount} exceeds the authorized ${this.s.authorizedAmount}`);
    this.s.status = 'confirmed';
    this.s.finalUnitPrice = unitPrice;
    this.s.finalAmount = amount;
    this.touch(now);
    this.events.push({ type: 'confirmed' });
  }

  /** Paid and sold: the order can be made. Once. */
  completeIfSettled(now: Date): void {
    if (this.s.status !== 'confirmed' || this.s.stock !== 'committed' || this.s.payment !== 'captured') return;
    this.s.status = 'completed';
    this.touch(now);
    this.events.push({ type: 'completed' });
  }
}
