import { afterEach, describe, expect, it, vi } from 'vitest';

const page = (currency: string | null) => ({ data: currency ? [{ priceRange: { min: { amount: 500, currency }, max: { amount: 900, currency } } }] : [] });

async function freshModule() {
  vi.resetModules();
  return import('../src/shared/shop-currency.ts');
}

describe('the shop currency the web apps type prices in', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('when the catalog sells in yen, then filters are in yen, and the catalog is asked once', async () => {
    const fetch = vi.fn(async (_url: string) => new Response(JSON.stringify(page('JPY')), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const { shopCurrency } = await freshModule();
    expect(await Promise.all([shopCurrency(), shopCurrency()])).toEqual(['JPY', 'JPY']);
    expect(await shopCurrency()).toBe('JPY');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]?.[0]).toBe('/v1/products?limit=1');
  });

  it('when nothing is published, then it is USD', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(page(null)), { status: 200 })));
    const { shopCurrency } = await freshModule();
    expect(await shopCurrency()).toBe('USD');
  });

  it('when the catalog cannot be reached, then it is USD for now and the catalog is asked again next time', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(new Response('{"status":502}', { status: 502 }))
      .mockResolvedValueOnce(new Response(JSON.stringify(page('EUR')), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const { shopCurrency } = await freshModule();
    expect(await shopCurrency()).toBe('USD');
    expect(await shopCurrency()).toBe('EUR');
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
