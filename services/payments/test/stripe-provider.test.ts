/**
 * The Stripe provider through the official SDK, pointed at a local stand-in
 * for Stripe's API (test/support/stripe-stand-in.ts) — Stripe itself cannot be
 * reached from here. Webhooks are signed and verified with the SDK's helpers.
 */
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { loadPaymentsConfig } from '../src/config.ts';
import { buildPaymentsApp, type PaymentsHarness } from './support/app.ts';
import { StripeStandIn, stripeEvent } from './support/stripe-stand-in.ts';

describe.each(BACKENDS)('the Stripe provider on %s', (backend) => {
  let stripe: StripeStandIn;
  let t: PaymentsHarness;

  beforeAll(async () => {
    stripe = await new StripeStandIn().start();
    const config = loadPaymentsConfig({
      PAYMENTS_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_URL: stripe.url,
      STRIPE_TIMEOUT_MS: '400',
      STRIPE_MAX_NETWORK_RETRIES: '0',
    });
    t = await buildPaymentsApp(backend, { config });
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
    await stripe.stop();
  });

  const authorizeWith = async (paymentMethod: string, amount = 5000) => {
    const payment = await t.create({ amount });
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/payments/${payment.id}/authorize`,
      headers: { 'idempotency-key': randomUUID(), 'payment-client-secret': payment.clientSecret },
      payload: { paymentMethod },
    });
    expect(res.statusCode, res.body).toBe(200);
    return { payment, body: res.json() };
  };

  const sendWebhook = (payload: string, signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: stripe.webhookSecret })) =>
    t.app.inject({ method: 'POST', url: '/v1/payments/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, payload });

  const providerRefOf = async (id: string) => (await t.detail(id)).providerRef as string;

  it('when pm_card_visa is used, then a PaymentIntent with manual capture is created and confirmed under the attempt’s idempotency key', async () => {
    const { payment, body } = await authorizeWith('pm_card_visa', 4200);
    expect(body).toMatchObject({ status: 'authorized', authorized: { amount: 4200 }, paymentMethod: { type: 'card', brand: 'visa', last4: '4242' } });
    const ref = await providerRefOf(payment.id);
    const pi = stripe.intent(ref);
    expect(pi).toMatchObject({ status: 'requires_capture', capture_method: 'manual', amount: 4200, currency: 'usd', metadata: { fusion_payment_id: payment.id } });
    expect(stripe.requests.find((r) => r.path === '/v1/payment_intents' && r.idempotencyKey === `fusion_${payment.id}_authorize_1`)).toBeDefined();
  });

  it.each([
    ['pm_card_chargeDeclined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
  ])('when %s is used, then the payment fails with %s; a second card confirms the same PaymentIntent', async (method, code) => {
    const { payment, body } = await authorizeWith(method);
    expect(body).toMatchObject({ status: 'failed', failure: { code } });
    const ref = await providerRefOf(payment.id);
    expect(ref).toMatch(/^pi_/);

    const retry = await t.app.inject({
      method: 'POST',
      url: `/v1/payments/${payment.id}/authorize`,
      headers: { 'idempotency-key': randomUUID(), 'payment-client-secret': payment.clientSecret },
      payload: { paymentMethod: 'pm_card_visa' },
    });
    expect(retry.json()).toMatchObject({ status: 'authorized' });
    expect(await providerRefOf(payment.id)).toBe(ref);
    expect(stripe.requests.some((r) => r.path === `/v1/payment_intents/${ref}/confirm` && r.idempotencyKey === `fusion_${payment.id}_authorize_2`)).toBe(true);
  });

  it('when 3-D Secure is required, then the checkout gets Stripe’s client secret, and confirm after authentication authorizes', async () => {
    const { payment, body } = await authorizeWith('pm_card_authenticationRequired');
    const ref = await providerRefOf(payment.id);
    expect(body).toMatchObject({ status: 'requires_action', nextAction: { type: 'authenticate', providerClientSecret: stripe.intent(ref).client_secret } });

    stripe.completeAuthentication(ref, true);
    const confirmed = await t.app.inject({ method: 'POST', url: `/v1/payments/${payment.id}/confirm`, headers: { 'payment-client-secret': payment.clientSecret } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'authorized', authorized: { amount: 5000 }, nextAction: null });
  });

  it('when the shopper fails 3-D Secure, then confirm reports the payment failed', async () => {
    const { payment } = await authorizeWith('pm_card_authenticationRequired');
    stripe.completeAuthentication(await providerRefOf(payment.id), false);
    const confirmed = await t.app.inject({ method: 'POST', url: `/v1/payments/${payment.id}/confirm`, headers: { 'payment-client-secret': payment.clientSecret }, payload: {} });
    expect(confirmed.json()).toMatchObject({ status: 'failed', failure: { code: 'payment_intent_authentication_failure' } });
    expect((await t.outbox(payment.id)).map((e) => e.type)).toEqual(['payments.payment.failed']);
  });

  it('when a raw card number is sent with Stripe, then it is refused before it goes anywhere', async () => {
    const payment = await t.create();
    const before = stripe.requests.length;
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/payments/${payment.id}/authorize`,
      headers: { 'idempotency-key': randomUUID(), 'payment-client-secret': payment.clientSecret },
      payload: { paymentMethod: '4242424242424242' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PAYMENTS.INVALID_PAYMENT_METHOD' });
    expect(stripe.requests.length).toBe(before);
  });

  it('when captured in part and refunded in part, then Stripe is asked for exactly those amounts', async () => {
    const { payment } = await authorizeWith('pm_card_visa', 10_000);
    const ref = await providerRefOf(payment.id);
    const captured = await t.capture(payment.id, { amount: { amount: 7500, currency: 'USD' } });
    expect(captured.json()).toMatchObject({ status: 'captured', captured: { amount: 7500 } });
    expect(stripe.intent(ref)).toMatchObject({ status: 'succeeded', amount_received: 7500 });

    const refunded = await t.refund(payment.id, { amount: { amount: 2500, currency: 'USD' }, reason: 'late' });
    expect(refunded.json()).toMatchObject({ status: 'partially_refunded', refunded: { amount: 2500 } });
    const charge = stripe.charges.get(stripe.intent(ref).latest_charge as string);
    expect(charge?.amount_refunded).toBe(2500);
    const detail = await t.detail(payment.id);
    expect(detail.attempts.find((a) => a.operation === 'refund')).toMatchObject({ status: 'succeeded' });
  });

  it('when voided, then the PaymentIntent is cancelled at Stripe', async () => {
    const { payment } = await authorizeWith('pm_card_visa');
    expect((await t.voidPayment(payment.id, { reason: 'customer changed their mind' })).statusCode).toBe(200);
    expect(stripe.intent(await providerRefOf(payment.id)).status).toBe('canceled');
  });

  it('when Stripe answers 500 to a capture, then the retry with the same key captures once', async () => {
    const { payment } = await authorizeWith('pm_card_visa');
    const executed = stripe.executions.capture;
    const key = randomUUID();
    stripe.failNext('capture', '500');
    const failed = await t.capture(payment.id, {}, key);
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toMatchObject({ code: 'PAYMENTS.PROVIDER_UNAVAILABLE' });
    expect((await t.detail(payment.id)).status).toBe('authorized');
    const ok = await t.capture(payment.id, {}, key);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(stripe.executions.capture - executed).toBe(1);
  });

  it('when Stripe captures but the answer never arrives, then the request times out, and the retry gets Stripe’s stored answer: one charge', async () => {
    const { payment } = await authorizeWith('pm_card_visa', 8000);
    const ref = await providerRefOf(payment.id);
    const executed = stripe.executions.capture;
    const key = randomUUID();
    stripe.failNext('capture', 'hang-after');
    const lost = await t.capture(payment.id, {}, key);
    expect(lost.statusCode).toBe(503);
    // Stripe has captured; we do not know it yet, and say so: the attempt is pending.
    expect(stripe.intent(ref).status).toBe('succeeded');
    expect((await t.detail(payment.id)).attempts.at(-1)).toMatchObject({ operation: 'capture', status: 'pending' });

    const retried = await t.capture(payment.id, {}, key);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'captured', captured: { amount: 8000 } });
    expect(stripe.executions.capture - executed).toBe(1);
    const keys = stripe.requests.filter((r) => r.path === `/v1/payment_intents/${ref}/capture`).map((r) => r.idempotencyKey);
    expect(keys).toEqual([`fusion_${payment.id}_capture_1`, `fusion_${payment.id}_capture_1`]);
  });

  it('when a refund’s answer is lost, then the retry refunds nothing more', async () => {
    const { payment } = await authorizeWith('pm_card_visa', 6000);
    await t.capture(payment.id);
    const ref = await providerRefOf(payment.id);
    const key = randomUUID();
    stripe.failNext('refund', 'hang-after');
    const body = { amount: { amount: 1000, currency: 'USD' }, reason: 'one sock missing' };
    expect((await t.refund(payment.id, body, key)).statusCode).toBe(503);
    const retried = await t.refund(payment.id, body, key);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ refunded: { amount: 1000 } });
    expect(stripe.charges.get(stripe.intent(ref).latest_charge as string)?.amount_refunded).toBe(1000);
  });

  it('when Stripe’s webhook for a completed 3-D Secure is delivered ten times, then the payment is authorized once', async () => {
    const { payment } = await authorizeWith('pm_card_authenticationRequired');
    const pi = stripe.completeAuthentication(await providerRefOf(payment.id), true);
    const payload = stripeEvent('payment_intent.amount_capturable_updated', pi);
    const responses = [];
    for (let i = 0; i < 10; i += 1) responses.push(await sendWebhook(payload));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(responses[0]?.json()).toEqual({ received: true, duplicate: false, outcome: 'applied' });
    expect(responses.slice(1).every((r) => r.json().duplicate === true)).toBe(true);

    const detail = await t.detail(payment.id);
    expect(detail.status).toBe('authorized');
    expect(detail.transitions.filter((tr) => tr.to === 'authorized')).toEqual([expect.objectContaining({ source: 'webhook', actor: expect.stringMatching(/^stripe:evt_/) })]);
    expect((await t.outbox(payment.id)).map((e) => e.type)).toEqual(['payments.payment.authorized']);
  });

  it('when the same event is delivered ten times at once, then it still changes the payment once', async () => {
    const { payment } = await authorizeWith('pm_card_authenticationRequired');
    const pi = stripe.completeAuthentication(await providerRefOf(payment.id), true);
    const payload = stripeEvent('payment_intent.amount_capturable_updated', pi);
    const responses = await Promise.all(Array.from({ length: 10 }, () => sendWebhook(payload)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(responses.filter((r) => r.json().duplicate === false)).toHaveLength(1);
    expect((await t.detail(payment.id)).transitions.filter((tr) => tr.to === 'authorized')).toHaveLength(1);
    expect((await t.outbox(payment.id)).filter((e) => e.type === 'payments.payment.authorized')).toHaveLength(1);
  });

  it('when Stripe echoes a capture we made, then nothing changes', async () => {
    const { payment } = await authorizeWith('pm_card_visa');
    await t.capture(payment.id);
    const before = await t.detail(payment.id);
    const res = await sendWebhook(stripeEvent('payment_intent.succeeded', stripe.intent(await providerRefOf(payment.id))));
    expect(res.json()).toEqual({ received: true, duplicate: false, outcome: 'unchanged' });
    expect(await t.detail(payment.id)).toEqual(before);
  });

  it('when a capture’s answer was lost and Stripe’s webhook arrives first, then the webhook settles it and the retry makes no new call', async () => {
    const { payment } = await authorizeWith('pm_card_visa');
    const ref = await providerRefOf(payment.id);
    const key = randomUUID();
    stripe.failNext('capture', 'hang-after');
    expect((await t.capture(payment.id, {}, key)).statusCode).toBe(503);
    expect((await sendWebhook(stripeEvent('payment_intent.succeeded', stripe.intent(ref)))).json()).toMatchObject({ outcome: 'applied' });
    const settled = await t.detail(payment.id);
    expect(settled.status).toBe('captured');
    expect(settled.attempts.at(-1)).toMatchObject({ operation: 'capture', status: 'succeeded' });

    const calls = stripe.requests.length;
    const retried = await t.capture(payment.id, {}, key);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'captured' });
    expect(stripe.requests.length).toBe(calls);
  });

  it('when a refund is made in the Stripe dashboard, then charge.refunded brings the payment in line and publishes the refund', async () => {
    const { payment } = await authorizeWith('pm_card_visa', 3000);
    await t.capture(payment.id);
    const charge = stripe.refundFromDashboard(await providerRefOf(payment.id), 1200);
    const res = await sendWebhook(stripeEvent('charge.refunded', charge));
    expect(res.json()).toMatchObject({ outcome: 'applied' });
    expect(await t.detail(payment.id)).toMatchObject({ status: 'partially_refunded', refunded: { amount: 1200 } });
    const refunded = (await t.outbox(payment.id)).filter((e) => e.type === 'payments.payment.refunded');
    expect(refunded).toEqual([expect.objectContaining({ data: expect.objectContaining({ amount: { amount: 1200, currency: 'USD' }, reason: 'refunded at the provider' }) })]);
  });

  it('when an authorization expires at Stripe (canceled), then the payment is voided', async () => {
    const { payment } = await authorizeWith('pm_card_visa');
    const pi = { ...stripe.intent(await providerRefOf(payment.id)), status: 'canceled' };
    expect((await sendWebhook(stripeEvent('payment_intent.canceled', pi))).json()).toMatchObject({ outcome: 'applied' });
    expect((await t.detail(payment.id)).status).toBe('voided');
  });

  it('when an event is about a PaymentIntent this shop does not know, or of a type it ignores, then it is acknowledged and ignored', async () => {
    const unknown = await sendWebhook(stripeEvent('payment_intent.succeeded', { id: 'pi_elsewhere', object: 'payment_intent', status: 'succeeded', amount: 1, amount_received: 1 }));
    expect(unknown.json()).toEqual({ received: true, duplicate: false, outcome: 'ignored' });
    const other = await sendWebhook(stripeEvent('customer.created', { id: 'cus_1', object: 'customer' }));
    expect(other.json()).toMatchObject({ outcome: 'ignored' });
  });

  it.each([
    ['no signature', (payload: string) => ({ payload, signature: undefined })],
    ['a signature made with another secret', (payload: string) => ({ payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_someone_else' }) })],
    ['a body changed after signing', (payload: string) => ({ payload: payload.replace('"livemode":false', '"livemode":true'), signature: Stripe.webhooks.generateTestHeaderString({ payload, secret: stripe.webhookSecret }) })],
    ['a signature from an hour ago', (payload: string) => ({ payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret: stripe.webhookSecret, timestamp: Math.floor(Date.now() / 1000) - 3600 }) })],
  ])('when a webhook has %s, then it is a 400 and nothing changes', async (_name, make) => {
    const { payment } = await authorizeWith('pm_card_authenticationRequired');
    const pi = stripe.completeAuthentication(await providerRefOf(payment.id), true);
    const { payload, signature } = make(stripeEvent('payment_intent.amount_capturable_updated', pi));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature) headers['stripe-signature'] = signature;
    const res = await t.app.inject({ method: 'POST', url: '/v1/payments/webhooks/stripe', headers, payload });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'PAYMENTS.WEBHOOK_SIGNATURE_INVALID' });
    expect((await t.detail(payment.id)).status).toBe('requires_action');
  });

  it('when a signed body is not an event, then it is a 400', async () => {
    const payload = JSON.stringify({ object: 'event' });
    const res = await sendWebhook(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PAYMENTS.WEBHOOK_PAYLOAD_INVALID' });
  });
});
