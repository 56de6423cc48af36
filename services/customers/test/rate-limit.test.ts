import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { AttemptLimiter, type LimitPolicy } from '../src/security/attempt-limiter.ts';
import { TooManyAttemptsError } from '../src/domain/errors.ts';
import { buildCustomersApp, closeApp, register, uniqueEmail, uniqueIp, type CustomersTestApp } from './helpers.ts';

const MINUTE = 60_000;

describe.each(BACKENDS)('sign-in and reset throttling on %s', (backend) => {
  let t: CustomersTestApp;
  let base: string;

  beforeAll(async () => {
    t = await buildCustomersApp(backend);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => closeApp(t));

  const login = (email: string, password: string, ip = uniqueIp()) =>
    t.app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: ip, payload: { email, password } });

  it('when a burst of 40 concurrent wrong passwords hits one account over real HTTP, then most are turned away with 429 and Retry-After', async () => {
    const victim = await register(t);
    const responses = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${base}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: victim.email, password: 'guess-guess-guess' }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    const limited = responses.filter((r) => r.status === 429);
    // Attempts are counted as they start: at most the per-email budget (10) gets to try a password.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(limited.length).toBeGreaterThanOrEqual(30);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    for (const res of limited) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const body = (await limited[0]?.json()) as { code: string; retryAfter: number };
    expect(body.code).toBe('CUSTOMERS.TOO_MANY_ATTEMPTS');

    // Even the right password waits now: the attacker cannot tell it was right.
    const right = await login(victim.email, victim.password);
    expect(right.statusCode).toBe(429);
    const wait = Number(right.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15 * 60);

    t.clock.advance(wait * 1000 + 1000);
    expect((await login(victim.email, victim.password)).statusCode).toBe(200);
  });

  it('when failures pile up one by one, then each further attempt waits longer (1 s, 2 s, 4 s …)', async () => {
    const shopper = await register(t);
    for (let i = 0; i < 6; i++) expect((await login(shopper.email, 'wrong-password-x')).statusCode).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const blocked = await login(shopper.email, 'wrong-password-x');
      expect(blocked.statusCode).toBe(429);
      const wait = Number(blocked.headers['retry-after']);
      waits.push(wait);
      t.clock.advance(wait * 1000 + 50);
      expect((await login(shopper.email, 'wrong-password-x')).statusCode).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4]);
  });

  it('when the owner signs in after a few mistakes, then the slate is wiped clean', async () => {
    const shopper = await register(t);
    for (let i = 0; i < 5; i++) expect((await login(shopper.email, 'wrong-password-x')).statusCode).toBe(401);
    expect((await login(shopper.email, shopper.password)).statusCode).toBe(200);
    // A new window; without the success, the next failure would be the sixth in a row and start the backoff.
    t.clock.advance(15 * MINUTE);
    for (let i = 0; i < 5; i++) expect((await login(shopper.email, 'wrong-password-x')).statusCode).toBe(401);
    expect((await login(shopper.email, shopper.password)).statusCode).toBe(200);
  });

  it('when one address tries many different emails, then it is throttled as a whole', async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 52; i++) statuses.push((await login(uniqueEmail('stuffing'), 'password123456', ip)).statusCode);
    // 50 failures are free per address (offices and carriers share one); then the backoff starts.
    expect(statuses.slice(0, 51).every((s) => s === 401)).toBe(true);
    expect(statuses[51]).toBe(429);
    // Someone else, elsewhere, is not affected.
    expect((await login(uniqueEmail('elsewhere'), 'password123456')).statusCode).toBe(401);
  });

  it('when password resets are requested again and again, then they back off — the same for known and unknown emails', async () => {
    const known = await register(t);
    const unknown = uniqueEmail('ghost');
    for (const email of [known.email, unknown]) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/v1/auth/password-reset', remoteAddress: uniqueIp(), payload: { email } });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBe(30);
      }
      expect(statuses).toEqual([202, 202, 202, 429]);
    }
  });

  it('when sign-ups come from one address in bulk, then they are capped per hour', async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/auth/register', remoteAddress: ip, payload: { email: uniqueEmail('bulk'), password: 'bulk password 123' } });
      statuses.push(res.statusCode);
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(30);
    expect(statuses[30]).toBe(429);
  });
});

describe('the attempt limiter', () => {
  const policy: LimitPolicy = { maxAttempts: 3, windowMs: MINUTE, freeFailures: 1, baseDelayMs: 1000, maxDelayMs: 4000, forgiveOnSuccess: true };

  it('when the window passes, then the budget is back', () => {
    let now = 0;
    const limiter = new AttemptLimiter({ email: policy }, () => now);
    for (let i = 0; i < 3; i++) limiter.begin({ email: 'a' });
    expect(() => limiter.begin({ email: 'a' })).toThrow(expect.objectContaining({ retryAfter: 60 }));
    // Another key has its own budget.
    limiter.begin({ email: 'b' });
    now += MINUTE;
    expect(() => limiter.begin({ email: 'a' })).not.toThrow();
  });

  it('when failures keep coming, then the backoff doubles up to its ceiling, and settling twice counts once', () => {
    let now = 0;
    const limiter = new AttemptLimiter({ email: { ...policy, maxAttempts: 1000 } }, () => now);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const attempt = limiter.begin({ email: 'a' });
      attempt.failed();
      attempt.failed();
      try {
        limiter.begin({ email: 'a' });
        waits.push(0);
      } catch (error) {
        expect(error).toBeInstanceOf(TooManyAttemptsError);
        waits.push((error as TooManyAttemptsError).retryAfter);
      }
      now += 10_000;
    }
    expect(waits).toEqual([0, 1, 2, 4, 4, 4]);
  });

  it('when a key is empty, then it is not tracked', () => {
    const limiter = new AttemptLimiter({ email: policy, ip: policy });
    limiter.begin({ email: '', ip: undefined }).succeeded();
    expect(limiter.size).toBe(0);
  });
});
