/**
 * `fusion smoke` against the embedded platform: it passes on the platform as
 * `npm start` builds it, and fails loudly — non-zero exit, the broken step
 * named with what was seen — when the product, its events or the order flow
 * is broken, when the admin token is refused, or when the platform is down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogService } from '@fusioncommerce/catalog';
import { DEVELOPMENT_ADMIN_EMAIL, DEVELOPMENT_ADMIN_PASSWORD } from '@fusioncommerce/platform';
import { SIGNING_KEYS, breakingProxy, cli, startPlatform, stubOrders, type RunningPlatform } from './support/platform.ts';

describe('fusion smoke against the embedded platform (every service npm start mounts)', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => platform?.close());

  it('when the platform is healthy, then every step that can run passes, the rest are reported by name, and the test product is archived', async () => {
    const { code, stdout } = await cli(['smoke', platform.url, '--signing-keys', SIGNING_KEYS, '--wait', '20']);
    expect(stdout, stdout).toContain('PASSED');
    expect(code).toBe(0);
    for (const step of ['health', 'admin-auth', 'product', 'events', 'cleanup']) expect(stdout).toMatch(new RegExp(`PASS\\s+${step}\\b`));
    expect(stdout).toMatch(/PASS\s+events\s+catalog\.product\.created, catalog\.product\.published published/);
    // The order step either ran and passed, or says exactly why it could not.
    expect(stdout).toMatch(/PASS\s+order|SKIP\s+order\s+orders is not deployed at this URL/);
    const sku = /SKU (SMOKE-[A-Z0-9]+)/.exec(stdout)?.[1] as string;
    const shopper = await fetch(`${platform.url}/v1/variants?skus=${sku}`);
    expect(((await shopper.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('when signing in with an admin email and password, then it uses the token the platform issues', async () => {
    // The laptop's first admin (customers creates it when ADMIN_EMAIL is unset).
    const { code, stdout } = await cli(['smoke', platform.url, '--json'], { FUSION_ADMIN_EMAIL: DEVELOPMENT_ADMIN_EMAIL, FUSION_ADMIN_PASSWORD: DEVELOPMENT_ADMIN_PASSWORD });
    const report = JSON.parse(stdout) as { ok: boolean; checks: { name: string; status: string; detail: string }[] };
    expect(report.checks.find((c) => c.name === 'admin-auth')?.detail, stdout).toContain(`signed in as ${DEVELOPMENT_ADMIN_EMAIL}`);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
  });

  it('when the token is signed with a key the platform does not hold, then the smoke test stops at admin-auth and says so', async () => {
    const { code, stdout } = await cli(['smoke', platform.url, '--signing-keys', 'other:another-signing-key-0123456789abcdef0123456']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL\s+admin-auth\s+the platform refused the admin token \(signed with key "other"/);
    expect(stdout).toMatch(/SKIP\s+product\s+not run: no admin access/);
    expect(stdout).toContain('FAILED');
  });

  it('when no credentials are given, then it says which ones it takes', async () => {
    const { code, stdout } = await cli(['smoke', platform.url]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL\s+admin-auth\s+no admin credentials: pass --token, --email and --password, or --signing-keys/);
  });
});

describe('fusion smoke against a platform whose flow is broken', () => {
  it('when the catalog relay is down, then events fail: recorded in the outbox but never published', async () => {
    const platform = await startPlatform({ services: [catalogService] });
    try {
      await platform.gateway.events.relays.get('catalog')?.stop();
      const { code, stdout } = await cli(['smoke', platform.url, '--signing-keys', SIGNING_KEYS, '--wait', '2']);
      expect(code).toBe(1);
      expect(stdout).toMatch(/PASS\s+product/);
      expect(stdout).toMatch(/FAIL\s+events\s+events of [0-9a-f-]{36} did not flow within 2 s/);
      expect(stdout).toMatch(/catalog\.product\.created: recorded, not published after 0 attempt\(s\) — is the relay running\?/);
      expect(stdout).toContain('FAILED');
    } finally {
      await platform.close();
    }
  });

  it('when the storefront does not show a published product, then the product step fails and nothing after it runs', async () => {
    const platform = await startPlatform({ services: [catalogService] });
    // Shoppers (no token) get a 404 for any product by id: the read side lost its writes.
    const proxy = await breakingProxy(platform.url, (req, res) => {
      if (req.method !== 'GET' || !/^\/v1\/products\/[0-9a-f-]{36}$/.test(req.url ?? '') || req.headers.authorization) return false;
      res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'CATALOG.PRODUCT_NOT_FOUND' }));
      return true;
    });
    try {
      const { code, stdout } = await cli(['smoke', proxy.url, '--signing-keys', SIGNING_KEYS]);
      expect(code).toBe(1);
      expect(stdout).toMatch(/FAIL\s+product\s+the published product is not in the storefront: GET \/v1\/products\/[0-9a-f-]{36} → 404 CATALOG.PRODUCT_NOT_FOUND/);
      expect(stdout).toMatch(/SKIP\s+events\s+not run: no product was created/);
      expect(stdout).toMatch(/PASS\s+cleanup\s+product [0-9a-f-]{36} archived/);
    } finally {
      await proxy.close();
      await platform.close();
    }
  });

  it('when orders are deployed but never leave pending, then the order step runs and fails with what it saw', async () => {
    const platform = await startPlatform({ services: [catalogService, stubOrders('pending')] });
    try {
      const { code, stdout } = await cli(['smoke', platform.url, '--signing-keys', SIGNING_KEYS, '--wait', '2']);
      expect(code).toBe(1);
      expect(stdout).toMatch(/FAIL\s+order\s+order [0-9a-f-]{36} still pending after 2 s: the saga did not finish/);
      expect(stdout).toContain('inventory is not deployed here');
      expect(stdout).toMatch(/PASS\s+cleanup/);
    } finally {
      await platform.close();
    }
  });

  it('when orders are deployed and confirm, then the order step passes; when an order step is required but orders are missing, then it fails', async () => {
    const withOrders = await startPlatform({ services: [catalogService, stubOrders('confirmed')] });
    try {
      const { code, stdout } = await cli(['smoke', withOrders.url, '--signing-keys', SIGNING_KEYS, '--require', 'order,events']);
      expect(stdout).toMatch(/PASS\s+order\s+order FC-1 placed and confirmed/);
      expect(code).toBe(0);
    } finally {
      await withOrders.close();
    }
    const catalogOnly = await startPlatform({ services: [catalogService] });
    try {
      const { code, stdout } = await cli(['smoke', catalogOnly.url, '--signing-keys', SIGNING_KEYS, '--require', 'order']);
      expect(code).toBe(1);
      expect(stdout).toMatch(/FAIL\s+order\s+required but could not run: orders is not deployed at this URL/);
    } finally {
      await catalogOnly.close();
    }
  });

  it('when nothing answers at the URL, then health fails and every other step says it did not run', async () => {
    const { code, stdout } = await cli(['smoke', 'http://127.0.0.1:9', '--signing-keys', SIGNING_KEYS]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL\s+health\s+http:\/\/127\.0\.0\.1:9\/health did not answer/);
    for (const step of ['admin-auth', 'product', 'events', 'order', 'cleanup']) expect(stdout).toMatch(new RegExp(`SKIP\\s+${step}\\s+not run: the platform is not healthy`));
  });

  it('when --require names an unknown step, then it is a usage error', async () => {
    const { code, stderr } = await cli(['smoke', 'http://127.0.0.1:9', '--require', 'payments']);
    expect(code).toBe(2);
    expect(stderr).toContain('--require takes events and order, not payments');
  });
});
