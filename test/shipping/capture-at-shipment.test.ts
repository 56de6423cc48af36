/**
 * CAPTURE_PAYMENT_ON=shipment: a confirmed order's payment stays authorized
 * until its first shipment ships, then is captured — once, whatever is
 * shipped later or redelivered.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { ADDRESS, eventually, openShippingShop, type ShippingShop } from './shipping.ts';

describe.each(BACKENDS)('capture at shipment on %s', (backend) => {
  let shop: ShippingShop;
  beforeAll(async () => {
    shop = await openShippingShop(backend, { captureOnConfirm: false });
  });
  afterAll(async () => shop?.close());

  const paymentOf = async (id: string) => (await shop.app.inject({ url: `/v1/admin/payments/${id}`, headers: shop.admin })).json();
  const captures = async (id: string) => ((await paymentOf(id)).attempts as { operation: string }[]).filter((a) => a.operation === 'capture').length;

  it('when the first shipment ships, then the payment is captured exactly once, and a redelivered or later shipped event captures nothing more', async () => {
    await shop.option({ name: 'Standard', currency: 'USD', countries: ['US'], rate: { type: 'flat', amount: 500 } });
    const { variantIds } = await shop.product({ stock: 10, price: 1500, sizes: ['S', 'M'] });
    const cartId = await shop.cart([
      { variantId: variantIds[0] as string, quantity: 1 },
      { variantId: variantIds[1] as string, quantity: 1 },
    ]);
    const { body: order } = await shop.checkoutAs(cartId, undefined, ADDRESS);
    expect(order).toMatchObject({ status: 'confirmed', total: { amount: 3500 } });
    const paymentId = order.paymentId as string;

    const shipment = await eventually(async () => (await shop.app.inject({ url: `/v1/shipments?orderId=${order.id}`, headers: shop.admin })).json().data[0], 'the shipment');
    // Confirmation did not take the money: it waits for the parcel.
    expect(await paymentOf(paymentId)).toMatchObject({ status: 'authorized', captured: { amount: 0 } });

    const sku = shipment.lines[0].sku as string;
    const first = await shop.app.inject({ method: 'POST', url: `/v1/shipments/${shipment.id}/ship`, headers: shop.admin, payload: { trackingNumber: 'CAP-1', lines: [{ sku, quantity: 1 }] } });
    expect(first.statusCode, first.body).toBe(200);
    await eventually(async () => (await paymentOf(paymentId)).status === 'captured', 'the payment to be captured');
    expect(await paymentOf(paymentId)).toMatchObject({ captured: { amount: 3500 } });
    await eventually(async () => (await shop.app.inject({ url: `/v1/admin/orders/${order.id}`, headers: shop.admin })).json().payment === 'captured', 'the order to see it');

    // The rest ships: its event does not ask for money.
    const rest = await shop.app.inject({ method: 'POST', url: `/v1/shipments/${first.json().remainder.id}/ship`, headers: shop.admin, payload: { trackingNumber: 'CAP-2' } });
    expect(rest.statusCode, rest.body).toBe(200);
    await eventually(async () => (await shop.app.inject({ url: `/v1/orders/${order.id}` })).json().status === 'shipped', 'the order to be shipped');

    // The first shipped event delivered again (same id), and once more as a new event: payments captures nothing twice.
    const original = await shop.db
      .knex('shipping.outbox')
      .where({ type: 'shipping.shipment.shipped' })
      .whereRaw(`data->>'shipmentId' = ?`, [shipment.id])
      .first<{ id: string; data: unknown; subject: string; source: string }>();
    await shop.db.knex('shipping.outbox').where({ id: original.id }).update({ published_at: null });
    const copy = randomUUID();
    await shop.db.knex('shipping.outbox').insert({ id: copy, type: 'shipping.shipment.shipped', source: original.source, subject: original.subject, data: JSON.stringify(original.data) });
    await shop.gateway.events.relays.get('shipping')?.drain();
    await eventually(
      async () => (await shop.db.knex('payments.inbox').where({ event_id: copy }).first()) !== undefined,
      'payments to handle the copy of the shipped event',
    );
    expect(await captures(paymentId)).toBe(1);
    expect(await paymentOf(paymentId)).toMatchObject({ status: 'captured', captured: { amount: 3500 } });
    const capturedEvents = await shop.db.knex('payments.outbox').where({ type: 'payments.payment.captured' }).whereRaw(`data->>'paymentId' = ?`, [paymentId]);
    expect(capturedEvents).toHaveLength(1);
  });
});
