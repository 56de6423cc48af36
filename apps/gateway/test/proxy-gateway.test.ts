/**
 * The gateway in proxy mode over real HTTP: catalog, customers and inventory
 * run as their own apps (as `npm run dev` in their directories runs them) on
 * a real PostgreSQL database, each on its own port, and the gateway in front
 * of them. Through the gateway a shopper reads, an admin writes, problems,
 * headers and request ids cross unchanged, ownership stays the service's
 * business, and a service that is down or silent is a clear 502/504 problem
 * while the rest of the shop keeps working.
 */
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogService } from '@fusioncommerce/catalog';
import { customersService } from '@fusioncommerce/customers';
import { inventoryService } from '@fusioncommerce/inventory';
import {
  ConfigError,
  buildServiceProcess,
  loadUpstreamsConfig,
  removeMaintenanceFlag,
  upstreamUrlVariable,
  writeMaintenanceFlag,
  type BuiltProcess,
  type ServiceDefinition,
} from '@fusioncommerce/platform';
import { createTestDatabase, testTokens, type TestDatabase } from '@fusioncommerce/platform/testing';
import { buildProxyGateway, type ProxyGateway } from '../src/proxy-gateway.ts';
import { PROXIED_SERVICES } from '../src/route-ownership.ts';

const KEYRING = 'proxy:proxy-gateway-test-signing-key-0123456789abcdef';
const tokens = testTokens(KEYRING);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const PROBLEM = /^application\/problem\+json/;

interface RunningService extends BuiltProcess {
  url: string;
}

async function startService(service: ServiceDefinition, databaseUrl: string): Promise<RunningService> {
  const built = await buildServiceProcess(
    service,
    { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: 5, AUTH_SIGNING_KEYS: KEYRING },
    { events: { DATABASE_URL: databaseUrl, EVENTS_POLL_INTERVAL_MS: 200, EVENTS_CONSUMER_CONCURRENCY: 1 } },
  );
  return { ...built, url: await built.app.listen({ host: '127.0.0.1', port: 0 }) };
}

/** A port nothing listens on: a service that is not running. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A service that takes connections and never answers. */
async function silentService(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function fakeDist(dir: string): string {
  const dist = join(dir, 'web');
  mkdirSync(join(dist, 'admin'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>store</title>');
  writeFileSync(join(dist, 'admin', 'index.html'), '<!doctype html><title>admin</title>');
  return dist;
}

const bearer = async (role: 'admin' | 'customer', id: string = crypto.randomUUID()) => `Bearer ${await tokens.sign({ id, role, email: `${role}-${id.slice(0, 6)}@example.test` })}`;

describe('the gateway in proxy mode, in front of services running on their own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fusion-proxy-gateway-'));
  let db: TestDatabase;
  let catalog: RunningService;
  let customers: RunningService;
  let inventory: RunningService;
  let gateway: ProxyGateway;
  let url: string;
  const urls: Record<string, string> = {};

  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });

  async function publishedProduct(title: string): Promise<{ id: string; slug: string }> {
    const admin = await bearer('admin');
    const created = await call('/v1/products', {
      method: 'POST',
      headers: { authorization: admin },
      body: JSON.stringify({ title, variants: [{ sku: `PX-${crypto.randomUUID().slice(0, 8)}`, price: { amount: 1500, currency: 'USD' } }] }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const draft = (await created.json()) as { id: string; slug: string; version: number };
    const published = await call(`/v1/products/${draft.id}/publish`, { method: 'POST', headers: { authorization: admin }, body: JSON.stringify({ version: draft.version }) });
    expect(published.status).toBe(200);
    return draft;
  }

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    catalog = await startService(catalogService, db.url as string);
    customers = await startService(customersService, db.url as string);
    inventory = await startService(inventoryService, db.url as string);
    const running: Record<string, string> = { catalog: catalog.url, customers: customers.url, inventory: inventory.url };
    for (const service of PROXIED_SERVICES) urls[service] = running[service] ?? `http://127.0.0.1:${await closedPort()}`;
    gateway = await buildProxyGateway({
      config: { AUTH_SIGNING_KEYS: KEYRING },
      upstreams: { urls, timeoutMs: 15_000 },
      web: { distDir: fakeDist(dir) },
      logger: false,
    });
    url = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await gateway?.app.close();
    for (const service of [catalog, customers, inventory]) await service?.app.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a shopper reads the catalog through the gateway, then the catalog service answers, status, query and body as it gives them', async () => {
    const product = await publishedProduct('Proxied lamp');
    const through = await call(`/v1/products/${product.slug}`);
    const direct = await fetch(`${catalog.url}/v1/products/${product.slug}`);
    expect(through.status).toBe(200);
    expect(await through.json()).toEqual(await direct.json());
    const page = (await (await call('/v1/products?limit=1&sort=newest')).json()) as { data: { id: string }[]; nextCursor: string | null };
    expect(page.data.map((p) => p.id)).toEqual([product.id]);
  });

  it('when an admin writes with a bearer token, then the catalog verifies it, and Location, ETag and a stale If-Match come back as the catalog sent them', async () => {
    const admin = await bearer('admin');
    const created = await call('/v1/products', { method: 'POST', headers: { authorization: admin }, body: JSON.stringify({ title: 'Proxied chair' }) });
    expect(created.status).toBe(201);
    const product = (await created.json()) as { id: string };
    expect(created.headers.get('location')).toBe(`/v1/admin/products/${product.id}`);
    const read = await call(`/v1/admin/products/${product.id}`, { headers: { authorization: admin } });
    expect(read.headers.get('etag')).toBe('"1"');
    const stale = await call(`/v1/products/${product.id}`, { method: 'PATCH', headers: { authorization: admin, 'if-match': '"7"' }, body: JSON.stringify({ title: 'Renamed' }) });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toMatch(PROBLEM);

    // Who may write is the catalog's decision, with the same keys.
    const anonymous = await call('/v1/products', { method: 'POST', body: JSON.stringify({ title: 'Nope' }) });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('AUTH.UNAUTHENTICATED');
    const shopper = await call('/v1/products', { method: 'POST', headers: { authorization: await bearer('customer') }, body: JSON.stringify({ title: 'Nope' }) });
    expect(shopper.status).toBe(403);
  });

  it('when the service refuses a request, then its problem+json, validation errors and Retry-After come back unchanged', async () => {
    const admin = await bearer('admin');
    const init = { method: 'POST', headers: { authorization: admin, 'x-request-id': 'compare-invalid-1' }, body: JSON.stringify({ title: 42, colour: 'red' }) };
    const through = await call('/v1/products', init);
    const direct = await fetch(`${catalog.url}/v1/products`, { ...init, headers: { ...init.headers, 'content-type': 'application/json' } });
    expect(through.status).toBe(400);
    expect(through.headers.get('content-type')).toMatch(PROBLEM);
    const problem = (await through.json()) as { code: string; errors: { pointer: string }[] };
    expect(problem.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(problem.errors.length).toBeGreaterThan(0);
    expect(problem).toEqual(await direct.json());

    // Sign-in throttling: after the free failures the customers service answers 429 with Retry-After.
    const email = `throttled-${crypto.randomUUID().slice(0, 8)}@example.test`;
    let throttled: Response | undefined;
    for (let i = 0; i < 10 && !throttled; i++) {
      const answer = await call('/v1/auth/login', { method: 'POST', body: JSON.stringify({ email, password: 'not the password 123' }) });
      if (answer.status === 429) throttled = answer;
      else expect(answer.status).toBe(401);
    }
    expect(throttled?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await throttled?.json()) as { code: string }).code).toBe('CUSTOMERS.TOO_MANY_ATTEMPTS');
  });

  it('when a customer reads an account, then the customers service lets its owner in and answers 404 to another customer', async () => {
    const signUp = async () => {
      const email = `proxy-${crypto.randomUUID().slice(0, 8)}@example.test`;
      const password = 'proxy password 123';
      expect((await call('/v1/auth/register', { method: 'POST', body: JSON.stringify({ email, password }) })).status).toBe(202);
      const session = (await (await call('/v1/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) })).json()) as {
        accessToken: string;
        customer: { id: string; email: string };
      };
      return { id: session.customer.id, email, authorization: `Bearer ${session.accessToken}` };
    };
    const owner = await signUp();
    const other = await signUp();
    const own = await call(`/v1/customers/${owner.id}`, { headers: { authorization: owner.authorization } });
    expect(own.status).toBe(200);
    expect(((await own.json()) as { email: string }).email).toBe(owner.email);
    const foreign = await call(`/v1/customers/${owner.id}`, { headers: { authorization: other.authorization } });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toMatch(PROBLEM);
    expect((await call(`/v1/customers/${owner.id}`)).status).toBe(401);
  });

  it('when a request carries an x-request-id, then the service answers under it; without one, the gateway makes one and passes it on', async () => {
    const given = await call('/v1/products/no-such-product', { headers: { 'x-request-id': 'trace-across-processes-42' } });
    expect(given.status).toBe(404);
    expect(given.headers.get('x-request-id')).toBe('trace-across-processes-42');
    expect(((await given.json()) as { requestId: string }).requestId).toBe('trace-across-processes-42');

    const made = await call('/v1/products/no-such-product');
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // The catalog would have made up another id had the gateway not sent its own.
    expect(((await made.json()) as { requestId: string }).requestId).toBe(id);
  });

  it('when the gateway is asked for its own paths, then it answers /v1/health, the web apps and demo images itself', async () => {
    expect(await (await call('/v1/health')).json()).toEqual({ status: 'ok' });
    const storefront = await fetch(`${url}/products/some-lamp`);
    expect(storefront.status).toBe(200);
    expect(await storefront.text()).toContain('<title>store</title>');
    expect(await (await fetch(`${url}/admin/orders`)).text()).toContain('<title>admin</title>');
    expect((await fetch(`${url}/demo-images/proxied-lamp.svg`)).headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect((await call('/v1/no-such-thing')).status).toBe(404);
  });

  it('when /openapi.json and /docs are read, then they merge the running services’ documents and name the ones that did not answer', async () => {
    for (const path of ['/openapi.json', '/docs/json']) {
      const document = (await (await call(path)).json()) as { paths: Record<string, unknown>; info: { description: string }; components: { schemas: Record<string, unknown> } };
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/products', '/v1/auth/login', '/v1/customers/{customerId}', '/v1/inventory/availability', '/v1/admin/events']));
      expect(Object.keys(document.paths).some((p) => p.startsWith('/v1/carts'))).toBe(false);
      expect(document.info.description).toMatch(/Not shown: the orders, group-commerce, payments, shipping, webhooks APIs/);
      expect(document.components.schemas.Problem).toBeDefined();
    }
  });

  it('when an admin reads events, then one service’s are passed through, and a list across services refuses while a service is down', async () => {
    const product = await publishedProduct('Proxied rug');
    const admin = await bearer('admin');
    const catalogEvents = await call(`/v1/admin/events?service=catalog&subject=${product.id}`, { headers: { authorization: admin } });
    expect(catalogEvents.status).toBe(200);
    const types = ((await catalogEvents.json()) as { data: { type: string }[] }).data.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['catalog.product.created', 'catalog.product.published']));

    const everywhere = await call(`/v1/admin/events?subject=${product.id}`, { headers: { authorization: admin } });
    expect(everywhere.status).toBe(502);
    expect(((await everywhere.json()) as { code: string }).code).toBe('GATEWAY.UPSTREAM_UNAVAILABLE');
    expect((await call('/v1/admin/events')).status).toBe(401);
    expect((await call('/v1/admin/dead-letters', { headers: { authorization: await bearer('customer') } })).status).toBe(403);
  });

  it('when requests went through, then /metrics keeps route patterns, not ids, and counts upstream requests by service and outcome', async () => {
    await call('/v1/products/some-slug-that-is-not-there');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/v1\/products\/\*"[^}]*\}/);
    expect(metrics).not.toContain('some-slug-that-is-not-there');
    expect(metrics).toMatch(/gateway_upstream_requests_total\{[^}]*upstream="catalog"[^}]*outcome="success"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/gateway_upstream_requests_total\{[^}]*upstream="catalog"[^}]*outcome="client_error"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/gateway_upstream_request_duration_seconds_bucket\{[^}]*upstream="customers"/);
  });

  it('when an upstream is stopped, then its routes answer a 502 problem at once, the rest of the shop keeps working and /ready stays green listing it down', async () => {
    await inventory.app.close();
    const down = await call('/v1/inventory/availability?skus=PX-1', { headers: { 'x-request-id': 'inventory-down-1' } });
    expect(down.status).toBe(502);
    expect(down.headers.get('content-type')).toMatch(PROBLEM);
    expect(await down.json()).toMatchObject({ status: 502, code: 'GATEWAY.UPSTREAM_UNAVAILABLE', upstream: 'inventory', requestId: 'inventory-down-1' });
    // Never started at all is the same answer.
    const orders = await call('/v1/carts', { method: 'POST', body: '{}' });
    expect(orders.status).toBe(502);
    expect(((await orders.json()) as { upstream: string }).upstream).toBe('orders');

    expect((await call('/v1/products')).status).toBe(200);
    const ready = await call('/ready');
    expect(ready.status).toBe(200);
    const checks = ((await ready.json()) as { checks: Record<string, { status: string; informational?: boolean }> }).checks;
    expect(checks['upstream:inventory']).toMatchObject({ status: 'down', informational: true });
    expect(checks['upstream:catalog']).toMatchObject({ status: 'up', informational: true });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_upstream_requests_total\{[^}]*upstream="inventory"[^}]*outcome="unavailable"[^}]*\} [1-9]/);
  });

  it('when an upstream takes connections but never answers, then the gateway gives up after its timeout with a 504 problem', async () => {
    const silent = await silentService();
    const impatient = await buildProxyGateway({ config: { AUTH_SIGNING_KEYS: KEYRING }, upstreams: { urls: { ...urls, shipping: silent.url }, timeoutMs: 300 }, web: false, logger: false });
    try {
      const answer = await impatient.app.inject({ method: 'GET', url: '/v1/shipping-options?country=NL&currency=EUR&subtotal=1000' });
      expect(answer.statusCode).toBe(504);
      expect(answer.headers['content-type']).toMatch(PROBLEM);
      expect(answer.json()).toMatchObject({ code: 'GATEWAY.UPSTREAM_TIMEOUT', upstream: 'shipping' });
      expect((await impatient.app.inject('/metrics')).body).toMatch(/gateway_upstream_requests_total\{[^}]*upstream="shipping"[^}]*outcome="timeout"[^}]*\} 1/);
    } finally {
      await impatient.app.close();
      await silent.close();
    }
  });
});

describe('the event operator routes in proxy mode, across services', () => {
  // Stand-ins for the services' event routes: each holds its own dead letters.
  const letters: Record<string, string[]> = {
    catalog: ['01900000-0000-7000-8000-000000000003', '01900000-0000-7000-8000-000000000001'],
    orders: ['01900000-0000-7000-8000-000000000002'],
  };
  const replayed: string[] = [];
  const servers: ReturnType<typeof createHttpServer>[] = [];
  let gateway: ProxyGateway;

  async function standIn(service: string): Promise<string> {
    const held = letters[service] ?? [];
    const server = createHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const json = (status: number, body: unknown, type = 'application/json') => res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
      const one = /^\/v1\/admin\/dead-letters\/([^/]+)(\/replay)?$/.exec(url.pathname);
      if (url.pathname === '/v1/admin/dead-letters') {
        const limit = Number(url.searchParams.get('limit') ?? 50);
        return json(200, { data: held.slice(0, limit).map((id) => ({ id, consumerGroup: service })), nextCursor: held.length > limit ? 'more' : null });
      }
      if (one && held.includes(one[1] as string)) {
        if (one[2]) replayed.push(`${service} ${one[1]} ${req.method}`);
        return json(200, { id: one[1], consumerGroup: service, status: one[2] ? 'replayed' : 'dead' });
      }
      return json(404, { code: 'EVENTS.DEAD_LETTER_NOT_FOUND', status: 404 }, 'application/problem+json');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  beforeAll(async () => {
    const urls: Record<string, string> = {};
    for (const service of PROXIED_SERVICES) urls[service] = await standIn(service);
    gateway = await buildProxyGateway({ config: { AUTH_SIGNING_KEYS: KEYRING }, upstreams: { urls, timeoutMs: 5000 }, web: false, logger: false });
  });
  afterAll(async () => {
    await gateway?.app.close();
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const asAdmin = async (method: 'GET' | 'POST', url: string) => gateway.app.inject({ method, url, headers: { authorization: await bearer('admin') } });

  it('when dead letters are listed, then every service’s are merged newest first, with a cursor while any has more', async () => {
    const page = (await asAdmin('GET', '/v1/admin/dead-letters?limit=2')).json() as { data: { id: string; consumerGroup: string }[]; nextCursor: string | null };
    expect(page.data.map((d) => d.consumerGroup)).toEqual(['catalog', 'orders']);
    expect(page.nextCursor).not.toBeNull();
    const orders = (await asAdmin('GET', '/v1/admin/dead-letters?consumer=orders')).json() as { data: { consumerGroup: string }[] };
    expect(orders.data.map((d) => d.consumerGroup)).toEqual(['orders']);
  });

  it('when one dead letter is read or replayed, then the service holding it answers, and an unknown one is its 404', async () => {
    const id = letters.orders?.[0] as string;
    expect((await asAdmin('GET', `/v1/admin/dead-letters/${id}`)).json()).toMatchObject({ id, consumerGroup: 'orders' });
    const replay = await asAdmin('POST', `/v1/admin/dead-letters/${id}/replay`);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ status: 'replayed' });
    expect(replayed).toEqual([`orders ${id} POST`]);
    const unknown = await asAdmin('POST', '/v1/admin/dead-letters/01900000-0000-7000-8000-00000000dead/replay');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(PROBLEM);
    expect(replayed).toHaveLength(1);
  });
});

describe('maintenance mode in proxy mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fusion-proxy-maintenance-'));
  const file = join(dir, 'maintenance.json');
  let db: TestDatabase;
  let catalog: RunningService;
  let gateway: ProxyGateway;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    catalog = await startService(catalogService, db.url as string);
    const urls = Object.fromEntries(await Promise.all(PROXIED_SERVICES.map(async (s) => [s, s === 'catalog' ? catalog.url : `http://127.0.0.1:${await closedPort()}`])));
    gateway = await buildProxyGateway({ config: { AUTH_SIGNING_KEYS: KEYRING }, upstreams: { urls, timeoutMs: 15_000 }, web: { distDir: fakeDist(dir) }, logger: false, maintenance: { file, pollMs: 50 } });
  });
  afterAll(async () => {
    await gateway?.app.close();
    await catalog?.app.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the flag is on, then proxied and web requests get the 503 with Retry-After, an admin passes through to the service, and the probes stay green', async () => {
    await writeMaintenanceFlag(file, { message: 'Back at noon.', retryAfterSeconds: 900 });
    await gateway.app.maintenance?.refresh();
    const closed = await gateway.app.inject({ method: 'GET', url: '/v1/products', headers: { accept: 'application/json' } });
    expect(closed.statusCode).toBe(503);
    expect(closed.headers['retry-after']).toBe('900');
    expect(closed.json()).toMatchObject({ code: 'PLATFORM.MAINTENANCE', detail: 'Back at noon.' });
    const page = await gateway.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toMatch(/^text\/html/);

    const admin = await gateway.app.inject({ method: 'GET', url: '/v1/admin/products', headers: { authorization: await bearer('admin') } });
    expect(admin.statusCode).toBe(200);
    expect(admin.headers['fusion-maintenance']).toBe('bypassed');
    for (const path of ['/health', '/ready', '/v1/health', '/metrics']) expect((await gateway.app.inject(path)).statusCode, path).toBe(200);

    await removeMaintenanceFlag(file);
    await gateway.app.maintenance?.refresh();
    expect((await gateway.app.inject('/v1/products')).statusCode).toBe(200);
  });
});

describe('choosing proxy mode from the environment', () => {
  const all = Object.fromEntries(PROXIED_SERVICES.map((s, i) => [upstreamUrlVariable(s), `http://${s}-service:${3000 + i}/`]));

  it('when no upstream URL is set, then the gateway mounts every service itself', () => {
    expect(loadUpstreamsConfig(PROXIED_SERVICES, {})).toBeUndefined();
  });

  it('when every upstream URL is set, then it proxies to them (URLs without a trailing slash) with the default timeout or the one given', () => {
    expect(upstreamUrlVariable('group-commerce')).toBe('GROUP_COMMERCE_SERVICE_URL');
    const config = loadUpstreamsConfig(PROXIED_SERVICES, { ...all, GATEWAY_UPSTREAM_TIMEOUT_MS: '2500' });
    expect(config?.urls.catalog).toBe('http://catalog-service:3000');
    expect(config?.urls['group-commerce']).toBe('http://group-commerce-service:3003');
    expect(config?.timeoutMs).toBe(2500);
    expect(loadUpstreamsConfig(PROXIED_SERVICES, all)?.timeoutMs).toBe(30_000);
  });

  it('when only some upstream URLs are set, then it refuses, naming every missing one', () => {
    const some = { CATALOG_SERVICE_URL: 'http://catalog-service:3000', CUSTOMERS_SERVICE_URL: 'http://customers-service:3006' };
    let message = '';
    try {
      loadUpstreamsConfig(PROXIED_SERVICES, some);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const service of PROXIED_SERVICES.filter((s) => s !== 'catalog' && s !== 'customers')) expect(message).toContain(upstreamUrlVariable(service));
    expect(message).not.toContain('CATALOG_SERVICE_URL');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('when an upstream URL or the timeout is malformed, then it refuses, naming the variable', () => {
    expect(() => loadUpstreamsConfig(PROXIED_SERVICES, { ...all, ORDERS_SERVICE_URL: 'orders-service:3001' })).toThrow(/ORDERS_SERVICE_URL/);
    expect(() => loadUpstreamsConfig(PROXIED_SERVICES, { ...all, ORDERS_SERVICE_URL: 'http://orders-service:3001/v1' })).toThrow(/ORDERS_SERVICE_URL/);
    expect(() => loadUpstreamsConfig(PROXIED_SERVICES, { ...all, GATEWAY_UPSTREAM_TIMEOUT_MS: 'soon' })).toThrow(/GATEWAY_UPSTREAM_TIMEOUT_MS/);
  });

  const home = mkdtempSync(join(tmpdir(), 'fusion-proxy-start-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  /** `npm start` as a real process; `announced` resolves with its "ready" log line. */
  function start(env: Record<string, string>) {
    let output = '';
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: home, FUSION_DATA_DIR: home, NODE_OPTIONS: '', FUSION_START: 'source', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const announced = new Promise<string>((resolve, reject) => {
      const collect = (data: Buffer) => {
        output += data.toString();
        const line = output.split('\n').find((l) => l.includes('gateway is ready'));
        if (line) resolve(line);
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      void exited.then((code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    return { output: () => output, exited, announced, stop: () => (child.kill('SIGTERM'), exited) };
  }

  it('when npm start runs with a partial list, then it exits 1 with one line naming what is missing', async () => {
    const run = start({ CATALOG_SERVICE_URL: 'http://127.0.0.1:3000' });
    run.announced.catch(() => undefined);
    expect(await run.exited).toBe(1);
    const line = run.output().trim().split('\n').find((l) => l.startsWith('gateway: '));
    expect(line).toMatch(/^gateway: Invalid configuration: .*ORDERS_SERVICE_URL.*WEBHOOKS_SERVICE_URL/);
  });

  it('when npm start runs in production with every upstream URL and no DATABASE_URL, then it starts proxying, opening no database', async () => {
    const urls = Object.fromEntries(PROXIED_SERVICES.map((s) => [upstreamUrlVariable(s), 'http://127.0.0.1:9']));
    const run = start({ ...urls, NODE_ENV: 'production', AUTH_SIGNING_KEYS: 'k2026:production-like-signing-key-0123456789abcdef' });
    try {
      const line = await run.announced;
      expect(line).toContain('proxying to 8 services');
      const address = (JSON.parse(line) as { url: string }).url;
      const ready = await fetch(`${address}/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, unknown> }).checks).not.toHaveProperty('database');
    } finally {
      expect(await run.stop()).toBe(0);
    }
  });
});
