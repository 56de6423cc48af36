/**
 * The currency the shop sells in, as its catalog says: the price of its newest
 * published product (USD until that is known, and for a shop with nothing
 * published). Price and order-total filters are typed in it, so "10" is ten
 * units of it: 1000 minor units of USD, 10 of JPY.
 */
import { useEffect, useState } from 'react';

const FALLBACK = 'USD';
let known: Promise<string> | undefined;

interface ProductPage {
  data: { priceRange: { min: { currency: string } } | null }[];
}

export function shopCurrency(): Promise<string> {
  known ??= fetch('/v1/products?limit=1', { headers: { accept: 'application/json' } })
    .then(async (res) => {
      if (!res.ok) throw new Error(`catalog answered ${res.status}`);
      return ((await res.json()) as ProductPage).data[0]?.priceRange?.min.currency ?? FALLBACK;
    })
    .catch(() => {
      // Asked again next time rather than remembered wrong.
      known = undefined;
      return FALLBACK;
    });
  return known;
}

export function useShopCurrency(): string {
  const [currency, setCurrency] = useState(FALLBACK);
  useEffect(() => {
    let live = true;
    void shopCurrency().then((c) => live && setCurrency(c));
    return () => {
      live = false;
    };
  }, []);
  return currency;
}
