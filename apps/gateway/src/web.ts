/**
 * Serves the web apps built into apps/web/dist: the storefront at `/` and the
 * admin console at `/admin`, with a fallback to each app's page for its
 * client-side routes. The API and operations paths never fall back: what is
 * not a route there stays a 404 problem. Hashed assets are cached for good
 * (and sent pre-compressed); the HTML is revalidated on every visit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface WebOptions {
  /** The Vite build output (default: apps/web/dist next to this gateway). */
  distDir?: string;
}

/** Paths that belong to the API and operations, never to the web apps. */
const RESERVED = ['/v1', '/health', '/ready', '/startup', '/metrics', '/openapi.json', '/docs', '/info', '/demo-images', '/assets'];

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const BUILD_COMMAND = 'npm run build -w @fusioncommerce/web';

/** apps/web, found from this file whether it runs from src/ or from a compiled dist/src/. */
export function webAppDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@fusioncommerce/gateway') return join(dir, '..', 'web');
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
}

export const defaultDistDir = () => join(webAppDir(), 'dist');

/**
 * At `npm start`: build the web apps once when their build is missing (a fresh
 * clone whose `npm install` skipped `prepare`). Returns what happened, for the log.
 */
export function ensureWebBuild(distDir = defaultDistDir(), log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): 'present' | 'built' | 'unavailable' {
  if (existsSync(join(distDir, 'index.html'))) return 'present';
  const appDir = join(distDir, '..');
  if (!existsSync(join(appDir, 'package.json')) || !existsSync(join(appDir, 'vite.config.ts'))) return 'unavailable';
  log(`The storefront and admin console are not built yet (${distDir} is missing): running \`${BUILD_COMMAND}\` once…`);
  const root = join(appDir, '..', '..');
  const run = spawnSync('npm', ['run', 'build', '-w', '@fusioncommerce/web'], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
  if (run.status === 0 && existsSync(join(distDir, 'index.html'))) return 'built';
  log(`Building the web apps failed; the API works, and / explains how to build them (\`${BUILD_COMMAND}\`).`);
  return 'unavailable';
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>FusionCommerce: web apps not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5">
<h1>The storefront is not built yet</h1>
<p>The API is running (try <a href="/v1/products">/v1/products</a> or <a href="/docs">/docs</a>), but the storefront and admin console have not been built in this checkout.</p>
<p>Build them once, then reload this page:</p>
<pre style="background: #f5f5f4; padding: 1rem; border-radius: 8px">${BUILD_COMMAND}</pre>
<p><code>npm install</code> does this for you (the <code>prepare</code> script), and <code>npm start</code> tries it once when the build is missing.</p>
</body></html>`;

function isReserved(path: string): boolean {
  return RESERVED.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}.`));
}

export async function webApps(app: FastifyInstance, options: WebOptions = {}): Promise<void> {
  const dist = options.distDir ?? defaultDistDir();
  // Files are read once and kept; one missing (the apps not built yet) is looked for again on the next request, so a build made while the gateway runs is served on reload.
  const files = new Map<string, Buffer>();
  async function file(name: string): Promise<Buffer | undefined> {
    const cached = files.get(name);
    if (cached) return cached;
    const read = await readFile(join(dist, name)).catch(() => undefined);
    if (read) files.set(name, read);
    return read;
  }

  async function sendPage(reply: FastifyReply, name: string) {
    const html = await file(name);
    void reply.header('cache-control', 'no-cache').header('content-security-policy', CSP).type('text/html; charset=utf-8');
    if (html === undefined) return reply.code(503).send(NOT_BUILT);
    return reply.send(html);
  }

  await app.register(fastifyStatic, {
    root: join(dist, 'assets'),
    prefix: '/assets/',
    wildcard: true,
    index: false,
    decorateReply: false,
    preCompressed: true,
    cacheControl: false,
    lastModified: false,
    // Not built yet is a state `/` explains, not a warning.
    suppressWarning: true,
    // File names carry a content hash: a new build means new names.
    setHeaders: (reply) => void reply.header('cache-control', 'public, max-age=31536000, immutable'),
  });

  const routeOptions = { config: { auth: 'public' as const }, schema: { hide: true } };
  app.get('/favicon.svg', routeOptions, async (_request, reply) => {
    const icon = await file('favicon.svg');
    if (!icon) return reply.callNotFound();
    return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(icon);
  });

  const fallback = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = (request.url.split('?')[0] ?? '/').replace(/\/+$/, '') || '/';
    // Unknown API or operations paths keep their 404 problem; a missing file is not a page either.
    if (isReserved(path) || /\.[A-Za-z0-9]+$/.test(path)) return reply.callNotFound();
    return sendPage(reply, path === '/admin' || path.startsWith('/admin/') ? 'admin/index.html' : 'index.html');
  };
  app.get('/', routeOptions, fallback);
  app.get('/admin', routeOptions, fallback);
  app.get('/admin/*', routeOptions, fallback);
  app.get('/*', routeOptions, fallback);
}
