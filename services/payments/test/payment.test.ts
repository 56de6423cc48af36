import { describe, expect, it } from 'vitest';
import { AppError } from '@fusioncommerce/platform';
import { Payment, type ProviderSnapshot } from '../src/domain/payment.ts';

const now = new Date('2026-11-22T10:00:00Z');
const usd = (amount: number) => ({ amount, currency: 'USD' });

function payment(amount = 10_000): Payment {
  const p = Payment.create({ id: 'p1', reference: { kind: 'order', id: 'o1' }, amount: usd(amount), provider: 'test', clientSecret: 's', createdBy: 'test', now });
  p.pullChanges();
  return p;
}

function authorized(amount = 10_000): Payment {
  const p = payment(amount);
  p.authorized(amount, now);
  p.pullChanges();
  return p;
}

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? `${error.code}${error.extensions?.currentState ? `@${String(error.extensions.currentState)}` : ''}` : 'not an AppError';
  }
  return undefined;
};

const snapshot = (overrides: Partial<ProviderSnapshot>): ProviderSnapshot => ({
  status: 'authorized',
  amountAuthorized: 0,
  amountCaptured: 0,
  amountRefunded: 0,
  nextAction: null,
  failure: null,
  ...overrides,
});

describe('the payment state machine', () => {
  it('when a payment is created in a currency that does not exist, then it is refused', () => {
    expect(codeOf(() => Payment.create({ id: 'x', reference: { kind: 'order', id: 'o' }, amount: { amount: 1, currency: 'ABC' }, provider: 'test', clientSecret: 's', createdBy: 't', now }))).toBe(
      'PAYMENTS.UNSUPPORTED_CURRENCY',
    );
  });

  it.each([
    ['capture before authorization', (p: Payment) => p.planCapture(), 'PAYMENTS.ILLEGAL_TRANSITION@requires_payment_method'],
    ['refund before capture', (p: Payment) => p.planRefund(), 'PAYMENTS.ILLEGAL_TRANSITION@requires_payment_method'],
    ['confirm without an action', (p: Payment) => p.assertCanConfirm(), 'PAYMENTS.ILLEGAL_TRANSITION@requires_payment_method'],
  ])('when a fresh payment is asked to %s, then it is an illegal transition naming the current state', (_name, act, code) => {
    expect(codeOf(() => act(payment()))).toBe(code);
  });

  it('when captured, then never more than authorized, never in another currency, and only once', () => {
    const p = authorized(10_000);
    expect(codeOf(() => p.planCapture(usd(10_001)))).toBe('PAYMENTS.AMOUNT_EXCEEDS_AUTHORIZED');
    expect(codeOf(() => p.planCapture({ amount: 100, currency: 'EUR' }))).toBe('PAYMENTS.CURRENCY_MISMATCH');
    expect(p.planCapture()).toBe(10_000);
    p.captured(6000, now);
    expect(p.state).toMatchObject({ status: 'captured', capturedAmount: 6000 });
    expect(p.pullChanges().events).toEqual([{ type: 'captured', amount: 6000, released: 4000, totals: { authorized: 10_000, captured: 6000, refunded: 0 } }]);
    expect(codeOf(() => p.planCapture())).toBe('PAYMENTS.ILLEGAL_TRANSITION@captured');
    expect(codeOf(() => p.planVoid())).toBe('PAYMENTS.ILLEGAL_TRANSITION@captured');
  });

  it('when refunded, then in parts, never more than captured, until it is fully refunded', () => {
    const p = authorized(10_000);
    p.captured(8000, now);
    expect(codeOf(() => p.planRefund(usd(8001)))).toBe('PAYMENTS.AMOUNT_EXCEEDS_CAPTURED');
    p.refunded(3000, 'a', now);
    expect(p.state.status).toBe('partially_refunded');
    expect(p.refundable).toEqual(usd(5000));
    expect(codeOf(() => p.planRefund(usd(5001)))).toBe('PAYMENTS.AMOUNT_EXCEEDS_CAPTURED');
    p.refunded(p.planRefund(), 'b', now);
    expect(p.state).toMatchObject({ status: 'refunded', refundedAmount: 8000 });
    expect(codeOf(() => p.planRefund())).toBe('PAYMENTS.ILLEGAL_TRANSITION@refunded');
    const events = p.pullChanges().events.filter((e) => e.type === 'refunded');
    expect(events.map((e) => (e.type === 'refunded' ? e.fullyRefunded : null))).toEqual([false, true]);
  });

  it('when declined, then another card may be tried; after authorization, not', () => {
    const p = payment();
    p.failed({ code: 'card_declined', message: 'no' }, now);
    expect(() => p.assertCanAuthorize()).not.toThrow();
    p.authorized(10_000, now);
    expect(codeOf(() => p.assertCanAuthorize())).toBe('PAYMENTS.ILLEGAL_TRANSITION@authorized');
    expect(p.state.failure).toBeNull();
  });

  it('when the provider reports the same state twice, then the second report changes nothing', () => {
    const p = payment();
    p.requiresAction({ type: 'authenticate', providerClientSecret: null }, now);
    p.pullChanges();
    expect(p.reconcile(snapshot({ status: 'authorized', amountAuthorized: 10_000 }), now)).toBe(true);
    expect(p.reconcile(snapshot({ status: 'authorized', amountAuthorized: 10_000 }), now)).toBe(false);
    expect(p.pullChanges().events.map((e) => e.type)).toEqual(['authorized']);
  });

  it('when the provider reports a capture and refunds we never saw, then they are recorded once, in order', () => {
    const p = authorized(5000);
    const report = snapshot({ status: 'captured', amountCaptured: 5000, amountRefunded: 2000 });
    expect(p.reconcile(report, now)).toBe(true);
    expect(p.reconcile(report, now)).toBe(false);
    expect(p.state).toMatchObject({ status: 'partially_refunded', capturedAmount: 5000, refundedAmount: 2000 });
    expect(p.pullChanges().transitions.map((t) => t.to)).toEqual(['captured', 'partially_refunded']);
  });

  it('when the provider cancels a captured payment (it cannot), then nothing changes', () => {
    const p = authorized(5000);
    p.captured(5000, now);
    p.pullChanges();
    expect(p.reconcile(snapshot({ status: 'voided' }), now)).toBe(false);
    expect(p.state.status).toBe('captured');
  });
});
