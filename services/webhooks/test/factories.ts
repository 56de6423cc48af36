/** Small builders and helpers for webhooks tests: the service on a test app, a real HTTP receiver, events as other services send them. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import type { CloudEvent } from '@fusioncommerce/contracts';
import type { Database, EventConsumer } from '@fusioncommerce/platform';
import { buildTestApp, createTestDatabase, type Backend, type TestApp } from '@fusioncommerce/platform/testing';
import type { WebhooksSettings } from '../src/config.ts';
import { createWebhooksService } from '../src/service.ts';
import { webhooksDeps, type WebhooksDeps } from '../src/use-cases/deps.ts';

export type Headers = { authorization: string };

/** Quick retries and a fast poll, so a whole retry story fits in a test; receivers run on 127.0.0.1. */
export const FAST: Partial<WebhooksSettings> = {
  deliveryPollMs: 20,
  deliveryBatchSize: 10,
  deliveryTimeoutMs: 2000,
  maxAttempts: 3,
  retryInitialMs: 40,
  retryMaxMs: 120,
  allowPrivateUrls: true,
};

export interface WebhooksTest {
  t: TestApp;
  admin: Headers;
  deps: WebhooksDeps;
  /** The service's consumer, as the event transport calls it. */
  consumer: EventConsumer;
  /** Hands `event` to the consumer as a transport would; resolves once it is settled. */
  deliver(event: CloudEvent): Promise<string>;
  close(): Promise<void>;
}

export async function webhooksTest(backend: Backend, settings: Partial<WebhooksSettings> = FAST, options: { db?: Database } = {}): Promise<WebhooksTest> {
  const db = options.db ?? (await createTestDatabase(backend));
  const t = await buildTestApp([createWebhooksService({ settings })], db, { events: true });
  const consumer = t.events?.consumers.get('webhooks');
  if (!consumer) throw new Error('the webhooks service declares no consumer');
  return {
    t,
    admin: await t.as('admin'),
    deps: webhooksDeps(db.knex, settings),
    consumer,
    deliver: (event) => consumer.settle(event),
    async close() {
      await t.close();
      if (!options.db) await db.close();
    },
  };
}

/** An event as another service publishes it. */
export function cloudEvent(type: string, data: unknown, over: Partial<CloudEvent> = {}): CloudEvent {
  return {
    specversion: '1.0',
    id: uuidv7(),
    source: `/fusioncommerce/${type.split('.')[0]}`,
    type,
    subject: randomUUID(),
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
    ...over,
  };
}

export const stockLow = (sku = `SKU-${randomUUID().slice(0, 8)}`) => cloudEvent('inventory.stock.low', { sku, onHand: 3, reserved: 1, available: 2, threshold: 5 }, { subject: sku });

export const orderConfirmed = () => {
  const orderId = randomUUID();
  return cloudEvent(
    'orders.order.confirmed',
    { orderId, number: `FC-${Math.floor(Math.random() * 1e6)}`, paymentId: randomUUID(), total: { amount: 5499, currency: 'USD' }, capture: true, email: 'shopper@example.test' },
    { subject: orderId },
  );
};

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Statuses to answer with, in turn; the last one repeats. */
  answer(...statuses: number[]): void;
  close(): Promise<void>;
}

/** A real HTTP receiver on an ephemeral port of 127.0.0.1 that records what it gets. */
export async function startReceiver(...statuses: number[]): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let queue = statuses.length ? statuses : [200];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = queue.length > 1 ? (queue.shift() as number) : (queue[0] as number);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `receiver says ${status}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/${randomUUID().slice(0, 8)}`,
    requests,
    answer(...next) {
      queue = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
