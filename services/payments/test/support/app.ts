/** Builds the payments service for a test, and small helpers that drive it the way the checkout and an admin do. */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildTestApp, createTestDatabase, type Backend, type TestApp } from '@fusioncommerce/platform/testing';
import type { PaymentsConfig } from '../../src/config.ts';
import { createPaymentsService, type PaymentsServiceOptions } from '../../src/service.ts';

export const TEST_CONFIG: PaymentsConfig = { provider: 'test', stripe: null };

export const CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  authentication: '4000002500003155',
} as const;

export interface PaymentBody {
  id: string;
  status: string;
  clientSecret?: string;
  amount: { amount: number; currency: string };
  authorized: { amount: number; currency: string };
  captured: { amount: number; currency: string };
  refunded: { amount: number; currency: string };
  capturable: { amount: number; currency: string };
  refundable: { amount: number; currency: string };
  failure: { code: string; message: string } | null;
  nextAction: { type: string; providerClientSecret: string | null } | null;
  providerRef?: string | null;
  version?: number;
}

export interface PaymentsHarness extends TestApp {
  admin: { authorization: string };
  /** Creates a payment through the public API; returns it with its client secret. */
  create(overrides?: { amount?: number; currency?: string; reference?: { kind: string; id: string } }): Promise<PaymentBody & { clientSecret: string }>;
  authorize(payment: { id: string; clientSecret: string }, paymentMethod?: string): Promise<PaymentBody>;
  /** A payment that is authorized for `amount`. */
  authorized(amount?: number, currency?: string): Promise<PaymentBody & { clientSecret: string }>;
  capture(id: string, body?: Record<string, unknown>, key?: string): Promise<LightMyRequestResponse>;
  refund(id: string, body: Record<string, unknown>, key?: string): Promise<LightMyRequestResponse>;
  voidPayment(id: string, body?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  detail(id: string): Promise<AdminDetail>;
  outbox(paymentId: string): Promise<{ type: string; data: Record<string, unknown> }[]>;
}

export interface AdminDetail extends PaymentBody {
  provider: string;
  providerRef: string | null;
  attempts: { operation: string; status: string; seq: number; providerKey: string; tries: number; amount: { amount: number } | null; reason: string | null }[];
  transitions: { from: string | null; to: string; amount: { amount: number }; source: string; actor: string; reason: string | null }[];
}

export async function buildPaymentsApp(backend: Backend, options: PaymentsServiceOptions = {}): Promise<PaymentsHarness> {
  const db = await createTestDatabase(backend);
  const t = await buildTestApp([createPaymentsService({ config: TEST_CONFIG, ...options })], db);
  const admin = await t.as('admin');
  const harness: PaymentsHarness = {
    ...t,
    admin,
    async create(overrides = {}) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/payments',
        headers: { 'idempotency-key': randomUUID() },
        payload: {
          reference: overrides.reference ?? { kind: 'order', id: randomUUID() },
          amount: { amount: overrides.amount ?? 5000, currency: overrides.currency ?? 'USD' },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    },
    async authorize(payment, paymentMethod = CARDS.success) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/v1/payments/${payment.id}/authorize`,
        headers: { 'idempotency-key': randomUUID(), 'payment-client-secret': payment.clientSecret },
        payload: { paymentMethod },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
    async authorized(amount = 5000, currency = 'USD') {
      const payment = await harness.create({ amount, currency });
      const authorized = await harness.authorize(payment);
      expect(authorized.status).toBe('authorized');
      return { ...authorized, clientSecret: payment.clientSecret };
    },
    capture(id, body = {}, key = randomUUID()) {
      return t.app.inject({ method: 'POST', url: `/v1/payments/${id}/capture`, headers: { ...admin, 'idempotency-key': key }, payload: body });
    },
    refund(id, body, key = randomUUID()) {
      return t.app.inject({ method: 'POST', url: `/v1/payments/${id}/refunds`, headers: { ...admin, 'idempotency-key': key }, payload: body });
    },
    voidPayment(id, body = {}) {
      return t.app.inject({ method: 'POST', url: `/v1/payments/${id}/void`, headers: admin, payload: body });
    },
    async detail(id) {
      const res = await t.app.inject({ url: `/v1/admin/payments/${id}`, headers: admin });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
    async outbox(paymentId) {
      const rows = await t.db.knex('payments.outbox').where({ subject: paymentId }).orderBy('position');
      return rows.map((r: { type: string; data: Record<string, unknown> }) => ({ type: r.type, data: r.data }));
    },
  };
  return harness;
}

/** Counts of every payments table, to show a refused request changed nothing. */
export async function tableCounts(t: TestApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['payment_intents', 'payment_attempts', 'payment_transitions', 'outbox', 'webhook_events']) {
    const [row] = (await t.db.knex(`payments.${table}`).count('* as count')) as [{ count: number | string }];
    out[table] = Number(row.count);
  }
  return out;
}
