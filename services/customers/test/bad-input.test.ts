import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { buildCustomersApp, closeApp, newCustomer, signInAdmin, uniqueIp, type CustomersTestApp, type Session } from './helpers.ts';

describe.each(BACKENDS)('hostile input to the customers API on %s', (backend) => {
  let t: CustomersTestApp;
  let shopper: Session;
  let admin: Session;

  beforeAll(async () => {
    t = await buildCustomersApp(backend);
    shopper = await newCustomer(t);
    admin = await signInAdmin(t);
  });
  afterAll(async () => closeApp(t));

  const address = { name: 'A', line1: 'B', city: 'C', postalCode: '123', country: 'US' };
  const cases: [string, () => InjectOptions, string?][] = [
    ['an unknown field on sign-up', () => ({ method: 'POST', url: '/v1/auth/register', payload: { email: 'x@example.test', password: 'long enough password', role: 'admin' } }), '/body/role'],
    ['a malformed email', () => ({ method: 'POST', url: '/v1/auth/register', payload: { email: 'not-an-email', password: 'long enough password' } }), '/body/email'],
    ['a short password', () => ({ method: 'POST', url: '/v1/auth/register', payload: { email: 'x@example.test', password: 'short' } }), '/body/password'],
    ['a 10 kB password', () => ({ method: 'POST', url: '/v1/auth/register', payload: { email: 'x@example.test', password: 'x'.repeat(10_000) } }), '/body/password'],
    ['a password that is a number', () => ({ method: 'POST', url: '/v1/auth/login', payload: { email: 'x@example.test', password: 12345678901 } }), '/body/password'],
    ['sign-in without a password', () => ({ method: 'POST', url: '/v1/auth/login', payload: { email: 'x@example.test' } }), '/body/password'],
    ['a refresh token of the wrong shape', () => ({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: "' or 1=1 --" } }), '/body/refreshToken'],
    ['a reset token of the wrong shape', () => ({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token: 'abc', password: 'long enough password' } }), '/body/token'],
    ['malformed JSON', () => ({ method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' })],
    ['a profile edit with nothing in it', () => ({ method: 'PATCH', url: '/v1/customers/me', headers: shopper.auth, payload: {} })],
    ['a profile edit that sets the role', () => ({ method: 'PATCH', url: '/v1/customers/me', headers: shopper.auth, payload: { role: 'admin' } }), '/body/role'],
    ['a profile edit that sets the email', () => ({ method: 'PATCH', url: '/v1/customers/me', headers: shopper.auth, payload: { email: 'new@example.test' } }), '/body/email'],
    ['a customer id that is not a uuid', () => ({ url: '/v1/customers/123', headers: shopper.auth }), '/params/customerId'],
    ['an address with a lower-case country', () => ({ method: 'POST', url: '/v1/customers/me/addresses', headers: shopper.auth, payload: { ...address, country: 'us' } }), '/body/country'],
    ['an address without a city', () => ({ method: 'POST', url: '/v1/customers/me/addresses', headers: shopper.auth, payload: { ...address, city: undefined } }), '/body/city'],
    ['an address id that is not a uuid', () => ({ url: '/v1/customers/me/addresses/../../etc', headers: shopper.auth })],
    ['a role that does not exist', () => ({ method: 'POST', url: `/v1/customers/${shopper.customer.id}/role`, headers: admin.auth, payload: { role: 'owner' } }), '/body/role'],
    ['a list limit of zero', () => ({ url: '/v1/customers?limit=0', headers: admin.auth }), '/querystring/limit'],
    ['an unknown list filter', () => ({ url: '/v1/customers?isAdmin=true', headers: admin.auth }), '/querystring/isAdmin'],
    ['an invitation to a role that does not exist', () => ({ method: 'POST', url: '/v1/customers/invitations', headers: admin.auth, payload: { email: 'x@example.test', role: 'root' } }), '/body/role'],
  ];

  it.each(cases)('when the request has %s, then it is a 4xx problem and nothing changes', async (_name, build, pointer) => {
    const before = await t.db.knex('customers.accounts').select('id', 'role', 'name', 'updated_at').orderBy('id');
    const res = await t.app.inject({ remoteAddress: uniqueIp(), ...build() });
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem).toMatchObject({ status: res.statusCode, code: expect.any(String), type: expect.stringMatching(/^https:\/\//) });
    if (pointer) expect(problem.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect(await t.db.knex('customers.accounts').select('id', 'role', 'name', 'updated_at').orderBy('id')).toEqual(before);
  });
});
