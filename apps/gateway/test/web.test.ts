import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '@fusioncommerce/platform';
import { defaultDistDir, ensureWebBuild, webApps, webAppDir } from '../src/web.ts';

/** A web build as Vite leaves it: two pages, hashed assets with .gz siblings, a favicon. */
function fakeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'fusion-web-'));
  mkdirSync(join(dist, 'assets'));
  mkdirSync(join(dist, 'admin'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>store</title><script type="module" src="/assets/store-abc123.js"></script>');
  writeFileSync(join(dist, 'admin', 'index.html'), '<!doctype html><title>admin</title>');
  const js = 'console.log("store");'.repeat(50);
  writeFileSync(join(dist, 'assets', 'store-abc123.js'), js);
  writeFileSync(join(dist, 'assets', 'store-abc123.js.gz'), gzipSync(js));
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dist;
}

async function appServing(distDir: string): Promise<FastifyInstance> {
  const app = await createApp({ service: 'gateway', logger: false });
  app.get('/v1/things', { config: { auth: 'public' } }, async () => ({ data: [] }));
  await app.register(webApps, { distDir });
  await app.ready();
  return app;
}

describe('the gateway serving the web apps', () => {
  let dist: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dist = fakeDist();
    app = await appServing(dist);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('when the storefront or one of its client routes is asked for, then its page comes back, revalidated on every visit and under a CSP', async () => {
    for (const url of ['/', '/p/heritage-hoodie', '/c/clothing?sort=price_asc', '/checkout', '/groups/ABC123']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>store</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('when /admin or an admin route is asked for, then the admin console page comes back', async () => {
    for (const url of ['/admin', '/admin/', '/admin/orders/123']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>admin</title>');
    }
  });

  it('when a hashed asset is asked for, then it is cached for good and sent compressed to clients that accept it', async () => {
    const plain = await app.inject('/assets/store-abc123.js');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gz = await app.inject({ url: '/assets/store-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    const icon = await app.inject('/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('when an API, operations or file path does not exist, then it stays a 404 problem and never becomes a page', async () => {
    for (const url of ['/v1/nope', '/v1', '/metrics/extra', '/health/x', '/openapi.json/x', '/docs/nothing-here', '/assets/missing.js', '/robots.txt', '/admin/app.js', '/demo-images/x.png']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
    expect((await app.inject('/v1/things')).json()).toEqual({ data: [] });
    expect((await app.inject('/health')).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/checkout' })).statusCode).toBe(404);
  });
});

describe('the gateway without a web build', () => {
  it('when apps/web/dist is missing, then / explains how to build it and the API is untouched', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'fusion-web-empty-'));
    const app = await appServing(join(empty, 'dist'));
    try {
      const res = await app.inject('/admin/products');
      expect(res.statusCode).toBe(503);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('npm run build -w @fusioncommerce/web');
      expect((await app.inject('/favicon.svg')).statusCode).toBe(404);
      expect((await app.inject('/v1/things')).statusCode).toBe(200);

      // Built while the gateway runs, as the page asks: a reload serves the apps and their assets.
      renameSync(fakeDist(), join(empty, 'dist'));
      const page = await app.inject('/admin/products');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>admin</title>');
      expect((await app.inject('/assets/store-abc123.js')).statusCode).toBe(200);
      expect((await app.inject('/favicon.svg')).statusCode).toBe(200);
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('when the build is present, then start-up uses it as is; when there is nothing to build from, then it says so', () => {
    const dist = fakeDist();
    const lines: string[] = [];
    try {
      expect(ensureWebBuild(dist, (l) => lines.push(l))).toBe('present');
      expect(ensureWebBuild(join(dist, 'nowhere', 'dist'), (l) => lines.push(l))).toBe('unavailable');
      expect(lines).toEqual([]);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
    expect(defaultDistDir()).toBe(join(webAppDir(), 'dist'));
    expect(webAppDir()).toMatch(/apps[/\\]web$/);
  });
});
