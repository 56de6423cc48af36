import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { createApp, createTokenService, parseKeyring, removeSigningKey, rotateKeyring, TOKEN_AUDIENCE, TOKEN_ISSUER, type App } from '@fusioncommerce/platform';
import { BACKENDS, buildTestApp } from '@fusioncommerce/platform/testing';
import { createCustomersService } from '../src/service.ts';
import { ADMIN, TEST_HASHING, buildCustomersApp, closeApp, newCustomer, signInAdmin, type CustomersTestApp } from './helpers.ts';

const OLD = 'k2025:an-old-signing-secret-that-is-long-enough-0001';
const NEW = 'k2026:a-new-signing-secret-that-is-long-enough-00002';

describe.each(BACKENDS)('access tokens on %s', (backend) => {
  // Mid-rotation: NEW signs, OLD still verifies.
  const rotating = rotateKeyring(OLD, NEW);
  let t: CustomersTestApp;

  beforeAll(async () => {
    t = await buildCustomersApp(backend);
    await t.close();
    // The same database, now served with the rotating keyring.
    const again = await buildTestApp([createCustomersService({ env: { NODE_ENV: 'test', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }, hashingCost: TEST_HASHING })], t.db, {
      tokens: createTokenService(parseKeyring(rotating)),
    });
    t = Object.assign(again, { clock: t.clock });
  });
  afterAll(async () => closeApp(t));

  const me = (authorization: string) => t.app.inject({ url: '/v1/customers/me', headers: { authorization } });

  it('when another service holds the same keyring, then it verifies the token locally, with no call to customers', async () => {
    const shopper = await newCustomer(t);
    const orders: App = await createApp({ service: 'orders', logger: false, tokens: createTokenService(parseKeyring(rotating)) });
    orders.get('/v1/whoami', { config: { auth: 'customer' } }, async (request) => request.principal);
    const res = await orders.inject({ url: '/v1/whoami', headers: shopper.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ type: 'user', id: shopper.customer.id, role: 'customer', email: shopper.email });
    const header = JSON.parse(Buffer.from(shopper.accessToken.split('.')[0] as string, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'HS256', kid: 'k2026' });
    await orders.close();
  });

  it('when a token has expired, then it is refused with 401', async () => {
    const shopper = await newCustomer(t);
    const expired = await t.tokens.sign({ id: shopper.customer.id, role: 'customer', email: shopper.email }, -5);
    const res = await me(`Bearer ${expired}`);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'AUTH.INVALID_TOKEN', detail: expect.stringContaining('expired') });
  });

  it('when a token is tampered with (role raised to admin), then the signature no longer checks and it is refused', async () => {
    const shopper = await newCustomer(t);
    const [h, p, s] = shopper.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
    for (const url of ['/v1/customers', '/v1/customers/me']) {
      const res = await t.app.inject({ url, headers: { authorization: `Bearer ${forged}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('AUTH.INVALID_TOKEN');
    }
  });

  it('when a token was signed with a key that has since been removed, then it is refused; before removal it worked', async () => {
    const shopper = await newCustomer(t);
    const oldSigner = createTokenService(parseKeyring(OLD));
    const signedWithOld = await oldSigner.sign({ id: shopper.customer.id, role: 'customer', email: shopper.email });
    expect((await me(`Bearer ${signedWithOld}`)).statusCode).toBe(200);

    const afterRemoval = removeSigningKey(rotating, 'k2025');
    const revoked = await buildTestApp([createCustomersService({ env: { NODE_ENV: 'test' }, hashingCost: TEST_HASHING })], t.db, {
      tokens: createTokenService(parseKeyring(afterRemoval)),
    });
    try {
      const res = await revoked.app.inject({ url: '/v1/customers/me', headers: { authorization: `Bearer ${signedWithOld}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().detail).toContain('unknown or revoked key');
      // Tokens signed with the current key keep working across the removal.
      expect((await revoked.app.inject({ url: '/v1/customers/me', headers: shopper.auth })).statusCode).toBe(200);
    } finally {
      await revoked.close();
    }
  });

  it('when a token carries the wrong role, then admin routes answer 403; an unknown role or a foreign key is 401', async () => {
    const shopper = await newCustomer(t);
    const forbidden = await t.app.inject({ url: '/v1/customers', headers: shopper.auth });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('AUTH.FORBIDDEN');

    const secret = new TextEncoder().encode(NEW.slice(NEW.indexOf(':') + 1));
    const claims = { email: shopper.email };
    const superuser = await new SignJWT({ ...claims, role: 'superuser' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k2026' })
      .setSubject(shopper.customer.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime('5m')
      .sign(secret);
    const otherSecretSameKid = await new SignJWT({ ...claims, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k2026' })
      .setSubject(shopper.customer.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('somebody-elses-secret-that-is-long-enough-000'));
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k2026' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: shopper.customer.id, role: 'admin', email: shopper.email, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE }),
    ).toString('base64url')}.`;
    for (const token of [superuser, otherSecretSameKid, unsigned]) {
      const res = await t.app.inject({ url: '/v1/customers', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('AUTH.INVALID_TOKEN');
    }

    const admin = await signInAdmin(t);
    expect((await t.app.inject({ url: '/v1/customers', headers: admin.auth })).statusCode).toBe(200);
  });
});

describe('access tokens without a token service', () => {
  it('when the app has no token service, then the customers service refuses to mount rather than issue nothing', async () => {
    const app = await createApp({ service: 'bare', logger: false });
    const service = createCustomersService({ env: { NODE_ENV: 'test' } });
    await expect(app.register(service.routes, { knex: undefined as never, schema: 'customers' }).ready()).rejects.toThrow(/token service/);
    await app.close();
  });
});
