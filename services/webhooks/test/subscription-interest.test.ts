import { describe, expect, it } from 'vitest';
import { SubscriptionInterest } from '../src/use-cases/subscription-interest.ts';

/** A store whose answers the test sets, and whose reloads it can hold back. */
function store(initial: string[][]) {
  let patterns = initial;
  let hold: Promise<void> | undefined;
  return {
    set: (next: string[][]) => (patterns = next),
    holdNext: () => {
      let release = () => {};
      hold = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
    failNext: false,
    async active() {
      const waiting = hold;
      hold = undefined;
      const answer = patterns.map((eventTypes, i) => ({ id: String(i), eventTypes }));
      if (this.failNext) {
        this.failNext = false;
        throw new Error('database unreachable');
      }
      await waiting;
      return answer;
    },
  };
}

describe('which event types the webhooks consumer takes in', () => {
  it('when nothing is loaded yet, then every event is taken in', () => {
    expect(new SubscriptionInterest(store([])).concerns('orders.order.confirmed')).toBe(true);
  });

  it('when loaded, then only types some active subscription wants are taken in: exact types, prefixes and *', async () => {
    const s = store([['orders.order.confirmed'], ['inventory.*']]);
    const interest = new SubscriptionInterest(s);
    await interest.refresh();
    expect(interest.concerns('orders.order.confirmed')).toBe(true);
    expect(interest.concerns('inventory.stock.low')).toBe(true);
    expect(interest.concerns('orders.order.placed')).toBe(false);
    s.set([['*']]);
    await interest.refresh();
    expect(interest.concerns('orders.order.placed')).toBe(true);
    s.set([]);
    await interest.refresh();
    expect(interest.concerns('orders.order.confirmed')).toBe(false);
  });

  it('when a subscription changes in this process, then everything is taken in until the reload that sees it', async () => {
    const s = store([]);
    const interest = new SubscriptionInterest(s);
    await interest.refresh();
    expect(interest.concerns('catalog.product.created')).toBe(false);
    s.set([['catalog.*']]);
    const release = s.holdNext();
    interest.changed();
    expect(interest.concerns('catalog.product.created')).toBe(true);
    expect(interest.concerns('orders.order.placed')).toBe(true);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(interest.concerns('orders.order.placed')).toBe(false);
    expect(interest.concerns('catalog.product.created')).toBe(true);
  });

  it('when a reload is asked for while one runs, then one more follows it and the newer state wins', async () => {
    const s = store([['orders.*']]);
    const interest = new SubscriptionInterest(s);
    const release = s.holdNext();
    const older = interest.refresh();
    s.set([]);
    const newer = interest.refresh();
    release();
    await Promise.all([older, newer]);
    await interest.refresh();
    expect(interest.concerns('orders.order.placed')).toBe(false);
  });

  it('when a reload fails, then every event is taken in until one succeeds', async () => {
    const s = store([]);
    const interest = new SubscriptionInterest(s);
    await interest.refresh();
    s.failNext = true;
    await interest.refresh();
    expect(interest.concerns('orders.order.placed')).toBe(true);
    await interest.refresh();
    expect(interest.concerns('orders.order.placed')).toBe(false);
  });

  it('when started, then it loads at once and again on its interval until stopped', async () => {
    const s = store([]);
    const interest = new SubscriptionInterest(s);
    interest.start(20);
    await new Promise((r) => setTimeout(r, 5));
    expect(interest.concerns('orders.order.placed')).toBe(false);
    s.set([['orders.order.placed']]);
    await new Promise((r) => setTimeout(r, 60));
    expect(interest.concerns('orders.order.placed')).toBe(true);
    interest.stop();
  });
});
