import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_AMOUNT } from '@fusioncommerce/platform';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { buildPaymentsApp, tableCounts, type PaymentBody, type PaymentsHarness } from './support/app.ts';

interface Case {
  name: string;
  status: number;
  code: string;
  /** Field pointer the problem names, when it is about one field. */
  pointer?: string;
  request: (ctx: Ctx) => InjectOptions;
}

interface Ctx {
  admin: { authorization: string };
  fresh: PaymentBody & { clientSecret: string };
  authorized: PaymentBody & { clientSecret: string };
  captured: PaymentBody & { clientSecret: string };
}

const createBody = (amount: unknown, extra: Record<string, unknown> = {}) => ({
  reference: { kind: 'order', id: randomUUID() },
  amount,
  ...extra,
});
const create = (payload: unknown, headers: Record<string, string> = { 'idempotency-key': randomUUID() }): InjectOptions => ({
  method: 'POST',
  url: '/v1/payments',
  headers,
  payload: payload as InjectOptions['payload'],
});

const cases: Case[] = [
  // creating
  { name: 'no Idempotency-Key', status: 400, code: 'PAYMENTS.IDEMPOTENCY_KEY_REQUIRED', pointer: '/headers/idempotency-key', request: () => create(createBody({ amount: 100, currency: 'USD' }), {}) },
  { name: 'an Idempotency-Key of 256 characters', status: 400, code: 'PAYMENTS.IDEMPOTENCY_KEY_INVALID', request: () => create(createBody({ amount: 100, currency: 'USD' }), { 'idempotency-key': 'k'.repeat(256) }) },
  { name: 'an amount of zero', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount/amount', request: () => create(createBody({ amount: 0, currency: 'USD' })) },
  { name: 'a negative amount', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount/amount', request: () => create(createBody({ amount: -500, currency: 'USD' })) },
  { name: 'a fractional amount', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount/amount', request: () => create(createBody({ amount: 12.5, currency: 'USD' })) },
  { name: 'an amount as a string', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount/amount', request: () => create(createBody({ amount: '1000', currency: 'USD' })) },
  { name: 'an amount past the maximum', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount/amount', request: () => create(createBody({ amount: MAX_AMOUNT + 1, currency: 'USD' })) },
  { name: 'an amount past 2^53', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount/amount', request: () => create(createBody({ amount: 2 ** 60, currency: 'USD' })) },
  { name: 'a lower-case currency', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount/currency', request: () => create(createBody({ amount: 100, currency: 'usd' })) },
  { name: 'a currency that does not exist', status: 400, code: 'PAYMENTS.UNSUPPORTED_CURRENCY', pointer: '/body/amount/currency', request: () => create(createBody({ amount: 100, currency: 'XYZ' })) },
  { name: 'no currency', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount/currency', request: () => create(createBody({ amount: 100 })) },
  { name: 'an amount as a bare number', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount', request: () => create(createBody(100)) },
  { name: 'an unknown reference kind', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/reference/kind', request: () => create({ reference: { kind: 'cart', id: 'c1' }, amount: { amount: 100, currency: 'USD' } }) },
  { name: 'a reference id with spaces', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/reference/id', request: () => create({ reference: { kind: 'order', id: 'a b' }, amount: { amount: 100, currency: 'USD' } }) },
  { name: 'an unknown field', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/status', request: () => create(createBody({ amount: 100, currency: 'USD' }, { status: 'captured' })) },
  { name: 'a client-chosen captured amount', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount/captured', request: () => create(createBody({ amount: 100, currency: 'USD', captured: 100 })) },
  { name: 'a JSON array', status: 400, code: 'REQUEST.VALIDATION_FAILED', request: () => create([]) },
  { name: 'broken JSON', status: 400, code: 'REQUEST.MALFORMED_JSON', request: () => ({ ...create('{"amount":'), headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json' } }) },
  { name: 'a text body', status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', request: () => ({ ...create('amount=100'), headers: { 'idempotency-key': randomUUID(), 'content-type': 'text/plain' } }) },

  // authorizing
  {
    name: 'a card number that is not a test card',
    status: 400,
    code: 'PAYMENTS.UNKNOWN_TEST_CARD',
    pointer: '/body/paymentMethod',
    request: ({ fresh }) => ({ method: 'POST', url: `/v1/payments/${fresh.id}/authorize`, headers: { 'idempotency-key': randomUUID(), 'payment-client-secret': fresh.clientSecret }, payload: { paymentMethod: '4111111111111111' } }),
  },
  {
    name: 'a card number with spaces',
    status: 400,
    code: 'REQUEST.VALIDATION_FAILED',
    pointer: '/body/paymentMethod',
    request: ({ fresh }) => ({ method: 'POST', url: `/v1/payments/${fresh.id}/authorize`, headers: { 'idempotency-key': randomUUID(), 'payment-client-secret': fresh.clientSecret }, payload: { paymentMethod: '4242 4242 4242 4242' } }),
  },
  {
    name: 'an authorization without its Idempotency-Key',
    status: 400,
    code: 'PAYMENTS.IDEMPOTENCY_KEY_REQUIRED',
    request: ({ fresh }) => ({ method: 'POST', url: `/v1/payments/${fresh.id}/authorize`, headers: { 'payment-client-secret': fresh.clientSecret }, payload: { paymentMethod: '4242424242424242' } }),
  },
  {
    name: 'authorizing an authorized payment again',
    status: 409,
    code: 'PAYMENTS.ILLEGAL_TRANSITION',
    request: ({ authorized }) => ({ method: 'POST', url: `/v1/payments/${authorized.id}/authorize`, headers: { 'idempotency-key': randomUUID(), 'payment-client-secret': authorized.clientSecret }, payload: { paymentMethod: '4242424242424242' } }),
  },
  {
    name: 'confirming a payment that needs no action',
    status: 409,
    code: 'PAYMENTS.ILLEGAL_TRANSITION',
    request: ({ fresh }) => ({ method: 'POST', url: `/v1/payments/${fresh.id}/confirm`, headers: { 'payment-client-secret': fresh.clientSecret }, payload: {} }),
  },

  // capturing
  { name: 'capturing more than was authorized', status: 400, code: 'PAYMENTS.AMOUNT_EXCEEDS_AUTHORIZED', pointer: '/body/amount/amount', request: ({ authorized, admin }) => capture(admin, authorized.id, { amount: { amount: 5001, currency: 'USD' } }) },
  { name: 'capturing in another currency', status: 400, code: 'PAYMENTS.CURRENCY_MISMATCH', pointer: '/body/amount/currency', request: ({ authorized, admin }) => capture(admin, authorized.id, { amount: { amount: 100, currency: 'EUR' } }) },
  { name: 'capturing zero', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/amount/amount', request: ({ authorized, admin }) => capture(admin, authorized.id, { amount: { amount: 0, currency: 'USD' } }) },
  { name: 'capturing a payment that was never authorized', status: 409, code: 'PAYMENTS.ILLEGAL_TRANSITION', request: ({ fresh, admin }) => capture(admin, fresh.id, {}) },
  { name: 'capturing a captured payment again', status: 409, code: 'PAYMENTS.ILLEGAL_TRANSITION', request: ({ captured, admin }) => capture(admin, captured.id, {}) },
  { name: 'capturing a payment that does not exist', status: 404, code: 'PAYMENTS.PAYMENT_NOT_FOUND', request: ({ admin }) => capture(admin, randomUUID(), {}) },
  { name: 'capturing with an id that is not a UUID', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/params/id', request: ({ admin }) => capture(admin, 'pay_1', {}) },
  { name: 'a capture without its Idempotency-Key', status: 400, code: 'PAYMENTS.IDEMPOTENCY_KEY_REQUIRED', request: ({ authorized, admin }) => ({ method: 'POST', url: `/v1/payments/${authorized.id}/capture`, headers: admin, payload: {} }) },

  // refunding
  { name: 'refunding more than was captured', status: 400, code: 'PAYMENTS.AMOUNT_EXCEEDS_CAPTURED', pointer: '/body/amount/amount', request: ({ captured, admin }) => refund(admin, captured.id, { amount: { amount: 5001, currency: 'USD' }, reason: 'too much' }) },
  { name: 'refunding in another currency', status: 400, code: 'PAYMENTS.CURRENCY_MISMATCH', request: ({ captured, admin }) => refund(admin, captured.id, { amount: { amount: 100, currency: 'GBP' }, reason: 'wrong currency' }) },
  { name: 'a refund without a reason', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/reason', request: ({ captured, admin }) => refund(admin, captured.id, { amount: { amount: 100, currency: 'USD' } }) },
  { name: 'a refund whose reason is blank', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/reason', request: ({ captured, admin }) => refund(admin, captured.id, { reason: '   ' }) },
  { name: 'a refund whose reason is a novel', status: 400, code: 'REQUEST.VALIDATION_FAILED', pointer: '/body/reason', request: ({ captured, admin }) => refund(admin, captured.id, { reason: 'x'.repeat(501) }) },
  { name: 'refunding a payment that was never captured', status: 409, code: 'PAYMENTS.ILLEGAL_TRANSITION', request: ({ authorized, admin }) => refund(admin, authorized.id, { reason: 'not captured yet' }) },
  { name: 'a refund without its Idempotency-Key', status: 400, code: 'PAYMENTS.IDEMPOTENCY_KEY_REQUIRED', request: ({ captured, admin }) => ({ method: 'POST', url: `/v1/payments/${captured.id}/refunds`, headers: admin, payload: { reason: 'x' } }) },

  // voiding
  { name: 'voiding a captured payment', status: 409, code: 'PAYMENTS.ILLEGAL_TRANSITION', request: ({ captured, admin }) => ({ method: 'POST', url: `/v1/payments/${captured.id}/void`, headers: admin, payload: {} }) },
  { name: 'a void with an unknown field', status: 400, code: 'REQUEST.VALIDATION_FAILED', request: ({ authorized, admin }) => ({ method: 'POST', url: `/v1/payments/${authorized.id}/void`, headers: admin, payload: { amount: 1 } }) },
];

function capture(admin: { authorization: string }, id: string, payload: Record<string, unknown>): InjectOptions {
  return { method: 'POST', url: `/v1/payments/${id}/capture`, headers: { ...admin, 'idempotency-key': randomUUID() }, payload };
}
function refund(admin: { authorization: string }, id: string, payload: Record<string, unknown>): InjectOptions {
  return { method: 'POST', url: `/v1/payments/${id}/refunds`, headers: { ...admin, 'idempotency-key': randomUUID() }, payload };
}

describe.each(BACKENDS)('bad payment requests on %s', (backend) => {
  let t: PaymentsHarness;
  let ctx: Ctx;

  beforeAll(async () => {
    t = await buildPaymentsApp(backend);
    const fresh = await t.create();
    const authorized = await t.authorized(5000);
    const captured = await t.authorized(5000);
    expect((await t.capture(captured.id)).statusCode).toBe(200);
    ctx = { admin: t.admin, fresh, authorized, captured };
  });
  afterAll(async () => {
    await t.close();
    await t.db.close();
  });

  it.each(cases)('when the request has $name, then it is a $status $code and nothing changes', async ({ status, code, pointer, request }) => {
    const before = await tableCounts(t);
    const states = await Promise.all([ctx.fresh, ctx.authorized, ctx.captured].map((p) => t.detail(p.id)));
    const res = await t.app.inject(request(ctx));
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem).toMatchObject({ status, code, type: expect.stringMatching(/^https:\/\/fusioncommerce\.dev\/problems\//), detail: expect.any(String) });
    if (pointer) expect(problem.errors?.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect(await tableCounts(t)).toEqual(before);
    const after = await Promise.all([ctx.fresh, ctx.authorized, ctx.captured].map((p) => t.detail(p.id)));
    expect(after).toEqual(states);
  });

  it('when a void is posted with no body at all, then it is accepted like an empty object', async () => {
    const payment = await t.authorized();
    const res = await t.app.inject({ method: 'POST', url: `/v1/payments/${payment.id}/void`, headers: t.admin });
    expect(res.statusCode, res.body).toBe(200);
  });
});
