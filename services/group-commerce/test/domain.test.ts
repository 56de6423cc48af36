import { describe, expect, it } from 'vitest';
import { AppError } from '@fusioncommerce/platform';
import { Participation } from '../src/domain/participation.ts';
import { newShareCode, SHARE_CODE_PATTERN } from '../src/domain/share-code.ts';
import { authorizedUnitPrice, checkRules, nextTier, priceFor, type Tier } from '../src/domain/tiers.ts';

const TIERS: Tier[] = [
  { minParticipants: 1, unitPrice: 5000 },
  { minParticipants: 3, unitPrice: 4500 },
  { minParticipants: 5, unitPrice: 4000 },
];

describe('price tiers', () => {
  it('when a group has n members, then it pays the price of the highest tier n reaches', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => priceFor(TIERS, n))).toEqual([5000, 5000, 4500, 4500, 4000, 4000]);
    expect(priceFor([{ minParticipants: 2, unitPrice: 900 }], 1)).toBeNull();
  });

  it('when members join, then they authorize the price at the minimum group size: never less than any final price, and no more', () => {
    for (const minGroupSize of [1, 2, 3, 4, 5, 6]) {
      const rules = { tiers: TIERS, minGroupSize, maxGroupSize: 10 };
      const authorized = authorizedUnitPrice(rules);
      const finals = Array.from({ length: 10 - minGroupSize + 1 }, (_, i) => priceFor(TIERS, minGroupSize + i) as number);
      expect(finals.every((f) => f <= authorized)).toBe(true);
      expect(finals[0]).toBe(authorized); // a group that ends at its minimum pays exactly what was authorized
    }
  });

  it('when tiers do not rise in participants and fall in price, then each offending field is named', () => {
    const errors = checkRules({
      tiers: [
        { minParticipants: 2, unitPrice: 900 },
        { minParticipants: 2, unitPrice: 950 },
        { minParticipants: 20, unitPrice: 800 },
      ],
      minGroupSize: 1,
      maxGroupSize: 10,
    });
    expect(errors.map((e) => e.pointer).sort()).toEqual([
      '/body/tiers/0/minParticipants',
      '/body/tiers/1/minParticipants',
      '/body/tiers/1/unitPrice/amount',
      '/body/tiers/2/minParticipants',
    ]);
    expect(checkRules({ tiers: TIERS, minGroupSize: 3, maxGroupSize: 2 }).map((e) => e.pointer)).toContain('/body/maxGroupSize');
    expect(checkRules({ tiers: TIERS, minGroupSize: 3, maxGroupSize: null })).toEqual([]);
  });

  it('when a group is between tiers, then the next tier and the members it needs are known', () => {
    expect(nextTier(TIERS, 3)).toEqual({ minParticipants: 5, unitPrice: 4000, membersNeeded: 2 });
    expect(nextTier(TIERS, 7)).toBeNull();
  });
});

describe('share codes', () => {
  it('when codes are made, then they are 8 unambiguous characters and do not repeat', () => {
    const codes = new Set(Array.from({ length: 2000 }, newShareCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(new RegExp(SHARE_CODE_PATTERN));
    expect([...codes].join('')).not.toMatch(/[01IOL]/);
  });
});

describe('a participation', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  const join = (quantity = 2) =>
    Participation.join({
      id: 'p-1',
      groupId: 'g-1',
      dealId: 'd-1',
      customerId: 'c-1',
      email: 'c@example.test',
      quantity,
      currency: 'USD',
      authorizedUnitPrice: 4500,
      authorizedAmount: 4500 * quantity,
      createdAt: now,
    });

  it('when stock is held and payment authorized, then it becomes a member; redelivered reports change nothing', () => {
    const p = join();
    expect(p.pullEvents().map((e) => e.type)).toEqual(['joined']);
    p.stockReserved(now);
    p.stockReserved(now);
    expect(p.pullEvents().map((e) => e.type)).toEqual(['payment_requested']);
    p.paymentAuthorized('pay-1', now);
    p.paymentAuthorized('pay-1', now);
    expect(p.pullEvents().map((e) => e.type)).toEqual(['activated']);
    expect(p.snapshot()).toMatchObject({ status: 'active', stock: 'reserved', payment: 'authorized', paymentId: 'pay-1' });
  });

  it('when the group succeeds at a better tier, then exactly the final price × quantity is to be captured', () => {
    const p = join();
    p.stockReserved(now);
    p.paymentAuthorized('pay-1', now);
    p.confirm(4000, now);
    expect(p.snapshot()).toMatchObject({ status: 'confirmed', finalUnitPrice: 4000, finalAmount: 8000, authorizedAmount: 9000 });
    p.stockSettled('committed', now);
    p.completeIfSettled(now);
    expect(p.status).toBe('confirmed'); // not paid yet
    p.paymentCaptured(now);
    p.completeIfSettled(now);
    p.completeIfSettled(now);
    expect(p.pullEvents().map((e) => e.type)).toEqual(['joined', 'payment_requested', 'activated', 'confirmed', 'completed']);
  });

  it('when a final price would exceed what was authorized, then settlement refuses it', () => {
    const p = join();
    p.stockReserved(now);
    p.paymentAuthorized('pay-1', now);
    expect(() => p.confirm(4600, now)).toThrow(/exceeds the authorized/);
  });

  it('when the shopper leaves, then stock and payment are let go; leaving again is a 409 with the current state', () => {
    const p = join();
    p.stockReserved(now);
    p.leave(now);
    expect(p.pullEvents().at(-1)).toEqual({ type: 'left', releaseStock: true, voidPayment: true });
    let error: unknown;
    try {
      p.leave(now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'conflict', extensions: { currentState: 'left' } });
    // A late authorization after leaving does not make it a member again.
    p.paymentAuthorized('pay-1', now);
    expect(p.status).toBe('left');
  });

  it('when stock is short or the card declined, then it fails with that reason and frees its seat', () => {
    const short = join();
    short.stockShort(now);
    expect(short.snapshot()).toMatchObject({ status: 'failed', reason: 'out_of_stock' });
    expect(short.pullEvents().at(-1)).toEqual({ type: 'failed', reason: 'out_of_stock', releaseStock: false, voidPayment: false });
    const declined = join();
    declined.stockReserved(now);
    declined.paymentFailed('pay-2', now);
    expect(declined.pullEvents().at(-1)).toEqual({ type: 'failed', reason: 'payment_declined', releaseStock: true, voidPayment: false });
    expect(declined.seated).toBe(false);
  });
});
