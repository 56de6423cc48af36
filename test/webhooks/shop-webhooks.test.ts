/**
 * Outbound webhooks across the platform, as n8n sees them: a whole shop in one
 * gateway, a receiver subscribed to order confirmations and another to
 * low-stock alerts (deploy/n8n's two workflows), and a real checkout that
 * confirms an order and takes a SKU below its threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogService } from '@fusioncommerce/catalog';
import { inventoryService } from '@fusioncommerce/inventory';
import { paymentsService } from '@fusioncommerce/payments';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { createWebhooksService, verifySignature } from '@fusioncommerce/webhooks';
import { startReceiver, type Receiver } from '../../services/webhooks/test/factories.ts';
import { eventually, openShop, type Shop } from '../checkout/shop.ts';

describe.each(BACKENDS)('webhooks through the gateway on %s', (backend) => {
  let shop: Shop;
  let orders: Receiver;
  let stock: Receiver;
  beforeAll(async () => {
    const webhooks = createWebhooksService({ settings: { deliveryPollMs: 50, retryInitialMs: 50, retryMaxMs: 200, allowPrivateUrls: true } });
    shop = await openShop(backend, { services: (o) => [catalogService, inventoryService, paymentsService, o, webhooks] });
    [orders, stock] = await Promise.all([startReceiver(200), startReceiver(200)]);
  });
  afterAll(async () => {
    await shop?.close();
    await Promise.all([orders?.close(), stock?.close()]);
  });

  const subscribe = async (url: string, eventTypes: string[]) => {
    const res = await shop.app.inject({ method: 'POST', url: '/v1/webhook-subscriptions', headers: shop.admin, payload: { url, eventTypes } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; secret: string };
  };
  const signed = (r: Receiver['requests'][number]) => ({
    id: r.headers['webhook-id'] as string,
    timestamp: r.headers['webhook-timestamp'] as string,
    signature: r.headers['webhook-signature'] as string,
  });

  it('when a shopper’s order is confirmed and its SKU runs low, then the order mail and low-stock receivers each get their signed event', async () => {
    const confirmations = await subscribe(orders.url, ['orders.order.confirmed']);
    const alerts = await subscribe(stock.url, ['inventory.stock.low']);
    const { variantIds, skus } = await shop.product({ stock: 6, price: 1500 });
    const cartId = await shop.cartWith([{ variantId: variantIds[0] as string, quantity: 2 }]);
    const { statusCode, body: order } = await shop.checkout(cartId);
    expect(statusCode, JSON.stringify(order)).toBe(201);
    expect(order.status).toBe('confirmed');

    const mail = await eventually(async () => orders.requests.find((r) => (JSON.parse(r.body) as { data: { orderId: string } }).data.orderId === order.id), 'the order confirmation webhook');
    const event = JSON.parse(mail.body) as { type: string; source: string; subject: string; data: Record<string, unknown> };
    expect(event).toMatchObject({ type: 'orders.order.confirmed', source: '/fusioncommerce/orders', subject: order.id, data: { email: 'shopper@example.test', total: { amount: 3000, currency: 'USD' } } });
    expect(mail.headers['ce-type']).toBe('orders.order.confirmed');
    expect(verifySignature(confirmations.secret, signed(mail), mail.body)).toBe(true);

    const low = await eventually(async () => stock.requests.find((r) => (JSON.parse(r.body) as { subject: string }).subject === skus[0]), 'the low-stock webhook');
    expect(JSON.parse(low.body)).toMatchObject({ type: 'inventory.stock.low', data: { sku: skus[0], available: 4, threshold: 5 } });
    expect(verifySignature(alerts.secret, signed(low), low.body)).toBe(true);
    // Neither receiver got the other's events.
    expect(orders.requests.every((r) => r.headers['ce-type'] === 'orders.order.confirmed')).toBe(true);
    expect(stock.requests.every((r) => r.headers['ce-type'] === 'inventory.stock.low')).toBe(true);

    // The receiver answered; the log says so once the attempt is recorded.
    const eventId = (JSON.parse(mail.body) as { id: string }).id;
    const delivery = await eventually(async () => {
      const log = await shop.app.inject({ url: `/v1/webhook-subscriptions/${confirmations.id}/deliveries`, headers: shop.admin });
      const found = (log.json() as { data: { eventId: string; status: string }[] }).data.find((d) => d.eventId === eventId);
      return found?.status === 'delivered' ? found : undefined;
    }, 'the delivery log to say delivered');
    expect(delivery).toMatchObject({ id: mail.headers['webhook-id'], attempts: 1, lastResponseStatus: 200 });
  });
});
