/**
 * Concurrency on the real PostgreSQL server: two processes (two apps with
 * their own connection pools on one database) racing for the same stock.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@fusioncommerce/platform';
import { createTestDatabase, type TestDatabase } from '@fusioncommerce/platform/testing';
import { inventoryDeps } from '../src/use-cases/deps.ts';
import { commitReservation, sweepExpiredReservations } from '../src/use-cases/finish-reservation.ts';
import { api, inventoryTest, newSku, orderRef, outbox, type InventoryTest } from './factories.ts';

describe('inventory under concurrency on postgres', () => {
  let db: TestDatabase;
  let second: Database;
  let one: InventoryTest;
  let two: InventoryTest;

  beforeAll(async () => {
    db = await createTestDatabase('postgres', { poolMax: 12 });
    second = openDatabase({ url: db.url, poolMax: 12 });
    one = await inventoryTest('postgres', {}, { db });
    two = await inventoryTest('postgres', {}, { db: second });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await second.close();
    await db.close();
  });

  const levels = (sku: string) =>
    db.knex('inventory.stock_levels').where({ sku }).first<{ on_hand: number; reserved: number }>('on_hand', 'reserved');
  const sumMovements = async (sku: string) =>
    (await db.knex('inventory.movements').where({ sku }).select('kind', 'on_hand_delta', 'reserved_delta')) as {
      kind: string;
      on_hand_delta: number;
      reserved_delta: number;
    }[];

  it('when 100 orders race for 10 units, then exactly 10 are reserved, 90 are cleanly out of stock and nothing goes negative', async () => {
    const a = api(one.t, one.admin);
    const sku = await a.stocked(10);
    const apps = [one, two];
    const refs = Array.from({ length: 100 }, () => orderRef());
    const results = await Promise.all(
      refs.map((ref, i) => {
        const side = apps[i % 2] as InventoryTest;
        return api(side.t, side.admin).reserve(ref, [{ sku, quantity: 1 }]);
      }),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(90);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(r.json()).toMatchObject({ code: 'INVENTORY.INSUFFICIENT_STOCK', shortages: [{ sku, requested: 1, available: 0 }] });
    }
    expect(await levels(sku)).toEqual({ on_hand: 10, reserved: 10 });
    expect(await db.knex('inventory.reservations').join('inventory.reservation_lines as l', 'l.reservation_id', 'reservations.id').where('l.sku', sku).count<{ count: number }[]>('* as count')).toEqual([{ count: 10 }]);
    expect(await outbox(db, { type: 'inventory.stock.reservation_failed' }).then((e) => e.filter((x) => JSON.stringify(x.data).includes(sku)))).toHaveLength(90);

    // Sell half, release the rest, each from either process and twice over: the books still balance.
    const won = refs.filter((_, i) => results[i]?.statusCode === 201);
    await Promise.all(
      won.flatMap((ref, i) => {
        const action = i % 2 === 0 ? 'commit' : 'release';
        return [api(one.t, one.admin).finish(ref, action), api(two.t, two.admin).finish(ref, action)];
      }),
    ).then((all) => expect(all.map((r) => r.statusCode)).toEqual(all.map(() => 200)));
    expect(await levels(sku)).toEqual({ on_hand: 5, reserved: 0 });

    const moves = await sumMovements(sku);
    const sold = -moves.filter((m) => m.kind === 'commit').reduce((s, m) => s + m.on_hand_delta, 0);
    const received = moves.filter((m) => m.kind === 'receipt').reduce((s, m) => s + m.on_hand_delta, 0);
    expect({ received, sold, onHand: received - sold }).toEqual({ received: 10, sold: 5, onHand: 5 });
    expect(moves.reduce((s, m) => s + m.reserved_delta, 0)).toBe(0);
    expect(moves.filter((m) => m.kind === 'reservation')).toHaveLength(10);
    expect(moves.filter((m) => m.kind === 'release')).toHaveLength(5);
  });

  it('when one order is reserved many times at once, then there is one reservation and its stock is held once', async () => {
    const a = api(one.t, one.admin);
    const sku = await a.stocked(10);
    const ref = orderRef();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const side = i % 2 === 0 ? one : two;
        return api(side.t, side.admin).reserve(ref, [{ sku, quantity: 3 }]);
      }),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(29);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(await levels(sku)).toEqual({ on_hand: 10, reserved: 3 });
    expect(await db.knex('inventory.reservations').where({ reference_id: ref.id }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
    expect(await outbox(db, { type: 'inventory.stock.reserved', subject: `order:${ref.id}` })).toHaveLength(1);
  });

  it('when orders reserve overlapping SKUs in every order at once, then none deadlocks and the totals add up', async () => {
    const a = api(one.t, one.admin);
    const skus = [await a.stocked(40), await a.stocked(40), await a.stocked(40)];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const side = i % 2 === 0 ? one : two;
        const lines = [0, 1, 2].map((k) => ({ sku: skus[(i + k) % 3] as string, quantity: 1 + ((i + k) % 2) }));
        if (i % 3 === 0) lines.reverse();
        return api(side.t, side.admin).reserve(orderRef(), lines);
      }),
    );
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    const reservedBySku = new Map(skus.map((s) => [s, 0]));
    for (const r of results.filter((x) => x.statusCode === 201)) {
      for (const line of r.json().lines as { sku: string; quantity: number }[]) reservedBySku.set(line.sku, (reservedBySku.get(line.sku) ?? 0) + line.quantity);
    }
    for (const sku of skus) {
      const level = await levels(sku);
      expect(level.reserved).toBe(reservedBySku.get(sku));
      expect(level.reserved).toBeLessThanOrEqual(level.on_hand);
    }
    // Every request was either wholly reserved or wholly refused.
    expect(results.every((r) => r.statusCode === 201 || (r.statusCode === 409 && r.json().code === 'INVENTORY.INSUFFICIENT_STOCK'))).toBe(true);
  });

  it('when admins adjust stock while orders reserve it, then available never goes below zero', async () => {
    const a = api(one.t, one.admin);
    const sku = await a.stocked(20);
    const writes = Array.from({ length: 40 }, (_, i) => {
      const side = i % 2 === 0 ? one : two;
      if (i % 4 === 0) {
        return side.t.app.inject({ method: 'POST', url: `/v1/inventory/items/${sku}/adjustments`, headers: side.admin, payload: { delta: -3, reason: 'damaged' } });
      }
      return api(side.t, side.admin).reserve(orderRef(), [{ sku, quantity: 2 }]);
    });
    const results = await Promise.all(writes);
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    const level = await levels(sku);
    expect(level.on_hand - level.reserved).toBeGreaterThanOrEqual(0);
    const moves = await sumMovements(sku);
    expect(moves.reduce((s, m) => s + m.on_hand_delta, 0)).toBe(level.on_hand);
    expect(moves.reduce((s, m) => s + m.reserved_delta, 0)).toBe(level.reserved);
  });

  it('when two sweepers race over expired reservations while orders commit some, then each is released or sold exactly once', async () => {
    const a = api(one.t, one.admin);
    const sku = await a.stocked(100);
    const refs = Array.from({ length: 40 }, () => orderRef());
    for (const ref of refs) expect((await a.reserve(ref, [{ sku, quantity: 2 }], 5)).statusCode).toBe(201);
    expect(await levels(sku)).toEqual({ on_hand: 100, reserved: 80 });

    const later = new Date(Date.now() + 60_000);
    const sweepers = [inventoryDeps(db.knex), inventoryDeps(second.knex), inventoryDeps(db.knex)];
    const committers = refs.slice(0, 10);
    const [swept, commits] = await Promise.all([
      Promise.all(sweepers.map((deps) => sweepExpiredReservations(deps, { now: later, batchSize: 4 }))),
      Promise.allSettled(committers.map((ref, i) => commitReservation(inventoryDeps(i % 2 ? second.knex : db.knex), ref, randomUUID()))),
    ]);
    const committed = commits.filter((c) => c.status === 'fulfilled' && c.value.changed).length;
    // A commit that lost the race to the sweeper finds the reservation released: a clean 409, nothing else.
    for (const c of commits) if (c.status === 'rejected') expect((c.reason as { code: string }).code).toBe('INVENTORY.ILLEGAL_RESERVATION_TRANSITION');
    const released = swept.reduce((s, r) => s + r.released, 0);
    expect(released + committed).toBe(40);

    const statuses = await db.knex('inventory.reservations').whereIn('reference_id', refs.map((r) => r.id)).select('status');
    expect(statuses.filter((s) => s.status === 'released')).toHaveLength(released);
    expect(statuses.filter((s) => s.status === 'committed')).toHaveLength(committed);
    expect(await levels(sku)).toEqual({ on_hand: 100 - 2 * committed, reserved: 0 });
    const releasedEvents = await outbox(db, { type: 'inventory.stock.released' });
    const ours = releasedEvents.filter((e) => refs.some((r) => e.subject === `order:${r.id}`));
    expect(ours).toHaveLength(released);
    expect(new Set(ours.map((e) => e.subject)).size).toBe(released);
    expect((await sumMovements(sku)).filter((m) => m.kind === 'release')).toHaveLength(released);
  });

  it('when two processes create the same SKU level at once, then both receipts count', async () => {
    const a = api(one.t, one.admin);
    const sku = newSku();
    await a.track(sku);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const side = i % 2 === 0 ? one : two;
        return side.t.app.inject({ method: 'POST', url: `/v1/inventory/items/${sku}/receipts`, headers: side.admin, payload: { quantity: 5 } });
      }),
    );
    expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 201));
    expect(await levels(sku)).toEqual({ on_hand: 100, reserved: 0 });
  });
});
