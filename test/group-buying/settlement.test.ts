import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCloudEvent } from '@fusioncommerce/platform';
import { eventually, openGroupShop, type GroupShop } from './group-shop.ts';

const DECLINED_CARD = '4000000000000002';

describe('group settlement through the whole platform (PostgreSQL server)', () => {
  let shop: GroupShop;
  beforeAll(async () => {
    shop = await openGroupShop('postgres');
  }, 60_000);
  afterAll(async () => shop?.close());

  const payments = (participationIds: string[]) =>
    shop.db.knex('payments.payment_intents').where({ reference_kind: 'group_participation' }).whereIn('reference_id', participationIds);

  it('when a group reaches a better tier by its deadline, then every member is charged exactly the final tier price once and gets a paid order', async () => {
    // 1000 alone, 900 from 3, 800 from 5: members authorize 900 (the price at the minimum of 3) and pay 800.
    const deal = await shop.deal({ stock: 20, tiers: [[1, 1000], [3, 900], [5, 800]], min: 3, max: 8, windowSeconds: 6 });
    const leader = await shop.customer();
    const started = await shop.start(deal.id, leader, { quantity: 2 });
    expect(started.statusCode, JSON.stringify(started.body)).toBe(201);
    expect(started.body.group.shareCode).toMatch(/^[2-9A-Z]{8}$/);
    expect(started.body.group.shareUrl).toContain(`/groups/${started.body.group.shareCode}`);
    expect(started.body.participation.authorizedAmount.amount).toBe(1800);
    const others = await Promise.all([1, 2, 3, 4].map(() => shop.customer()));
    const joined = await Promise.all(others.map((who) => shop.join(started.body.group.shareCode, who)));
    expect(joined.map((j) => j.statusCode)).toEqual([201, 201, 201, 201]);
    // One shopper's card is declined: that seat fails with its reason and frees its stock; four members remain.
    const declined = await shop.customer();
    const failed = await shop.join(started.body.group.shareCode, declined, { card: DECLINED_CARD });
    expect(failed.statusCode).toBe(201);
    await shop.settledSeats(started.body.group.id);
    expect(await shop.participation(failed.body.participation.id, declined)).toMatchObject({ status: 'failed', reason: 'payment_declined' });
    await eventually(async () => ((await shop.participation(failed.body.participation.id, declined)).stock === 'released' ? true : undefined), 'the declined seat’s stock to be released');

    const memberIds = [started.body.participation.id, ...joined.map((j) => j.body.participation.id)];
    const group = await eventually(async () => {
      const row = await shop.db.knex('group_commerce.groups').where({ id: started.body.group.id }).first();
      return row.status === 'open' ? undefined : row;
    }, 'the deadline to settle the group', 30_000);
    expect(group).toMatchObject({ status: 'succeeded', members: 5, close_reason: 'deadline' });
    expect(Number(group.final_unit_price)).toBe(800);

    const rows = await eventually(async () => {
      const done = await shop.db.knex('group_commerce.participations').whereIn('id', memberIds).where({ status: 'completed' });
      return done.length === memberIds.length ? done : undefined;
    }, 'every member to be charged and get an order', 30_000);
    for (const row of rows) expect(Number(row.final_amount)).toBe(800 * row.quantity);

    const intents = await payments(memberIds);
    expect(intents).toHaveLength(5);
    for (const p of intents) {
      const quantity = p.reference_id === started.body.participation.id ? 2 : 1;
      expect({ status: p.status, authorized: Number(p.authorized_amount), captured: Number(p.captured_amount) }).toEqual({
        status: 'captured',
        authorized: 900 * quantity,
        captured: 800 * quantity,
      });
    }
    // One capture per member at the provider, one attempt each.
    const captures = await shop.db.knex('payments.payment_attempts').whereIn('payment_id', intents.map((p) => p.id)).where({ operation: 'capture' });
    expect(captures).toHaveLength(5);
    expect(captures.every((c) => c.tries === 1 && c.status === 'succeeded')).toBe(true);
    expect(shop.provider.executions.capture).toBe(5);

    const orders = await eventually(async () => {
      const found = await shop.db.knex('orders.orders').whereIn('group_participation_id', memberIds);
      return found.length === 5 ? found : undefined;
    }, 'orders for every member');
    for (const order of orders) {
      expect(order).toMatchObject({ source: 'group', status: 'confirmed', payment_state: 'captured', stock_state: 'committed' });
      const row = rows.find((r) => r.id === order.group_participation_id);
      expect(Number(order.total)).toBe(Number(row.final_amount));
    }
    const mine = await shop.participation(started.body.participation.id, leader);
    expect(mine).toMatchObject({ status: 'completed', finalAmount: { amount: 1600, currency: 'USD' }, orderId: orders.find((o) => o.group_participation_id === mine.id)?.id });
    const orderSeen = await shop.app.inject({ url: `/v1/orders/${mine.orderId as string}`, headers: leader });
    expect(orderSeen.statusCode).toBe(200);
    expect(orderSeen.json()).toMatchObject({ status: 'confirmed', total: { amount: 1600, currency: 'USD' }, shippingTotal: { amount: 0 }, payment: 'captured', stock: 'committed' });
    const detail = (await shop.app.inject({ url: `/v1/admin/orders/${mine.orderId as string}`, headers: shop.admin })).json();
    expect(detail.timeline).toEqual([
      expect.objectContaining({ type: 'placed', status: 'confirmed', data: expect.objectContaining({ source: 'group', participationId: mine.id, cause: 'group-commerce.participation.completed' }) }),
    ]);
    // Cancelling or refunding it through orders would not reach its money: refused with the order's state.
    const cancel = await shop.app.inject({ method: 'POST', url: `/v1/orders/${mine.orderId as string}/cancel`, headers: leader });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ currentState: 'confirmed' });
    const refund = await shop.app.inject({ method: 'POST', url: `/v1/admin/orders/${mine.orderId as string}/refund`, headers: shop.admin, payload: { reason: 'test' } });
    expect(refund.statusCode).toBe(409);
    // Shipping ships group orders like any other, with nothing left to capture at shipment.
    const shipments = await eventually(async () => {
      const found = await shop.db.knex('shipping.shipments').whereIn('order_id', orders.map((o) => o.id));
      return found.length === 5 ? found : undefined;
    }, 'a shipment for every group order');
    expect(shipments.every((s) => s.capture_on_shipment === false)).toBe(true);

    // Stock: 6 sold (2 + 4), nothing left reserved.
    expect(await shop.stockOf(deal.sku)).toMatchObject({ onHand: 14, reserved: 0 });
    // The saga started nothing twice: no order-saga events for these orders, no second capture.
    await new Promise((r) => setTimeout(r, 500));
    expect(shop.provider.executions.capture).toBe(5);
    const succeededEvents = await shop.db.knex('group_commerce.outbox').where({ type: 'group-commerce.group.succeeded', subject: started.body.group.id });
    expect(succeededEvents).toHaveLength(1);

    // Redelivered (same id) or published again (a new id), the confirmation and completion move nothing twice.
    const again = await shop.db.knex('group_commerce.outbox').whereIn('subject', memberIds).whereIn('type', ['group-commerce.participation.confirmed', 'group-commerce.participation.completed']);
    expect(again).toHaveLength(10);
    for (const row of again) {
      const event = toCloudEvent(row);
      for (const group of row.type.endsWith('.confirmed') ? ['payments', 'inventory'] : ['orders']) {
        const consumer = shop.gateway.events.consumers.get(group);
        expect(await consumer?.settle(event)).toBe('duplicate');
        expect(await consumer?.settle({ ...event, id: randomUUID() })).toBe('handled');
      }
    }
    expect(shop.provider.executions.capture).toBe(5);
    expect(shop.provider.calls.capture).toBe(5);
    expect(await shop.db.knex('orders.orders').whereIn('group_participation_id', memberIds)).toHaveLength(5);
    expect(await shop.stockOf(deal.sku)).toMatchObject({ onHand: 14, reserved: 0 });
    expect((await payments(memberIds)).map((p) => Number(p.captured_amount)).reduce((a, b) => a + b, 0)).toBe(800 * 6);
  }, 90_000);

  it('when a group is below its minimum at its deadline, then no authorization and no reservation is left behind and members are told', async () => {
    const capturesBefore = shop.provider.executions.capture;
    const deal = await shop.deal({ stock: 10, tiers: [[1, 1000], [3, 900]], min: 3, windowSeconds: 3 });
    const a = await shop.customer();
    const b = await shop.customer();
    const started = await shop.start(deal.id, a);
    const joined = await shop.join(started.body.group.shareCode, b, { quantity: 2 });
    expect(joined.statusCode).toBe(201);
    await shop.settledSeats(started.body.group.id);
    const ids = [started.body.participation.id, joined.body.participation.id];
    expect(await shop.stockOf(deal.sku)).toMatchObject({ reserved: 3 });

    const group = await eventually(async () => {
      const row = await shop.db.knex('group_commerce.groups').where({ id: started.body.group.id }).first();
      return row.status === 'open' ? undefined : row;
    }, 'the deadline to fail the group', 30_000);
    expect(group.status).toBe('failed');
    await eventually(async () => {
      const intents = await payments(ids);
      return intents.length === 2 && intents.every((p) => p.status === 'voided') ? intents : undefined;
    }, 'every authorization to be voided');
    await eventually(async () => ((await shop.stockOf(deal.sku)).reserved === 0 ? true : undefined), 'stock to be released');
    expect(await shop.stockOf(deal.sku)).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    const reservations = await shop.db.knex('inventory.reservations').where({ reference_kind: 'group_participation' }).whereIn('reference_id', ids);
    expect(reservations.map((r) => r.status)).toEqual(['released', 'released']);
    for (const id of ids) {
      const rows = await shop.db.knex('group_commerce.participations').where({ id }).first();
      expect(rows).toMatchObject({ status: 'failed', reason: 'group_failed' });
    }
    const [failedEvent] = await shop.db.knex('group_commerce.outbox').where({ type: 'group-commerce.group.failed', subject: started.body.group.id });
    const data = typeof failedEvent.data === 'string' ? JSON.parse(failedEvent.data) : failedEvent.data;
    expect(data.members.map((m: { participationId: string }) => m.participationId).sort()).toEqual([...ids].sort());
    expect(await shop.db.knex('orders.orders').whereIn('group_participation_id', ids)).toHaveLength(0);
    expect(shop.provider.executions.capture).toBe(capturesBefore);
  }, 60_000);
  it('when a member leaves before the deadline, then their stock is released and their authorization voided, and the seat is free again', async () => {
    const deal = await shop.deal({ stock: 5, tiers: [[1, 1000], [2, 900]], min: 2, max: 2, windowSeconds: 600 });
    const leader = await shop.customer();
    const started = await shop.start(deal.id, leader, { quantity: 2 });
    await eventually(async () => ((await shop.participation(started.body.participation.id, leader)).status === 'active' ? true : undefined), 'the leader to be a member');
    expect(await shop.stockOf(deal.sku)).toMatchObject({ reserved: 2 });
    const left = await shop.app.inject({ method: 'POST', url: `/v1/groups/participations/${started.body.participation.id}/leave`, headers: leader });
    expect(left.statusCode).toBe(200);
    expect(left.json()).toMatchObject({ status: 'left' });
    await eventually(async () => {
      const p = await shop.participation(started.body.participation.id, leader);
      return p.stock === 'released' && p.payment === 'voided' ? p : undefined;
    }, 'stock released and payment voided');
    expect(await shop.stockOf(deal.sku)).toMatchObject({ onHand: 5, reserved: 0 });
    const [intent] = await payments([started.body.participation.id]);
    expect(intent).toMatchObject({ status: 'voided' });
    expect(Number(intent.captured_amount)).toBe(0);
    const group = (await shop.app.inject({ url: `/v1/groups/${started.body.group.shareCode}` })).json();
    expect(group).toMatchObject({ status: 'open', seats: 0, members: 0 });
    const again = await shop.app.inject({ method: 'POST', url: `/v1/groups/participations/${started.body.participation.id}/leave`, headers: leader });
    expect(again.statusCode).toBe(409);
  }, 60_000);
});
