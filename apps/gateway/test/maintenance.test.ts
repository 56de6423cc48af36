/**
 * Maintenance mode at the gateway, over real HTTP: a flag file switched while
 * the gateway runs closes and reopens the shop without a restart, while the
 * probes, metrics and admins carry on.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalogService } from '@fusioncommerce/catalog';
import { DEFAULT_MAINTENANCE_MESSAGE, openDatabase, removeMaintenanceFlag, writeMaintenanceFlag, type Database } from '@fusioncommerce/platform';
import { testTokens } from '@fusioncommerce/platform/testing';
import { buildGateway, type Gateway } from '../src/gateway.ts';

const KEYRING = 'maint:maintenance-test-signing-key-0123456789abcdef';
const tokens = testTokens(KEYRING);
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** A web build with the two pages the gateway serves. */
function fakeDist(root: string): string {
  const dist = join(root, 'web');
  mkdirSync(join(dist, 'admin'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>store</title>');
  writeFileSync(join(dist, 'admin', 'index.html'), '<!doctype html><title>admin</title>');
  return dist;
}

describe('maintenance mode at the gateway', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fusion-gateway-maintenance-'));
  const file = join(dir, 'flag', 'maintenance.json');
  const logs: { level: string; msg: string; problems?: string[] }[] = [];
  let db: Database;
  let gateway: Gateway;
  let url: string;

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers: { accept: 'application/json', ...headers } });
  const admin = async () => `Bearer ${await tokens.sign({ id: crypto.randomUUID(), role: 'admin', email: 'ops@example.test' })}`;
  /** Waits for the gateway's own poll to see the file (no refresh: this is what an operator relies on). */
  const until = async (status: number, path = '/v1/products') =>
    vi.waitFor(async () => expect((await get(path)).status).toBe(status), { timeout: 5000, interval: 25 });

  beforeAll(async () => {
    db = openDatabase({ inMemory: true });
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as (typeof logs)[number]);
        callback();
      },
    });
    gateway = await buildGateway({
      config: { AUTH_SIGNING_KEYS: KEYRING },
      db,
      demoData: false,
      services: [catalogService],
      web: { distDir: fakeDist(dir) },
      logger: { level: 'info', stream, formatters: { level: (label: string) => ({ level: label }) } },
      maintenance: { file, pollMs: 50 },
    });
    url = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await removeMaintenanceFlag(file);
    await gateway.app.maintenance?.refresh();
  });
  afterAll(async () => {
    await gateway.app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when there is no flag file, then the shop serves normally and the gauge reads 0', async () => {
    expect((await get('/v1/products')).status).toBe(200);
    expect((await get('/', { accept: BROWSER })).status).toBe(200);
    expect(await (await get('/metrics')).text()).toMatch(/^fusion_maintenance_mode\{service="gateway"\} 0$/m);
  });

  it('when the flag file appears while the gateway runs, then business requests get 503 with Retry-After: a page for browsers, a problem for API clients', async () => {
    await writeMaintenanceFlag(file, { message: 'Back at 14:00 UTC with a faster checkout.', retryAfterSeconds: 900 });
    await until(503);

    const api = await get('/v1/products?limit=5');
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('900');
    expect(api.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect(await api.json()).toMatchObject({
      type: 'https://fusioncommerce.dev/problems/platform.maintenance',
      status: 503,
      code: 'PLATFORM.MAINTENANCE',
      detail: 'Back at 14:00 UTC with a faster checkout.',
      retryAfterSeconds: 900,
      requestId: api.headers.get('x-request-id'),
    });

    for (const path of ['/', '/admin', '/admin/orders/123', '/p/heritage-hoodie']) {
      const page = await get(path, { accept: BROWSER });
      expect(page.status, path).toBe(503);
      expect(page.headers.get('retry-after')).toBe('900');
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await page.text();
      expect(html).toContain('Back at 14:00 UTC with a faster checkout.');
      expect(html).toContain('about 15 minutes');
      expect(html).not.toMatch(/<script|<link|src=/);
    }

    // Whatever the route's policy or existence: no 401 or 404 while the shop is closed.
    const write = await fetch(`${url}/v1/products`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(write.status).toBe(503);
    expect((await get('/v1/admin/products')).status).toBe(503);
    expect((await get('/v1/no-such-thing')).status).toBe(503);
    expect((await fetch(`${url}/v1/products`, { headers: { accept: '*/*' } })).headers.get('content-type')).toContain('application/problem+json');

    expect(logs.filter((l) => l.level === 'warn').map((l) => l.msg)).toContainEqual(expect.stringContaining('maintenance mode is ON'));
  });

  it('when maintenance is on, then /health, /ready, /startup, /metrics and /info answer as always, and the metrics show it', async () => {
    writeFileSync(file, '{"retryAfterSeconds": 120}');
    await until(503);
    for (const path of ['/health', '/ready', '/startup', '/metrics', '/info', '/v1/health', '/health/']) expect((await get(path)).status, path).toBe(200);
    expect(await (await get('/ready')).json()).toMatchObject({ status: 'ready' });
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/^fusion_maintenance_mode\{service="gateway"\} 1$/m);
    expect(metrics).toMatch(/^fusion_maintenance_responses_total\{service="gateway"\} [1-9]\d*$/m);
    // Turned-away requests are not failures of the release: the error rate a rollout is judged by leaves them out.
    expect(metrics).not.toMatch(/^http_request_duration_seconds_count\{[^}]*status_code="503"/m);
  });

  it('when a request carries a valid admin token, then it passes (and says so); a customer token or a forged one gets the 503', async () => {
    await writeMaintenanceFlag(file, { message: 'Closed for the release.', retryAfterSeconds: 600 });
    await until(503);
    const passed = await get('/v1/admin/products?limit=1', { authorization: await admin() });
    expect(passed.status).toBe(200);
    expect(passed.headers.get('fusion-maintenance')).toBe('bypassed');
    expect((await get('/v1/products', { authorization: await admin() })).status).toBe(200);

    const customer = `Bearer ${await tokens.sign({ id: crypto.randomUUID(), role: 'customer', email: 'shopper@example.test' })}`;
    expect((await get('/v1/products', { authorization: customer })).status).toBe(503);
    const forged = `Bearer ${await testTokens('other:some-other-signing-key-0123456789abcdef0').sign({ id: crypto.randomUUID(), role: 'admin', email: 'x@example.test' })}`;
    expect((await get('/v1/admin/products', { authorization: forged })).status).toBe(503);
    expect((await get('/v1/products', { authorization: 'Basic b3BzOm9wcw==' })).status).toBe(503);
  });

  it('when the flag file is removed, then normal service resumes without a restart, and a line says so', async () => {
    await writeMaintenanceFlag(file, { message: 'Closed.', retryAfterSeconds: 60 });
    await until(503);
    await removeMaintenanceFlag(file);
    await until(200);
    expect((await get('/', { accept: BROWSER })).status).toBe(200);
    expect(await (await get('/', { accept: BROWSER })).text()).toContain('<title>store</title>');
    expect((await get('/admin', { accept: BROWSER })).status).toBe(200);
    expect((await get('/v1/admin/products', {})).status).toBe(401);
    expect(logs.filter((l) => l.level === 'warn').map((l) => l.msg)).toContainEqual(expect.stringContaining('maintenance mode is OFF'));
    expect(await (await get('/metrics')).text()).toMatch(/^fusion_maintenance_mode\{service="gateway"\} 0$/m);
  });

  it('when the flag file is malformed, then maintenance is still on with the defaults (fail safe) and a warning names the problem', async () => {
    writeFileSync(file, '{"message": "Back soon",');
    await until(503);
    const res = await get('/v1/products');
    expect(res.headers.get('retry-after')).toBe('300');
    expect(await res.json()).toMatchObject({ code: 'PLATFORM.MAINTENANCE', detail: DEFAULT_MAINTENANCE_MESSAGE });
    const warning = logs.find((l) => l.level === 'warn' && l.msg.includes('is not valid'));
    expect(warning?.problems?.[0]).toMatch(/not valid JSON/);
  });

  it('when the notice changes while on, then the new message is served from the next poll', async () => {
    await writeMaintenanceFlag(file, { message: 'First notice.', retryAfterSeconds: 60 });
    await until(503);
    await writeMaintenanceFlag(file, { message: 'Second notice.', retryAfterSeconds: 120 });
    await vi.waitFor(async () => expect((await (await get('/v1/products')).json()) as { detail: string }).toMatchObject({ detail: 'Second notice.' }), { timeout: 5000, interval: 25 });
    expect((await get('/v1/products')).headers.get('retry-after')).toBe('120');
  });
});
