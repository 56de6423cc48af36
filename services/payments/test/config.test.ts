import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@fusioncommerce/platform';
import { buildTestApp, createTestDatabase, type TestApp } from '@fusioncommerce/platform/testing';
import { loadPaymentsConfig } from '../src/config.ts';
import { createPaymentsService } from '../src/service.ts';

const stripeEnv = { PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_0123456789abcdef', STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef' };

describe('payments configuration', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    await t?.db.close();
    t = undefined;
  });

  it('when nothing is set, then the test provider is used', () => {
    expect(loadPaymentsConfig({})).toEqual({ provider: 'test', stripe: null });
  });

  it('when Stripe is chosen with its keys, then its settings are read, with defaults for the rest', () => {
    expect(loadPaymentsConfig(stripeEnv)).toEqual({
      provider: 'stripe',
      stripe: { secretKey: stripeEnv.STRIPE_SECRET_KEY, webhookSecret: stripeEnv.STRIPE_WEBHOOK_SECRET, timeoutMs: 10_000, maxNetworkRetries: 1, webhookToleranceSeconds: 300 },
    });
    expect(loadPaymentsConfig({ ...stripeEnv, STRIPE_API_URL: 'http://stripe-mock:12111' }).stripe).toMatchObject({ host: 'stripe-mock', port: 12111, protocol: 'http' });
  });

  it.each([
    [{ PAYMENTS_PROVIDER: 'stripe' }, /PAYMENTS_PROVIDER=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/],
    [{ ...stripeEnv, STRIPE_WEBHOOK_SECRET: undefined }, /needs STRIPE_WEBHOOK_SECRET/],
    [{ PAYMENTS_PROVIDER: 'paypal' }, /PAYMENTS_PROVIDER must be one of test, stripe/],
    [{ ...stripeEnv, STRIPE_SECRET_KEY: 'pk_test_0123456789abcdef' }, /STRIPE_SECRET_KEY .*\(got "\*\*\*"\)/],
    [{ ...stripeEnv, STRIPE_WEBHOOK_SECRET: 'secret' }, /STRIPE_WEBHOOK_SECRET/],
    [{ ...stripeEnv, STRIPE_TIMEOUT_MS: 'soon' }, /STRIPE_TIMEOUT_MS/],
  ])('when the environment is %o, then start-up stops with one clear line', (env, message) => {
    expect(() => loadPaymentsConfig(env)).toThrow(ConfigError);
    expect(() => loadPaymentsConfig(env)).toThrow(message);
  });

  it('when the service is mounted with Stripe chosen but no keys, then the process refuses to start', async () => {
    const db = await createTestDatabase('pglite');
    await expect(buildTestApp([createPaymentsService({ env: { PAYMENTS_PROVIDER: 'stripe' } })], db)).rejects.toThrow(ConfigError);
    await db.close();
  });

  it('when the test provider is configured, then the Stripe webhook endpoint says webhooks are not enabled', async () => {
    t = await buildTestApp([createPaymentsService({ env: {} })], await createTestDatabase('pglite'));
    const res = await t.app.inject({ method: 'POST', url: '/v1/payments/webhooks/stripe', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'PAYMENTS.WEBHOOKS_NOT_CONFIGURED' });
  });

  it('when the service is mounted, then every /v1 route it registers declares its access policy', async () => {
    t = await buildTestApp([createPaymentsService({ env: {} })], await createTestDatabase('pglite'));
    const doc = (await t.app.inject('/openapi.json')).json();
    const admin = ['/v1/admin/payments', '/v1/admin/payments/{id}', '/v1/payments/{id}/capture', '/v1/payments/{id}/void', '/v1/payments/{id}/refunds'];
    for (const path of admin) {
      for (const operation of Object.values(doc.paths[path] as Record<string, { security?: unknown }>)) expect(operation.security, path).toEqual([{ bearerAuth: [] }]);
    }
    for (const path of ['/v1/payments', '/v1/payments/{id}', '/v1/payments/{id}/authorize', '/v1/payments/{id}/confirm', '/v1/payments/webhooks/stripe']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
