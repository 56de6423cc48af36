/**
 * `fusion smoke <base-url>`: guide 004 §11.3 against a running platform —
 * health, create a product through the admin API, see it in the storefront,
 * see its events published, place an order and see the saga's events flow.
 * Steps whose API is not deployed at that URL (read from its /openapi.json)
 * are reported as skipped, by name and why; `require` turns a skip into a
 * failure. Everything the test creates is archived or cancelled afterwards.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AdminTokenRefusedError, authenticatedClient, type AdminAuthOptions } from './admin-token.ts';
import { HttpClient, describeResponse, type HttpResult } from './http-client.ts';
import { summarize, type Check } from './report.ts';

export type OptionalStep = 'events' | 'order';

export interface SmokeOptions {
  baseUrl: string;
  auth: AdminAuthOptions;
  /** How long to wait for events to be published and for an order to settle (default 30 s). */
  waitMs?: number;
  /** Steps that must run: skipping one of them fails the smoke test. */
  require?: OptionalStep[];
  /** Leave the test product (and order) in place instead of archiving (cancelling) them. */
  keep?: boolean;
  /** Card or token the order is paid with (the test provider's always-approved card by default). */
  paymentMethod?: string;
  fetch?: typeof fetch;
  /** Called as each check completes (live output). */
  onCheck?: (check: Check) => void;
  pollIntervalMs?: number;
}

export interface SmokeReport {
  ok: boolean;
  baseUrl: string;
  checks: Check[];
  created: { productId?: string; sku?: string; orderId?: string };
}

interface ProductView {
  id: string;
  slug: string;
  status: string;
  version: number;
  variants: { id: string; sku: string; price: { amount: number; currency: string } }[];
}

interface EventView {
  id: string;
  service: string;
  type: string;
  subject: string;
  publishedAt: string | null;
  attempts: number;
  lastError: string | null;
}

interface DeadLetterView {
  consumerGroup: string;
  type: string;
  subject: string;
  error: string;
}

interface OrderView {
  id: string;
  status: string;
  number?: string;
  reason?: string | null;
  cancellationReason?: string | null;
}

/** The product's events the catalog must publish for the storefront and other services to learn about it. */
export const PRODUCT_EVENTS = ['catalog.product.created', 'catalog.product.published'];
/** The order saga (ARCHITECTURE §4): these must appear for the order, in this order. */
export const ORDER_EVENTS = ['orders.order.placed', 'orders.order.confirmed'];
/** Reported when present, not required: who takes part depends on what is deployed. */
export const ORDER_SAGA_EVENTS = ['orders.order.placed', 'inventory.stock.reserved', 'orders.payment.requested', 'payments.payment.authorized', 'orders.order.confirmed'];

const APPROVED_TEST_CARD = '4242424242424242';

/** `/v1/carts/{id}/items` and `/v1/carts/:cartId/items` both become `/v1/carts/{}/items`. */
export function routeKey(path: string): string {
  return path.replace(/\{[^}]+\}|:[A-Za-z0-9_]+/g, '{}');
}

class Routes {
  constructor(private readonly paths: Map<string, Set<string>> | undefined) {}

  get known(): boolean {
    return this.paths !== undefined;
  }

  has(method: string, path: string): boolean {
    return this.paths?.get(routeKey(path))?.has(method.toLowerCase()) ?? false;
  }
}

async function discoverRoutes(client: HttpClient): Promise<Routes> {
  try {
    const result = await client.get<{ paths?: Record<string, Record<string, unknown>> }>('/openapi.json');
    if (!result.ok || typeof result.body !== 'object' || !result.body.paths) return new Routes(undefined);
    const map = new Map<string, Set<string>>();
    for (const [path, item] of Object.entries(result.body.paths)) map.set(routeKey(path), new Set(Object.keys(item).map((m) => m.toLowerCase())));
    return new Routes(map);
  } catch {
    return new Routes(undefined);
  }
}

class StepFailure extends Error {
  constructor(
    message: string,
    readonly notes: string[] = [],
  ) {
    super(message);
  }
}

function expectOk<T>(result: HttpResult<T>, method: string, path: string, statuses: number[] = []): T {
  if (!result.ok && !statuses.includes(result.status)) throw new StepFailure(describeResponse(method, path, result as HttpResult));
  return result.body;
}

export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const waitMs = options.waitMs ?? 30_000;
  const pollMs = options.pollIntervalMs ?? 250;
  const required = new Set(options.require ?? []);
  // Anonymous until the admin-auth step swaps in a client with an accepted admin token.
  let client = new HttpClient({ baseUrl: options.baseUrl, fetch: options.fetch });
  const checks: Check[] = [];
  const created: SmokeReport['created'] = {};

  const record = (check: Check): Check => {
    checks.push(check);
    options.onCheck?.(check);
    return check;
  };

  /** Runs one step; a StepFailure (or any error) becomes a failed check. Returns whether it passed. */
  const step = async (name: string, run: () => Promise<{ detail: string; notes?: string[] } | { skip: string; notes?: string[] }>): Promise<boolean> => {
    const started = Date.now();
    try {
      const outcome = await run();
      const ms = Date.now() - started;
      if ('skip' in outcome) {
        const mustRun = required.has(name as OptionalStep);
        record({ name, status: mustRun ? 'fail' : 'skip', detail: mustRun ? `required but could not run: ${outcome.skip}` : outcome.skip, notes: outcome.notes, ms });
        return false;
      }
      record({ name, status: 'pass', detail: outcome.detail, notes: outcome.notes, ms });
      return true;
    } catch (error) {
      const notes = error instanceof StepFailure ? error.notes : [];
      const message = error instanceof Error ? error.message : String(error);
      record({ name, status: 'fail', detail: message, notes, ms: Date.now() - started });
      return false;
    }
  };

  const notRun = (names: string[], why: string) => {
    for (const name of names) record({ name, status: required.has(name as OptionalStep) ? 'fail' : 'skip', detail: `not run: ${why}` });
  };

  // 1. Health: liveness and readiness, with what is down when it is not ready.
  const healthy = await step('health', async () => {
    let live: HttpResult;
    try {
      live = await client.get('/health');
    } catch (error) {
      throw new StepFailure(`${options.baseUrl}/health did not answer: ${(error as Error).message}`);
    }
    if (!live.ok) throw new StepFailure(describeResponse('GET', '/health', live));
    const ready = await client.get<{ checks?: Record<string, { status: string; error?: string }> }>('/ready');
    if (!ready.ok) {
      const down = Object.entries(ready.body?.checks ?? {})
        .filter(([, c]) => c.status !== 'up')
        .map(([name, c]) => `${name}: ${c.error ?? c.status}`);
      throw new StepFailure(`GET /ready → ${ready.status}: not ready`, down);
    }
    const up = Object.keys(ready.body?.checks ?? {});
    return { detail: `/health 200, /ready 200${up.length ? ` (${up.join(', ')} up)` : ''}` };
  });
  if (!healthy) {
    notRun(['admin-auth', 'product', 'events', 'order', 'cleanup'], 'the platform is not healthy');
    return finish();
  }

  const routes = await discoverRoutes(client);

  // 2. An admin token that the platform accepts.
  const authed = await step('admin-auth', async () => {
    // No credentials, or an admin route answering oddly: the error's message is the check's detail.
    try {
      const admin = await authenticatedClient(options.baseUrl, options.auth, options.fetch);
      client = admin.client;
      return { detail: `admin token accepted (${admin.source})` };
    } catch (error) {
      if (error instanceof AdminTokenRefusedError) throw new StepFailure(error.message, [`${error.likelyCauses.charAt(0).toUpperCase()}${error.likelyCauses.slice(1)}.`]);
      throw error;
    }
  });
  if (!authed) {
    notRun(['product', 'events', 'order', 'cleanup'], 'no admin access');
    return finish();
  }

  // 3. A product through the admin API, published, then read as a shopper would.
  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`.toUpperCase();
  const sku = `SMOKE-${suffix}`;
  let product: ProductView | undefined;
  const productOk = await step('product', async () => {
    const body = {
      title: `Smoke test ${suffix}`,
      slug: `smoke-test-${suffix.toLowerCase()}`,
      description: 'Created by `fusion smoke`; archived when the smoke test ends.',
      tags: ['smoke-test'],
      variants: [{ sku, price: { amount: 1234, currency: 'USD' }, weightGrams: 100 }],
    };
    const draft = expectOk(await client.post<ProductView>('/v1/products', body), 'POST', '/v1/products');
    created.productId = draft.id;
    created.sku = sku;
    product = expectOk(
      await client.post<ProductView>(`/v1/products/${draft.id}/publish`, { version: draft.version }),
      'POST',
      `/v1/products/${draft.id}/publish`,
    );
    // Anonymous, as a shopper: the storefront must show it at once with the server's price.
    const shopper = new HttpClient({ baseUrl: options.baseUrl, fetch: options.fetch });
    const seen = await shopper.get<ProductView>(`/v1/products/${draft.id}`);
    if (!seen.ok) throw new StepFailure(`the published product is not in the storefront: ${describeResponse('GET', `/v1/products/${draft.id}`, seen)}`);
    const price = seen.body.variants?.find((v) => v.sku === sku)?.price;
    if (!price || price.amount !== 1234 || price.currency !== 'USD') {
      throw new StepFailure(`the storefront shows SKU ${sku} at ${price ? `${price.amount} ${price.currency}` : 'no price'}, expected 1234 USD`);
    }
    const lookup = await shopper.get<{ data: { sku: string }[] }>(`/v1/variants?skus=${encodeURIComponent(sku)}`);
    if (!lookup.ok || !lookup.body.data?.some((v) => v.sku === sku)) {
      throw new StepFailure(`SKU ${sku} cannot be looked up for carts: ${describeResponse('GET', `/v1/variants?skus=${sku}`, lookup)}`);
    }
    return { detail: `created, published and read back product ${draft.id} (SKU ${sku}, 12.34 USD)` };
  });

  // 4. The product's events: recorded in the catalog's outbox and published by its relay; no consumer gave up on them.
  if (!productOk || !product) notRun(['events'], 'no product was created');
  else {
    const productId = product.id;
    await step('events', async () => {
      if (!routes.has('get', '/v1/admin/events')) {
        return { skip: routes.known ? 'this platform has no /v1/admin/events to read events from' : 'no /openapi.json to discover the events API from' };
      }
      const events = await waitForEvents(client, productId, PRODUCT_EVENTS, waitMs, pollMs);
      await assertNoDeadLetters(client, routes, productId);
      return {
        detail: `${PRODUCT_EVENTS.join(', ')} published for ${productId}`,
        notes: events.map((e) => `${e.type} (${e.service}) published ${e.publishedAt}`),
      };
    });
  }

  // 5. An order: stock, cart, checkout, and the saga to a confirmed order, by its events.
  if (!productOk || !product) notRun(['order'], 'no product was created');
  else {
    const variant = product.variants[0];
    await step('order', async () => {
      if (!routes.has('post', '/v1/carts') || !routes.has('get', '/v1/orders/{id}')) {
        return {
          skip: routes.known
            ? 'orders is not deployed at this URL (no POST /v1/carts and GET /v1/orders/{id} in /openapi.json); the order step runs once it is'
            : 'no /openapi.json to discover the orders API from',
        };
      }
      return placeOrder({ client, routes, sku, variantId: variant?.id, waitMs, pollMs, paymentMethod: options.paymentMethod ?? APPROVED_TEST_CARD, created });
    });
  }

  // 6. Leave nothing behind a shopper could see or buy.
  await step('cleanup', async () => {
    if (options.keep) return { skip: 'kept on request (--keep)' };
    const done: string[] = [];
    const cancelPath = routes.has('post', '/v1/admin/orders/{id}/cancel') ? `/v1/admin/orders/${created.orderId}/cancel` : `/v1/orders/${created.orderId}/cancel`;
    if (created.orderId && (routes.has('post', '/v1/admin/orders/{id}/cancel') || routes.has('post', '/v1/orders/{id}/cancel'))) {
      const cancel = await client.post(cancelPath);
      done.push(cancel.ok ? `order ${created.orderId} cancelled` : `order ${created.orderId} left as is (${describeResponse('POST', cancelPath, cancel)})`);
    }
    if (created.productId) {
      const current = await client.get<ProductView>(`/v1/admin/products/${created.productId}`);
      const version = current.ok ? current.body.version : undefined;
      const archived = await client.post(`/v1/products/${created.productId}/archive`, { version });
      expectOk(archived, 'POST', `/v1/products/${created.productId}/archive`);
      done.push(`product ${created.productId} archived`);
    }
    return done.length > 0 ? { detail: done.join('; ') } : { skip: 'nothing was created' };
  });

  return finish();

  function finish(): SmokeReport {
    const { failed } = summarize(checks);
    return { ok: failed === 0, baseUrl: options.baseUrl, checks, created };
  }
}

async function listEvents(client: HttpClient, subject: string): Promise<EventView[]> {
  const path = `/v1/admin/events?subject=${encodeURIComponent(subject)}&limit=100`;
  const result = await client.get<{ data: EventView[] }>(path);
  return expectOk(result, 'GET', path).data ?? [];
}

/** Waits until every `types` event of `subject` is published; fails naming what was missing or stuck, and why. */
async function waitForEvents(client: HttpClient, subject: string, types: string[], waitMs: number, pollMs: number): Promise<EventView[]> {
  const deadline = Date.now() + waitMs;
  let events: EventView[] = [];
  for (;;) {
    events = await listEvents(client, subject);
    const published = types.map((t) => events.find((e) => e.type === t && e.publishedAt));
    if (published.every(Boolean)) return published as EventView[];
    if (Date.now() >= deadline) break;
    await sleep(pollMs);
  }
  const missing = types.filter((t) => !events.some((e) => e.type === t));
  const stuck = events.filter((e) => types.includes(e.type) && !e.publishedAt);
  const notes = [
    ...missing.map((t) => `${t}: never recorded — the change did not write it to the outbox`),
    ...stuck.map((e) => `${e.type}: recorded, not published after ${e.attempts} attempt(s)${e.lastError ? `; last error: ${e.lastError}` : ' — is the relay running?'}`),
  ];
  throw new StepFailure(`events of ${subject} did not flow within ${Math.round(waitMs / 1000)} s`, notes);
}

async function assertNoDeadLetters(client: HttpClient, routes: Routes, subject: string): Promise<void> {
  if (!routes.has('get', '/v1/admin/dead-letters')) return;
  const result = await client.get<{ data: DeadLetterView[] }>('/v1/admin/dead-letters?status=dead&limit=200');
  const dead = (expectOk(result, 'GET', '/v1/admin/dead-letters').data ?? []).filter((d) => d.subject === subject);
  if (dead.length > 0) {
    throw new StepFailure(`consumers gave up on ${dead.length} event(s) of ${subject}`, dead.map((d) => `${d.consumerGroup} on ${d.type}: ${d.error}`));
  }
}

interface OrderFlow {
  client: HttpClient;
  routes: Routes;
  sku: string;
  variantId: string | undefined;
  waitMs: number;
  pollMs: number;
  paymentMethod: string;
  created: SmokeReport['created'];
}

async function placeOrder(flow: OrderFlow): Promise<{ detail: string; notes: string[] }> {
  const notes: string[] = [];
  try {
    return await orderSteps(flow, notes);
  } catch (error) {
    // What went well before the failure helps as much as the failure itself.
    if (error instanceof StepFailure) throw new StepFailure(error.message, [...notes, ...error.notes]);
    throw error;
  }
}

async function orderSteps(flow: OrderFlow, notes: string[]): Promise<{ detail: string; notes: string[] }> {
  const { client, routes, sku, waitMs, pollMs } = flow;

  // Stock for the new SKU, when inventory is deployed (its items may also appear from catalog events).
  if (routes.has('post', '/v1/inventory/items/{sku}/receipts')) {
    if (routes.has('post', '/v1/inventory/items')) {
      const registered = await client.post('/v1/inventory/items', { sku });
      if (!registered.ok && registered.status !== 409) throw new StepFailure(describeResponse('POST', '/v1/inventory/items', registered));
    }
    const path = `/v1/inventory/items/${encodeURIComponent(sku)}/receipts`;
    expectOk(await client.post(path, { quantity: 5, reason: 'smoke test' }), 'POST', path);
    notes.push(`received 5 × ${sku} into inventory`);
  } else notes.push('inventory is not deployed here: no stock was received');

  // A guest cart: adding the line waits for the orders service to learn of the product (from catalog's events).
  const shopper = new HttpClient({ baseUrl: client.baseUrl });
  const cart = expectOk(await shopper.post<{ id: string }>('/v1/carts', {}), 'POST', '/v1/carts');
  const linePath = routes.has('post', '/v1/carts/{id}/lines') ? `/v1/carts/${cart.id}/lines` : `/v1/carts/${cart.id}/items`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const added = await shopper.post(linePath, { sku, quantity: 1 });
    if (added.ok) break;
    const routeMissing = (added.body as { code?: string } | undefined)?.code === 'REQUEST.ROUTE_NOT_FOUND';
    if (routeMissing || Date.now() >= deadline || ![404, 409, 422].includes(added.status)) {
      throw new StepFailure(`the cart does not take the new product: ${describeResponse('POST', linePath, added)}`, [
        'orders learns products from catalog events: check the events step, dead letters and consumer lag',
      ]);
    }
    await sleep(pollMs);
  }
  notes.push(`cart ${cart.id} holds 1 × ${sku}`);

  const checkout = {
    cartId: cart.id,
    email: 'smoke-test@fusioncommerce.invalid',
    shippingAddress: { name: 'Smoke Test', line1: '1 Test Street', city: 'Testville', postalCode: '12345', country: 'US' },
    payment: { method: flow.paymentMethod },
  };
  const via = routes.has('post', '/v1/checkout') ? '/v1/checkout' : `/v1/carts/${cart.id}/checkout`;
  const placed = await shopper.post<OrderView>(via, checkout, { 'idempotency-key': randomUUID() });
  const order = expectOk(placed, 'POST', via);
  if (!order?.id) throw new StepFailure(`POST ${via} answered ${placed.status} without an order id`);
  flow.created.orderId = order.id;

  // The saga settles the order by events: confirmed, or a terminal state with a reason.
  let current = order;
  while (current.status === 'pending' && Date.now() < deadline) {
    await sleep(pollMs);
    current = expectOk(await shopper.get<OrderView>(`/v1/orders/${order.id}`), 'GET', `/v1/orders/${order.id}`);
  }
  const events = routes.has('get', '/v1/admin/events') ? await listEvents(client, order.id) : [];
  const seen = ORDER_SAGA_EVENTS.filter((t) => events.some((e) => e.type === t));
  const chain = seen.length > 0 ? seen.join(' → ') : 'no events visible';
  if (current.status !== 'confirmed') {
    const reason = current.reason ?? current.cancellationReason;
    throw new StepFailure(
      current.status === 'pending'
        ? `order ${order.id} still pending after ${Math.round(waitMs / 1000)} s: the saga did not finish`
        : `order ${order.id} ended ${current.status}${reason ? ` (${reason})` : ''}, expected confirmed`,
      [`events so far: ${chain}`, 'look at /v1/admin/events?subject=<order id>, /v1/admin/dead-letters and consumer lag (fusion verify)'],
    );
  }
  const missing = ORDER_EVENTS.filter((t) => !seen.includes(t));
  if (events.length > 0 && missing.length > 0) throw new StepFailure(`order ${order.id} confirmed but ${missing.join(', ')} not recorded`, [`events: ${chain}`]);
  notes.push(`events: ${chain}`);
  return { detail: `order ${order.number ?? order.id} placed and confirmed`, notes };
}
