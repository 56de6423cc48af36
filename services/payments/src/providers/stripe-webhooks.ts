/**
 * Stripe's webhooks: the signature is checked with the SDK's own helper
 * against STRIPE_WEBHOOK_SECRET, and the event becomes a snapshot of the
 * PaymentIntent it is about.
 */
import Stripe from 'stripe';
import { PaymentsError } from '../domain/errors.ts';
import type { ProviderSnapshot } from '../domain/payment.ts';
import { snapshotOfPaymentIntent } from './stripe-provider.ts';

export type StripeWebhookVerifier = (rawBody: Buffer, signature: string | undefined) => Stripe.Event;

export function stripeWebhookVerifier(secret: string, toleranceSeconds: number): StripeWebhookVerifier {
  return (rawBody, signature) => {
    if (!signature) throw PaymentsError.webhookSignatureInvalid('the header is missing.');
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(rawBody, signature, secret, toleranceSeconds);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw PaymentsError.webhookSignatureInvalid(error.message);
      throw PaymentsError.webhookPayloadInvalid();
    }
    const shape = event as unknown as { id?: unknown; type?: unknown };
    if (typeof shape.id !== 'string' || shape.id.length === 0 || shape.id.length > 255 || typeof shape.type !== 'string') {
      throw PaymentsError.webhookPayloadInvalid();
    }
    return event;
  };
}

/** The PaymentIntent an event is about and what it says, or null for events payments does not act on. */
export function snapshotOfEvent(event: Stripe.Event): { providerRef: string; snapshot: ProviderSnapshot } | null {
  const object = event.data?.object as { object?: string } | undefined;
  if (!object) return null;
  if (object.object === 'payment_intent' && event.type.startsWith('payment_intent.')) {
    const pi = object as Stripe.PaymentIntent;
    return { providerRef: pi.id, snapshot: snapshotOfPaymentIntent(pi) };
  }
  if (object.object === 'charge' && event.type === 'charge.refunded') {
    const charge = object as Stripe.Charge;
    const pi = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
    if (!pi) return null;
    return {
      providerRef: pi,
      snapshot: {
        status: 'captured',
        amountAuthorized: charge.amount,
        amountCaptured: charge.amount_captured,
        amountRefunded: charge.amount_refunded,
        nextAction: null,
        failure: null,
      },
    };
  }
  return null;
}
