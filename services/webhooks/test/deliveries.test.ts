/**
 * Deliveries end to end inside the service: events arrive through the
 * service's consumer (as a transport hands them over), the delivery worker
 * sends them to a real HTTP receiver on 127.0.0.1, retries, gives up and is
 * replayed. Receivers count only the requests of their own test's events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '@fusioncommerce/platform/testing';
import { verifySignature } from '../src/domain/signature.ts';
import { recordDeliveries } from '../src/use-cases/record-deliveries.ts';
import { cloudEvent, eventually, orderConfirmed, startReceiver, stockLow, webhooksTest, type Receiver, type WebhooksTest } from './factories.ts';

describe.each(BACKENDS)('webhook deliveries on %s', (backend) => {
  let s: WebhooksTest;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    s = await webhooksTest(backend);
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  const receiver = async (...statuses: number[]) => {
    const r = await startReceiver(...statuses);
    receivers.push(r);
    return r;
  };
  const subscribe = async (url: string, eventTypes: string[]) => {
    const res = await s.t.app.inject({ method: 'POST', url: '/v1/webhook-subscriptions', headers: s.admin, payload: { url, eventTypes } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; secret: string; version: number };
  };
  const of = (r: Receiver, eventId: string) => r.requests.filter((q) => q.headers['ce-id'] === eventId);
  const deliveriesOf = async (subscriptionId: string) => {
    const res = await s.t.app.inject({ url: `/v1/webhook-subscriptions/${subscriptionId}/deliveries`, headers: s.admin });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { data: Record<string, unknown>[] }).data;
  };
  const settled = (subscriptionId: string, status: string) =>
    eventually(async () => {
      const [delivery] = await deliveriesOf(subscriptionId);
      return delivery?.status === status ? delivery : undefined;
    }, `a ${status} delivery`);
  const quietly = () => new Promise((r) => setTimeout(r, 250));

  it('when an event matches a subscription, then it is delivered once, signed with the subscription’s secret, with its CloudEvents attributes', async () => {
    const stock = await receiver(200);
    const orders = await receiver(200);
    const subscription = await subscribe(stock.url, ['inventory.stock.low']);
    const other = await subscribe(orders.url, ['orders.*']);
    const event = stockLow();

    expect(await s.deliver(event)).toBe('handled');
    await eventually(() => of(stock, event.id).length > 0, 'the receiver to get the event');
    await quietly();
    expect(of(stock, event.id)).toHaveLength(1);
    expect(of(orders, event.id)).toHaveLength(0);

    const [request] = of(stock, event.id);
    const { headers, body } = request as (typeof stock.requests)[number];
    expect(request?.method).toBe('POST');
    expect(headers['content-type']).toBe('application/json');
    expect(headers).toMatchObject({ 'ce-specversion': '1.0', 'ce-id': event.id, 'ce-type': 'inventory.stock.low', 'ce-source': '/fusioncommerce/inventory', 'ce-subject': event.subject, 'ce-time': event.time });
    expect(JSON.parse(body)).toEqual(event);
    const signed = { id: headers['webhook-id'] as string, timestamp: headers['webhook-timestamp'] as string, signature: headers['webhook-signature'] as string };
    expect(signed.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifySignature(subscription.secret, signed, body)).toBe(true);
    expect(verifySignature(other.secret, signed, body)).toBe(false);

    const delivery = await settled(subscription.id, 'delivered');
    expect(delivery).toMatchObject({ id: signed.id, eventId: event.id, eventType: 'inventory.stock.low', attempts: 1, lastResponseStatus: 200, lastError: null, nextAttemptAt: null });
    expect(await deliveriesOf(other.id)).toEqual([]);
  });

  it('when the same event comes again, then no second delivery is made', async () => {
    const r = await receiver(200);
    const subscription = await subscribe(r.url, ['inventory.stock.low']);
    const event = stockLow();
    expect(await s.deliver(event)).toBe('handled');
    expect(await s.deliver(structuredClone(event))).toBe('duplicate');
    // Even past the inbox (a replayed dead letter), the (subscription, event) key holds.
    expect(await s.deps.knex.transaction((trx) => recordDeliveries(s.deps, trx, event))).toBe(0);
    await settled(subscription.id, 'delivered');
    await quietly();
    expect(of(r, event.id)).toHaveLength(1);
    expect(await deliveriesOf(subscription.id)).toHaveLength(1);
  });

  it('when the receiver answers 500 and then 200, then the delivery is retried and ends delivered after 2 attempts, both in its log', async () => {
    const r = await receiver(500, 200);
    const subscription = await subscribe(r.url, ['inventory.stock.low']);
    const event = stockLow();
    await s.deliver(event);
    const delivery = await settled(subscription.id, 'delivered');
    expect(delivery).toMatchObject({ attempts: 2, lastResponseStatus: 200, lastError: null });
    const requests = of(r, event.id);
    expect(requests).toHaveLength(2);
    // The same message id on every attempt, each attempt signed afresh.
    expect(new Set(requests.map((q) => q.headers['webhook-id']))).toEqual(new Set([delivery.id]));
    for (const q of requests) {
      const signed = { id: q.headers['webhook-id'] as string, timestamp: q.headers['webhook-timestamp'] as string, signature: q.headers['webhook-signature'] as string };
      expect(verifySignature(subscription.secret, signed, q.body)).toBe(true);
    }
    const detail = await s.t.app.inject({ url: `/v1/webhook-deliveries/${delivery.id}`, headers: s.admin });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ event: { id: event.id, type: event.type }, status: 'delivered' });
    expect(detail.json().attemptLog.map((a: { responseStatus: number; outcome: string; error: string | null }) => [a.responseStatus, a.outcome, a.error])).toEqual([
      [500, 'retrying', 'the receiver answered 500: receiver says 500'],
      [200, 'delivered', null],
    ]);
  });

  it('when the receiver always fails, then the delivery fails after the last attempt, is announced, and a replay delivers it once the receiver is fixed', async () => {
    const r = await receiver(503);
    const subscription = await subscribe(r.url, ['inventory.stock.low']);
    const event = stockLow();
    await s.deliver(event);
    const failed = await settled(subscription.id, 'failed');
    expect(failed).toMatchObject({ attempts: 3, lastResponseStatus: 503, lastError: 'the receiver answered 503: receiver says 503' });
    expect(of(r, event.id)).toHaveLength(3);
    const announced = (await s.deps.knex('webhooks.outbox').where({ type: 'webhooks.delivery.failed', subject: subscription.id }).select('data')) as { data: unknown }[];
    expect(announced.map((a) => (typeof a.data === 'string' ? JSON.parse(a.data) : a.data))).toEqual([
      { deliveryId: failed.id, subscriptionId: subscription.id, eventId: event.id, eventType: event.type, attempts: 3, lastResponseStatus: 503, lastError: failed.lastError },
    ]);

    r.answer(204);
    const replayed = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-deliveries/${failed.id}/replay`, headers: s.admin, payload: {} });
    expect(replayed.statusCode, replayed.body).toBe(202);
    expect(replayed.json()).toMatchObject({ status: 'pending', attempts: 0, replays: 1 });
    const delivered = await settled(subscription.id, 'delivered');
    expect(delivered).toMatchObject({ id: failed.id, attempts: 1, replays: 1, lastResponseStatus: 204 });
    expect(of(r, event.id)).toHaveLength(4);
    expect(new Set(of(r, event.id).map((q) => q.body)).size).toBe(1);

    // Replaying a delivered one sends it again (a receiver that lost it).
    const again = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-deliveries/${failed.id}/replay`, headers: s.admin, payload: {} });
    expect(again.statusCode).toBe(202);
    await eventually(() => of(r, event.id).length === 5, 'the second replay');
  });

  it('when an event matches no subscription, or only an inactive one, then nothing is delivered', async () => {
    const r = await receiver(200);
    const active = await subscribe(r.url, ['orders.order.cancelled']);
    const paused = await subscribe(r.url, ['orders.order.confirmed']);
    const off = await s.t.app.inject({ method: 'PATCH', url: `/v1/webhook-subscriptions/${paused.id}`, headers: s.admin, payload: { active: false, version: 1 } });
    expect(off.statusCode, off.body).toBe(200);
    const event = orderConfirmed();
    // Passed over without a transaction once this process has reloaded which types are wanted; taken in and matched to nobody before.
    expect(['handled', 'ignored']).toContain(await s.deliver(event));
    await quietly();
    expect(of(r, event.id)).toEqual([]);
    expect(await deliveriesOf(active.id)).toEqual([]);
    expect(await deliveriesOf(paused.id)).toEqual([]);

    const test = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-subscriptions/${paused.id}/test`, headers: s.admin, payload: {} });
    expect(test.statusCode).toBe(409);
    expect(test.json()).toMatchObject({ code: 'WEBHOOKS.SUBSCRIPTION_INACTIVE', currentState: 'inactive' });
  });

  it('when a subscription is paused, then its waiting deliveries wait (and cannot be replayed) until it is active again', async () => {
    const r = await receiver(200);
    const subscription = await subscribe(r.url, ['orders.order.confirmed']);
    const off = await s.t.app.inject({ method: 'PATCH', url: `/v1/webhook-subscriptions/${subscription.id}`, headers: { ...s.admin, 'if-match': '"1"' }, payload: { active: false } });
    expect(off.statusCode, off.body).toBe(200);
    // A delivery recorded just before the pause.
    const event = orderConfirmed();
    const id = crypto.randomUUID();
    await s.deps.deliveries.insertMany([{ id, subscriptionId: subscription.id, eventId: event.id, eventType: event.type, payload: JSON.stringify(event) }], new Date());
    await quietly();
    expect(of(r, event.id)).toEqual([]);
    const replay = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-deliveries/${id}/replay`, headers: s.admin, payload: {} });
    expect(replay.statusCode).toBe(409);
    expect(replay.json()).toMatchObject({ code: 'WEBHOOKS.DELIVERY_IN_PROGRESS', currentState: 'pending' });

    const on = await s.t.app.inject({ method: 'PATCH', url: `/v1/webhook-subscriptions/${subscription.id}`, headers: s.admin, payload: { active: true, version: 2 } });
    expect(on.statusCode, on.body).toBe(200);
    await settled(subscription.id, 'delivered');
    expect(of(r, event.id)).toHaveLength(1);
  });

  it('when an event carries a one-time token, then a subscription to * does not get it but one naming the type does', async () => {
    const everything = await receiver(200);
    const exact = await receiver(200);
    await subscribe(everything.url, ['*']);
    const named = await subscribe(exact.url, ['customers.password_reset.requested']);
    const event = cloudEvent('customers.password_reset.requested', {
      customerId: 'c-1',
      email: 'ada@example.test',
      token: 'one-time-token-0123456789abcdef',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await s.deliver(event);
    await settled(named.id, 'delivered');
    await quietly();
    expect(of(exact, event.id)).toHaveLength(1);
    expect(of(everything, event.id)).toHaveLength(0);
  });

  it('when an admin sends a test event, then the receiver gets a signed webhooks.test.sent and the delivery is logged', async () => {
    const r = await receiver(200);
    const subscription = await subscribe(r.url, ['orders.order.confirmed']);
    const sent = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-subscriptions/${subscription.id}/test`, headers: s.admin, payload: { message: 'hello n8n' } });
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.headers.location).toBe(`/v1/webhook-deliveries/${sent.json().id}`);
    const delivered = await settled(subscription.id, 'delivered');
    expect(delivered).toMatchObject({ id: sent.json().id, eventType: 'webhooks.test.sent' });
    const request = r.requests.find((q) => q.headers['webhook-id'] === delivered.id);
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ type: 'webhooks.test.sent', source: '/fusioncommerce/webhooks', subject: subscription.id, data: { subscriptionId: subscription.id, message: 'hello n8n' } });
    const signed = { id: delivered.id as string, timestamp: request?.headers['webhook-timestamp'] as string, signature: request?.headers['webhook-signature'] as string };
    expect(verifySignature(subscription.secret, signed, request?.body ?? '')).toBe(true);
  });

  it('when the secret was rotated with a grace period, then deliveries carry both signatures and each secret verifies', async () => {
    const r = await receiver(200);
    const subscription = await subscribe(r.url, ['inventory.stock.low']);
    const rotated = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-subscriptions/${subscription.id}/rotate-secret`, headers: s.admin, payload: {} });
    const { secret } = rotated.json() as { secret: string };
    const event = stockLow();
    await s.deliver(event);
    await settled(subscription.id, 'delivered');
    const [request] = of(r, event.id);
    const signed = { id: request?.headers['webhook-id'] as string, timestamp: request?.headers['webhook-timestamp'] as string, signature: request?.headers['webhook-signature'] as string };
    expect(signed.signature.split(' ')).toHaveLength(2);
    expect(verifySignature(secret, signed, request?.body ?? '')).toBe(true);
    expect(verifySignature(subscription.secret, signed, request?.body ?? '')).toBe(true);
  });

  it('when deliveries happen, then /metrics counts them by outcome, times them and shows the backlog', async () => {
    const metrics = await s.t.app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/webhook_deliveries_total\{[^}]*outcome="delivered"[^}]*\} [1-9]/);
    expect(metrics.body).toMatch(/webhook_deliveries_total\{[^}]*outcome="retrying"[^}]*\} [1-9]/);
    expect(metrics.body).toMatch(/webhook_delivery_duration_seconds_bucket\{[^}]*outcome="delivered"/);
    expect(metrics.body).toMatch(/webhook_delivery_backlog\{[^}]*\} \d+/);
    expect(metrics.body).toMatch(/webhook_deliveries_failed\{[^}]*\} \d+/);
  });

  it('when the delivery log is read with bad parameters, then the answer is a 4xx problem', async () => {
    const r = await receiver(200);
    const subscription = await subscribe(r.url, ['inventory.stock.low']);
    for (const query of ['status=lost', 'limit=0', 'limit=1000', 'cursor=abc', 'surprise=1']) {
      const res = await s.t.app.inject({ url: `/v1/webhook-subscriptions/${subscription.id}/deliveries?${query}`, headers: s.admin });
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const replayUnknown = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-deliveries/${crypto.randomUUID()}/replay`, headers: s.admin, payload: {} });
    expect(replayUnknown.statusCode).toBe(404);
    expect(replayUnknown.json()).toMatchObject({ code: 'WEBHOOKS.DELIVERY_NOT_FOUND' });
    const replayWithBody = await s.t.app.inject({ method: 'POST', url: `/v1/webhook-deliveries/${crypto.randomUUID()}/replay`, headers: s.admin, payload: { now: true } });
    expect(replayWithBody.statusCode).toBe(400);
  });
});
