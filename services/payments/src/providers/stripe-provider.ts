/**
 * The Stripe provider, on Stripe's official SDK: PaymentIntents with manual
 * capture (authorize now, capture later), refunds, and signed webhooks. Card
 * details never reach this server: the storefront turns them into a
 * PaymentMethod (pm_…) with Stripe.js and sends us its id.
 */
import Stripe from 'stripe';
import type { StripeSettings } from '../config.ts';
import { PaymentsError } from '../domain/errors.ts';
import type { Failure, PaymentMethodSummary, ProviderSnapshot } from '../domain/payment.ts';
import {
  ProviderRejectedError,
  ProviderUnavailableError,
  type AuthorizationOutcome,
  type PaymentProvider,
  type ProviderPayment,
} from './provider.ts';

const PAYMENT_METHOD_ID = /^pm_[A-Za-z0-9_]{1,250}$/;

function failureOf(error: Stripe.PaymentIntent.LastPaymentError | null | undefined, fallback: string): Failure {
  return {
    code: error?.decline_code ?? error?.code ?? fallback,
    message: error?.message ?? 'The payment was not authorized.',
  };
}

function cardOf(pi: Stripe.PaymentIntent): PaymentMethodSummary | null {
  const method = pi.payment_method;
  if (method && typeof method === 'object' && method.card) return { type: 'card', brand: method.card.brand, last4: method.card.last4 };
  return null;
}

/** A PaymentIntent (and, when known, how much of it was refunded) as our snapshot. */
export function snapshotOfPaymentIntent(pi: Stripe.PaymentIntent, amountRefunded = 0): ProviderSnapshot {
  const base = { amountAuthorized: 0, amountCaptured: 0, amountRefunded, nextAction: null, failure: null };
  switch (pi.status) {
    case 'requires_capture':
      return { ...base, status: 'authorized', amountAuthorized: pi.amount_capturable };
    case 'requires_action':
      return { ...base, status: 'requires_action', nextAction: { type: 'authenticate', providerClientSecret: pi.client_secret } };
    case 'canceled':
      return { ...base, status: 'voided' };
    case 'succeeded':
      return { ...base, status: 'captured', amountAuthorized: pi.amount, amountCaptured: pi.amount_received };
    default:
      // requires_payment_method after a decline carries the reason; processing and
      // requires_confirmation have no outcome yet and change nothing here.
      return { ...base, status: 'requires_payment_method', failure: pi.last_payment_error ? failureOf(pi.last_payment_error, 'payment_failed') : null };
  }
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly client: Stripe;

  constructor(readonly settings: StripeSettings) {
    this.client = new Stripe(settings.secretKey, {
      host: settings.host,
      port: settings.port,
      protocol: settings.protocol,
      timeout: settings.timeoutMs,
      maxNetworkRetries: settings.maxNetworkRetries,
      telemetry: false,
      appInfo: { name: 'FusionCommerce', url: 'https://fusioncommerce.dev' },
    });
  }

  describePaymentMethod(paymentMethod: string): PaymentMethodSummary {
    if (!PAYMENT_METHOD_ID.test(paymentMethod)) {
      throw PaymentsError.invalidPaymentMethod('With Stripe, send the id of a PaymentMethod (pm_…) created by Stripe.js; card numbers never reach this server.');
    }
    return { type: 'card', brand: null, last4: null };
  }

  async authorize(payment: ProviderPayment, paymentMethod: string, idempotencyKey: string): Promise<AuthorizationOutcome> {
    let pi: Stripe.PaymentIntent;
    try {
      pi = payment.providerRef
        ? await this.client.paymentIntents.confirm(payment.providerRef, { payment_method: paymentMethod, expand: ['payment_method'] }, { idempotencyKey })
        : await this.client.paymentIntents.create(
            {
              amount: payment.amount.amount,
              currency: payment.amount.currency.toLowerCase(),
              capture_method: 'manual',
              confirm: true,
              payment_method: paymentMethod,
              payment_method_types: ['card'],
              expand: ['payment_method'],
              metadata: { fusion_payment_id: payment.paymentId, reference_kind: payment.reference.kind, reference_id: payment.reference.id },
            },
            { idempotencyKey },
          );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        return {
          status: 'failed',
          providerRef: error.payment_intent?.id ?? payment.providerRef,
          failure: { code: error.decline_code ?? error.code ?? 'card_declined', message: error.message },
          paymentMethod: null,
        };
      }
      throw this.translate(error);
    }
    const snapshot = snapshotOfPaymentIntent(pi);
    const method = cardOf(pi);
    switch (snapshot.status) {
      case 'authorized':
        return { status: 'authorized', providerRef: pi.id, amount: snapshot.amountAuthorized, paymentMethod: method };
      case 'requires_action':
        return { status: 'requires_action', providerRef: pi.id, nextAction: snapshot.nextAction ?? { type: 'authenticate', providerClientSecret: null }, paymentMethod: method };
      case 'requires_payment_method':
        if (snapshot.failure) return { status: 'failed', providerRef: pi.id, failure: snapshot.failure, paymentMethod: method };
        throw new ProviderUnavailableError(this.name, `PaymentIntent ${pi.id} is ${pi.status}; its outcome is not known yet.`);
      default:
        throw new ProviderRejectedError(this.name, 'unexpected_status', `PaymentIntent ${pi.id} is ${pi.status} right after confirmation.`);
    }
  }

  async refresh(payment: ProviderPayment): Promise<ProviderSnapshot> {
    if (!payment.providerRef) throw new ProviderRejectedError(this.name, 'no_payment_intent', 'This payment was never sent to Stripe.');
    try {
      const pi = await this.client.paymentIntents.retrieve(payment.providerRef, { expand: ['latest_charge'] });
      const charge = pi.latest_charge && typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
      return snapshotOfPaymentIntent(pi, charge?.amount_refunded ?? 0);
    } catch (error) {
      throw this.translate(error);
    }
  }

  async capture(payment: ProviderPayment, amount: number, idempotencyKey: string): Promise<{ amount: number }> {
    const ref = this.refOf(payment);
    try {
      const pi = await this.client.paymentIntents.capture(ref, { amount_to_capture: amount }, { idempotencyKey });
      return { amount: pi.amount_received };
    } catch (error) {
      throw this.translate(error);
    }
  }

  async void(payment: ProviderPayment, idempotencyKey: string): Promise<void> {
    // Never sent to Stripe (no payment method yet): there is nothing to cancel there.
    if (!payment.providerRef) return;
    try {
      await this.client.paymentIntents.cancel(payment.providerRef, {}, { idempotencyKey });
    } catch (error) {
      throw this.translate(error);
    }
  }

  async refund(payment: ProviderPayment, amount: number, reason: string, idempotencyKey: string): Promise<{ refundRef: string }> {
    const ref = this.refOf(payment);
    let refund: Stripe.Refund;
    try {
      refund = await this.client.refunds.create(
        { payment_intent: ref, amount, metadata: { fusion_payment_id: payment.paymentId, reason: reason.slice(0, 500) } },
        { idempotencyKey },
      );
    } catch (error) {
      throw this.translate(error);
    }
    if (refund.status === 'failed' || refund.status === 'canceled') {
      throw new ProviderRejectedError(this.name, refund.failure_reason ?? 'refund_failed', `Refund ${refund.id} ${refund.status}.`);
    }
    return { refundRef: refund.id };
  }

  private refOf(payment: ProviderPayment): string {
    if (!payment.providerRef) throw new ProviderRejectedError(this.name, 'no_payment_intent', 'This payment was never sent to Stripe.');
    return payment.providerRef;
  }

  /** Unknown outcomes (network, timeouts, Stripe's 5xx, rate limits, bad keys) stay pending; Stripe's "no" is final. */
  private translate(error: unknown): Error {
    if (!(error instanceof Stripe.errors.StripeError)) return error instanceof Error ? error : new Error(String(error));
    const retryable =
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeAPIError ||
      error instanceof Stripe.errors.StripeRateLimitError ||
      error instanceof Stripe.errors.StripeAuthenticationError ||
      error instanceof Stripe.errors.StripePermissionError ||
      (error.statusCode ?? 500) >= 500;
    if (retryable) return new ProviderUnavailableError(this.name, `${error.type}: ${error.message}`, { cause: error });
    return new ProviderRejectedError(this.name, error.code ?? error.type, error.message);
  }
}
