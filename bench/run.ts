/**
 * `npm run bench`: starts the platform as a single-node shop runs it (the
 * gateway with every service in one process, on the local PostgreSQL server;
 * `--embedded` for PGlite), loads a fixed catalog, warms up, measures the
 * storefront workloads with autocannon next to a bare Fastify hello-world,
 * prints one table and saves the figures as JSON.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { cpus, hostname, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import knexFactory from 'knex';
import { createTokenService, parseKeyring } from '@fusioncommerce/platform';
import { chooseEntry } from '../scripts/start.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const embedded = args.has('--embedded');
const quick = args.has('--quick');
const DURATION = quick ? 3 : 10;
const CONNECTIONS = 50;
const PRODUCTS = quick ? 200 : 1000;
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const KEYS = 'bench:bench-signing-key-0123456789abcdef0123456789abcdef';

interface Figures {
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
}

interface Profile {
  /** What one unit is: a request (W1, W2) or an order (W3) or a checkout (W4). */
  unit: string;
  /** CPU milliseconds the platform's Node process used per unit. */
  nodeCpuMs: number;
  /** CPU milliseconds all PostgreSQL processes used per unit (0 when embedded: PGlite runs inside Node). */
  postgresCpuMs: number;
  /** SQL statements the platform sent per unit, transaction control included (its db_queries_total). */
  statements: number;
}

const TICKS = 100; // USER_HZ on Linux

function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

function postgresCpuSeconds(): number {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres');
      } catch {
        return false;
      }
    })
    .reduce((sum, pid) => sum + cpuSeconds(Number(pid)), 0);
}

const log = (message: string) => process.stderr.write(`${message}\n`);

/** A TypeScript file through tsx, or plain JavaScript (scripts/start.mjs is what `npm start` runs; the built gateway is what it starts). */
function startProcess(script: string, env: Record<string, string>): ChildProcess {
  const flags = script.endsWith('.ts') ? ['--conditions=fusion-source', '--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...flags, script], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => {
    const text = d.toString();
    if (/error/i.test(text) && !text.includes('nodedir')) process.stderr.write(text);
  });
  return child;
}

async function waitFor(url: string, deadlineMs = 120_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < deadlineMs) {
    if (await fetch(url).then((r) => r.ok, () => false)) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} did not answer within ${deadlineMs} ms`);
}

/** Waits until no outbox of the process behind `metricsUrl` holds unpublished events. */
async function settled(metricsUrl: string, deadlineMs = 120_000): Promise<void> {
  const until = performance.now() + deadlineMs;
  while (performance.now() < until) {
    const text = await fetch(metricsUrl).then((r) => r.text(), () => '');
    const backlog = [...text.matchAll(/^events_outbox_backlog\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    if (text.includes('events_outbox_backlog') && backlog === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${metricsUrl}: events still unpublished after ${deadlineMs} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function load(options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...options });
  return {
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

async function measureCeiling(): Promise<Figures> {
  const port = 19_100 + Math.floor(Math.random() * 500);
  const hello = startProcess('bench/hello.ts', { PORT: String(port) });
  try {
    await waitFor(`http://127.0.0.1:${port}/`);
    await load({ url: `http://127.0.0.1:${port}/`, duration: 2 });
    return await load({ url: `http://127.0.0.1:${port}/` });
  } finally {
    await stop(hello);
  }
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

/** Time from `npm start`'s process start to /ready: on a new data directory (demo data loaded), then the median of three restarts on it. */
async function measureStartup(): Promise<{ coldMs: number; warmMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fusion-bench-start-'));
  const port = String(19_700 + Math.floor(Math.random() * 200));
  const env = { FUSION_DATA_DIR: dataDir, PORT: port, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  try {
    let child = startProcess('scripts/start.mjs', env);
    const coldMs = await waitFor(`http://127.0.0.1:${port}/ready`);
    // A shop that has settled: the demo data's events are published before it stops (or the next start would publish them).
    await settled(`http://127.0.0.1:${port}/metrics`);
    await stop(child);
    // Warm: the median of three restarts, the machine's noise being what it is.
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      child = startProcess('scripts/start.mjs', env);
      warm.push(await waitFor(`http://127.0.0.1:${port}/ready`));
      await stop(child);
    }
    warm.sort((a, b) => a - b);
    return { coldMs: Math.round(coldMs), warmMs: Math.round(warm[1] as number) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function loadCatalog(base: string, authorization: string): Promise<string[]> {
  const categories: string[] = [];
  for (let c = 0; c < 10; c++) {
    const res = await fetch(`${base}/v1/categories`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Bench category ${c}`, slug: `bench-category-${c}` }),
    });
    categories.push(((await res.json()) as { id: string }).id);
  }
  const slugs: string[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < PRODUCTS) {
      const i = next++;
      const slug = `bench-product-${i}`;
      const created = await fetch(`${base}/v1/products`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: `Bench Product ${i}`,
          slug,
          description: `Product ${i} of the benchmark catalog, with three sizes.`,
          images: [{ url: `/demo-images/${slug}.svg`, alt: `Bench Product ${i}` }],
          tags: ['bench'],
          categoryIds: [categories[i % categories.length]],
          variants: ['S', 'M', 'L'].map((size, v) => ({
            sku: `BENCH-${i}-${size}`,
            options: { size },
            price: { amount: 1000 + ((i * 37) % 9000) + v * 100, currency: 'USD' },
            weightGrams: 300,
          })),
        }),
      });
      if (created.status !== 201) throw new Error(`creating product ${i}: ${created.status} ${await created.text()}`);
      const { id } = (await created.json()) as { id: string };
      const published = await fetch(`${base}/v1/products/${id}/publish`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', 'if-match': '"1"' },
        body: '{}',
      });
      if (published.status !== 200) throw new Error(`publishing product ${i}: ${published.status}`);
      slugs.push(slug);
      done++;
      if (done % 50 === 0 || done === PRODUCTS) process.stderr.write(`\rLoading the catalog: ${done}/${PRODUCTS} products × 3 variants`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  process.stderr.write('\n');
  return slugs;
}

const ADDRESS = { name: 'Bench Shopper', line1: '1 Load Street', city: 'Benchville', postalCode: '10001', country: 'US' };

interface CheckoutFigures {
  confirmed: number;
  ordersPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

async function api(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Stocks the first `count` bench products (every size) and waits until orders can sell them. */
async function stockProducts(base: string, authorization: string, count: number, units: number): Promise<{ variantId: string; sku: string }[]> {
  const variants: { variantId: string; sku: string }[] = [];
  for (let i = 0; i < count; i++) {
    const product = await api(base, 'GET', `/v1/products/bench-product-${i}`);
    for (const v of product.body.variants as { id: string; sku: string }[]) variants.push({ variantId: v.id, sku: v.sku });
  }
  for (const v of variants) {
    const until = Date.now() + 30_000;
    while ((await api(base, 'POST', `/v1/inventory/items/${v.sku}/receipts`, { quantity: units }, { authorization })).status !== 201) {
      if (Date.now() > until) throw new Error(`inventory never learnt ${v.sku}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return variants;
}

async function guestCheckout(base: string, lines: { variantId: string; quantity: number }[]): Promise<{ status: string; ms: number; ok: boolean }> {
  const started = performance.now();
  const cart = await api(base, 'POST', '/v1/carts');
  for (const line of lines) {
    const added = await api(base, 'POST', `/v1/carts/${cart.body.id}/lines`, line);
    if (added.status !== 200) return { status: `cart ${added.status}`, ms: performance.now() - started, ok: false };
  }
  // Shipping if present: say where it goes and take the first (cheapest) option the cart lists.
  const quoted = await api(base, 'PUT', `/v1/carts/${cart.body.id}/shipping`, { country: ADDRESS.country });
  const option = (quoted.body.shipping as { options?: { id: string }[] } | undefined)?.options?.[0];
  if (option) {
    const chosen = await api(base, 'PUT', `/v1/carts/${cart.body.id}/shipping`, { country: ADDRESS.country, optionId: option.id });
    if (chosen.status !== 200) return { status: `shipping ${chosen.status}`, ms: performance.now() - started, ok: false };
  }
  const order = await api(
    base,
    'POST',
    '/v1/checkout',
    { cartId: cart.body.id, email: 'bench@example.test', shippingAddress: ADDRESS, payment: { method: '4242424242424242' } },
    { 'idempotency-key': randomUUID() },
  );
  return { status: String(order.body.status ?? order.status), ms: performance.now() - started, ok: order.status === 201 };
}

/** W3: `shoppers` guests, each buying 1–3 lines, back to back, for the duration. */
async function measureCheckout(base: string, variants: { variantId: string }[], shoppers: number, seconds: number): Promise<CheckoutFigures> {
  const latencies: number[] = [];
  let confirmed = 0;
  let errors = 0;
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: shoppers }, async () => {
      while (performance.now() < until) {
        const k = n++;
        const count = 1 + (k % 3);
        const lines = Array.from({ length: count }, (_, j) => ({ variantId: (variants[(k * 7 + j * 13) % variants.length] as { variantId: string }).variantId, quantity: 1 }));
        const result = await guestCheckout(base, lines);
        if (result.status === 'confirmed') {
          confirmed++;
          latencies.push(result.ms);
        } else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { confirmed, ordersPerSec: Math.round(confirmed / elapsed), p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)), errors };
}

/** W4's set-up: one SKU with `units` in stock, and `buyers` carts holding one of it each. */
async function prepareFlashSale(base: string, authorization: string, buyers: number, units: number): Promise<string[]> {
  const sku = `FLASH-${randomUUID().slice(0, 8).toUpperCase()}`;
  const product = await api(base, 'POST', '/v1/products', { title: `Flash sale ${sku}`, variants: [{ sku, price: { amount: 999, currency: 'USD' } }] }, { authorization });
  await api(base, 'POST', `/v1/products/${product.body.id}/publish`, { version: 1 }, { authorization });
  await stockProductsBySku(base, authorization, sku, units);
  const variantId = (product.body.variants as { id: string }[])[0]?.id as string;
  const carts: string[] = [];
  for (let i = 0; i < buyers; i++) {
    const cart = await api(base, 'POST', '/v1/carts');
    const until = Date.now() + 30_000;
    while ((await api(base, 'POST', `/v1/carts/${cart.body.id}/lines`, { variantId, quantity: 1 })).status !== 200) {
      if (Date.now() > until) throw new Error('orders never learnt the flash-sale product');
      await new Promise((r) => setTimeout(r, 50));
    }
    carts.push(cart.body.id as string);
  }
  return carts;
}

/** W4: every cart checks out at once; the time until every one has its answer. */
async function runFlashSale(base: string, carts: string[]): Promise<{ confirmed: number; refused: number; errors: number; allOutcomesMs: number }> {
  const started = performance.now();
  const outcomes = await Promise.all(
    carts.map((cartId) =>
      api(base, 'POST', '/v1/checkout', { cartId, email: 'flash@example.test', shippingAddress: ADDRESS, payment: { method: '4242424242424242' } }, { 'idempotency-key': randomUUID() }).catch(
        () => ({ status: 0, body: {} as Record<string, unknown> }),
      ),
    ),
  );
  // A checkout still pending after its wait answered 202: follow it until it has its outcome.
  const settled = await Promise.all(
    outcomes.map(async (o) => {
      if (o.status !== 202) return o;
      for (;;) {
        const now = await api(base, 'GET', `/v1/orders/${o.body.id}`);
        if (now.body.status !== 'pending') return { status: 201, body: now.body };
        await new Promise((r) => setTimeout(r, 50));
      }
    }),
  );
  const allOutcomesMs = Math.round(performance.now() - started);
  // A clean "no": an order cancelled as out of stock by the saga, or a 409 out-of-stock refusal once the sale is known to be over.
  const refusedAtOnce = (o: { status: number; body: Record<string, unknown> }) => o.status === 409 && o.body.code === 'ORDERS.OUT_OF_STOCK';
  return {
    confirmed: settled.filter((o) => o.status === 201 && o.body.status === 'confirmed').length,
    refused: settled.filter((o) => (o.status === 201 && o.body.status === 'cancelled') || refusedAtOnce(o)).length,
    errors: settled.filter((o) => o.status !== 201 && !refusedAtOnce(o)).length,
    allOutcomesMs,
  };
}

async function stockProductsBySku(base: string, authorization: string, sku: string, units: number): Promise<void> {
  const until = Date.now() + 30_000;
  while ((await api(base, 'POST', `/v1/inventory/items/${sku}/receipts`, { quantity: units }, { authorization })).status !== 201) {
    if (Date.now() > until) throw new Error(`inventory never learnt ${sku}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const started = new Date();
  log(`FusionCommerce benchmark (${embedded ? 'embedded: PGlite' : 'PostgreSQL server'}), ${DURATION}s per workload, ${CONNECTIONS} connections`);

  log('Measuring the ceiling: bare Fastify hello-world');
  const ceiling = await measureCeiling();

  // What `npm install` leaves behind: a build as new as the sources, which `npm start` runs.
  if (chooseEntry().from !== 'build') {
    log('Building the platform first (npm start runs the build when it is up to date)');
    const build = spawnSync(process.execPath, ['scripts/build.mjs', '--noCheck'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
    if (build.status !== 0) throw new Error('the build failed');
  }
  log('Measuring start-up: npm start to /ready (first start with demo data, then warm)');
  const startup = await measureStartup();

  const dbName = `fusion_bench_${Date.now().toString(36)}`;
  const admin = knexFactory({ client: 'pg', connection: ADMIN_URL, pool: { min: 0, max: 1 } });
  const dataDir = mkdtempSync(join(tmpdir(), 'fusion-bench-'));
  let databaseUrl: string | undefined;
  if (!embedded) {
    await admin.raw(`create database ${dbName}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const port = String(19_900 + Math.floor(Math.random() * 90));
  const base = `http://127.0.0.1:${port}`;
  // The built gateway itself, as `npm start` runs it, so that its memory and CPU are what is measured.
  const platform = startProcess('apps/gateway/dist/src/main.js', {
    PORT: port,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    FUSION_DEMO_DATA: 'false',
    AUTH_SIGNING_KEYS: KEYS,
    FUSION_DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: '20' } : {}),
  });
  try {
    await waitFor(`${base}/ready`);
    const token = await createTokenService(parseKeyring(KEYS)).sign({ id: 'bench-admin', role: 'admin', email: 'bench@example.test' }, 3600);
    const slugs = await loadCatalog(base, `Bearer ${token}`);

    log('Warming up');
    await load({ url: `${base}/v1/products?limit=20`, duration: 2 });

    const queriesSent = async () => Number(/^db_queries_total\{[^}]*\} (\d+)/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? 0);
    /** Node and PostgreSQL CPU and SQL statements per unit of work while `run` runs. */
    const profiled = async <T>(unit: string, run: () => Promise<T>, units: (result: T) => number): Promise<[T, Profile]> => {
      const [node0, pg0, q0] = [cpuSeconds(platform.pid as number), postgresCpuSeconds(), await queriesSent()];
      const result = await run();
      const [node1, pg1, q1] = [cpuSeconds(platform.pid as number), postgresCpuSeconds(), await queriesSent()];
      const n = Math.max(units(result), 1);
      return [
        result,
        {
          unit,
          nodeCpuMs: Number((((node1 - node0) * 1000) / n).toFixed(3)),
          postgresCpuMs: Number((((pg1 - pg0) * 1000) / n).toFixed(3)),
          statements: Number(((q1 - q0) / n).toFixed(2)),
        },
      ];
    };

    log('W1: storefront list, 20 published products with variants');
    const [w1, w1Profile] = await profiled('request', () => load({ url: `${base}/v1/products?limit=20` }), (f) => f.requests);
    const rss = rssOf(platform.pid as number);

    log('W2: product by slug, cycling through every product');
    let i = 0;
    const [w2, w2Profile] = await profiled(
      'request',
      () =>
        load({
          url: base,
          requests: [
            {
              method: 'GET',
              setupRequest: (request) => ({ ...request, path: `/v1/products/${slugs[i++ % slugs.length]}` }),
            },
          ],
        }),
      (f) => f.requests,
    );

    log('W3: guest checkout, 10 shoppers doing the whole flow');
    const variants = await stockProducts(base, `Bearer ${token}`, 30, 1_000_000);
    await measureCheckout(base, variants, 10, 2);
    const [w3, w3Profile] = await profiled('order', () => measureCheckout(base, variants, 10, DURATION), (f) => f.confirmed);

    log('W4: flash sale, 1,000 checkouts at once for 10 units of one SKU');
    const carts = await prepareFlashSale(base, `Bearer ${token}`, 1000, 10);
    const [w4, w4Profile] = await profiled('checkout', () => runFlashSale(base, carts), () => carts.length);

    const ratio = (f: Figures) => f.reqPerSec / ceiling.reqPerSec;
    const rows = [
      ['workload', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs Fastify hello'],
      ['Fastify hello-world (ceiling)', ceiling.reqPerSec, ceiling.p50, ceiling.p99, ceiling.errors + ceiling.non2xx, '100%'],
      ['W1 storefront list (20 products)', w1.reqPerSec, w1.p50, w1.p99, w1.errors + w1.non2xx, `${(ratio(w1) * 100).toFixed(1)}%`],
      ['W2 product by slug', w2.reqPerSec, w2.p50, w2.p99, w2.errors + w2.non2xx, `${(ratio(w2) * 100).toFixed(1)}%`],
      ['W3 guest checkout (orders/s)', w3.ordersPerSec, w3.p50, w3.p99, w3.errors, `${w3.confirmed} confirmed`],
      ['W4 flash sale (1,000 buyers, 10 units)', `${w4.confirmed} sold`, '', '', w4.errors, `all answered in ${w4.allOutcomesMs} ms`],
    ].map((r) => r.map(String));
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
    const table = [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');

    const machine = { hostname: hostname(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
    console.log(`\n${table}\n`);
    console.log(`Start-up (npm start to /ready): first start with demo data ${startup.coldMs} ms, warm ${startup.warmMs} ms`);
    console.log(`Resident memory of the platform after W1: ${Math.round(rss / 2 ** 20)} MB`);
    for (const [name, profile] of [['W1', w1Profile], ['W2', w2Profile], ['W3', w3Profile], ['W4', w4Profile]] as const) {
      console.log(
        `${name} profile per ${profile.unit}: Node ${profile.nodeCpuMs} CPU-ms, PostgreSQL ${profile.postgresCpuMs} CPU-ms, ${profile.statements} SQL statements`,
      );
    }
    console.log(`Database: ${embedded ? 'PGlite (embedded)' : 'PostgreSQL server'}; catalog: ${slugs.length} products × 3 variants; ${DURATION}s × ${CONNECTIONS} connections per workload`);
    console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`);

    const file = join(root, 'bench', 'results', `${started.toISOString().replace(/[:.]/g, '-')}${embedded ? '-embedded' : ''}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ date: started.toISOString(), machine, mode: embedded ? 'embedded' : 'postgres', durationSeconds: DURATION, connections: CONNECTIONS, products: slugs.length, ceiling, w1, w2, w3, w4, profiles: { w1: w1Profile, w2: w2Profile, w3: w3Profile, w4: w4Profile }, startup, rssBytesAfterW1: rss }, null, 2)}\n`,
    );
    console.log(`Saved ${file}`);
  } finally {
    await stop(platform);
    rmSync(dataDir, { recursive: true, force: true });
    if (!embedded) await admin.raw(`drop database if exists ${dbName} with (force)`);
    await admin.destroy();
  }
}

await main();
