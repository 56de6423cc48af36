/**
 * Real concurrency on the real PostgreSQL server: many requests in flight at
 * once against one payment, each on its own connection. (PGlite is one
 * connection and serialises everything, so it cannot show a race.)
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestPaymentProvider } from '../src/providers/test-provider.ts';
import { buildPaymentsApp, type PaymentsHarness } from './support/app.ts';
import { CountingProvider } from './support/counting-provider.ts';

const N = 10;

describe('payments under concurrent requests on postgres', () => {
  let t: PaymentsHarness;
  let provider: CountingProvider;

  beforeAll(async () => {
    provider = new CountingProvider(new TestPaymentProvider());
    t = await buildPaymentsApp('postgres', { providers: { test: provider } });
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });
  beforeEach(() => {
    // Each provider call takes a while, so the requests truly overlap.
    provider.delayMs = 40;
  });

  const count = async (paymentId: string, table: 'payment_transitions' | 'outbox', where: Record<string, string>) => {
    const column = table === 'outbox' ? 'subject' : 'payment_id';
    const [row] = (await t.db.knex(`payments.${table}`).where({ [column]: paymentId, ...where }).count('* as count')) as [{ count: number }];
    return Number(row.count);
  };

  it('when the same capture is fired 10 times at once with one Idempotency-Key, then the provider is called once and the payment is captured once', async () => {
    provider.delayMs = 0;
    const payment = await t.authorized(5000);
    provider.delayMs = 40;
    const before = provider.calls.capture;
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: N }, () => t.capture(payment.id, { amount: { amount: 4000, currency: 'USD' } }, key)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(N).fill(200));
    const bodies = responses.map((r) => r.json());
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0]).toMatchObject({ status: 'captured', captured: { amount: 4000 } });
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(N - 1);
    expect(provider.calls.capture - before).toBe(1);
    expect(await count(payment.id, 'payment_transitions', { to_status: 'captured' })).toBe(1);
    expect(await count(payment.id, 'outbox', { type: 'payments.payment.captured' })).toBe(1);
  });

  it('when the same capture is fired 10 times at once with different keys, then one captures and nine are told it is already captured', async () => {
    provider.delayMs = 0;
    const payment = await t.authorized(5000);
    provider.delayMs = 40;
    const before = provider.calls.capture;
    const responses = await Promise.all(Array.from({ length: N }, () => t.capture(payment.id)));
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, ...Array(N - 1).fill(409)]);
    for (const refused of responses.filter((r) => r.statusCode === 409)) {
      expect(refused.json()).toMatchObject({ code: 'PAYMENTS.ILLEGAL_TRANSITION', currentState: 'captured' });
    }
    expect(provider.calls.capture - before).toBe(1);
    expect(await count(payment.id, 'payment_transitions', { to_status: 'captured' })).toBe(1);
    expect(await count(payment.id, 'outbox', { type: 'payments.payment.captured' })).toBe(1);
  });

  it('when the same refund is fired 10 times at once with one key, then one refund is made', async () => {
    provider.delayMs = 0;
    const payment = await t.authorized(5000);
    await t.capture(payment.id);
    provider.delayMs = 40;
    const before = provider.calls.refund;
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: N }, () => t.refund(payment.id, { amount: { amount: 1000, currency: 'USD' }, reason: 'late delivery' }, key)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(N).fill(200));
    expect(provider.calls.refund - before).toBe(1);
    const detail = await t.detail(payment.id);
    expect(detail).toMatchObject({ status: 'partially_refunded', refunded: { amount: 1000 } });
    expect(await count(payment.id, 'outbox', { type: 'payments.payment.refunded' })).toBe(1);
  });

  it('when 10 different refunds of a fifth each race for one payment, then exactly five go through and no more than was captured is refunded', async () => {
    provider.delayMs = 0;
    const payment = await t.authorized(5000);
    await t.capture(payment.id);
    provider.delayMs = 20;
    const before = provider.calls.refund;
    const responses = await Promise.all(Array.from({ length: N }, (_, i) => t.refund(payment.id, { amount: { amount: 1000, currency: 'USD' }, reason: `return ${i}` })));
    const ok = responses.filter((r) => r.statusCode === 200);
    const refused = responses.filter((r) => r.statusCode !== 200);
    expect(ok).toHaveLength(5);
    expect(refused.map((r) => r.statusCode)).toEqual(Array(5).fill(409));
    expect(provider.calls.refund - before).toBe(5);
    expect(await t.detail(payment.id)).toMatchObject({ status: 'refunded', refunded: { amount: 5000 }, refundable: { amount: 0 } });
    expect(await count(payment.id, 'outbox', { type: 'payments.payment.refunded' })).toBe(5);
  });

  it('when a capture and a void race, then exactly one of them happens', async () => {
    provider.delayMs = 0;
    const payment = await t.authorized(5000);
    provider.delayMs = 30;
    const [capture, voided] = await Promise.all([t.capture(payment.id), t.voidPayment(payment.id)]);
    expect([capture.statusCode, voided.statusCode].sort()).toEqual([200, 409]);
    const detail = await t.detail(payment.id);
    expect(['captured', 'voided']).toContain(detail.status);
    expect(detail.transitions.filter((tr) => tr.to === 'captured' || tr.to === 'voided')).toHaveLength(1);
  });

  it('when the same authorization is fired 10 times at once with one key, then the card is authorized once', async () => {
    provider.delayMs = 0;
    const payment = await t.create();
    provider.delayMs = 40;
    const before = provider.calls.authorize;
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: N }, () =>
        t.app.inject({
          method: 'POST',
          url: `/v1/payments/${payment.id}/authorize`,
          headers: { 'idempotency-key': key, 'payment-client-secret': payment.clientSecret },
          payload: { paymentMethod: '4242424242424242' },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(N).fill(200));
    expect(provider.calls.authorize - before).toBe(1);
    expect(await count(payment.id, 'outbox', { type: 'payments.payment.authorized' })).toBe(1);
  });

  it('when 10 checkouts create a payment for one order at once, then one payment exists and the others are refused', async () => {
    const reference = { kind: 'order', id: randomUUID() };
    const responses = await Promise.all(
      Array.from({ length: N }, () =>
        t.app.inject({ method: 'POST', url: '/v1/payments', headers: { 'idempotency-key': randomUUID() }, payload: { reference, amount: { amount: 100, currency: 'USD' } } }),
      ),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, ...Array(N - 1).fill(409)]);
    expect(await t.db.knex('payments.payment_intents').where({ reference_id: reference.id })).toHaveLength(1);
  });

  it('when one create is sent 10 times at once with one key, then every answer is the same payment', async () => {
    const key = randomUUID();
    const body = { reference: { kind: 'order', id: randomUUID() }, amount: { amount: 100, currency: 'USD' } };
    const responses = await Promise.all(Array.from({ length: N }, () => t.app.inject({ method: 'POST', url: '/v1/payments', headers: { 'idempotency-key': key }, payload: body })));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(N).fill(201));
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
  });
});

describe('a duplicate that outwaits its patience on postgres', () => {
  let t: PaymentsHarness;
  let provider: CountingProvider;

  beforeAll(async () => {
    provider = new CountingProvider(new TestPaymentProvider());
    t = await buildPaymentsApp('postgres', { providers: { test: provider }, idempotencyWaitMs: 100 });
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });

  it('when the first request is still running after the wait, then the duplicate gets a 409 with Retry-After, and the work still happens once', async () => {
    const payment = await t.authorized(5000);
    provider.delayMs = 600;
    const key = randomUUID();
    const [first, duplicate] = await Promise.all([
      t.capture(payment.id, {}, key),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => t.capture(payment.id, {}, key)),
    ]);
    provider.delayMs = 0;
    expect(first.statusCode).toBe(200);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.headers['retry-after']).toBe('1');
    expect(duplicate.json()).toMatchObject({ code: 'PAYMENTS.IDEMPOTENCY_KEY_IN_PROGRESS' });
    expect(provider.calls.capture).toBe(1);
    const later = await t.capture(payment.id, {}, key);
    expect(later.statusCode).toBe(200);
    expect(later.json()).toEqual(first.json());
  });
});
