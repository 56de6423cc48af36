import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { buildCustomersApp, closeApp, events, newCustomer, register, signIn, uniqueEmail, uniqueIp, type CustomersTestApp } from './helpers.ts';

describe.each(BACKENDS)('sign-up, sign-in and sessions on %s', (backend) => {
  let t: CustomersTestApp;

  beforeAll(async () => {
    t = await buildCustomersApp(backend);
  });
  afterAll(async () => closeApp(t));

  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: uniqueIp(), payload: { email, password } });
  const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });

  it('when a shopper signs up and signs in, then they get a bearer token for their own profile and a refresh token', async () => {
    const { email, password } = await register(t, { name: 'Ada Shopper' });
    const session = await signIn(t, email.toUpperCase(), password);
    expect(session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, customer: { email, role: 'customer', emailVerified: false } });
    expect(session.refreshToken).toMatch(/^fcr_/);

    const me = await t.app.inject({ url: '/v1/customers/me', headers: session.auth });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: session.customer.id, email, name: 'Ada Shopper' });

    const registered = (await events(t, 'customers.account.registered')).find((e) => e.subject === session.customer.id);
    expect(registered?.data).toMatchObject({ email, role: 'customer', via: 'self' });
    expect((await events(t, 'customers.email_verification.requested')).some((e) => e.data.email === email)).toBe(true);
  });

  it('when an account is stored, then the password is an argon2id hash and the refresh token only a SHA-256', async () => {
    const shopper = await newCustomer(t);
    const row = await t.db.knex('customers.accounts').where({ id: shopper.customer.id }).first();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(JSON.stringify(row)).not.toContain(shopper.password);
    const tokens = await t.db.knex('customers.refresh_tokens').select('token_hash');
    expect(tokens.map((r: { token_hash: string }) => r.token_hash)).not.toContain(shopper.refreshToken);
    expect(tokens.every((r: { token_hash: string }) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('when someone signs up with a taken email, then the answer is identical and only the owner is told', async () => {
    const owner = await newCustomer(t);
    const fresh = uniqueEmail();
    const again = await t.app.inject({ method: 'POST', url: '/v1/auth/register', remoteAddress: uniqueIp(), payload: { email: owner.email.toUpperCase(), password: 'another long password' } });
    const first = await t.app.inject({ method: 'POST', url: '/v1/auth/register', remoteAddress: uniqueIp(), payload: { email: fresh, password: 'another long password' } });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    // The owner's password still works, and there is still one account.
    await signIn(t, owner.email, owner.password);
    const [{ count }] = (await t.db.knex('customers.accounts').where({ email_normalized: owner.email.toLowerCase() }).count('* as count')) as [{ count: number }];
    expect(Number(count)).toBe(1);
    expect((await events(t, 'customers.account.registration_repeated')).map((e) => e.subject)).toContain(owner.customer.id);
  });

  it('when the email is unknown or the password wrong, then sign-in fails with one and the same problem', async () => {
    const shopper = await newCustomer(t);
    const wrongPassword = await login(shopper.email, 'not the password at all');
    const unknownEmail = await login(uniqueEmail('nobody'), 'not the password at all');
    for (const res of [wrongPassword, unknownEmail]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined, requestId: undefined });
    expect(strip(wrongPassword.json())).toEqual(strip(unknownEmail.json()));
    expect(wrongPassword.json()).toMatchObject({ code: 'CUSTOMERS.INVALID_CREDENTIALS', status: 401 });
  });

  it('when a refresh token is used, then it rotates: the new pair works, and the old token no longer does', async () => {
    const shopper = await newCustomer(t);
    const first = await refresh(shopper.refreshToken);
    expect(first.statusCode, first.body).toBe(200);
    const rotated = first.json() as { accessToken: string; refreshToken: string; customer: { id: string } };
    expect(rotated.refreshToken).not.toBe(shopper.refreshToken);
    expect(rotated.customer.id).toBe(shopper.customer.id);
    expect((await t.app.inject({ url: '/v1/customers/me', headers: { authorization: `Bearer ${rotated.accessToken}` } })).statusCode).toBe(200);
    const second = await refresh(rotated.refreshToken);
    expect(second.statusCode).toBe(200);
  });

  it('when a rotated refresh token is presented again, then the whole session is revoked, including the newest token', async () => {
    const shopper = await newCustomer(t);
    const stolen = shopper.refreshToken;
    const legit = (await refresh(stolen)).json() as { refreshToken: string };

    const replay = await refresh(stolen);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('CUSTOMERS.REFRESH_TOKEN_REUSED');

    const afterwards = await refresh(legit.refreshToken);
    expect(afterwards.statusCode).toBe(401);
    expect(afterwards.json().code).toBe('CUSTOMERS.INVALID_REFRESH_TOKEN');
    expect((await events(t, 'customers.refresh_token.reused')).map((e) => e.subject)).toContain(shopper.customer.id);

    // Other sessions of the same customer are untouched.
    const other = await signIn(t, shopper.email, shopper.password);
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
  });

  it('when the same refresh token is sent twice at once, then exactly one refresh succeeds and the session is revoked', async () => {
    const shopper = await newCustomer(t);
    const results = await Promise.all([refresh(shopper.refreshToken), refresh(shopper.refreshToken)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.statusCode === 200)?.json() as { refreshToken: string };
    expect((await refresh(winner.refreshToken)).statusCode).toBe(401);
  });

  it('when a refresh token is past its expiry, then it is refused', async () => {
    const shopper = await newCustomer(t);
    t.clock.advance(31 * 24 * 3600 * 1000);
    try {
      const res = await refresh(shopper.refreshToken);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('CUSTOMERS.INVALID_REFRESH_TOKEN');
    } finally {
      t.clock.advance(-31 * 24 * 3600 * 1000);
    }
  });

  it('when a shopper signs out, then that refresh token is dead, signing out again is harmless, other sessions live on', async () => {
    const shopper = await newCustomer(t);
    const laptop = await signIn(t, shopper.email, shopper.password);
    const out = await t.app.inject({ method: 'POST', url: '/v1/auth/logout', payload: { refreshToken: shopper.refreshToken } });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/logout', payload: { refreshToken: shopper.refreshToken } })).statusCode).toBe(204);
    expect((await refresh(shopper.refreshToken)).statusCode).toBe(401);
    expect((await refresh(laptop.refreshToken)).statusCode).toBe(200);
  });

  it('when a shopper signs out everywhere, then every refresh token of theirs stops working', async () => {
    const shopper = await newCustomer(t);
    const phone = await signIn(t, shopper.email, shopper.password);
    const res = await t.app.inject({ method: 'DELETE', url: '/v1/customers/me/sessions', headers: shopper.auth });
    expect(res.statusCode).toBe(204);
    expect((await refresh(shopper.refreshToken)).statusCode).toBe(401);
    expect((await refresh(phone.refreshToken)).statusCode).toBe(401);
  });

  it('when a signed-in shopper changes their password, then the old one stops working and other sessions end', async () => {
    const shopper = await newCustomer(t);
    const other = await signIn(t, shopper.email, shopper.password);
    const wrong = await t.app.inject({ method: 'POST', url: '/v1/auth/password', headers: shopper.auth, payload: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('CUSTOMERS.WRONG_PASSWORD');

    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/password', headers: shopper.auth, payload: { currentPassword: shopper.password, newPassword: 'a brand new passphrase' } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await refresh(res.json().refreshToken)).statusCode).toBe(200);
    expect((await refresh(other.refreshToken)).statusCode).toBe(401);
    expect((await login(shopper.email, shopper.password)).statusCode).toBe(401);
    expect((await login(shopper.email, 'a brand new passphrase')).statusCode).toBe(200);
    expect((await events(t, 'customers.password.changed')).find((e) => e.subject === shopper.customer.id)?.data.reason).toBe('change');
  });
});
