/**
 * `fusion demo <base-url>`: completes the demo shop of a distributed
 * platform through its admin API, as the embedded shop's first start does in
 * one database. `fusion seed` loads the catalog and shipping options into
 * their services' own tables; the rest belongs to other services, which may
 * have databases of their own, so it goes through their APIs: every catalog
 * SKU gets its demo quantity (inventory's rule) by a receipt, and the two demo
 * group deals (group buying's definition) are created on well-stocked
 * variants. It only adds what is missing: a second run changes nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { demoQuantity as DemoQuantity } from '@fusioncommerce/inventory';
import type { demoDealRequests as DemoDealRequests, pickDemoDealVariants as PickDemoDealVariants } from '@fusioncommerce/group-commerce';
import { AdminAuthError, AdminProbeError, AdminTokenRefusedError, authenticatedClient, type AdminAuthOptions } from './admin-token.ts';
import { HttpClient, describeResponse, type HttpResult } from './http-client.ts';
import type { Progress } from './progress.ts';
import { findService } from './services.ts';
import { loadServiceExport } from './workspace.ts';

export interface DemoOptions {
  baseUrl: string;
  auth: AdminAuthOptions;
  /** The repository or image root the demo rules are loaded from. */
  root: string;
  /** How long each wait may take: for the catalog, for inventory to track its SKUs, for group buying to know a variant (default 60 s). */
  waitMs?: number;
  pollIntervalMs?: number;
  /** Receipts sent at once. */
  concurrency?: number;
  progress?: Progress;
  /** A line on what it is doing now (live output). */
  onStep?: (line: string) => void;
  fetch?: typeof fetch;
}

export interface DemoDeal {
  id: string;
  sku: string;
  title: string;
}

export interface DemoReport {
  baseUrl: string;
  catalog: { products: number; published: number; skus: number };
  stock: {
    /** SKUs given their demo quantity now, and how many units that was. */
    received: number;
    units: number;
    /** SKUs left alone: stock on hand already, or stock movements before (a demo receipt since sold, an adjustment). */
    inStock: number;
    movedBefore: number;
    /** SKUs the demo sells out on purpose (demo quantity 0). */
    soldOut: number;
  };
  deals: { created: DemoDeal[]; existing: DemoDeal[]; note?: string };
}

/** Why the demo shop could not be completed, in one sentence with what to do. */
export class DemoError extends Error {}

interface ProductView {
  id: string;
  title: string;
  status: 'draft' | 'published' | 'archived';
  variants: { id: string; sku: string; title: string; price: { amount: number; currency: string } }[];
}

interface ItemView {
  sku: string;
  onHand: number;
}

interface DealView {
  id: string;
  variantId: string;
  sku: string;
  title: string;
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

interface DemoRules {
  demoQuantity: typeof DemoQuantity;
  stockReason: string;
  demoDealRequests: typeof DemoDealRequests;
  pickDemoDealVariants: typeof PickDemoDealVariants;
  dealCount: number;
}

/** The SKUs asked about in one request (inventory takes at most 100). */
const SKUS_PER_REQUEST = 100;

/** Inventory's quantity rule and group buying's deal definition, from this tree's code (a checkout or any image). */
async function loadDemoRules(root: string): Promise<DemoRules> {
  const inventory = findService('inventory');
  const groups = findService('group-commerce');
  try {
    return {
      demoQuantity: await loadServiceExport(root, inventory, 'src/demo/demo-stock', 'demoQuantity'),
      stockReason: await loadServiceExport(root, inventory, 'src/demo/demo-stock', 'DEMO_STOCK_REASON'),
      demoDealRequests: await loadServiceExport(root, groups, 'src/demo/demo-deals', 'demoDealRequests'),
      pickDemoDealVariants: await loadServiceExport(root, groups, 'src/demo/demo-deals', 'pickDemoDealVariants'),
      dealCount: await loadServiceExport(root, groups, 'src/demo/demo-deals', 'DEMO_DEAL_COUNT'),
    };
  } catch (error) {
    throw new DemoError(`the demo rules of inventory and group buying are not here (${(error as Error).message}); run fusion demo from a checkout or an image of this release`);
  }
}

/** `fetch failed` says nothing: the cause (ECONNREFUSED, ENOTFOUND, a timeout) does. */
function unreachable(baseUrl: string, error: unknown): DemoError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new DemoError(`cannot reach the platform at ${baseUrl}: ${why}`);
}

const routeMissing = (result: HttpResult) => result.status === 404 && (result.body as { code?: string } | undefined)?.code === 'REQUEST.ROUTE_NOT_FOUND';

function expectOk<T>(result: HttpResult<T>, method: string, path: string): T {
  if (result.ok) return result.body;
  // Everything done so far stays done, and a run only adds what is missing.
  const retry = result.status >= 500 ? '; fusion demo can simply be run again once the platform is well' : '';
  throw new DemoError(`${describeResponse(method, path, result as HttpResult)}${retry}`);
}

/** Every page of a cursor-paginated admin list. */
async function readAll<T>(client: HttpClient, path: string): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const url = `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: Page<T> = expectOk(await client.get<Page<T>>(url), 'GET', url);
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** Completes the demo shop; throws a DemoError saying what stopped it (the platform unreachable, the token refused, no catalog…). */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  try {
    return await completeDemoShop(options);
  } catch (error) {
    // A request that never got an answer: the platform is down, the name does not resolve, or it stopped answering.
    if (error instanceof TypeError && error.message === 'fetch failed') throw unreachable(options.baseUrl, error);
    if (error instanceof Error && error.name === 'TimeoutError') throw new DemoError(`the platform at ${options.baseUrl} stopped answering: ${error.message}`);
    throw error;
  }
}

/** A client whose admin token the platform accepts; what stands in the way becomes a DemoError. */
async function signIn(options: DemoOptions, timeoutMs: number): Promise<HttpClient> {
  try {
    return (await authenticatedClient(options.baseUrl, options.auth, options.fetch, { timeoutMs })).client;
  } catch (error) {
    if (error instanceof AdminTokenRefusedError) throw new DemoError(`${error.message} — ${error.likelyCauses}`);
    if (error instanceof AdminAuthError) throw new DemoError(error.message);
    // Any other answer is worded as every failed request of this run is (a 5xx: run it again once the platform is well).
    if (error instanceof AdminProbeError) expectOk(error.result, 'GET', error.path);
    throw error;
  }
}

async function completeDemoShop(options: DemoOptions): Promise<DemoReport> {
  const waitMs = options.waitMs ?? 60_000;
  const pollMs = options.pollIntervalMs ?? 500;
  const step = options.onStep ?? (() => {});
  const seconds = Math.round(waitMs / 1000);
  const timeoutMs = 30_000;
  const rules = await loadDemoRules(options.root);

  // The platform answers, and takes the admin token.
  const health = await new HttpClient({ baseUrl: options.baseUrl, fetch: options.fetch, timeoutMs }).get('/health');
  if (!health.ok) throw new DemoError(`the platform at ${options.baseUrl} is not healthy: ${describeResponse('GET', '/health', health)}`);
  const client = await signIn(options, timeoutMs);

  // 1. The demo catalog, as shoppers see it; then every product in any status, as the embedded shop stocks them all.
  step('waiting for the catalog');
  const catalogDeadline = Date.now() + waitMs;
  for (;;) {
    const page = await client.get<Page<unknown>>('/v1/products?limit=1');
    if (page.ok && page.body.data.length > 0) break;
    if (!page.ok && page.status !== 404 && page.status < 500) expectOk(page, 'GET', '/v1/products?limit=1');
    if (Date.now() >= catalogDeadline) {
      throw new DemoError(
        `the catalog shows no products after ${seconds} s${page.ok ? '' : ` (${describeResponse('GET', '/v1/products', page)})`}: load the demo catalog first (npx fusion seed --database-url …), then run fusion demo again`,
      );
    }
    await sleep(pollMs);
  }
  const products = await readAll<ProductView>(client, '/v1/admin/products?status=any');
  const skus = [...new Set(products.flatMap((p) => p.variants.map((v) => v.sku)))];

  // 2. Inventory learns SKUs from the catalog's events: wait until it tracks every one.
  step(`waiting for inventory to track ${skus.length} SKUs`);
  const inventoryDeadline = Date.now() + waitMs;
  let items = new Map<string, ItemView>();
  for (;;) {
    items = new Map();
    for (let i = 0; i < skus.length; i += SKUS_PER_REQUEST) {
      const path = `/v1/inventory/items?limit=${SKUS_PER_REQUEST}&skus=${skus.slice(i, i + SKUS_PER_REQUEST).map(encodeURIComponent).join(',')}`;
      const answer = await client.get<Page<ItemView>>(path);
      if (routeMissing(answer)) throw new DemoError(`inventory is not deployed at ${options.baseUrl} (no /v1/inventory/items): nothing can be stocked`);
      for (const item of expectOk(answer, 'GET', '/v1/inventory/items').data) items.set(item.sku, item);
    }
    if (items.size >= skus.length) break;
    if (Date.now() >= inventoryDeadline) {
      const missing = skus.filter((sku) => !items.has(sku));
      throw new DemoError(
        `inventory tracks ${skus.length - missing.length} of the catalog's ${skus.length} SKUs after ${seconds} s (not ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}): it learns them from the catalog's events — look at /v1/admin/events?service=catalog, /v1/admin/dead-letters and consumer lag`,
      );
    }
    await sleep(pollMs);
  }

  // 3. Demo stock for every SKU that never had any: one receipt each, with the demo quantity.
  const stock: DemoReport['stock'] = { received: 0, units: 0, inStock: 0, movedBefore: 0, soldOut: 0 };
  const onHand = new Map([...items.values()].map((i) => [i.sku, i.onHand]));
  const toStock: string[] = [];
  for (const sku of skus) {
    if ((onHand.get(sku) ?? 0) > 0) stock.inStock += 1;
    else if (rules.demoQuantity(sku) === 0) stock.soldOut += 1;
    else toStock.push(sku);
  }
  let done = 0;
  const shown = toStock.length > 0 ? options.progress : undefined;
  shown?.start(toStock.length, 'stocking demo SKUs');
  const limit = pLimit(options.concurrency ?? 4);
  await limit.map(toStock, async (sku) => {
    try {
      // Sold out since an earlier demo receipt, or set to zero by hand: someone's stock, not ours to add to.
      const history = `/v1/inventory/movements?limit=1&sku=${encodeURIComponent(sku)}`;
      if (expectOk(await client.get<Page<unknown>>(history), 'GET', history).data.length > 0) stock.movedBefore += 1;
      else {
        const quantity = rules.demoQuantity(sku);
        const path = `/v1/inventory/items/${encodeURIComponent(sku)}/receipts`;
        expectOk(await client.post(path, { quantity, reason: rules.stockReason }), 'POST', path);
        onHand.set(sku, quantity);
        stock.received += 1;
        stock.units += quantity;
      }
      shown?.update(++done);
    } catch (error) {
      // The first failure stops the rest: receipts not yet sent stay unsent (the next run sends what is missing).
      limit.clearQueue();
      throw error;
    }
  });
  shown?.stop();

  // 4. The demo group deals, on the variants group buying's rule picks; a variant with a deal keeps it.
  step('creating the demo group deals');
  const deals: DemoReport['deals'] = { created: [], existing: [] };
  const dealsProbe = await client.get('/v1/group-deals?state=any&limit=1');
  if (routeMissing(dealsProbe)) deals.note = `group buying is not deployed at ${options.baseUrl}: no deals`;
  else {
    expectOk(dealsProbe, 'GET', '/v1/group-deals');
    const known = await readAll<DealView>(client, '/v1/group-deals?state=any');
    const dealt = new Map(known.map((d) => [d.variantId, d]));
    const candidates = products
      .filter((p) => p.status === 'published')
      .flatMap((p) => p.variants.map((v) => ({ variant: v, sku: v.sku, onHand: dealt.has(v.id) ? Number.POSITIVE_INFINITY : (onHand.get(v.sku) ?? 0) })));
    const chosen = rules.pickDemoDealVariants(candidates).map((c) => c.variant);
    for (const variant of chosen) {
      const existing = dealt.get(variant.id);
      if (existing) {
        deals.existing.push({ id: existing.id, sku: existing.sku, title: existing.title });
        continue;
      }
      const [body] = rules.demoDealRequests([{ variantId: variant.id, price: variant.price.amount, currency: variant.price.currency }]);
      // Group buying learns variants from the catalog's events too: until then it does not know this one.
      const dealDeadline = Date.now() + waitMs;
      for (;;) {
        const answer = await client.post<DealView>('/v1/group-deals', body);
        if (answer.ok) {
          deals.created.push({ id: answer.body.id, sku: answer.body.sku, title: answer.body.title });
          break;
        }
        const unknownVariant = (answer.body as { code?: string } | undefined)?.code === 'GROUPS.VARIANT_UNAVAILABLE';
        if (!unknownVariant) expectOk(answer, 'POST', '/v1/group-deals');
        if (Date.now() >= dealDeadline) {
          throw new DemoError(
            `group buying does not know variant ${variant.sku} after ${seconds} s (${describeResponse('POST', '/v1/group-deals', answer as HttpResult)}): it learns variants from the catalog's events — look at /v1/admin/dead-letters and consumer lag`,
          );
        }
        await sleep(pollMs);
      }
    }
    if (chosen.length < rules.dealCount) deals.note = `only ${chosen.length} published variant(s) have enough stock on hand for a demo deal`;
  }

  return {
    baseUrl: options.baseUrl,
    catalog: { products: products.length, published: products.filter((p) => p.status === 'published').length, skus: skus.length },
    stock,
    deals,
  };
}

/** The report's lines for a terminal. */
export function formatDemoReport(report: DemoReport): string[] {
  const { catalog, stock, deals } = report;
  const describe = (d: DemoDeal) => `${d.title} (SKU ${d.sku})`;
  return [
    `demo shop at ${report.baseUrl}`,
    `  catalog: ${catalog.products} products (${catalog.published} published), ${catalog.skus} SKUs`,
    `  stock: ${stock.received} SKU(s) received their demo quantity (${stock.units} units), ${stock.soldOut} sold out by design; left alone: ${stock.inStock} in stock already, ${stock.movedBefore} with earlier stock movements`,
    `  group deals: created ${deals.created.length}${deals.created.length ? ` — ${deals.created.map(describe).join(', ')}` : ''}; ${deals.existing.length} there already${deals.existing.length ? ` — ${deals.existing.map(describe).join(', ')}` : ''}`,
    ...(deals.note ? [`  note: ${deals.note}`] : []),
  ];
}
