import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { api, inventoryTest, newSku, orderRef, outbox, uniq, type InventoryTest } from './factories.ts';

describe.each(BACKENDS)('inventory admin API on %s', (backend) => {
  let it_: InventoryTest;
  let a: ReturnType<typeof api>;

  beforeAll(async () => {
    it_ = await inventoryTest(backend, { defaultLowStockThreshold: 5, availabilityCap: 10 });
    a = api(it_.t, it_.admin);
  });
  afterAll(async () => it_.close());

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    it_.t.app.inject({ method, url, headers: it_.admin, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const code = () => `loc-${uniq().toLowerCase()}`;

  it('when the service starts, then there is one default location that cannot be archived', async () => {
    const res = await inject('GET', '/v1/inventory/locations');
    expect(res.statusCode).toBe(200);
    const defaults = (res.json().data as { id: string; code: string; isDefault: boolean }[]).filter((l) => l.isDefault);
    expect(defaults).toHaveLength(1);
    const archive = await inject('DELETE', `/v1/inventory/locations/${defaults[0]?.id}`);
    expect(archive.statusCode).toBe(409);
    expect(archive.json().code).toBe('INVENTORY.DEFAULT_LOCATION');
  });

  it('when an admin creates, renames, reorders and archives a location, then each change shows and archived ones take no stock', async () => {
    const created = await inject('POST', '/v1/inventory/locations', { code: code(), name: 'Shop floor', priority: 50 });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.headers.location).toBe(`/v1/inventory/locations/${id}`);
    expect(created.json()).toMatchObject({ name: 'Shop floor', priority: 50, isDefault: false, archived: false });

    const dup = await inject('POST', '/v1/inventory/locations', { code: created.json().code, name: 'Again' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('INVENTORY.DUPLICATE_LOCATION_CODE');

    const patched = await inject('PATCH', `/v1/inventory/locations/${id}`, { name: 'Back room', priority: 7 });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Back room', priority: 7 });
    expect((await inject('GET', `/v1/inventory/locations/${id}`)).json()).toMatchObject({ name: 'Back room' });

    // Holding stock, it cannot be archived; emptied, it can, and then takes none.
    const sku = await a.stocked(0);
    await a.receive(sku, 2, id);
    const busy = await inject('DELETE', `/v1/inventory/locations/${id}`);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('INVENTORY.LOCATION_NOT_EMPTY');
    expect((await inject('POST', `/v1/inventory/items/${sku}/adjustments`, { locationId: id, onHand: 0, reason: 'moved out' })).statusCode).toBe(201);
    const archived = await inject('DELETE', `/v1/inventory/locations/${id}`);
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json()).toMatchObject({ archived: true });
    expect((await inject('DELETE', `/v1/inventory/locations/${id}`)).statusCode).toBe(200);
    const receipt = await inject('POST', `/v1/inventory/items/${sku}/receipts`, { locationId: id, quantity: 1 });
    expect(receipt.statusCode).toBe(409);
    expect(receipt.json().code).toBe('INVENTORY.LOCATION_ARCHIVED');
    const listed = (await inject('GET', '/v1/inventory/locations')).json().data as { id: string }[];
    expect(listed.map((l) => l.id)).not.toContain(id);
    const all = (await inject('GET', '/v1/inventory/locations?includeArchived=true')).json().data as { id: string }[];
    expect(all.map((l) => l.id)).toContain(id);
  });

  it('when another location becomes the default, then receipts without a location go there and the old default can be archived', async () => {
    const before = ((await inject('GET', '/v1/inventory/locations')).json().data as { id: string; isDefault: boolean }[]).find((l) => l.isDefault);
    const created = await inject('POST', '/v1/inventory/locations', { code: code(), name: 'New main' });
    const id = created.json().id as string;
    const made = await inject('PATCH', `/v1/inventory/locations/${id}`, { isDefault: true });
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json().isDefault).toBe(true);
    const sku = await a.stocked(3);
    expect((await a.item(sku)).levels).toEqual([expect.objectContaining({ locationId: id, onHand: 3 })]);
    // Put it back for the other tests.
    expect((await inject('PATCH', `/v1/inventory/locations/${before?.id}`, { isDefault: true })).statusCode).toBe(200);
    const list = (await inject('GET', '/v1/inventory/locations')).json().data as { isDefault: boolean }[];
    expect(list.filter((l) => l.isDefault)).toHaveLength(1);
  });

  it('when stock is received and adjusted, then the movement log records who, why, when, by how much and what it left', async () => {
    const sku = newSku();
    await a.track(sku);
    const received = await a.receive(sku, 12, undefined, 'PO-1001');
    expect(received).toMatchObject({ sku, onHand: 12, reserved: 0, available: 12, movement: { kind: 'receipt', onHandDelta: 12, reason: 'PO-1001' } });

    const damaged = await inject('POST', `/v1/inventory/items/${sku}/adjustments`, { delta: -2, reason: 'damaged in transit' });
    expect(damaged.statusCode, damaged.body).toBe(201);
    expect(damaged.json()).toMatchObject({ onHand: 10, movement: { kind: 'adjustment', onHandDelta: -2, onHand: 10 } });

    const counted = await inject('POST', `/v1/inventory/items/${sku}/adjustments`, { onHand: 7, reason: 'stocktake' });
    expect(counted.json()).toMatchObject({ onHand: 7, movement: { onHandDelta: -3 } });
    const same = await inject('POST', `/v1/inventory/items/${sku}/adjustments`, { onHand: 7, reason: 'stocktake' });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ onHand: 7, movement: null });

    await a.reserve(orderRef(), [{ sku, quantity: 5 }]);
    const below = await inject('POST', `/v1/inventory/items/${sku}/adjustments`, { delta: -3, reason: 'lost' });
    expect(below.statusCode).toBe(409);
    expect(below.json()).toMatchObject({ code: 'INVENTORY.BELOW_RESERVED', reserved: 5 });

    const log = await a.movements(`sku=${sku}`);
    expect(log.map((m) => [m.kind, m.onHandDelta, m.reservedDelta, m.onHand, m.reserved, m.reason])).toEqual([
      ['reservation', 0, 5, 7, 5, null],
      ['adjustment', -3, 0, 7, 0, 'stocktake'],
      ['adjustment', -2, 0, 10, 0, 'damaged in transit'],
      ['receipt', 12, 0, 12, 0, 'PO-1001'],
    ]);
    const adminId = JSON.parse(Buffer.from(it_.admin.authorization.split('.')[1] as string, 'base64url').toString()).sub as string;
    expect(log.every((m) => m.actor === adminId)).toBe(true);
    expect(log.every((m) => typeof m.createdAt === 'string')).toBe(true);

    const adjusted = await outbox(it_.t.db, { type: 'inventory.stock.adjusted', subject: sku });
    expect(adjusted.map((e) => [e.data.kind, e.data.delta, e.data.onHand, e.data.skuAvailable])).toEqual([
      ['receipt', 12, 12, 12],
      ['adjustment', -2, 10, 10],
      ['adjustment', -3, 7, 7],
    ]);
  });

  it('when what can be sold of a SKU moves, then inventory.stock.availability_changed says so, and only then', async () => {
    const sku = await a.stocked(0); // tracked at zero: carts hear "nothing to sell"
    await a.receive(sku, 8);
    const ref = orderRef();
    expect((await a.reserve(ref, [{ sku, quantity: 3 }])).statusCode).toBe(201);
    expect((await a.finish(ref, 'commit')).statusCode).toBe(200); // sold: on hand and reserved both fall, available stays
    const other = orderRef();
    expect((await a.reserve(other, [{ sku, quantity: 2 }])).statusCode).toBe(201);
    expect((await a.finish(other, 'release')).statusCode).toBe(200);
    expect((await a.reserve(orderRef(), [{ sku, quantity: 50 }])).statusCode).toBe(409); // short: nothing moves
    const events = await outbox(it_.t.db, { type: 'inventory.stock.availability_changed', subject: sku });
    expect(events.map((e) => e.data)).toEqual([
      { sku, onHand: 0, reserved: 0, available: 0 },
      { sku, onHand: 8, reserved: 0, available: 8 },
      { sku, onHand: 8, reserved: 3, available: 5 },
      { sku, onHand: 5, reserved: 2, available: 3 },
      { sku, onHand: 5, reserved: 0, available: 5 },
    ]);
  });

  it('when what is available falls to the threshold, then inventory.stock.low is raised once per crossing', async () => {
    const sku = await a.stocked(10, 3);
    await a.reserve(orderRef(), [{ sku, quantity: 6 }]); // 4 left: not low
    expect(await outbox(it_.t.db, { type: 'inventory.stock.low', subject: sku })).toHaveLength(0);
    await a.reserve(orderRef(), [{ sku, quantity: 1 }]); // 3: low
    await a.reserve(orderRef(), [{ sku, quantity: 1 }]); // 2: still low, no new alert
    let low = await outbox(it_.t.db, { type: 'inventory.stock.low', subject: sku });
    expect(low.map((e) => e.data)).toEqual([{ sku, onHand: 10, reserved: 7, available: 3, threshold: 3 }]);
    expect((await a.item(sku)).state).toBe('low_stock');

    await a.receive(sku, 10); // 12: recovered
    await inject('POST', `/v1/inventory/items/${sku}/adjustments`, { delta: -10, reason: 'recount' }); // 2: low again
    low = await outbox(it_.t.db, { type: 'inventory.stock.low', subject: sku });
    expect(low).toHaveLength(2);

    // Raising the threshold past what is available is a crossing too; lowering it is not.
    const other = await a.stocked(8, 2);
    const raised = await inject('PATCH', `/v1/inventory/items/${other}`, { lowStockThreshold: 10 });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json()).toMatchObject({ lowStockThreshold: 10, effectiveThreshold: 10, state: 'low_stock' });
    expect(await outbox(it_.t.db, { type: 'inventory.stock.low', subject: other })).toHaveLength(1);
    const reset = await inject('PATCH', `/v1/inventory/items/${other}`, { lowStockThreshold: null });
    expect(reset.json()).toMatchObject({ lowStockThreshold: null, effectiveThreshold: 5, state: 'in_stock' });
    expect(await outbox(it_.t.db, { type: 'inventory.stock.low', subject: other })).toHaveLength(1);
  });

  it('when an admin lists SKUs and levels, then pages follow each other without gaps and filters narrow them', async () => {
    const prefix = `LST${uniq()}`;
    const skus = [];
    for (let i = 0; i < 5; i++) {
      const sku = `${prefix}-${i}`;
      await a.track(sku, 2);
      if (i > 0) await a.receive(sku, i === 1 ? 1 : 10);
      skus.push(sku);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await inject('GET', `/v1/inventory/items?q=${prefix}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { data: { sku: string }[]; nextCursor: string | null };
      seen.push(...page.data.map((d) => d.sku));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(skus);

    const state = async (s: string) => ((await inject('GET', `/v1/inventory/items?q=${prefix}&state=${s}`)).json().data as { sku: string }[]).map((d) => d.sku);
    expect(await state('out_of_stock')).toEqual([skus[0]]);
    expect(await state('low_stock')).toEqual([skus[1]]);
    expect(await state('in_stock')).toEqual(skus.slice(2));
    const some = (await inject('GET', `/v1/inventory/items?skus=${skus[3]},${skus[4]}`)).json().data as { sku: string; onHand: number }[];
    expect(some.map((d) => [d.sku, d.onHand])).toEqual([
      [skus[3], 10],
      [skus[4], 10],
    ]);

    const levels: string[] = [];
    cursor = null;
    do {
      const res = await inject('GET', `/v1/inventory/levels?q=${prefix}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { data: { sku: string }[]; nextCursor: string | null };
      levels.push(...page.data.map((d) => d.sku));
      cursor = page.nextCursor;
    } while (cursor);
    expect(levels).toEqual(skus.slice(1));

    const movements = await inject('GET', `/v1/inventory/movements?sku=${skus[2]}&limit=1`);
    expect(movements.json().data).toHaveLength(1);
    expect(movements.json().nextCursor).toBeNull();
  });

  it('when an admin lists reservations, then they can filter by state and reference and page through them', async () => {
    const sku = await a.stocked(10);
    const refs = [orderRef(), orderRef(), orderRef()];
    for (const ref of refs) await a.reserve(ref, [{ sku, quantity: 1 }]);
    await a.finish(refs[1] as never, 'release');
    const byRef = await inject('GET', `/v1/inventory/reservations?referenceKind=order&referenceId=${refs[1]?.id}`);
    expect(byRef.json().data).toEqual([expect.objectContaining({ status: 'released', reference: refs[1] })]);
    const first = await inject('GET', '/v1/inventory/reservations?status=active&limit=1');
    expect(first.statusCode).toBe(200);
    expect(first.json().nextCursor).toEqual(expect.any(String));
    const next = await inject('GET', `/v1/inventory/reservations?status=active&limit=1&cursor=${first.json().nextCursor}`);
    expect(next.json().data[0].id < first.json().data[0].id).toBe(true);

    const one = byRef.json().data[0];
    expect((await inject('GET', `/v1/inventory/reservations/${one.id}`)).json()).toEqual(one);
    expect((await inject('GET', `/v1/inventory/reservations/by-reference/order/${refs[1]?.id}`)).json()).toEqual(one);
  });

  it('when shoppers ask for availability, then they see a state and a capped quantity, never the exact stock above the cap', async () => {
    const plenty = await a.stocked(250);
    const few = await a.stocked(3);
    const none = await a.stocked(0);
    const unknown = newSku();
    const res = await it_.t.app.inject({ url: `/v1/inventory/availability?skus=${plenty},${few},${none},${unknown}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      data: [
        { sku: plenty, status: 'in_stock', quantity: 10 },
        { sku: few, status: 'low_stock', quantity: 3 },
        { sku: none, status: 'out_of_stock', quantity: 0 },
        { sku: unknown, status: 'out_of_stock', quantity: 0 },
      ],
      cap: 10,
    });
  });

  it('when someone without the admin role calls admin or reservation routes, then they get 401 or 403 and nothing changes', async () => {
    const sku = await a.stocked(5);
    const customer = await it_.t.as('customer');
    const routes: [string, string, Record<string, unknown>?][] = [
      ['GET', '/v1/inventory/locations'],
      ['POST', '/v1/inventory/locations', { code: code(), name: 'x' }],
      ['GET', '/v1/inventory/items'],
      ['GET', `/v1/inventory/items/${sku}`],
      ['POST', `/v1/inventory/items/${sku}/receipts`, { quantity: 5 }],
      ['POST', `/v1/inventory/items/${sku}/adjustments`, { delta: -5, reason: 'x' }],
      ['GET', '/v1/inventory/movements'],
      ['GET', '/v1/inventory/levels'],
      ['GET', '/v1/inventory/reservations'],
      ['POST', '/v1/inventory/reservations', { reference: orderRef(), lines: [{ sku, quantity: 5 }] }],
      ['POST', `/v1/inventory/reservations/by-reference/order/${orderRef().id}/release`],
    ];
    for (const [method, url, payload] of routes) {
      const anonymous = await it_.t.app.inject({ method: method as 'GET', url, ...(payload ? { payload } : {}) });
      expect(anonymous.statusCode, `${method} ${url}`).toBe(401);
      const asCustomer = await it_.t.app.inject({ method: method as 'GET', url, headers: customer, ...(payload ? { payload } : {}) });
      expect(asCustomer.statusCode, `${method} ${url}`).toBe(403);
    }
    expect(await a.item(sku)).toMatchObject({ onHand: 5, reserved: 0 });
    const policies = it_.t.app.routePolicies.filter((p) => p.url.startsWith('/v1/inventory'));
    expect(policies.filter((p) => p.auth === 'public').map((p) => p.url)).toEqual(['/v1/inventory/availability']);
    expect(policies.every((p) => p.auth === 'public' || p.auth === 'admin')).toBe(true);
  });
});
