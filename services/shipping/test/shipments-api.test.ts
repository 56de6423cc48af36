import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { cancelShipmentsOfOrder, createShipmentForOrder } from '../src/use-cases/manage-shipments.ts';
import { confirmedOrder, outboxOf, shipmentFor, shippingTest, type ShippingTest } from './factories.ts';

describe.each(BACKENDS)('shipments on %s', (backend) => {
  let s: ShippingTest;
  beforeAll(async () => {
    s = await shippingTest(backend, { manualTrackingUrlTemplate: 'https://track.example.test/p?n={trackingNumber}' });
  });
  afterAll(async () => s?.close());

  const act = (id: string, action: string, payload: Record<string, unknown> = {}) =>
    s.t.app.inject({ method: 'POST', url: `/v1/shipments/${id}/${action}`, headers: s.admin, payload });

  it('when an order is confirmed, then one pending shipment holds its lines, customer, address and chosen option — once', async () => {
    const order = confirmedOrder();
    const id = await shipmentFor(s.deps, order);
    expect(await s.deps.knex.transaction((trx) => createShipmentForOrder(s.deps, trx, order))).toBeUndefined();
    const res = await s.t.app.inject({ url: `/v1/shipments/${id}`, headers: s.admin });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      orderId: order.orderId,
      orderNumber: order.number,
      customerId: order.customerId,
      status: 'pending',
      lines: [
        { sku: 'TEE-S', quantity: 2 },
        { sku: 'MUG-1', quantity: 1 },
      ],
      shippingAddress: { country: 'US' },
      shippingOption: { name: 'Standard', amount: { amount: 499 } },
    });
    const created = (await outboxOf(s.deps, 'shipping.shipment.created')).filter((e) => e.orderId === order.orderId);
    expect(created).toHaveLength(1);
    const list = (await s.t.app.inject({ url: `/v1/shipments?orderId=${order.orderId}&status=pending`, headers: s.admin })).json();
    expect(list.data.map((x: { id: string }) => x.id)).toEqual([id]);
  });

  it('when part of a shipment ships and then the rest, then the order is all shipped only at the second, and payment capture is asked once', async () => {
    const order = confirmedOrder({ capture: false });
    const id = await shipmentFor(s.deps, order);
    expect((await act(id, 'pack')).json()).toMatchObject({ status: 'packed' });

    const partial = await act(id, 'ship', { carrierName: 'DHL', trackingNumber: 'TRACK-1', lines: [{ sku: 'TEE-S', quantity: 1 }] });
    expect(partial.statusCode, partial.body).toBe(200);
    const first = partial.json();
    expect(first).toMatchObject({
      status: 'shipped',
      carrier: 'manual',
      carrierName: 'DHL',
      trackingNumber: 'TRACK-1',
      trackingUrl: 'https://track.example.test/p?n=TRACK-1',
      lines: [{ sku: 'TEE-S', quantity: 1 }],
    });
    expect(first.remainder).toMatchObject({ status: 'pending', splitFrom: id, lines: [{ sku: 'TEE-S', quantity: 1 }, { sku: 'MUG-1', quantity: 1 }] });

    const rest = await act(first.remainder.id, 'ship', { trackingNumber: 'TRACK-2', trackingUrl: 'https://carrier.example.test/TRACK-2' });
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json()).toMatchObject({ status: 'shipped', remainder: null, trackingUrl: 'https://carrier.example.test/TRACK-2' });

    const shipped = (await outboxOf(s.deps, 'shipping.shipment.shipped')).filter((e) => e.orderId === order.orderId);
    expect(shipped.map((e) => [e.trackingNumber, e.allShipped, e.capturePayment])).toEqual([
      ['TRACK-1', false, true],
      ['TRACK-2', true, false],
    ]);

    // Delivered one by one: the order is all delivered with the last.
    expect((await act(id, 'deliver')).json()).toMatchObject({ status: 'delivered' });
    expect((await act(first.remainder.id, 'deliver')).json()).toMatchObject({ status: 'delivered' });
    const delivered = (await outboxOf(s.deps, 'shipping.shipment.delivered')).filter((e) => e.orderId === order.orderId);
    expect(delivered.map((e) => e.allDelivered)).toEqual([false, true]);
  });

  it('when a transition is illegal, then the answer is 409 with the current state and nothing changes', async () => {
    const id = await shipmentFor(s.deps, confirmedOrder());
    const early = await act(id, 'deliver');
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect(early.json()).toMatchObject({ code: 'SHIPPING.ILLEGAL_TRANSITION', currentState: 'pending' });
    await act(id, 'pack');
    expect((await act(id, 'pack')).json()).toMatchObject({ currentState: 'packed' });
    await act(id, 'ship', { trackingNumber: 'T-9' });
    expect((await act(id, 'ship', { trackingNumber: 'T-10' })).json()).toMatchObject({ currentState: 'shipped' });
    expect((await act(id, 'pack')).statusCode).toBe(409);
    const after = (await s.t.app.inject({ url: `/v1/shipments/${id}`, headers: s.admin })).json();
    expect(after).toMatchObject({ status: 'shipped', trackingNumber: 'T-9' });
  });

  it('when shipping names lines the shipment does not hold, too many, twice, or an unknown carrier, then 400 with the field and nothing ships', async () => {
    const id = await shipmentFor(s.deps, confirmedOrder());
    const cases: [Record<string, unknown>, string][] = [
      [{ trackingNumber: 'X', lines: [{ sku: 'NOPE', quantity: 1 }] }, '/body/lines/0/sku'],
      [{ trackingNumber: 'X', lines: [{ sku: 'TEE-S', quantity: 3 }] }, '/body/lines/0/quantity'],
      [{ trackingNumber: 'X', lines: [{ sku: 'MUG-1', quantity: 1 }, { sku: 'MUG-1', quantity: 1 }] }, '/body/lines/1/sku'],
      [{ trackingNumber: 'X', carrier: 'owl-post' }, '/body/carrier'],
      [{ trackingNumber: '' }, '/body/trackingNumber'],
      [{}, '/body/trackingNumber'],
      [{ trackingNumber: 'X', trackingUrl: 'javascript:alert(1)' }, '/body/trackingUrl'],
    ];
    for (const [body, pointer] of cases) {
      const res = await act(id, 'ship', body);
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(400);
      expect(JSON.stringify(res.json().errors), res.body).toContain(pointer);
    }
    expect((await s.t.app.inject({ url: `/v1/shipments/${id}`, headers: s.admin })).json()).toMatchObject({ status: 'pending', version: 1 });
    expect((await act(randomUUID(), 'ship', { trackingNumber: 'X' })).statusCode).toBe(404);
    expect((await act('not-a-uuid', 'pack')).statusCode).toBe(400);
  });

  it('when customers look, then they see their own shipments and tracking, and 404 for anyone else’s', async () => {
    const customerId = randomUUID();
    const mine = confirmedOrder({ customerId });
    const id = await shipmentFor(s.deps, mine);
    await act(id, 'ship', { trackingNumber: 'MINE-1' });
    const guestOrder = confirmedOrder({ customerId: null });
    const guestShipment = await shipmentFor(s.deps, guestOrder);
    const me = await s.t.as('customer', customerId);
    const other = await s.t.as('customer');

    expect((await s.t.app.inject({ url: `/v1/shipments/${id}`, headers: me })).json()).toMatchObject({ trackingNumber: 'MINE-1', trackingUrl: expect.stringContaining('MINE-1') });
    expect((await s.t.app.inject({ url: `/v1/shipments/${id}`, headers: other })).statusCode).toBe(404);
    expect((await s.t.app.inject({ url: `/v1/shipments/${guestShipment}`, headers: other })).statusCode).toBe(404);
    expect((await s.t.app.inject({ url: `/v1/shipments/${id}` })).statusCode).toBe(401);

    const byOrder = await s.t.app.inject({ url: `/v1/shipments/by-order/${mine.orderId}`, headers: me });
    expect(byOrder.json().data.map((x: { trackingNumber: string }) => x.trackingNumber)).toEqual(['MINE-1']);
    expect((await s.t.app.inject({ url: `/v1/shipments/by-order/${mine.orderId}`, headers: other })).statusCode).toBe(404);
    expect((await s.t.app.inject({ url: `/v1/shipments/by-order/${mine.orderId}` })).statusCode).toBe(404);
    // A guest order's id is its key, as in orders.
    expect((await s.t.app.inject({ url: `/v1/shipments/by-order/${guestOrder.orderId}` })).json().data).toHaveLength(1);

    const list = (await s.t.app.inject({ url: '/v1/shipments/mine', headers: me })).json();
    expect(list.data.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await s.t.app.inject({ url: '/v1/shipments', headers: me })).statusCode).toBe(403);
  });

  it('when the order is cancelled, then its unshipped shipments are called off', async () => {
    const order = confirmedOrder();
    const id = await shipmentFor(s.deps, order);
    expect(await s.deps.knex.transaction((trx) => cancelShipmentsOfOrder(s.deps, trx, order.orderId))).toBe(1);
    expect((await s.t.app.inject({ url: `/v1/shipments/${id}`, headers: s.admin })).json()).toMatchObject({ status: 'cancelled' });
    expect((await act(id, 'ship', { trackingNumber: 'LATE' })).json()).toMatchObject({ currentState: 'cancelled' });
  });
});
