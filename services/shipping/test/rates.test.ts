import { describe, expect, it } from 'vitest';
import { evaluateShippingRate, quoteShippingOptions, type ShippingRules } from '@fusioncommerce/contracts';

const rules = (over: Partial<ShippingRules> = {}): ShippingRules => ({
  currency: 'USD',
  countries: ['US', 'CA'],
  rate: { type: 'flat', amount: 500 },
  freeAbove: null,
  minSubtotal: null,
  ...over,
});
const parcel = (subtotal = 2000, weightGrams = 500, currency = 'USD') => ({ subtotal, weightGrams, currency });
const US = { country: 'US' };

describe('shipping rate rules', () => {
  it('when the rate is flat, then any parcel to a listed country pays that amount', () => {
    expect(evaluateShippingRate(rules(), US, parcel())).toEqual({ applicable: true, amount: 500, free: false });
    expect(evaluateShippingRate(rules(), { country: 'ca' }, parcel(1, 99_999))).toEqual({ applicable: true, amount: 500, free: false });
  });

  it('when the rate is by weight bands, then the first band the parcel fits prices it, inclusive, and heavier parcels cannot use it', () => {
    const banded = rules({ rate: { type: 'weight', bands: [{ upToGrams: 1000, amount: 700 }, { upToGrams: 5000, amount: 1200 }] } });
    expect(evaluateShippingRate(banded, US, parcel(2000, 0))).toMatchObject({ applicable: true, amount: 700 });
    expect(evaluateShippingRate(banded, US, parcel(2000, 1000))).toMatchObject({ applicable: true, amount: 700 });
    expect(evaluateShippingRate(banded, US, parcel(2000, 1001))).toMatchObject({ applicable: true, amount: 1200 });
    expect(evaluateShippingRate(banded, US, parcel(2000, 5000))).toMatchObject({ applicable: true, amount: 1200 });
    expect(evaluateShippingRate(banded, US, parcel(2000, 5001))).toMatchObject({ applicable: false, reason: 'weight' });
  });

  it('when the subtotal reaches the free-above threshold, then shipping is free (from exactly the threshold)', () => {
    const free = rules({ freeAbove: 5000 });
    expect(evaluateShippingRate(free, US, parcel(4999))).toEqual({ applicable: true, amount: 500, free: false });
    expect(evaluateShippingRate(free, US, parcel(5000))).toEqual({ applicable: true, amount: 0, free: true });
  });

  it('when the country, currency, minimum subtotal or weight does not fit, then the option does not apply and says why', () => {
    expect(evaluateShippingRate(rules(), { country: 'DE' }, parcel())).toMatchObject({ applicable: false, reason: 'country' });
    expect(evaluateShippingRate(rules(), US, parcel(2000, 500, 'EUR'))).toMatchObject({ applicable: false, reason: 'currency' });
    expect(evaluateShippingRate(rules({ minSubtotal: 10_000 }), US, parcel(9_999))).toMatchObject({ applicable: false, reason: 'subtotal' });
    expect(evaluateShippingRate(rules({ minSubtotal: 10_000 }), US, parcel(10_000))).toMatchObject({ applicable: true });
  });

  it('when several options apply, then quotes come cheapest first, ties by name, and the inapplicable are left out', () => {
    const options = [
      { id: 'a', name: 'Express', rules: rules({ rate: { type: 'flat', amount: 1500 } }) },
      { id: 'b', name: 'Standard', rules: rules({ rate: { type: 'flat', amount: 500 } }) },
      { id: 'c', name: 'Economy', rules: rules({ rate: { type: 'flat', amount: 500 } }) },
      { id: 'd', name: 'Germany', rules: rules({ countries: ['DE'] }) },
      { id: 'e', name: 'Free over 100', rules: rules({ rate: { type: 'flat', amount: 0 }, minSubtotal: 10_000 }) },
    ];
    expect(quoteShippingOptions(options, US, parcel(2000)).map((q) => [q.name, q.amount])).toEqual([
      ['Economy', 500],
      ['Standard', 500],
      ['Express', 1500],
    ]);
    expect(quoteShippingOptions(options, US, parcel(10_000)).map((q) => q.name)).toEqual(['Free over 100', 'Economy', 'Standard', 'Express']);
  });
});
