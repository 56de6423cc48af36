import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { sweepExpiredReservations } from '../src/use-cases/finish-reservation.ts';
import { api, inventoryTest, orderRef, outbox, type InventoryTest, type Reservation } from './factories.ts';

describe.each(BACKENDS)('reservations on %s', (backend) => {
  let it_: InventoryTest;
  let a: ReturnType<typeof api>;

  beforeAll(async () => {
    it_ = await inventoryTest(backend);
    a = api(it_.t, it_.admin);
  });
  afterAll(async () => it_.close());

  it('when every line is available, then all are reserved, available drops and the saga hears inventory.stock.reserved', async () => {
    const [s1, s2] = [await a.stocked(10), await a.stocked(4)];
    const ref = orderRef();
    const res = await a.reserve(ref, [
      { sku: s2, quantity: 4 },
      { sku: s1, quantity: 3 },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const reservation = res.json() as Reservation;
    expect(reservation).toMatchObject({ status: 'active', reference: ref });
    const expected: [string, number][] = [
      [s1, 3],
      [s2, 4],
    ];
    expect(reservation.lines.map((l) => [l.sku, l.quantity])).toEqual(expected.sort((x, y) => (x[0] < y[0] ? -1 : 1)));
    expect(await a.item(s1)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    expect(await a.item(s2)).toMatchObject({ onHand: 4, reserved: 4, available: 0, state: 'out_of_stock' });

    const [event] = await outbox(it_.t.db, { type: 'inventory.stock.reserved', subject: `order:${ref.id}` });
    expect(event?.data).toMatchObject({ reservationId: reservation.id, reference: ref, expiresAt: reservation.expiresAt });
    const expiresIn = Date.parse(reservation.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(890_000);
    expect(expiresIn).toBeLessThanOrEqual(900_000);
  });

  it('when one line is short, then nothing is reserved, the problem names the short SKU and the reference stays free', async () => {
    const [plenty, scarce] = [await a.stocked(10), await a.stocked(2)];
    const ref = orderRef();
    const res = await a.reserve(ref, [
      { sku: plenty, quantity: 5 },
      { sku: scarce, quantity: 3 },
    ]);
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'INVENTORY.INSUFFICIENT_STOCK', shortages: [{ sku: scarce, requested: 3, available: 2 }] });
    expect(await a.item(plenty)).toMatchObject({ reserved: 0, available: 10 });
    expect(await a.item(scarce)).toMatchObject({ reserved: 0, available: 2 });
    expect(await a.movements(`sku=${plenty}&kind=reservation`)).toEqual([]);
    const [failed] = await outbox(it_.t.db, { type: 'inventory.stock.reservation_failed', subject: `order:${ref.id}` });
    expect(failed?.data).toMatchObject({ reference: ref, shortages: [{ sku: scarce, requested: 3, available: 2 }] });

    // Restocked, the same reference can try again.
    await a.receive(scarce, 1);
    const retry = await a.reserve(ref, [
      { sku: plenty, quantity: 5 },
      { sku: scarce, quantity: 3 },
    ]);
    expect(retry.statusCode, retry.body).toBe(201);
  });

  it('when the same reference reserves again, then it gets the same reservation and nothing more is held; other lines are a conflict', async () => {
    const sku = await a.stocked(10);
    const ref = orderRef();
    const first = await a.reserve(ref, [{ sku, quantity: 2 }]);
    const again = await a.reserve(ref, [{ sku, quantity: 2 }]);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect(await a.item(sku)).toMatchObject({ reserved: 2 });

    const other = await a.reserve(ref, [{ sku, quantity: 3 }]);
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('INVENTORY.REFERENCE_REUSED');
    expect(await a.item(sku)).toMatchObject({ reserved: 2 });
    expect(await outbox(it_.t.db, { type: 'inventory.stock.reserved', subject: `order:${ref.id}` })).toHaveLength(1);
  });

  it('when a reservation is committed, then on hand and reserved both go down, once, however often it is committed', async () => {
    const sku = await a.stocked(10);
    const ref = orderRef();
    await a.reserve(ref, [{ sku, quantity: 4 }]);
    const commit = await a.finish(ref, 'commit');
    expect(commit.statusCode, commit.body).toBe(200);
    expect(commit.json()).toMatchObject({ status: 'committed' });
    expect(commit.json().committedAt).toEqual(expect.any(String));
    for (let i = 0; i < 3; i++) expect((await a.finish(ref, 'commit')).statusCode).toBe(200);
    expect(await a.item(sku)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
    expect(await a.movements(`sku=${sku}&kind=commit`)).toHaveLength(1);
    expect(await outbox(it_.t.db, { type: 'inventory.stock.committed', subject: `order:${ref.id}` })).toHaveLength(1);

    const release = await a.finish(ref, 'release');
    expect(release.statusCode).toBe(409);
    expect(release.json()).toMatchObject({ code: 'INVENTORY.ILLEGAL_RESERVATION_TRANSITION', currentState: 'committed' });
    expect(await a.item(sku)).toMatchObject({ onHand: 6, reserved: 0 });
  });

  it('when a reservation is released, then its stock is available again, once, and it can no longer be sold', async () => {
    const sku = await a.stocked(5);
    const ref = orderRef();
    await a.reserve(ref, [{ sku, quantity: 5 }]);
    expect(await a.item(sku)).toMatchObject({ available: 0 });
    for (let i = 0; i < 3; i++) {
      const res = await a.finish(ref, 'release');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'released', releaseReason: 'requested' });
    }
    expect(await a.item(sku)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    expect(await a.movements(`sku=${sku}&kind=release`)).toHaveLength(1);
    expect(await outbox(it_.t.db, { type: 'inventory.stock.released', subject: `order:${ref.id}` })).toHaveLength(1);

    const commit = await a.finish(ref, 'commit');
    expect(commit.statusCode).toBe(409);
    expect(commit.json()).toMatchObject({ code: 'INVENTORY.ILLEGAL_RESERVATION_TRANSITION', currentState: 'released' });
    // The reference keeps its (released) reservation: reserving it again returns that, and holds nothing.
    const again = await a.reserve(ref, [{ sku, quantity: 5 }]);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'released' });
    expect(await a.item(sku)).toMatchObject({ reserved: 0 });
  });

  it('when a sold reservation is restocked, then its units go back on hand once, logged as receipts, and it cannot be released', async () => {
    const sku = await a.stocked(10);
    const ref = orderRef();
    await a.reserve(ref, [{ sku, quantity: 4 }]);
    const early = await a.finish(ref, 'restock');
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'INVENTORY.ILLEGAL_RESERVATION_TRANSITION', currentState: 'active' });
    await a.finish(ref, 'commit');
    expect(await a.item(sku)).toMatchObject({ onHand: 6, reserved: 0 });

    for (let i = 0; i < 3; i++) {
      const res = await it_.t.app.inject({
        method: 'POST',
        url: `/v1/inventory/reservations/by-reference/order/${ref.id}/restock`,
        headers: it_.admin,
        payload: { reason: 'order cancelled' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'returned', returnedAt: expect.any(String) });
    }
    expect(await a.item(sku)).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    const receipts = (await a.movements(`sku=${sku}&kind=receipt`)).filter((m) => m.reservationId);
    expect(receipts).toEqual([expect.objectContaining({ onHandDelta: 4, reason: 'order cancelled', reference: `order:${ref.id}` })]);
    expect((await a.finish(ref, 'release')).json()).toMatchObject({ currentState: 'returned' });
    expect((await a.finish(ref, 'commit')).statusCode).toBe(200);
    expect(await a.item(sku)).toMatchObject({ onHand: 10 });
  });

  it('when a sale is restocked after its location was archived, then the units go to the default location', async () => {
    const created = await it_.t.app.inject({ method: 'POST', url: '/v1/inventory/locations', headers: it_.admin, payload: { code: `popup-${Date.now().toString(36)}`, name: 'Pop-up' } });
    const popup = created.json().id as string;
    const sku = await a.stocked(0);
    await a.receive(sku, 3, popup);
    const ref = orderRef();
    expect((await a.reserve(ref, [{ sku, quantity: 3 }])).json().lines[0].allocations).toEqual([{ locationId: popup, quantity: 3 }]);
    await a.finish(ref, 'commit');
    expect((await it_.t.app.inject({ method: 'DELETE', url: `/v1/inventory/locations/${popup}`, headers: it_.admin })).statusCode).toBe(200);
    expect((await a.finish(ref, 'restock')).statusCode).toBe(200);
    const item = await a.item(sku);
    expect(item).toMatchObject({ onHand: 3, available: 3 });
    expect(item.levels.find((l) => l.locationId === popup)).toMatchObject({ onHand: 0 });
    expect(item.levels.find((l) => l.locationId !== popup)).toMatchObject({ onHand: 3 });
  });

  it('when a reference never reserved anything, then commit and release are a 404', async () => {
    for (const action of ['commit', 'release'] as const) {
      const res = await a.finish(orderRef(), action);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('INVENTORY.RESERVATION_NOT_FOUND');
    }
  });

  it('when reservations expire, then the sweep releases each exactly once and the movement log says why', async () => {
    const sku = await a.stocked(9);
    const refs = [orderRef(), orderRef(), orderRef()];
    for (const ref of refs) expect((await a.reserve(ref, [{ sku, quantity: 3 }], 60)).statusCode).toBe(201);
    await a.finish(refs[0] as never, 'commit');

    // Not yet expired: nothing to do.
    expect(await sweepExpiredReservations(it_.deps, { now: new Date(Date.now() + 30_000) })).toEqual({ released: 0 });
    const later = new Date(Date.now() + 61_000);
    const first = await sweepExpiredReservations(it_.deps, { now: later, batchSize: 1 });
    expect(first.released).toBe(2);
    expect(await sweepExpiredReservations(it_.deps, { now: later })).toEqual({ released: 0 });

    expect(await a.item(sku)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
    const releases = await a.movements(`sku=${sku}&kind=release`);
    expect(releases).toHaveLength(2);
    expect(releases.every((m) => m.reason === 'expired' && m.actor === 'system:expiry-sweep')).toBe(true);
    for (const ref of refs.slice(1)) {
      const [released] = await outbox(it_.t.db, { type: 'inventory.stock.released', subject: `order:${ref.id}` });
      expect(released?.data).toMatchObject({ reason: 'expired' });
      const late = await a.finish(ref, 'commit');
      expect(late.statusCode).toBe(409);
      expect(late.json().currentState).toBe('released');
      expect((await a.finish(ref, 'release')).json()).toMatchObject({ status: 'released', releaseReason: 'expired' });
    }
  });

  it('when stock is spread over locations, then a line comes whole from the most preferred location that can cover it, else split in order', async () => {
    const create = async (code: string, priority: number) => {
      const res = await it_.t.app.inject({ method: 'POST', url: '/v1/inventory/locations', headers: it_.admin, payload: { code, name: code, priority } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const suffix = Math.random().toString(36).slice(2, 8);
    const near = await create(`near-${suffix}`, 1);
    const far = await create(`far-${suffix}`, 2);
    const sku = await a.stocked(0);
    await a.receive(sku, 3, near);
    await a.receive(sku, 10, far);

    const alloc = async (quantity: number) => {
      const res = await a.reserve(orderRef(), [{ sku, quantity }]);
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as Reservation).lines[0]?.allocations;
    };
    expect(await alloc(2)).toEqual([{ locationId: near, quantity: 2 }]);
    expect(await alloc(5)).toEqual([{ locationId: far, quantity: 5 }]);
    // 1 left near, 5 far: 6 needs both, the preferred one first.
    expect(new Set(await alloc(6))).toEqual(new Set([{ locationId: near, quantity: 1 }, { locationId: far, quantity: 5 }]));
    expect(await a.item(sku)).toMatchObject({ onHand: 13, reserved: 13, available: 0 });
    const short = await a.reserve(orderRef(), [{ sku, quantity: 1 }]);
    expect(short.statusCode).toBe(409);
  });
});
