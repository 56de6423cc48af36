/**
 * The built-in `test` provider: no network, no state, outcomes decided by
 * Stripe's well-known test card numbers. For development, demos and tests;
 * it never moves real money.
 */
import { createHash } from 'node:crypto';
import type { PaymentMethodSummary, ProviderSnapshot } from '../domain/payment.ts';
import { PaymentsError } from '../domain/errors.ts';
import type { AuthorizationOutcome, PaymentProvider, ProviderPayment } from './provider.ts';

type CardOutcome =
  | { status: 'authorized' }
  | { status: 'requires_action' }
  | { status: 'failed'; code: string; message: string };

/** The cards and what they do, as in Stripe's test mode. */
export const TEST_CARDS: Record<string, CardOutcome> = {
  '4242424242424242': { status: 'authorized' },
  '4000000000000002': { status: 'failed', code: 'card_declined', message: 'The card was declined.' },
  '4000000000009995': { status: 'failed', code: 'insufficient_funds', message: 'The card has insufficient funds.' },
  '4000002500003155': { status: 'requires_action' },
};

export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test' as const;

  describePaymentMethod(paymentMethod: string): PaymentMethodSummary {
    if (!TEST_CARDS[paymentMethod]) throw PaymentsError.unknownTestCard();
    return { type: 'card', brand: 'visa', last4: paymentMethod.slice(-4) };
  }

  async authorize(payment: ProviderPayment, paymentMethod: string): Promise<AuthorizationOutcome> {
    const card = TEST_CARDS[paymentMethod];
    const summary = this.describePaymentMethod(paymentMethod);
    const providerRef = `test_pi_${payment.paymentId}`;
    switch (card?.status) {
      case 'authorized':
        return { status: 'authorized', providerRef, amount: payment.amount.amount, paymentMethod: summary };
      case 'requires_action':
        return { status: 'requires_action', providerRef, nextAction: { type: 'authenticate', providerClientSecret: null }, paymentMethod: summary };
      default:
        return { status: 'failed', providerRef, failure: { code: card?.code ?? 'card_declined', message: card?.message ?? 'Declined.' }, paymentMethod: summary };
    }
  }

  /** The shopper passes the simulated authentication: the hold is placed. */
  async refresh(payment: ProviderPayment): Promise<ProviderSnapshot> {
    return { status: 'authorized', amountAuthorized: payment.amount.amount, amountCaptured: 0, amountRefunded: 0, nextAction: null, failure: null };
  }

  async capture(_payment: ProviderPayment, amount: number): Promise<{ amount: number }> {
    return { amount };
  }

  async void(): Promise<void> {}

  async refund(_payment: ProviderPayment, _amount: number, _reason: string, idempotencyKey: string): Promise<{ refundRef: string }> {
    return { refundRef: `test_re_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}` };
  }
}
