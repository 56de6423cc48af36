import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_ADMIN_EMAIL, DEVELOPMENT_ADMIN_PASSWORD } from '@fusioncommerce/platform';
import { BACKENDS, buildTestApp, createTestDatabase, type TestApp } from '@fusioncommerce/platform/testing';
import { createCustomersService } from '../src/service.ts';
import { ADMIN, TEST_HASHING, buildCustomersApp, closeApp, events, newCustomer, register, signIn, signInAdmin, uniqueIp, type CustomersTestApp } from './helpers.ts';

describe.each(BACKENDS)('admins on %s', (backend) => {
  let t: CustomersTestApp;

  beforeAll(async () => {
    t = await buildCustomersApp(backend);
  });
  afterAll(async () => closeApp(t));

  const setRole = (auth: { authorization: string }, customerId: string, role: string) =>
    t.app.inject({ method: 'POST', url: `/v1/customers/${customerId}/role`, headers: auth, payload: { role } });

  it('when the service starts, then the first admin from ADMIN_EMAIL/ADMIN_PASSWORD exists, verified, and can sign in', async () => {
    const admin = await signInAdmin(t);
    expect(admin.customer).toMatchObject({ email: ADMIN.email, role: 'admin', emailVerified: true });
    const created = (await events(t, 'customers.account.registered')).filter((e) => e.data.via === 'bootstrap');
    expect(created).toHaveLength(1);
  });

  it('when the service starts again with another ADMIN_PASSWORD, then the existing admin is left alone', async () => {
    const again = await buildTestApp(
      [createCustomersService({ env: { NODE_ENV: 'test', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: 'a-different-password' }, hashingCost: TEST_HASHING })],
      t.db,
    );
    await again.close();
    await signInAdmin(t);
    expect((await events(t, 'customers.account.registered')).filter((e) => e.data.via === 'bootstrap')).toHaveLength(1);
  });

  it('when ADMIN_EMAIL already belongs to a customer, then that customer is not made an admin', async () => {
    const { email, password } = await register(t);
    const again = await buildTestApp([createCustomersService({ env: { NODE_ENV: 'test', ADMIN_EMAIL: email, ADMIN_PASSWORD: 'whatever-admin-password' }, hashingCost: TEST_HASHING })], t.db);
    await again.close();
    expect((await signIn(t, email, password)).customer.role).toBe('customer');
  });

  it('when an admin promotes a customer, then their next refresh carries the admin role; a demotion signs them out', async () => {
    const admin = await signInAdmin(t);
    const shopper = await newCustomer(t);
    const promoted = await setRole(admin.auth, shopper.customer.id, 'admin');
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json().role).toBe('admin');
    const refreshed = await t.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: shopper.refreshToken } });
    expect(refreshed.json().customer.role).toBe('admin');
    const asAdmin = { authorization: `Bearer ${refreshed.json().accessToken}` };
    expect((await t.app.inject({ url: '/v1/customers', headers: asAdmin })).statusCode).toBe(200);

    const demoted = await setRole(admin.auth, shopper.customer.id, 'customer');
    expect(demoted.json().role).toBe('customer');
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: refreshed.json().refreshToken } })).statusCode).toBe(401);
    const changes = (await events(t, 'customers.role.changed')).filter((e) => e.subject === shopper.customer.id).map((e) => e.data.role);
    expect(changes).toEqual(['admin', 'customer']);
  });

  it('when a customer tries to promote themselves, then it is 403 and nothing changes', async () => {
    const shopper = await newCustomer(t);
    const res = await setRole(shopper.auth, shopper.customer.id, 'admin');
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/v1/customers/me', headers: shopper.auth })).json().role).toBe('customer');
  });

  it('when the only admin steps down, then it is refused with 409; two admins demoting each other at once leave one', async () => {
    const fresh = await buildCustomersApp(backend);
    try {
      const root = await signInAdmin(fresh);
      const alone = await fresh.app.inject({ method: 'POST', url: '/v1/customers/me/role', headers: root.auth, payload: { role: 'customer' } });
      expect(alone.statusCode).toBe(409);
      expect(alone.json().code).toBe('CUSTOMERS.LAST_ADMIN');

      const other = await newCustomer(fresh);
      await fresh.app.inject({ method: 'POST', url: `/v1/customers/${other.customer.id}/role`, headers: root.auth, payload: { role: 'admin' } });
      const results = await Promise.all([
        fresh.app.inject({ method: 'POST', url: `/v1/customers/${other.customer.id}/role`, headers: root.auth, payload: { role: 'customer' } }),
        fresh.app.inject({ method: 'POST', url: `/v1/customers/${root.customer.id}/role`, headers: root.auth, payload: { role: 'customer' } }),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const [{ count }] = (await fresh.db.knex('customers.accounts').where({ role: 'admin' }).count('* as count')) as [{ count: number }];
      expect(Number(count)).toBe(1);
    } finally {
      await closeApp(fresh);
    }
  });

  it('when an admin lists accounts, then pages follow the cursor and filters by email and role work', async () => {
    const admin = await signInAdmin(t);
    const shopper = await newCustomer(t);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/customers?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ url, headers: admin.auth })).json() as { data: { id: string }[]; nextCursor: string | null };
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(shopper.customer.id);

    const byEmail = (await t.app.inject({ url: `/v1/customers?email=${encodeURIComponent(shopper.email.toUpperCase())}`, headers: admin.auth })).json();
    expect(byEmail.data.map((c: { id: string }) => c.id)).toEqual([shopper.customer.id]);
    const admins = (await t.app.inject({ url: '/v1/customers?role=admin', headers: admin.auth })).json();
    expect(admins.data.every((c: { role: string }) => c.role === 'admin')).toBe(true);
    const badCursor = await t.app.inject({ url: '/v1/customers?cursor=nonsense', headers: admin.auth });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().code).toBe('REQUEST.INVALID_CURSOR');
  });

  it('when an admin signs out a customer everywhere, then their refresh tokens stop working', async () => {
    const admin = await signInAdmin(t);
    const shopper = await newCustomer(t);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/customers/${shopper.customer.id}/sessions`, headers: admin.auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: shopper.refreshToken } })).statusCode).toBe(401);
    const unknown = await t.app.inject({ method: 'DELETE', url: '/v1/customers/0190aaaa-0000-7000-8000-000000000000/sessions', headers: admin.auth });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('the development admin', () => {
  let t: TestApp;
  afterAll(async () => closeApp(t));

  it('when ADMIN_EMAIL and ADMIN_PASSWORD are not set outside production, then the documented development admin exists', async () => {
    t = await buildTestApp([createCustomersService({ env: { NODE_ENV: 'development' }, hashingCost: TEST_HASHING })], await createTestDatabase('pglite'));
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: uniqueIp(), payload: { email: DEVELOPMENT_ADMIN_EMAIL, password: DEVELOPMENT_ADMIN_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().customer.role).toBe('admin');
  });
});
