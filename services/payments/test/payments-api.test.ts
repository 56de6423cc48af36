import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { CARDS, buildPaymentsApp, type PaymentsHarness } from './support/app.ts';

describe.each(BACKENDS)('payments API on %s', (backend) => {
  let t: PaymentsHarness;

  beforeAll(async () => {
    t = await buildPaymentsApp(backend);
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });

  it('when a guest checkout creates a payment, then it waits for a payment method and comes back with a client secret', async () => {
    const reference = { kind: 'order', id: randomUUID() };
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/payments',
      headers: { 'idempotency-key': randomUUID() },
      payload: { reference, amount: { amount: 2599, currency: 'EUR' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'requires_payment_method',
      reference,
      amount: { amount: 2599, currency: 'EUR' },
      authorized: { amount: 0, currency: 'EUR' },
      nextAction: null,
      failure: null,
    });
    expect(body.clientSecret).toMatch(new RegExp(`^${body.id}_secret_`));
    expect(res.headers.location).toBe(`/v1/payments/${body.id}`);
    // No provider references or history for the public.
    expect(body).not.toHaveProperty('providerRef');
    expect(await t.outbox(body.id)).toEqual([]);
  });

  it('when 4242 4242 4242 4242 is used, then the payment is authorized and payments.payment.authorized is recorded', async () => {
    const payment = await t.create({ amount: 5000 });
    const authorized = await t.authorize(payment, CARDS.success);
    expect(authorized).toMatchObject({
      status: 'authorized',
      authorized: { amount: 5000, currency: 'USD' },
      capturable: { amount: 5000, currency: 'USD' },
      paymentMethod: { type: 'card', last4: '4242' },
    });
    const events = await t.outbox(payment.id);
    expect(events.map((e) => e.type)).toEqual(['payments.payment.authorized']);
    expect(events[0]?.data).toMatchObject({ paymentId: payment.id, amount: { amount: 5000, currency: 'USD' }, provider: 'test' });
  });

  it.each([
    ['4000 0000 0000 0002', CARDS.declined, 'card_declined'],
    ['4000 0000 0000 9995', CARDS.insufficientFunds, 'insufficient_funds'],
  ])('when %s is used, then the payment fails with %s and another card can still be tried', async (_label, card, code) => {
    const payment = await t.create();
    const failed = await t.authorize(payment, card);
    expect(failed).toMatchObject({ status: 'failed', failure: { code }, authorized: { amount: 0 } });
    expect((await t.outbox(payment.id)).map((e) => e.type)).toEqual(['payments.payment.failed']);
    expect((await t.outbox(payment.id))[0]?.data).toMatchObject({ failureCode: code });

    const retried = await t.authorize(payment, CARDS.success);
    expect(retried).toMatchObject({ status: 'authorized', failure: null });
    const detail = await t.detail(payment.id);
    expect(detail.attempts.map((a) => [a.operation, a.seq, a.status])).toEqual([
      ['authorize', 1, 'failed'],
      ['authorize', 2, 'succeeded'],
    ]);
  });

  it('when 4000 0025 0000 3155 is used, then it requires authentication, and confirming after it authorizes the payment', async () => {
    const payment = await t.create();
    const pending = await t.authorize(payment, CARDS.authentication);
    expect(pending).toMatchObject({ status: 'requires_action', nextAction: { type: 'authenticate' } });
    expect(await t.outbox(payment.id)).toEqual([]);

    const confirm = await t.app.inject({
      method: 'POST',
      url: `/v1/payments/${payment.id}/confirm`,
      headers: { 'payment-client-secret': payment.clientSecret },
      payload: {},
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.json()).toMatchObject({ status: 'authorized', nextAction: null, authorized: { amount: 5000 } });
    expect((await t.outbox(payment.id)).map((e) => e.type)).toEqual(['payments.payment.authorized']);
  });

  it('when an authorized payment is captured in part, then the rest is released and it can be refunded in parts until nothing is left', async () => {
    const payment = await t.authorized(10_000);
    const captured = await t.capture(payment.id, { amount: { amount: 8000, currency: 'USD' } });
    expect(captured.statusCode, captured.body).toBe(200);
    expect(captured.json()).toMatchObject({ status: 'captured', captured: { amount: 8000 }, capturable: { amount: 0 }, refundable: { amount: 8000 } });

    const first = await t.refund(payment.id, { amount: { amount: 3000, currency: 'USD' }, reason: 'one item returned' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'partially_refunded', refunded: { amount: 3000 }, refundable: { amount: 5000 } });

    const rest = await t.refund(payment.id, { reason: 'order cancelled' });
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json()).toMatchObject({ status: 'refunded', refunded: { amount: 8000 }, refundable: { amount: 0 } });

    const events = await t.outbox(payment.id);
    expect(events.map((e) => e.type)).toEqual([
      'payments.payment.authorized',
      'payments.payment.captured',
      'payments.payment.refunded',
      'payments.payment.refunded',
    ]);
    expect(events[1]?.data).toMatchObject({ amount: { amount: 8000 }, released: { amount: 2000 } });
    expect(events[2]?.data).toMatchObject({ amount: { amount: 3000 }, reason: 'one item returned', fullyRefunded: false, refunded: { amount: 3000 } });
    expect(events[3]?.data).toMatchObject({ amount: { amount: 5000 }, reason: 'order cancelled', fullyRefunded: true, refunded: { amount: 8000 } });

    const again = await t.refund(payment.id, { reason: 'once more' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'PAYMENTS.ILLEGAL_TRANSITION', currentState: 'refunded' });
  });

  it('when an authorized payment is voided, then the hold is released, and it can no longer be captured', async () => {
    const payment = await t.authorized(4200);
    const voided = await t.voidPayment(payment.id, { reason: 'stock ran out' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toMatchObject({ status: 'voided' });
    const events = await t.outbox(payment.id);
    expect(events.map((e) => e.type)).toEqual(['payments.payment.authorized', 'payments.payment.voided']);
    expect(events[1]?.data).toMatchObject({ released: { amount: 4200 }, reason: 'stock ran out' });

    const capture = await t.capture(payment.id);
    expect(capture.statusCode).toBe(409);
    expect(capture.headers['content-type']).toContain('application/problem+json');
    expect(capture.json()).toMatchObject({ code: 'PAYMENTS.ILLEGAL_TRANSITION', currentState: 'voided' });
  });

  it('when a payment is voided, then its order can be paid with a new payment; while one is live, a second is refused', async () => {
    const reference = { kind: 'group_participation', id: randomUUID() };
    const first = await t.create({ reference });
    const second = await t.app.inject({
      method: 'POST',
      url: '/v1/payments',
      headers: { 'idempotency-key': randomUUID() },
      payload: { reference, amount: { amount: 5000, currency: 'USD' } },
    });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'PAYMENTS.REFERENCE_IN_USE' });
    expect((await t.voidPayment(first.id)).statusCode).toBe(200);
    const third = await t.create({ reference });
    expect(third.id).not.toBe(first.id);
  });

  it('when the checkout reads a payment, then it needs the client secret; without it every payment is a 404', async () => {
    const payment = await t.create();
    const own = await t.app.inject({ url: `/v1/payments/${payment.id}`, headers: { 'payment-client-secret': payment.clientSecret } });
    expect(own.statusCode).toBe(200);
    expect(own.json()).not.toHaveProperty('clientSecret');

    const other = await t.create();
    for (const headers of [{}, { 'payment-client-secret': other.clientSecret }, { 'payment-client-secret': `${payment.clientSecret}x` }, await t.as('customer')]) {
      const res = await t.app.inject({ url: `/v1/payments/${payment.id}`, headers });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'PAYMENTS.PAYMENT_NOT_FOUND' });
    }
    const authorize = await t.app.inject({
      method: 'POST',
      url: `/v1/payments/${payment.id}/authorize`,
      headers: { 'idempotency-key': randomUUID(), 'payment-client-secret': other.clientSecret },
      payload: { paymentMethod: CARDS.success },
    });
    expect(authorize.statusCode).toBe(404);
    expect((await t.detail(payment.id)).status).toBe('requires_payment_method');
    // An admin needs no secret.
    expect((await t.app.inject({ url: `/v1/payments/${payment.id}`, headers: t.admin })).statusCode).toBe(200);
  });

  it('when anyone but an admin captures, voids, refunds or lists, then it is 401 or 403 and nothing changes', async () => {
    const payment = await t.authorized();
    const customer = await t.as('customer');
    const calls = [
      { method: 'POST' as const, url: `/v1/payments/${payment.id}/capture`, payload: {} },
      { method: 'POST' as const, url: `/v1/payments/${payment.id}/void`, payload: {} },
      { method: 'POST' as const, url: `/v1/payments/${payment.id}/refunds`, payload: { reason: 'x' } },
      { method: 'GET' as const, url: '/v1/admin/payments' },
      { method: 'GET' as const, url: `/v1/admin/payments/${payment.id}` },
    ];
    for (const call of calls) {
      const anonymous = await t.app.inject({ ...call, headers: { 'idempotency-key': randomUUID(), 'payment-client-secret': payment.clientSecret } });
      expect(anonymous.statusCode, call.url).toBe(401);
      const signedIn = await t.app.inject({ ...call, headers: { ...customer, 'idempotency-key': randomUUID() } });
      expect(signedIn.statusCode, call.url).toBe(403);
    }
    expect((await t.detail(payment.id)).status).toBe('authorized');
  });

  it('when an admin inspects a payment, then it shows the provider reference, every provider call with its key, and the full history', async () => {
    const payment = await t.authorized(7000);
    await t.capture(payment.id, { amount: { amount: 7000, currency: 'USD' } });
    await t.refund(payment.id, { amount: { amount: 1000, currency: 'USD' }, reason: 'damaged box' });
    const detail = await t.detail(payment.id);
    expect(detail).toMatchObject({ provider: 'test', providerRef: `test_pi_${payment.id}`, status: 'partially_refunded' });
    expect(detail.attempts.map((a) => [a.operation, a.status, a.providerKey])).toEqual([
      ['authorize', 'succeeded', `fusion_${payment.id}_authorize_1`],
      ['capture', 'succeeded', `fusion_${payment.id}_capture_1`],
      ['refund', 'succeeded', `fusion_${payment.id}_refund_1`],
    ]);
    expect(detail.transitions.map((tr) => [tr.from, tr.to, tr.amount.amount, tr.reason])).toEqual([
      [null, 'requires_payment_method', 7000, null],
      ['requires_payment_method', 'authorized', 7000, null],
      ['authorized', 'captured', 7000, null],
      ['captured', 'partially_refunded', 1000, 'damaged box'],
    ]);
    expect(detail.transitions[0]?.actor).toBe('anonymous');
    expect(detail.transitions[2]?.actor).toMatch(/^admin:/);
  });

  it('when an admin lists payments, then they come newest first, filtered and paginated with a cursor', async () => {
    const reference = { kind: 'order', id: randomUUID() };
    const mine = await t.create({ reference });
    const byReference = await t.app.inject({ url: `/v1/admin/payments?referenceKind=order&referenceId=${reference.id}`, headers: t.admin });
    expect(byReference.json().data.map((p: { id: string }) => p.id)).toEqual([mine.id]);
    expect(byReference.json().data[0]).toMatchObject({ provider: 'test', providerRef: null });

    await t.create();
    await t.create();
    const first = await t.app.inject({ url: '/v1/admin/payments?limit=2', headers: t.admin });
    expect(first.json().data).toHaveLength(2);
    const next = await t.app.inject({ url: `/v1/admin/payments?limit=2&cursor=${first.json().nextCursor}`, headers: t.admin });
    expect(next.statusCode).toBe(200);
    const ids = [...first.json().data, ...next.json().data].map((p: { id: string }) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort().reverse()).toEqual(ids);

    for (const cursor of ['nonsense', Buffer.from(JSON.stringify(['newest', 'yesterday', 'x'])).toString('base64url'), Buffer.from(JSON.stringify(['newest', new Date().toISOString(), 'not-a-uuid'])).toString('base64url')]) {
      const bad = await t.app.inject({ url: `/v1/admin/payments?cursor=${cursor}`, headers: t.admin });
      expect(bad.statusCode, cursor).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'REQUEST.INVALID_CURSOR' });
    }

    const authorizedOnly = await t.app.inject({ url: '/v1/admin/payments?status=authorized', headers: t.admin });
    expect(authorizedOnly.json().data.every((p: { status: string }) => p.status === 'authorized')).toBe(true);
  });

  it('when a payment was never authorized, then voiding it is allowed and releases nothing', async () => {
    const payment = await t.create();
    const res = await t.voidPayment(payment.id);
    expect(res.statusCode, res.body).toBe(200);
    expect((await t.outbox(payment.id))[0]?.data).toMatchObject({ released: { amount: 0 }, reason: null });
  });
});
