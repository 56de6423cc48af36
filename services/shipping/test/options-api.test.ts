import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { outboxOf, shippingTest, standardOption, type ShippingTest } from './factories.ts';

describe.each(BACKENDS)('shipping options on %s', (backend) => {
  let s: ShippingTest;
  beforeAll(async () => {
    s = await shippingTest(backend);
  });
  afterAll(async () => s?.close());

  const create = async (body: Record<string, unknown>) => {
    const res = await s.t.app.inject({ method: 'POST', url: '/v1/shipping-options', headers: s.admin, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const quote = (query: string) => s.t.app.inject({ url: `/v1/shipping-options?${query}` });

  it('when an admin creates, edits and archives an option, then each change is versioned and announced for replicas', async () => {
    const option = await create(standardOption({ countries: ['US', 'CA'], freeAbove: 5000, estimatedDays: { min: 2, max: 4 } }));
    expect(option).toMatchObject({ status: 'active', version: 1, carrier: 'manual', freeAbove: 5000, minSubtotal: null, countries: ['US', 'CA'] });

    const edited = await s.t.app.inject({
      method: 'PATCH',
      url: `/v1/shipping-options/${option.id}`,
      headers: { ...s.admin, 'if-match': '"1"' },
      payload: { rate: { type: 'weight', bands: [{ upToGrams: 1000, amount: 600 }] }, name: 'Standard tracked' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.headers.etag).toBe('"2"');
    expect(edited.json()).toMatchObject({ version: 2, name: 'Standard tracked', rate: { type: 'weight' }, freeAbove: 5000 });

    const stale = await s.t.app.inject({ method: 'PATCH', url: `/v1/shipping-options/${option.id}`, headers: { ...s.admin, 'if-match': '"1"' }, payload: { name: 'Lost update' } });
    expect(stale.statusCode).toBe(412);
    const staleBody = await s.t.app.inject({ method: 'PATCH', url: `/v1/shipping-options/${option.id}`, headers: s.admin, payload: { name: 'Lost update', version: 1 } });
    expect(staleBody.statusCode).toBe(409);
    expect(staleBody.json()).toMatchObject({ currentVersion: 2 });
    const blind = await s.t.app.inject({ method: 'PATCH', url: `/v1/shipping-options/${option.id}`, headers: s.admin, payload: { name: 'Blind' } });
    expect(blind.statusCode).toBe(428);

    const archived = await s.t.app.inject({ method: 'POST', url: `/v1/shipping-options/${option.id}/archive`, headers: s.admin, payload: { version: 2 } });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json()).toMatchObject({ status: 'archived', version: 3 });
    const afterArchive = await s.t.app.inject({ method: 'PATCH', url: `/v1/shipping-options/${option.id}`, headers: s.admin, payload: { name: 'Again', version: 3 } });
    expect(afterArchive.statusCode).toBe(409);
    expect(afterArchive.json()).toMatchObject({ currentState: 'archived' });

    const events = (await outboxOf(s.deps, 'shipping.option.changed')).filter((e) => (e.option as { id: string }).id === option.id);
    expect(events.map((e) => [(e.option as { version: number }).version, (e.option as { status: string }).status])).toEqual([
      [1, 'active'],
      [2, 'active'],
      [3, 'archived'],
    ]);
    const list = (await s.t.app.inject({ url: '/v1/admin/shipping-options?status=archived&limit=100', headers: s.admin })).json();
    expect(list.data.map((o: { id: string }) => o.id)).toContain(option.id);
  });

  it('when a shopper asks for a destination, then only applicable active options come back, priced, cheapest first', async () => {
    const country = 'NZ';
    const cheap = await create(standardOption({ name: 'Economy NZ', countries: [country], rate: { type: 'flat', amount: 300 } }));
    const banded = await create(
      standardOption({ name: 'Courier NZ', countries: [country], rate: { type: 'weight', bands: [{ upToGrams: 1000, amount: 900 }, { upToGrams: 3000, amount: 1500 }] } }),
    );
    const free = await create(standardOption({ name: 'Free NZ', countries: [country], rate: { type: 'flat', amount: 800 }, freeAbove: 10_000 }));
    await create(standardOption({ name: 'Euro NZ', countries: [country], currency: 'EUR' }));

    const small = await quote(`country=${country}&currency=USD&subtotal=2000&weightGrams=500`);
    expect(small.statusCode, small.body).toBe(200);
    expect(small.json().data.map((q: { optionId: string; amount: { amount: number } }) => [q.optionId, q.amount.amount])).toEqual([
      [cheap.id, 300],
      [free.id, 800],
      [banded.id, 900],
    ]);
    const big = (await quote(`country=${country}&currency=USD&subtotal=10000&weightGrams=2500`)).json();
    expect(big.data.map((q: { name: string; amount: { amount: number }; free: boolean }) => [q.name, q.amount.amount, q.free])).toEqual([
      ['Free NZ', 0, true],
      ['Economy NZ', 300, false],
      ['Courier NZ', 1500, false],
    ]);
    const heavy = (await quote(`country=${country}&currency=USD&subtotal=2000&weightGrams=3001`)).json();
    expect(heavy.data.map((q: { name: string }) => q.name)).toEqual(['Economy NZ', 'Free NZ']);
    expect((await quote('country=AQ&currency=USD&subtotal=2000')).json().data).toEqual([]);
  });

  it('when the input is bad, then the answer is a clear 4xx problem and nothing is created', async () => {
    const before = await s.deps.knex('shipping.options').count<{ n: string }[]>('id as n');
    const bad: [Record<string, unknown>, string][] = [
      [standardOption({ currency: 'usd' }), '/body/currency'],
      [standardOption({ countries: [] }), '/body/countries'],
      [standardOption({ countries: ['US', 'US'] }), '/body/countries/1'],
      [standardOption({ rate: { type: 'flat', amount: -1 } }), '/body/rate'],
      [standardOption({ rate: { type: 'weight', bands: [{ upToGrams: 2000, amount: 1 }, { upToGrams: 1000, amount: 2 }] } }), '/body/rate/bands/1/upToGrams'],
      [standardOption({ estimatedDays: { min: 5, max: 2 } }), '/body/estimatedDays/max'],
      [standardOption({ carrier: 'teleport' }), '/body/carrier'],
      [standardOption({ surprise: true }), '/body'],
    ];
    for (const [body, pointer] of bad) {
      const res = await s.t.app.inject({ method: 'POST', url: '/v1/shipping-options', headers: s.admin, payload: body });
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.json().errors ?? []), res.body).toContain(pointer);
    }
    expect(await s.deps.knex('shipping.options').count<{ n: string }[]>('id as n')).toEqual(before);
    expect((await quote('currency=USD&subtotal=1')).statusCode).toBe(400);
    expect((await quote('country=US&currency=USD&subtotal=-1')).statusCode).toBe(400);
    expect((await s.t.app.inject({ url: `/v1/admin/shipping-options/${randomUUID()}`, headers: s.admin })).statusCode).toBe(404);
    expect((await s.t.app.inject({ method: 'POST', url: `/v1/shipping-options/${randomUUID()}/archive`, headers: s.admin, payload: { version: 1 } })).statusCode).toBe(404);
  });
});
