import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { TestPaymentProvider } from '../src/providers/test-provider.ts';
import { IdempotencyStore } from '../src/store/idempotency-store.ts';
import { CARDS, buildPaymentsApp, tableCounts, type PaymentsHarness } from './support/app.ts';
import { CountingProvider } from './support/counting-provider.ts';

describe.each(BACKENDS)('Idempotency-Key on %s', (backend) => {
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

  const post = (url: string, payload: unknown, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });

  it('when a create is sent twice with the same key and body, then the second gets the stored 201 and only one payment exists', async () => {
    const key = randomUUID();
    const body = { reference: { kind: 'order', id: randomUUID() }, amount: { amount: 1500, currency: 'USD' } };
    const first = await post('/v1/payments', body, { 'idempotency-key': key });
    const second = await post('/v1/payments', { amount: body.amount, reference: body.reference }, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const rows = await t.db.knex('payments.payment_intents').where({ reference_id: body.reference.id });
    expect(rows).toHaveLength(1);
  });

  it('when a key is reused with another body, then it is a 422 and nothing is created', async () => {
    const key = randomUUID();
    const reference = { kind: 'order', id: randomUUID() };
    expect((await post('/v1/payments', { reference, amount: { amount: 1500, currency: 'USD' } }, { 'idempotency-key': key })).statusCode).toBe(201);
    const before = await tableCounts(t);
    const other = await post('/v1/payments', { reference, amount: { amount: 1, currency: 'USD' } }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json()).toMatchObject({ status: 422, code: 'PAYMENTS.IDEMPOTENCY_KEY_REUSED', title: 'Unprocessable Content' });
    expect(await tableCounts(t)).toEqual(before);
  });

  it('when a capture key is reused for a refund, then it is a 422: a key names one request', async () => {
    const payment = await t.authorized();
    const key = randomUUID();
    expect((await t.capture(payment.id, {}, key)).statusCode).toBe(200);
    const refund = await t.refund(payment.id, { reason: 'reused key' }, key);
    expect(refund.statusCode).toBe(422);
    expect((await t.detail(payment.id)).status).toBe('captured');
  });

  it('when a capture is retried with its key, then the stored answer comes back and the provider is not called again', async () => {
    const payment = await t.authorized(9000);
    const key = randomUUID();
    const callsBefore = provider.calls.capture;
    const first = await t.capture(payment.id, { amount: { amount: 6000, currency: 'USD' } }, key);
    const again = await t.capture(payment.id, { amount: { amount: 6000, currency: 'USD' } }, key);
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(provider.calls.capture - callsBefore).toBe(1);
    expect((await t.outbox(payment.id)).filter((e) => e.type === 'payments.payment.captured')).toHaveLength(1);
  });

  it('when a refund that was refused is retried with its key, then the same refusal comes back', async () => {
    const payment = await t.authorized(3000);
    await t.capture(payment.id);
    const key = randomUUID();
    const body = { amount: { amount: 3001, currency: 'USD' }, reason: 'too much' };
    const first = await t.refund(payment.id, body, key);
    const again = await t.refund(payment.id, body, key);
    expect(first.statusCode).toBe(400);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['content-type']).toContain('application/problem+json');
  });

  it('when an authorization is retried with its key, then the stored outcome comes back, even a decline', async () => {
    const payment = await t.create();
    const key = randomUUID();
    const headers = { 'idempotency-key': key, 'payment-client-secret': payment.clientSecret };
    const first = await post(`/v1/payments/${payment.id}/authorize`, { paymentMethod: CARDS.declined }, headers);
    const again = await post(`/v1/payments/${payment.id}/authorize`, { paymentMethod: CARDS.declined }, headers);
    expect(first.json()).toMatchObject({ status: 'failed', failure: { code: 'card_declined' } });
    expect(again.json()).toEqual(first.json());
    expect((await t.detail(payment.id)).attempts).toHaveLength(1);
  });

  it('when someone replays a key with another client secret, then they get a 422, not the stored payment', async () => {
    const payment = await t.create();
    const key = randomUUID();
    await post(`/v1/payments/${payment.id}/authorize`, { paymentMethod: CARDS.success }, { 'idempotency-key': key, 'payment-client-secret': payment.clientSecret });
    const stranger = await post(`/v1/payments/${payment.id}/authorize`, { paymentMethod: CARDS.success }, { 'idempotency-key': key, 'payment-client-secret': 'guess' });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json()).toMatchObject({ code: 'PAYMENTS.IDEMPOTENCY_KEY_REUSED' });
    expect(stranger.body).not.toContain('authorized');
    expect(stranger.body).not.toContain(payment.clientSecret);
  });

  it('when two callers happen to use the same key, then each has its own: keys are scoped to the caller', async () => {
    const key = randomUUID();
    const mine = await post('/v1/payments', { reference: { kind: 'order', id: randomUUID() }, amount: { amount: 100, currency: 'USD' } }, { 'idempotency-key': key });
    const theirs = await post('/v1/payments', { reference: { kind: 'order', id: randomUUID() }, amount: { amount: 100, currency: 'USD' } }, { 'idempotency-key': key, ...(await t.as('customer')) });
    expect(mine.statusCode).toBe(201);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().id).not.toBe(mine.json().id);
  });

  it('when a claim was left unfinished by a process that died, then it blocks others only until its lease runs out', async () => {
    const store = new IdempotencyStore(t.db.knex, 60_000);
    const key = randomUUID();
    expect(await store.claim('test', key, 'f1')).toEqual({ kind: 'claimed' });
    expect(await store.claim('test', key, 'f1')).toEqual({ kind: 'in_progress' });
    expect(await store.claim('test', key, 'f2')).toEqual({ kind: 'mismatch' });
    await t.db.knex('payments.idempotency_keys').where({ scope: 'test', key }).update({ locked_at: new Date(Date.now() - 61_000) });
    expect(await store.claim('test', key, 'f1')).toEqual({ kind: 'claimed' });
    await store.complete('test', key, { status: 201, body: { ok: true }, headers: { location: '/x' } });
    expect(await store.claim('test', key, 'f1')).toEqual({ kind: 'replay', response: { status: 201, body: { ok: true }, headers: { location: '/x' } } });
    await store.release('test', key);
    expect(await store.claim('test', key, 'f1')).toMatchObject({ kind: 'replay' });
  });
});
