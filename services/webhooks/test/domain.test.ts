import { describe, expect, it } from 'vitest';
import { AppError } from '@fusioncommerce/platform';
import { describeFailure, outcomeOf, retryDelayMs } from '../src/domain/delivery.ts';
import { eventTypeErrors, patternMatches, subscribesTo } from '../src/domain/event-types.ts';
import { checkReceiverUrl, isPrivateAddress } from '../src/domain/receiver-url.ts';
import { newSecret, sign, signatureHeader, verifySignature } from '../src/domain/signature.ts';
import { subscribableEventTypes } from '../src/use-cases/deps.ts';

describe('event type patterns', () => {
  it('when a subscription names types, prefixes or *, then exactly the matching events are selected', () => {
    expect(patternMatches('orders.order.confirmed', 'orders.order.confirmed')).toBe(true);
    expect(patternMatches('orders.order.confirmed', 'orders.order.cancelled')).toBe(false);
    expect(patternMatches('orders.*', 'orders.order.cancelled')).toBe(true);
    expect(patternMatches('orders.order.*', 'orders.refund.requested')).toBe(false);
    expect(patternMatches('order.*', 'orders.order.placed')).toBe(false);
    expect(patternMatches('*', 'inventory.stock.low')).toBe(true);
    expect(subscribesTo(['catalog.*', 'inventory.stock.low'], 'inventory.stock.low')).toBe(true);
  });

  it('when an event carries a one-time token or payment details, then only a subscription naming it exactly gets it', () => {
    for (const type of ['customers.password_reset.requested', 'customers.invitation.created', 'orders.payment.requested', 'group-commerce.payment.requested']) {
      expect(subscribesTo(['*'], type), type).toBe(false);
      expect(subscribesTo([`${type.split('.')[0]}.*`], type), type).toBe(false);
      expect(subscribesTo([type], type), type).toBe(true);
    }
  });

  it('when a pattern selects nothing the shop publishes, or repeats, then it is named with its pointer', () => {
    const known = subscribableEventTypes();
    expect(known).toEqual(expect.arrayContaining(['orders.order.confirmed', 'inventory.stock.low', 'webhooks.delivery.failed']));
    expect(known).not.toContain('webhooks.test.sent');
    expect(eventTypeErrors(['orders.*', 'inventory.stock.low', '*', 'shipping.shipment.*'], known)).toEqual([]);
    expect(eventTypeErrors(['orders.order.shipped', 'warehouse.*', 'orders.*', 'orders.*'], known)).toEqual([
      { pointer: '/body/eventTypes/0', message: 'orders.order.shipped matches no event type the shop publishes' },
      { pointer: '/body/eventTypes/1', message: 'warehouse.* matches no event type the shop publishes' },
      { pointer: '/body/eventTypes/3', message: 'repeats orders.*' },
    ]);
  });
});

describe('receiver URLs', () => {
  const refused = (url: string, allowPrivate = false) => {
    try {
      checkReceiverUrl(url, allowPrivate);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).code;
    }
  };

  it('when private receivers are not allowed, then loopback, private, link-local, reserved and mapped addresses are refused', () => {
    for (const url of [
      'http://localhost:5678/x',
      'http://api.localhost/x',
      'http://127.0.0.1/x',
      'http://10.1.2.3/x',
      'http://172.20.0.5/x',
      'http://192.168.1.10/x',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/x',
      'http://0.0.0.0/x',
      'http://2130706433/x',
      'http://[::1]/x',
      'http://[fd00::1]/x',
      'http://[fe80::1]/x',
      'http://[::ffff:127.0.0.1]/x',
    ]) {
      expect(refused(url), url).toBe('WEBHOOKS.URL_NOT_ALLOWED');
      expect(refused(url, true), url).toBeUndefined();
    }
    expect(refused('https://hooks.example.com/fusion?token=abc')).toBeUndefined();
    expect(refused('http://93.184.216.34/x')).toBeUndefined();
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('2606:4700:4700::1111')).toBe(false);
  });

  it('when a URL is not http(s), has credentials or a fragment, then it is refused whatever the setting', () => {
    expect(refused('ftp://example.com/x', true)).toBe('WEBHOOKS.INVALID_URL');
    expect(refused('http://user:pass@example.com/x', true)).toBe('WEBHOOKS.INVALID_URL');
    expect(refused('http://example.com/x#part', true)).toBe('WEBHOOKS.INVALID_URL');
    expect(refused('http://exa mple.com/x', true)).toBe('WEBHOOKS.INVALID_URL');
    expect(checkReceiverUrl('HTTPS://Hooks.Example.com/a', false)).toBe('https://hooks.example.com/a');
  });
});

describe('signatures (Standard Webhooks)', () => {
  it('when signed, then the spec’s published example verifies', () => {
    // The example of the Standard Webhooks specification and its reference libraries.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('when a receiver verifies, then a tampered body, an old timestamp or another secret fails, and either of two rotated secrets passes', () => {
    const [current, previous] = [newSecret(), newSecret()];
    expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const now = new Date();
    const timestamp = Math.floor(now.getTime() / 1000);
    const header = signatureHeader([current, previous], 'msg_1', timestamp, '{"a":1}');
    expect(header.split(' ')).toHaveLength(2);
    const headers = { id: 'msg_1', timestamp: String(timestamp), signature: header };
    expect(verifySignature(current, headers, '{"a":1}')).toBe(true);
    expect(verifySignature(previous, headers, '{"a":1}')).toBe(true);
    expect(verifySignature(newSecret(), headers, '{"a":1}')).toBe(false);
    expect(verifySignature(current, headers, '{"a":2}')).toBe(false);
    expect(verifySignature(current, { ...headers, id: 'msg_2' }, '{"a":1}')).toBe(false);
    expect(verifySignature(current, headers, '{"a":1}', { now: new Date(now.getTime() + 10 * 60_000) })).toBe(false);
  });
});

describe('retries', () => {
  const policy = { maxAttempts: 5, retryInitialMs: 1000, retryMaxMs: 10_000 };

  it('when attempts fail, then the wait doubles, jittered into its upper half, up to the maximum, and a Retry-After is honoured', () => {
    expect(retryDelayMs(1, policy, null, () => 0)).toBe(500);
    expect(retryDelayMs(1, policy, null, () => 1)).toBe(1000);
    expect(retryDelayMs(3, policy, null, () => 1)).toBe(4000);
    expect(retryDelayMs(9, policy, null, () => 1)).toBe(10_000);
    expect(retryDelayMs(1, policy, 7000, () => 0)).toBe(7000);
    expect(retryDelayMs(1, policy, 60_000, () => 0)).toBe(10_000);
  });

  it('when an attempt ends, then a 2xx is delivered, anything else retries until the last attempt fails', () => {
    const ok = { kind: 'response' as const, status: 204, durationMs: 5, retryAfterMs: null, excerpt: '' };
    const bad = { kind: 'response' as const, status: 503, durationMs: 5, retryAfterMs: null, excerpt: 'busy' };
    const down = { kind: 'error' as const, error: 'could not connect: ECONNREFUSED', durationMs: 1 };
    expect(outcomeOf(ok, 5, policy)).toBe('delivered');
    expect(outcomeOf(bad, 4, policy)).toBe('retrying');
    expect(outcomeOf(down, 5, policy)).toBe('failed');
    expect(describeFailure(bad)).toBe('the receiver answered 503: busy');
    expect(describeFailure({ ...bad, status: 302, excerpt: '' })).toBe('the receiver answered 302 (redirects are not followed)');
    expect(describeFailure(ok)).toBeNull();
  });
});
