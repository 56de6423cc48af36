import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { buildCustomersApp, closeApp, events, mailedToken, newCustomer, register, signIn, signInAdmin, uniqueEmail, uniqueIp, type CustomersTestApp } from './helpers.ts';

describe.each(BACKENDS)('password reset, email verification and invitations on %s', (backend) => {
  let t: CustomersTestApp;

  beforeAll(async () => {
    t = await buildCustomersApp(backend);
  });
  afterAll(async () => closeApp(t));

  const requestReset = (email: string) => t.app.inject({ method: 'POST', url: '/v1/auth/password-reset', remoteAddress: uniqueIp(), payload: { email } });
  const confirmReset = (token: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', remoteAddress: uniqueIp(), payload: { token, password } });
  const login = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: uniqueIp(), payload: { email, password } });

  it('when a reset is asked for an unknown email, then the answer is the same as for a real one and no mail is sent', async () => {
    const shopper = await newCustomer(t);
    const ghost = uniqueEmail('ghost');
    const real = await requestReset(shopper.email);
    const fake = await requestReset(ghost);
    expect(real.statusCode).toBe(202);
    expect(fake.statusCode).toBe(202);
    expect(fake.json()).toEqual(real.json());
    const mails = await events(t, 'customers.password_reset.requested');
    expect(mails.some((e) => e.data.email === shopper.email)).toBe(true);
    expect(mails.some((e) => e.data.email === ghost)).toBe(false);
  });

  it('when the mailed reset token is used, then the password changes, every session ends, and the token cannot be used twice', async () => {
    const shopper = await newCustomer(t);
    await requestReset(shopper.email);
    const token = await mailedToken(t, 'customers.password_reset.requested', shopper.email);
    expect(token).toMatch(/^fcp_/);
    const stored = await t.db.knex('customers.one_time_tokens').where({ purpose: 'password_reset' }).select('token_hash');
    expect(stored.map((r: { token_hash: string }) => r.token_hash)).not.toContain(token);

    expect((await confirmReset(token, 'my new long password')).statusCode).toBe(204);
    expect((await login(shopper.email, shopper.password)).statusCode).toBe(401);
    expect((await login(shopper.email, 'my new long password')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: shopper.refreshToken } })).statusCode).toBe(401);

    const again = await confirmReset(token, 'yet another password');
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('CUSTOMERS.INVALID_RESET_TOKEN');
    expect((await login(shopper.email, 'my new long password')).statusCode).toBe(200);
    const changed = (await events(t, 'customers.password.changed')).find((e) => e.subject === shopper.customer.id);
    expect(changed?.data.reason).toBe('reset');
    // Following the link proved the mailbox.
    const me = await signIn(t, shopper.email, 'my new long password');
    expect(me.customer.emailVerified).toBe(true);
  });

  it('when a reset token is older than 30 minutes, then it is refused and the password is unchanged', async () => {
    const shopper = await newCustomer(t);
    await requestReset(shopper.email);
    const token = await mailedToken(t, 'customers.password_reset.requested', shopper.email);
    t.clock.advance(31 * 60 * 1000);
    try {
      const res = await confirmReset(token, 'too late for this');
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('CUSTOMERS.INVALID_RESET_TOKEN');
    } finally {
      t.clock.advance(-31 * 60 * 1000);
    }
    expect((await login(shopper.email, shopper.password)).statusCode).toBe(200);
  });

  it('when a second reset is requested, then the first link stops working', async () => {
    const shopper = await newCustomer(t);
    await requestReset(shopper.email);
    const first = await mailedToken(t, 'customers.password_reset.requested', shopper.email);
    await requestReset(shopper.email);
    const second = await mailedToken(t, 'customers.password_reset.requested', shopper.email);
    expect(second).not.toBe(first);
    expect((await confirmReset(first, 'first link password')).statusCode).toBe(400);
    expect((await confirmReset(second, 'second link password')).statusCode).toBe(204);
  });

  it('when the new password is too short, then it is a 400 and the token is still good', async () => {
    const shopper = await newCustomer(t);
    await requestReset(shopper.email);
    const token = await mailedToken(t, 'customers.password_reset.requested', shopper.email);
    const short = await confirmReset(token, 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'REQUEST.VALIDATION_FAILED', errors: [{ pointer: '/body/password' }] });
    expect((await confirmReset(token, 'long enough this time')).statusCode).toBe(204);
  });

  it('when one reset token is redeemed twice at once, then exactly one succeeds', async () => {
    const shopper = await newCustomer(t);
    await requestReset(shopper.email);
    const token = await mailedToken(t, 'customers.password_reset.requested', shopper.email);
    const results = await Promise.all([confirmReset(token, 'racing password one'), confirmReset(token, 'racing password two')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 400]);
  });

  it('when the verification link from sign-up is followed, then the email is verified, once', async () => {
    const { email, password } = await register(t);
    const token = await mailedToken(t, 'customers.email_verification.requested', email);
    const confirm = () => t.app.inject({ method: 'POST', url: '/v1/auth/email-verification/confirm', remoteAddress: uniqueIp(), payload: { token } });
    expect((await confirm()).statusCode).toBe(204);
    const again = await confirm();
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('CUSTOMERS.INVALID_VERIFICATION_TOKEN');
    const session = await signIn(t, email, password);
    expect(session.customer.emailVerified).toBe(true);
    expect((await events(t, 'customers.email.verified')).some((e) => e.data.email === email)).toBe(true);
    const more = await t.app.inject({ method: 'POST', url: '/v1/auth/email-verification', headers: session.auth });
    expect(more.statusCode).toBe(409);
  });

  it('when a customer asks for a fresh verification link, then the old one stops working and the new one verifies', async () => {
    const shopper = await newCustomer(t);
    const old = await mailedToken(t, 'customers.email_verification.requested', shopper.email);
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/email-verification', headers: shopper.auth });
    expect(res.statusCode).toBe(202);
    const fresh = await mailedToken(t, 'customers.email_verification.requested', shopper.email);
    const confirm = (token: string) => t.app.inject({ method: 'POST', url: '/v1/auth/email-verification/confirm', payload: { token } });
    expect((await confirm(old)).statusCode).toBe(400);
    expect((await confirm(fresh)).statusCode).toBe(204);
  });

  it('when an admin invites an admin, then the invitee picks a password, is signed in as admin, and the link is spent', async () => {
    const admin = await signInAdmin(t);
    const email = uniqueEmail('new-admin');
    const invited = await t.app.inject({ method: 'POST', url: '/v1/customers/invitations', headers: admin.auth, payload: { email, role: 'admin' } });
    expect(invited.statusCode, invited.body).toBe(201);
    expect(invited.json()).toMatchObject({ email, role: 'admin' });
    expect(invited.json()).not.toHaveProperty('token');
    const token = await mailedToken(t, 'customers.invitation.created', email);

    const accept = () =>
      t.app.inject({ method: 'POST', url: '/v1/auth/invitations/accept', remoteAddress: uniqueIp(), payload: { token, password: 'invited admin password', name: 'Grace' } });
    const accepted = await accept();
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json().customer).toMatchObject({ email, role: 'admin', emailVerified: true, name: 'Grace' });
    const list = await t.app.inject({ url: '/v1/customers', headers: { authorization: `Bearer ${accepted.json().accessToken}` } });
    expect(list.statusCode).toBe(200);

    const twice = await accept();
    expect(twice.statusCode).toBe(400);
    expect(twice.json().code).toBe('CUSTOMERS.INVALID_INVITATION');
    const existing = await t.app.inject({ method: 'POST', url: '/v1/customers/invitations', headers: admin.auth, payload: { email } });
    expect(existing.statusCode).toBe(409);
    expect(existing.json().code).toBe('CUSTOMERS.ACCOUNT_EXISTS');
  });
});

describe.each(BACKENDS)('a shop that requires verified emails, on %s', (backend) => {
  let t: CustomersTestApp;

  beforeAll(async () => {
    t = await buildCustomersApp(backend, { settings: { requireVerifiedEmail: true } });
  });
  afterAll(async () => closeApp(t));

  it('when an unverified account signs in, then it gets the same answer as a wrong password, until the link is followed', async () => {
    const { email, password } = await register(t);
    const login = (pw: string) => t.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: uniqueIp(), payload: { email, password: pw } });
    const unverified = await login(password);
    const wrong = await login('entirely wrong password');
    expect(unverified.statusCode).toBe(401);
    expect(unverified.json().detail).toBe(wrong.json().detail);
    expect(unverified.json().code).toBe(wrong.json().code);
    const token = await mailedToken(t, 'customers.email_verification.requested', email);
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/email-verification/confirm', payload: { token } })).statusCode).toBe(204);
    expect((await login(password)).statusCode).toBe(200);
  });
});
