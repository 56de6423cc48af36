/**
 * The payment aggregate: one payment intent for one order or group
 * participation, and the state machine that guards its money.
 *
 *   requires_payment_method ─authorize─▶ authorized ─capture─▶ captured ─refund─▶ partially_refunded ─▶ refunded
 *          │  ▲       │                      │                      (part or all)        (until nothing is left)
 *          │  │       └─▶ requires_action ───┤
 *          ▼  │ (another card)               └─void─▶ voided
 *         failed ───────────────────────────────void─▶ voided
 *
 * A capture is final (as with Stripe's manual capture): capturing part of the
 * authorization releases the rest. Refunds may be partial and repeated until
 * the captured amount is used up. Every change is recorded as a transition and
 * as a domain event the use case publishes.
 */
import type { Money } from '@fusioncommerce/platform';
import { PaymentsError } from './errors.ts';

export const PAYMENT_STATUSES = [
  'requires_payment_method',
  'requires_action',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'failed',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const REFERENCE_KINDS = ['order', 'group_participation'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export interface PaymentReference {
  kind: ReferenceKind;
  id: string;
}

/** What we keep about the shopper's payment method: never a full card number. */
export interface PaymentMethodSummary {
  type: 'card';
  brand: string | null;
  last4: string | null;
}

/** What the shopper must do before the authorization completes (3-D Secure and the like). */
export interface NextAction {
  type: 'authenticate';
  /** For Stripe: the PaymentIntent's client secret, for Stripe.js `handleNextAction`. */
  providerClientSecret: string | null;
}

export interface Failure {
  code: string;
  message: string;
}

/** The provider's own view of a payment, as a refresh or a webhook reports it. */
export interface ProviderSnapshot {
  status: 'requires_payment_method' | 'requires_action' | 'authorized' | 'captured' | 'voided';
  /** Held and capturable (authorized), or the amount taken (captured). */
  amountAuthorized: number;
  amountCaptured: number;
  amountRefunded: number;
  nextAction: NextAction | null;
  failure: Failure | null;
}

export interface PaymentState {
  id: string;
  reference: PaymentReference;
  currency: string;
  /** What the payment is for, in minor units. */
  amount: number;
  status: PaymentStatus;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  provider: string;
  providerRef: string | null;
  paymentMethod: PaymentMethodSummary | null;
  nextAction: NextAction | null;
  failure: Failure | null;
  clientSecret: string;
  createdBy: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Transition {
  from: PaymentStatus | null;
  to: PaymentStatus;
  amount: number;
  reason: string | null;
}

/** Where the payment's money stood right after an event (minor units). */
export interface Totals {
  authorized: number;
  captured: number;
  refunded: number;
}

type PaymentEventBody =
  | { type: 'authorized'; amount: number }
  | { type: 'failed'; amount: number; failure: Failure }
  | { type: 'captured'; amount: number; released: number }
  | { type: 'voided'; released: number; reason: string | null }
  | { type: 'refunded'; amount: number; reason: string; fullyRefunded: boolean };

export type PaymentEvent = PaymentEventBody & { totals: Totals };

const AUTHORIZABLE: readonly PaymentStatus[] = ['requires_payment_method', 'failed'];
const AWAITING_AUTHORIZATION: readonly PaymentStatus[] = ['requires_payment_method', 'failed', 'requires_action'];
const VOIDABLE: readonly PaymentStatus[] = ['requires_payment_method', 'requires_action', 'failed', 'authorized'];
const REFUNDABLE: readonly PaymentStatus[] = ['captured', 'partially_refunded'];

/** ISO 4217 codes the runtime knows (Intl); anything else is refused at the edge. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function isSupportedCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

export class Payment {
  private transitions: Transition[] = [];
  private events: PaymentEvent[] = [];

  private constructor(private s: PaymentState) {}

  static create(input: {
    id: string;
    reference: PaymentReference;
    amount: Money;
    provider: string;
    clientSecret: string;
    createdBy: string;
    now: Date;
  }): Payment {
    if (!isSupportedCurrency(input.amount.currency)) throw PaymentsError.unsupportedCurrency(input.amount.currency, '/body/amount/currency');
    const payment = new Payment({
      id: input.id,
      reference: input.reference,
      currency: input.amount.currency,
      amount: input.amount.amount,
      status: 'requires_payment_method',
      authorizedAmount: 0,
      capturedAmount: 0,
      refundedAmount: 0,
      provider: input.provider,
      providerRef: null,
      paymentMethod: null,
      nextAction: null,
      failure: null,
      clientSecret: input.clientSecret,
      createdBy: input.createdBy,
      version: 1,
      createdAt: input.now,
      updatedAt: input.now,
    });
    payment.transitions.push({ from: null, to: 'requires_payment_method', amount: input.amount.amount, reason: null });
    return payment;
  }

  static restore(state: PaymentState): Payment {
    return new Payment({ ...state });
  }

  get state(): Readonly<PaymentState> {
    return this.s;
  }

  get id(): string {
    return this.s.id;
  }

  get status(): PaymentStatus {
    return this.s.status;
  }

  /** Authorized and not yet captured: what a capture may take. */
  get capturable(): Money {
    return this.money(this.s.status === 'authorized' ? this.s.authorizedAmount - this.s.capturedAmount : 0);
  }

  /** Captured and not yet refunded: what a refund may give back. */
  get refundable(): Money {
    return this.money(REFUNDABLE.includes(this.s.status) ? this.s.capturedAmount - this.s.refundedAmount : 0);
  }

  money(amount: number): Money {
    return { amount, currency: this.s.currency };
  }

  pullChanges(): { transitions: Transition[]; events: PaymentEvent[] } {
    const changes = { transitions: this.transitions, events: this.events };
    this.transitions = [];
    this.events = [];
    return changes;
  }

  // ── guards: check a request before anything is sent to the provider ─────────

  assertCanAuthorize(): void {
    if (!AUTHORIZABLE.includes(this.s.status)) throw PaymentsError.illegalTransition(this.s.status, 'authorized');
  }

  assertCanConfirm(): void {
    if (this.s.status !== 'requires_action') throw PaymentsError.illegalTransition(this.s.status, 'confirmed (only a payment that requires action is)');
  }

  /** The amount a capture takes: all that is capturable unless `amount` says less. */
  planCapture(amount?: Money): number {
    if (this.s.status !== 'authorized') throw PaymentsError.illegalTransition(this.s.status, 'captured');
    const capturable = this.capturable;
    if (!amount) return capturable.amount;
    this.checkAmount(amount);
    if (amount.amount > capturable.amount) throw PaymentsError.amountExceedsCapturable(capturable, amount.amount);
    return amount.amount;
  }

  planVoid(): void {
    if (!VOIDABLE.includes(this.s.status)) throw PaymentsError.illegalTransition(this.s.status, 'voided');
  }

  /** The amount a refund gives back: all that is refundable unless `amount` says less. */
  planRefund(amount?: Money): number {
    if (!REFUNDABLE.includes(this.s.status)) throw PaymentsError.illegalTransition(this.s.status, 'refunded');
    const refundable = this.refundable;
    if (!amount) return refundable.amount;
    this.checkAmount(amount);
    if (amount.amount > refundable.amount) throw PaymentsError.amountExceedsRefundable(refundable, amount.amount);
    return amount.amount;
  }

  private checkAmount(amount: Money): void {
    if (amount.currency !== this.s.currency) throw PaymentsError.currencyMismatch(this.s.currency, amount.currency, '/body/amount/currency');
  }

  // ── outcomes: what the provider said, applied ───────────────────────────────

  attachProviderRef(ref: string | null): void {
    if (ref && !this.s.providerRef) this.s.providerRef = ref;
  }

  setPaymentMethod(method: PaymentMethodSummary | null): void {
    if (method) this.s.paymentMethod = method;
  }

  authorized(amount: number, now: Date): void {
    if (!AWAITING_AUTHORIZATION.includes(this.s.status)) throw PaymentsError.illegalTransition(this.s.status, 'authorized');
    const held = Math.min(amount, this.s.amount);
    this.s.authorizedAmount = held;
    this.s.nextAction = null;
    this.s.failure = null;
    this.move('authorized', held, null, now);
    this.emit({ type: 'authorized', amount: held });
  }

  requiresAction(nextAction: NextAction, now: Date): void {
    if (!AUTHORIZABLE.includes(this.s.status)) throw PaymentsError.illegalTransition(this.s.status, 'sent for authentication');
    this.s.nextAction = nextAction;
    this.s.failure = null;
    this.move('requires_action', this.s.amount, null, now);
  }

  failed(failure: Failure, now: Date): void {
    if (!AWAITING_AUTHORIZATION.includes(this.s.status)) throw PaymentsError.illegalTransition(this.s.status, 'failed');
    this.s.failure = failure;
    this.s.nextAction = null;
    this.move('failed', this.s.amount, failure.code, now);
    this.emit({ type: 'failed', amount: this.s.amount, failure });
  }

  captured(amount: number, now: Date): void {
    const planned = this.planCapture(this.money(amount));
    const released = this.s.authorizedAmount - this.s.capturedAmount - planned;
    this.s.capturedAmount += planned;
    this.move('captured', planned, released > 0 ? `released ${released}` : null, now);
    this.emit({ type: 'captured', amount: planned, released });
  }

  voided(reason: string | null, now: Date): void {
    this.planVoid();
    const released = this.s.status === 'authorized' ? this.s.authorizedAmount - this.s.capturedAmount : 0;
    this.s.nextAction = null;
    this.move('voided', released, reason, now);
    this.emit({ type: 'voided', released, reason });
  }

  refunded(amount: number, reason: string, now: Date): void {
    const planned = this.planRefund(this.money(amount));
    this.s.refundedAmount += planned;
    const fullyRefunded = this.s.refundedAmount === this.s.capturedAmount;
    this.move(fullyRefunded ? 'refunded' : 'partially_refunded', planned, reason, now);
    this.emit({ type: 'refunded', amount: planned, reason, fullyRefunded });
  }

  /**
   * Brings the payment in line with the provider's view (a webhook, or a
   * refresh after the shopper authenticated). Amounts are absolute, so the
   * same snapshot applied twice, or an echo of a change we made ourselves,
   * changes nothing. Returns whether anything changed.
   */
  reconcile(snapshot: ProviderSnapshot, now: Date): boolean {
    const recorded = this.transitions.length;
    switch (snapshot.status) {
      case 'requires_action':
        if (AUTHORIZABLE.includes(this.s.status) && snapshot.nextAction) this.requiresAction(snapshot.nextAction, now);
        break;
      case 'requires_payment_method':
        if (AWAITING_AUTHORIZATION.includes(this.s.status) && snapshot.failure && this.s.status !== 'failed') this.failed(snapshot.failure, now);
        break;
      case 'authorized':
        if (AWAITING_AUTHORIZATION.includes(this.s.status)) this.authorized(snapshot.amountAuthorized, now);
        break;
      case 'voided':
        if (VOIDABLE.includes(this.s.status)) this.voided('cancelled at the provider', now);
        break;
      case 'captured':
        if (AWAITING_AUTHORIZATION.includes(this.s.status)) this.authorized(snapshot.amountCaptured, now);
        if (this.s.status === 'authorized' && snapshot.amountCaptured > 0) this.captured(Math.min(snapshot.amountCaptured, this.capturable.amount), now);
        if (REFUNDABLE.includes(this.s.status) && snapshot.amountRefunded > this.s.refundedAmount) {
          this.refunded(Math.min(snapshot.amountRefunded - this.s.refundedAmount, this.refundable.amount), 'refunded at the provider', now);
        }
        break;
    }
    return this.transitions.length > recorded;
  }

  /** Called by the store once a change is saved: the row's version moved on. */
  saved(): void {
    this.s.version += 1;
  }

  private emit(event: PaymentEventBody): void {
    this.events.push({ ...event, totals: { authorized: this.s.authorizedAmount, captured: this.s.capturedAmount, refunded: this.s.refundedAmount } });
  }

  private move(to: PaymentStatus, amount: number, reason: string | null, now: Date): void {
    this.transitions.push({ from: this.s.status, to, amount, reason });
    this.s.status = to;
    this.s.updatedAt = now;
  }
}
