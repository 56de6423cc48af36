/**
 * A whole shop for saga tests: catalog, inventory, payments and orders in one
 * gateway (as `npm start` runs them) on a throw-away database, with helpers
 * that act as an admin and as shoppers through the public API.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { catalogService } from '@fusioncommerce/catalog';
import { inventoryService } from '@fusioncommerce/inventory';
import { paymentsService } from '@fusioncommerce/payments';
import { tokenServiceFrom, type ServiceDefinition } from '@fusioncommerce/platform';
import { createTestDatabase, type Backend, type TestDatabase } from '@fusioncommerce/platform/testing';
import { buildGateway, type Gateway } from '../../apps/gateway/src/gateway.ts';
import { createOrdersService, DEFAULT_SETTINGS, type OrdersSettings } from '@fusioncommerce/orders';

export const SUCCESS_CARD = '4242424242424242';
export const DECLINED_CARD = '4000000000000002';
export const ADDRESS = { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };

export async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Shop {
  gateway: Gateway;
  app: FastifyInstance;
  db: TestDatabase;
  admin: { authorization: string };
  /** A published product with one variant per size, each SKU stocked with `stock` units; resolves once orders and inventory know it. */
  product(options: { stock: number; price?: number; sizes?: string[]; tracked?: boolean }): Promise<{ variantIds: string[]; skus: string[] }>;
  cartWith(items: { variantId: string; quantity: number }[]): Promise<string>;
  checkout(cartId: string, card?: string, key?: string): Promise<{ statusCode: number; body: Record<string, unknown> & { status: string; id: string; reason: string | null } }>;
  stockOf(sku: string): Promise<{ onHand: number; reserved: number; available: number }>;
  close(): Promise<void>;
}

export async function openShop(
  backend: Backend,
  options: { orders?: Partial<OrdersSettings>; services?: (orders: ServiceDefinition) => ServiceDefinition[]; db?: TestDatabase } = {},
): Promise<Shop> {
  const db = options.db ?? (await createTestDatabase(backend, { poolMax: 30 }));
  const orders = createOrdersService({ ...DEFAULT_SETTINGS, checkoutWaitMs: 15_000, ...options.orders });
  const services = options.services?.(orders) ?? [catalogService, inventoryService, paymentsService, orders];
  const config = backend === 'postgres' ? { DATABASE_URL: db.url } : {};
  const gateway = await buildGateway({ config, db, logger: false, demoData: false, services });
  const app = gateway.app;
  const token = await tokenServiceFrom({}).sign({ id: 'admin-1', role: 'admin', email: 'admin@example.test' }, 3600);
  const admin = { authorization: `Bearer ${token}` };
  const json = async (res: { statusCode: number; body: string }, expected: number) => {
    if (res.statusCode !== expected) throw new Error(`expected ${expected}, got ${res.statusCode}: ${res.body}`);
    return JSON.parse(res.body) as Record<string, unknown>;
  };

  const shop: Shop = {
    gateway,
    app,
    db,
    admin,
    async product({ stock, price = 2500, sizes = ['M'], tracked = true }) {
      const tag = randomUUID().slice(0, 8).toUpperCase();
      const created = await json(
        await app.inject({
          method: 'POST',
          url: '/v1/products',
          headers: admin,
          payload: {
            title: `Saga Tee ${tag}`,
            variants: sizes.map((size) => ({ sku: `SAGA-${tag}-${size}`, options: { size }, price: { amount: price, currency: 'USD' } })),
          },
        }),
        201,
      );
      await json(await app.inject({ method: 'POST', url: `/v1/products/${created.id}/publish`, headers: admin, payload: { version: created.version } }), 200);
      const variants = created.variants as { id: string; sku: string }[];
      for (const v of tracked ? variants : []) {
        await eventually(async () => (await app.inject({ url: `/v1/inventory/items/${v.sku}`, headers: admin })).statusCode === 200, `inventory to track ${v.sku}`);
        if (stock > 0) await json(await app.inject({ method: 'POST', url: `/v1/inventory/items/${v.sku}/receipts`, headers: admin, payload: { quantity: stock } }), 201);
      }
      // Orders learns prices from the catalog's events too.
      await eventually(async () => {
        const rows = await db.knex('orders.catalog_variants').whereIn('variant_id', variants.map((v) => v.id)).where({ sellable: true });
        return rows.length === variants.length;
      }, 'orders to learn the published variants');
      return { variantIds: variants.map((v) => v.id), skus: variants.map((v) => v.sku) };
    },
    async cartWith(items) {
      const cart = await json(await app.inject({ method: 'POST', url: '/v1/carts' }), 201);
      for (const item of items) await json(await app.inject({ method: 'POST', url: `/v1/carts/${cart.id}/lines`, payload: item }), 200);
      return cart.id as string;
    },
    async checkout(cartId, card = SUCCESS_CARD, key = randomUUID()) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/checkout',
        headers: { 'idempotency-key': key },
        payload: { cartId, email: 'shopper@example.test', shippingAddress: ADDRESS, payment: { method: card } },
      });
      return { statusCode: res.statusCode, body: JSON.parse(res.body) };
    },
    async stockOf(sku) {
      const item = await json(await app.inject({ url: `/v1/inventory/items/${sku}`, headers: admin }), 200);
      return item as unknown as { onHand: number; reserved: number; available: number };
    },
    async close() {
      await app.close();
      if (!options.db) await db.close();
    },
  };
  return shop;
}
