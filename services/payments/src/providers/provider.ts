/**
 * What a payment provider does for us. Every call that moves money carries an
 * idempotency key derived from the payment and the operation, so sending the
 * same call again (after a timeout, a crash, a retry) can never move it twice.
 */
import type { Money } from '@fusioncommerce/platform';
import type { Failure, NextAction, PaymentMethodSummary, PaymentReference, ProviderSnapshot } from '../domain/payment.ts';

export type ProviderName = 'test' | 'stripe';

/** The payment as a provider needs to see it. */
export interface ProviderPayment {
  paymentId: string;
  reference: PaymentReference;
  amount: Money;
  providerRef: string | null;
}

export type AuthorizationOutcome =
  | { status: 'authorized'; providerRef: string; amount: number; paymentMethod: PaymentMethodSummary | null }
  | { status: 'requires_action'; providerRef: string; nextAction: NextAction; paymentMethod: PaymentMethodSummary | null }
  | { status: 'failed'; providerRef: string | null; failure: Failure; paymentMethod: PaymentMethodSummary | null };

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Checks a payment method before anything is stored or sent; throws a 400 AppError if it is not one this provider takes. */
  describePaymentMethod(paymentMethod: string): PaymentMethodSummary;
  /** Places a hold (manual capture). A decline is an outcome, not an error. */
  authorize(payment: ProviderPayment, paymentMethod: string, idempotencyKey: string): Promise<AuthorizationOutcome>;
  /** The provider's current view, after the shopper completed (or abandoned) an extra authentication. */
  refresh(payment: ProviderPayment): Promise<ProviderSnapshot>;
  /** Takes `amount` of the hold; the rest is released. Returns the amount taken. */
  capture(payment: ProviderPayment, amount: number, idempotencyKey: string): Promise<{ amount: number }>;
  /** Cancels the payment and releases any hold. */
  void(payment: ProviderPayment, idempotencyKey: string): Promise<void>;
  /** Gives `amount` of the captured money back. Returns the provider's refund id. */
  refund(payment: ProviderPayment, amount: number, reason: string, idempotencyKey: string): Promise<{ refundRef: string }>;
}

/**
 * The provider did not answer, timed out or failed on its side: the outcome is
 * unknown. The attempt stays pending and the same call, with the same
 * idempotency key, resolves it later.
 */
export class ProviderUnavailableError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderUnavailableError';
  }
}

/** The provider answered and said no: the outcome is known and final for this attempt. */
export class ProviderRejectedError extends Error {
  constructor(
    readonly provider: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderRejectedError';
  }
}
