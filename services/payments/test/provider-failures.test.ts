import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { TestPaymentProvider } from '../src/providers/test-provider.ts';
import { CARDS, buildPaymentsApp, type PaymentsHarness } from './support/app.ts';
import { CountingProvider } from './support/counting-provider.ts';

describe.each(BACKENDS)('provider outages on %s', (backend) => {
  let t: PaymentsHarness;
  let provider: CountingProvider;

  beforeAll(async () => {
    provider = new CountingProvider(new TestPaymentProvider());
    t = await buildPaymentsApp(backend, { providers: { test: provider } });
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });

  it('when the provider captures but its answer times out, then the payment stays authorized with a pending attempt, and the retry captures once', async () => {
    const payment = await t.authorized(5000);
    const executed = provider.executions.capture;
    const key = randomUUID();
    provider.failNext('capture', 'timeout-after');

    const lost = await t.capture(payment.id, {}, key);
    expect(lost.statusCode).toBe(503);
    expect(lost.headers['content-type']).toContain('application/problem+json');
    expect(lost.json()).toMatchObject({ code: 'PAYMENTS.PROVIDER_UNAVAILABLE' });
    expect(lost.headers['retry-after']).toBe('2');
    const pending = await t.detail(payment.id);
    expect(pending.status).toBe('authorized');
    expect(pending.attempts.at(-1)).toMatchObject({ operation: 'capture', status: 'pending', tries: 1 });
    expect((await t.outbox(payment.id)).map((e) => e.type)).toEqual(['payments.payment.authorized']);

    const retried = await t.capture(payment.id, {}, key);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'captured', captured: { amount: 5000 } });
    // The provider did the capture once; the retry carried the same key and got its answer.
    expect(provider.executions.capture - executed).toBe(1);
    const done = await t.detail(payment.id);
    expect(done.attempts.filter((a) => a.operation === 'capture')).toEqual([
      expect.objectContaining({ status: 'succeeded', tries: 2, providerKey: `fusion_${payment.id}_capture_1` }),
    ]);
    expect((await t.outbox(payment.id)).map((e) => e.type)).toEqual(['payments.payment.authorized', 'payments.payment.captured']);
  });

  it('when the provider answers 5xx before doing anything, then the retry with the same key captures', async () => {
    const payment = await t.authorized(2500);
    const executed = provider.executions.capture;
    const key = randomUUID();
    provider.failNext('capture', '5xx-before');
    provider.failNext('capture', '5xx-before');
    expect((await t.capture(payment.id, {}, key)).statusCode).toBe(503);
    expect((await t.capture(payment.id, {}, key)).statusCode).toBe(503);
    expect((await t.detail(payment.id)).attempts.filter((a) => a.operation === 'capture')).toEqual([expect.objectContaining({ status: 'pending', tries: 2 })]);
    const ok = await t.capture(payment.id, {}, key);
    expect(ok.statusCode).toBe(200);
    expect(provider.executions.capture - executed).toBe(1);
  });

  it('when a capture timed out and a new request (another key) arrives, then the pending capture is finished first, never sent anew', async () => {
    const payment = await t.authorized(5000);
    const executed = provider.executions.capture;
    const firstKey = randomUUID();
    provider.failNext('capture', 'timeout-after');
    expect((await t.capture(payment.id, {}, firstKey)).statusCode).toBe(503);

    const impatient = await t.capture(payment.id, {}, randomUUID());
    expect(impatient.statusCode).toBe(409);
    expect(impatient.json()).toMatchObject({ code: 'PAYMENTS.ILLEGAL_TRANSITION', currentState: 'captured' });
    expect(provider.executions.capture - executed).toBe(1);

    // The first request, retried, learns its capture went through.
    const original = await t.capture(payment.id, {}, firstKey);
    expect(original.statusCode).toBe(200);
    expect(original.json()).toMatchObject({ status: 'captured' });
    expect(provider.executions.capture - executed).toBe(1);
    expect((await t.outbox(payment.id)).filter((e) => e.type === 'payments.payment.captured')).toHaveLength(1);
  });

  it('when a capture timed out and an admin voids, then the capture is settled first and the void is refused: no capture is lost', async () => {
    const payment = await t.authorized(5000);
    provider.failNext('capture', 'timeout-after');
    expect((await t.capture(payment.id)).statusCode).toBe(503);
    const voided = await t.voidPayment(payment.id);
    expect(voided.statusCode).toBe(409);
    expect(voided.json()).toMatchObject({ currentState: 'captured' });
    expect(provider.calls.void).toBe(0);
  });

  it('when a refund times out after the provider made it, then the retry reports it and refunds once', async () => {
    const payment = await t.authorized(5000);
    await t.capture(payment.id);
    const executed = provider.executions.refund;
    const key = randomUUID();
    provider.failNext('refund', 'timeout-after');
    const body = { amount: { amount: 2000, currency: 'USD' }, reason: 'scratched' };
    expect((await t.refund(payment.id, body, key)).statusCode).toBe(503);
    expect((await t.detail(payment.id)).refunded.amount).toBe(0);
    const retried = await t.refund(payment.id, body, key);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'partially_refunded', refunded: { amount: 2000 } });
    expect(provider.executions.refund - executed).toBe(1);
  });

  it('when an authorization times out after the card was authorized, then the retry authorizes once', async () => {
    const payment = await t.create();
    const executed = provider.executions.authorize;
    const key = randomUUID();
    provider.failNext('authorize', 'timeout-after');
    const headers = { 'idempotency-key': key, 'payment-client-secret': payment.clientSecret };
    const lost = await t.app.inject({ method: 'POST', url: `/v1/payments/${payment.id}/authorize`, headers, payload: { paymentMethod: CARDS.success } });
    expect(lost.statusCode).toBe(503);
    expect((await t.detail(payment.id)).status).toBe('requires_payment_method');
    const retried = await t.app.inject({ method: 'POST', url: `/v1/payments/${payment.id}/authorize`, headers, payload: { paymentMethod: CARDS.success } });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'authorized' });
    expect(provider.executions.authorize - executed).toBe(1);
    expect((await t.outbox(payment.id)).map((e) => e.type)).toEqual(['payments.payment.authorized']);
  });
});
